/// A document as its reader understood it, the one thing every reader hands over: blocks in
/// reading order, each a paragraph (a line of text and where it came from) or a table (rows of
/// cells, each with its text, its spans and where it came from).
///
/// Readers build it from what they know: Word's `w:tc`s, a page's `<td>`s, a PDF's word boxes,
/// separators and column bands in plain text. The extractor reads the cells as they are;
/// nothing downstream splits text to find them again.
public struct Document: Sendable, Equatable {
    public var blocks: [Block]
    /// The format told from the content.
    public var format: DocumentFormat
    /// The character encoding of text and web pages ("utf-8", "gb18030"…); nil otherwise.
    public var encoding: String?
    /// The 1-based pages of a PDF that hold no text: a scanned page, or a table pasted as a
    /// picture, among pages exported with their text (what OCR may still read).
    public var pagesWithoutText: [Int] = []

    public init(blocks: [Block] = [], format: DocumentFormat, encoding: String? = nil) {
        self.blocks = blocks
        self.format = format
        self.encoding = encoding
    }

    /// A paragraph or a table.
    public enum Block: Sendable, Equatable {
        case paragraph(Paragraph)
        case table(Table)
    }

    /// One line of prose.
    public struct Paragraph: Sendable, Equatable {
        public var text: String
        /// Where it came from; nil when its line in the document's text is its place.
        public var origin: Origin?
        public init(_ text: String, origin: Origin? = nil) {
            self.text = text
            self.origin = origin
        }
    }

    /// A table: its rows in reading order (a row with no cell of its own, every cell covered by
    /// a span from above, is left out).
    public struct Table: Sendable, Equatable {
        public var rows: [Row]
        public init(rows: [Row] = []) { self.rows = rows }
    }

    /// A row: its cells from left to right, a cell covered by a span from above or beside left
    /// out (the cell that spans it is counted once, where it starts).
    public struct Row: Sendable, Equatable {
        public var cells: [Cell]
        public init(cells: [Cell]) { self.cells = cells }
    }

    /// A cell as the document draws it.
    public struct Cell: Sendable, Equatable {
        /// The cell's text, its paragraphs joined (no line break or TAB inside).
        public var text: String
        /// Rows and columns of the table's grid the cell covers (1 for an unmerged cell).
        public var rowSpan: Int
        public var columnSpan: Int
        /// Where it came from; nil when its line in the document's text is its place.
        public var origin: Origin?
        /// How sure a reader that recognised the text (OCR) is of it, 0…1; nil when the text
        /// was read, not recognised.
        public var confidence: Float?

        public init(_ text: String, rowSpan: Int = 1, columnSpan: Int = 1, origin: Origin? = nil,
                    confidence: Float? = nil) {
            self.text = text
            self.rowSpan = rowSpan
            self.columnSpan = columnSpan
            self.origin = origin
            self.confidence = confidence
        }
    }

    /// Where a block or a cell came from, in the terms of its format. Numbers are 1-based.
    public enum Origin: Sendable, Hashable {
        /// Line and column of a text file (column in characters).
        case text(line: Int, column: Int)
        /// A cell of the n-th table of a Word document or web page: its row and its column in
        /// the table's grid (merged cells above and beside counted, as a person counts them).
        case cell(table: Int, row: Int, column: Int)
        /// A page of a PDF, OFD or scan, and the box the text is drawn in when the reader knows it.
        case page(Int, box: Box?)
        /// The n-th paragraph with text in a Word document's body or a web page's report
        /// (tables and empty paragraphs not counted).
        case paragraph(Int)
        /// The web page's title, standing in for the title its article lacks.
        case pageTitle
    }

    /// A rectangle on a page, in points from the page's top left corner.
    public struct Box: Sendable, Hashable {
        public var x0: Float, y0: Float, x1: Float, y1: Float
        public init(x0: Float, y0: Float, x1: Float, y1: Float) {
            self.x0 = x0
            self.y0 = y0
            self.x1 = x1
            self.y1 = y1
        }
    }

    /// The tables, in reading order.
    public var tables: [Table] {
        blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
    }

    /// The paragraphs, in reading order.
    public var paragraphs: [Paragraph] {
        blocks.compactMap { if case .paragraph(let p) = $0 { return p } else { return nil } }
    }
}

// MARK: - Building

extension Document {
    /// Appends a paragraph.
    public mutating func append(_ paragraph: Paragraph) { blocks.append(.paragraph(paragraph)) }

    /// Appends a row to the table being built: a new table when the last block is a paragraph
    /// or `startsTable` is true.
    public mutating func append(_ row: Row, startsTable: Bool = false) {
        if !startsTable, case .table(var t)? = blocks.last {
            blocks.removeLast()
            t.rows.append(row)
            blocks.append(.table(t))
        } else {
            blocks.append(.table(Table(rows: [row])))
        }
    }
}

// MARK: - The text view

extension Document {
    /// The document as lines of text, for the rules that read prose and for quoting: a
    /// paragraph is a line; a table row is a line of its cells' texts, one TAB between two cells,
    /// whose columns `PositionedDocument.cells` gives (so the cells are never found again by
    /// splitting the line).
    public var textView: PositionedDocument {
        var lines: [String] = []
        var origins: [Int: LineOrigin] = [:]
        var cells: [Int: [Range<Int>]] = [:]
        lines.reserveCapacity(blocks.count)
        for block in blocks {
            switch block {
            case .paragraph(let p):
                if let o = p.origin.flatMap(LineOrigin.init) { origins[lines.count] = o }
                lines.append(Self.oneLine(p.text))
            case .table(let t):
                for row in t.rows {
                    var line = ""
                    var spans: [Range<Int>] = []
                    spans.reserveCapacity(row.cells.count)
                    var at = 0
                    for (i, cell) in row.cells.enumerated() {
                        if i > 0 {
                            line.append("\t")
                            at += 1
                        }
                        let n = cell.text.unicodeScalars.count
                        spans.append(at..<(at + n))
                        line.append(Self.oneLine(cell.text))
                        at += n
                    }
                    if let o = LineOrigin(row) { origins[lines.count] = o }
                    cells[lines.count] = spans
                    lines.append(line)
                }
            }
        }
        var view = PositionedDocument(lines: lines, origins: origins, format: format, encoding: encoding)
        view.cells = cells
        return view
    }

    /// `text` with line breaks and TABs as spaces (a reader's text has none; one that had
    /// would break a line in two or a cell in two).
    static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars { out.append(u == "\n" || u == "\r" || u == "\t" ? " " : u) }
        return String(out)
    }

    /// The lines of the text view (see `textView`).
    public var lines: [String] { textView.lines }
    /// The places of the text view's lines (see `textView`).
    public var origins: [Int: LineOrigin] { textView.origins }
    /// The text view as one string.
    public var text: String { textView.text }
    /// The place of the character at 1-based `line`:`column` of the text view (see
    /// `PositionedDocument.origin(line:column:)`).
    public func origin(line: Int, column: Int) -> DocumentOrigin { textView.origin(line: line, column: column) }
}

extension LineOrigin {
    /// A paragraph's place as a line's.
    init?(_ origin: Document.Origin) {
        switch origin {
        case .text(let l, _): self = .line(l)
        case .page(let p, let box): self = .page(p, boxes: box.map { [PageBox(page: p, box: $0)] } ?? [])
        case .paragraph(let n): self = .paragraph(n)
        case .pageTitle: self = .pageTitle
        case .cell(let t, let r, _): self = .tableRow(table: t, row: r)
        }
    }

    /// A table row's place as a line's: its table, row and its cells' grid columns, or its page.
    init?(_ row: Document.Row) {
        guard let first = row.cells.first?.origin else { return nil }
        switch first {
        case .cell(let t, let r, _):
            var columns: [Int] = []
            columns.reserveCapacity(row.cells.count)
            for cell in row.cells {
                guard case .cell(_, _, let c)? = cell.origin else { return nil }
                columns.append(c)
            }
            self = .tableRow(table: t, row: r, columns: columns)
        case .text(let line, _):
            var fields: [SourcePosition] = []
            fields.reserveCapacity(row.cells.count)
            for cell in row.cells {
                guard case .text(let l, let c)? = cell.origin else { return nil }
                fields.append(SourcePosition(line: l, column: c))
            }
            self = .line(line, fields: fields)
        case .page(let page, _):
            var boxes: [PageBox?] = []
            boxes.reserveCapacity(row.cells.count)
            for cell in row.cells {
                guard case .page(let p, let box)? = cell.origin else { return nil }
                boxes.append(box.map { PageBox(page: p, box: $0) })
            }
            self = .page(page, boxes: boxes.contains { $0 != nil } ? boxes : [])
        default:
            self.init(first)
        }
    }
}
