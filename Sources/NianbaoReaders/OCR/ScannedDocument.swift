import NianbaoCore

/// What the OCR reader made of a scanned report, before it is turned into the document every
/// reader returns: pages of prose lines and ruled tables, each table a grid of cells (merged cells
/// spanning rows and columns), every piece with its box on the page image and Tesseract's
/// confidence.
///
/// `ScannedDocument.positioned()` is the one adapter from this model to the readers' output.
public struct ScannedDocument: Sendable, Equatable {
    public var pages: [ScannedPage]
    public init(pages: [ScannedPage]) { self.pages = pages }
}

/// A rectangle on a page image, in pixels (origin top left).
public struct PixelBox: Sendable, Equatable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
}

public struct ScannedPage: Sendable, Equatable {
    /// 1-based.
    public var number: Int
    /// The page image's size in pixels (after deskewing) and resolution.
    public var width: Int
    public var height: Int
    public var dpi: Int
    /// The skew corrected, in degrees.
    public var skew: Double
    /// Prose and tables in reading order (top to bottom).
    public var blocks: [ScannedBlock]
    /// Ruling lines were seen but could not be cut into a grid of cells.
    public var tableUnreadable: Bool

    public init(number: Int, width: Int, height: Int, dpi: Int, skew: Double, blocks: [ScannedBlock],
                tableUnreadable: Bool = false) {
        self.number = number
        self.width = width
        self.height = height
        self.dpi = dpi
        self.skew = skew
        self.blocks = blocks
        self.tableUnreadable = tableUnreadable
    }
}

public enum ScannedBlock: Sendable, Equatable {
    case line(ScannedLine)
    case table(ScannedTable)

    package var top: Int {
        switch self {
        case .line(let l): return l.box.y
        case .table(let t): return t.box.y
        }
    }
}

/// A line of prose.
public struct ScannedLine: Sendable, Equatable {
    public var text: String
    public var box: PixelBox
    /// Tesseract's mean word confidence, 0…100.
    public var confidence: Double
    public init(text: String, box: PixelBox, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}

/// A ruled table: its cells with their places in the grid.
public struct ScannedTable: Sendable, Equatable {
    public var box: PixelBox
    public var rowCount: Int
    public var columnCount: Int
    /// In reading order: by top row, then left column.
    public var cells: [ScannedCell]
    public init(box: PixelBox, rowCount: Int, columnCount: Int, cells: [ScannedCell]) {
        self.box = box
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.cells = cells
    }
}

public struct ScannedCell: Sendable, Equatable {
    /// 0-based top row and left column in the table's grid, and how many each spans.
    public var row: Int
    public var column: Int
    public var rowSpan: Int
    public var columnSpan: Int
    public var box: PixelBox
    public var text: String
    /// 0…100; 100 for a cell with no ink (blank, nothing to misread).
    public var confidence: Double
    /// Read as a figure (digits-only).
    public var numeric: Bool

    public init(row: Int, column: Int, rowSpan: Int, columnSpan: Int, box: PixelBox, text: String, confidence: Double,
                numeric: Bool) {
        self.row = row
        self.column = column
        self.rowSpan = rowSpan
        self.columnSpan = columnSpan
        self.box = box
        self.text = text
        self.confidence = confidence
        self.numeric = numeric
    }
}

/// How sure the OCR was of each figure cell it read, for the rules: keyed by the place a
/// finding names (page, the table's row and column in the grid).
public struct OCRConfidence: Sendable, Equatable {
    /// A figure cell read: where, what, how sure.
    public struct Cell: Sendable, Equatable {
        public var page: Int
        public var text: String
        public var confidence: Double
        public init(page: Int, text: String, confidence: Double) {
            self.page = page
            self.text = text
            self.confidence = confidence
        }
    }
    /// Per line of the positioned document (0-based), per TAB-separated field (0-based).
    public var cells: [Int: [Int: Cell]]
    /// Pages where ruling lines were seen but no table could be cut.
    public var unreadableTablePages: [Int]
    public var pageCount: Int
    public init(cells: [Int: [Int: Cell]] = [:], unreadableTablePages: [Int] = [], pageCount: Int = 0) {
        self.cells = cells
        self.unreadableTablePages = unreadableTablePages
        self.pageCount = pageCount
    }
}

extension ScannedPage {
    /// A box of the page's image in points from the page's top left corner, as a PDF's boxes are.
    func points(_ box: PixelBox) -> Document.Box {
        let k = 72 / Float(max(dpi, 1))
        return Document.Box(x0: Float(box.x) * k, y0: Float(box.y) * k, x1: Float(box.maxX) * k, y1: Float(box.maxY) * k)
    }
}

extension ScannedDocument {
    /// The document every reader returns: prose lines as paragraphs, tables as rows of cells
    /// (a merged cell once, in its top row, with its spans, as the Word reader gives it), each
    /// knowing its page and how sure the OCR was of it; with the confidence of every figure by
    /// line and field of the document's text view (what the honesty rules look up).
    public func document(format: DocumentFormat) -> (document: Document, confidence: OCRConfidence) {
        let pages = Self.joiningSplitRows(pages)
        var document = Document(format: format)
        var line = 0
        var confidence = OCRConfidence(pageCount: pages.count)
        for page in pages {
            if page.tableUnreadable { confidence.unreadableTablePages.append(page.number) }
            for block in page.blocks {
                switch block {
                case .line(let text):
                    document.append(Document.Paragraph(text.text, origin: .page(page.number, box: page.points(text.box))))
                    line += 1
                case .table(let table):
                    var byRow: [Int: [ScannedCell]] = [:]
                    for cell in table.cells { byRow[cell.row, default: []].append(cell) }
                    for (n, row) in byRow.keys.sorted().enumerated() {
                        let cells = byRow[row]!.sorted { $0.column < $1.column }
                        var fields: [Int: OCRConfidence.Cell] = [:]
                        // figures, and short texts where figures stand (a figure misread as a
                        // character): what a finding about a figure may stand on
                        for (i, cell) in cells.enumerated() where cell.numeric || (i > 0 && cell.text.unicodeScalars.count <= 3) {
                            fields[i] = OCRConfidence.Cell(page: page.number, text: cell.text, confidence: cell.confidence)
                        }
                        if !fields.isEmpty { confidence.cells[line] = fields }
                        document.append(
                            Document.Row(cells: cells.map {
                                Document.Cell(Self.field($0.text), rowSpan: $0.rowSpan, columnSpan: $0.columnSpan,
                                              origin: .page(page.number, box: page.points($0.box)), confidence: Float($0.confidence / 100))
                            }),
                            startsTable: n == 0)
                        line += 1
                    }
                }
            }
        }
        return (document, confidence)
    }

    /// A row broken by a page break is two rows on two pages: the last of the table ending one
    /// page and, on the next, the first row of the table starting it after the header rows it
    /// may repeat (rows without a figure whose texts are those of the first rows above). The
    /// second half carries on the first's label (none of its cells' words starts with a row's
    /// mark: `1.`, `（一）`, `一、`), its cells lie under the first's one to one, and no column holds a figure
    /// on both halves. Each cell of the second half
    /// is joined to the cell above it on the first page (the one it overlaps most across), its
    /// text after the first's; the second half's cells are dropped from the next page (a merged
    /// cell starting there is then in the first page's row, as the Word reader gives it).
    static func joiningSplitRows(_ pages: [ScannedPage]) -> [ScannedPage] {
        var pages = pages
        guard pages.count >= 2 else { return pages }
        for p in 0..<(pages.count - 1) {
            guard case .table(var upper)? = pages[p].blocks.last, case .table(var lower)? = pages[p + 1].blocks.first,
                  let lastRow = upper.cells.map(\.row).max()
            else { continue }
            let lowerRows = Set(lower.cells.map(\.row)).sorted()
            // the header repeated at the top of the next page
            let header = leadingRowsWithoutFigures(upper)
            // a table's header alone at the foot of a page is no half of a row
            guard header.count < Set(upper.cells.map(\.row)).count else { continue }
            let headerTexts = header.map(rowText)
            var k = 0
            while k < lowerRows.count - 1, k < headerTexts.count {
                let cells = lower.cells.filter { $0.row == lowerRows[k] }
                guard !cells.contains(where: { $0.numeric }), headerTexts.contains(where: { similar(rowText(cells), $0) })
                else { break }
                k += 1
            }
            guard k < lowerRows.count else { continue }
            let nextRow = lowerRows[k]
            // the upper row's cells: its own and those spanning it from above
            let tail = upper.cells.indices.filter { upper.cells[$0].row + upper.cells[$0].rowSpan - 1 == lastRow }
            let head = lower.cells.indices.filter { lower.cells[$0].row == nextRow }
                .sorted { lower.cells[$0].column < lower.cells[$1].column }
            guard tail.contains(where: { upper.cells[$0].row == lastRow }), !head.isEmpty else { continue }
            // the second half's words: none starts as a row or a group of rows does (a group's
            // label starting there with its first row is a new row)
            let words = head.filter { !lower.cells[$0].text.isEmpty && !lower.cells[$0].numeric }
            guard !words.isEmpty, !words.contains(where: { startsWithRowMark(lower.cells[$0].text) }) else { continue }
            // each lower cell's upper cell: the most overlap across, at least half the narrower
            var pairs: [(u: Int, l: Int)] = []
            for l in head {
                let lb = lower.cells[l].box
                let best = tail.map { u -> (Int, Int) in
                    let ub = upper.cells[u].box
                    return (u, min(ub.maxX, lb.maxX) - max(ub.x, lb.x))
                }.max { $0.1 < $1.1 }
                guard let best, best.1 * 2 >= min(lb.width, upper.cells[best.0].box.width) else { continue }
                pairs.append((best.0, l))
            }
            // every lower cell has its own upper one (the same columns: a cell over two of the
            // next page's is another table's, or a header's), and no figure stands on both
            // halves of a column
            guard pairs.count == head.count, Set(pairs.map(\.u)).count == pairs.count,
                  !pairs.contains(where: {
                      upper.cells[$0.u].numeric && !upper.cells[$0.u].text.isEmpty && lower.cells[$0.l].numeric
                          && !lower.cells[$0.l].text.isEmpty
                  })
            else { continue }
            for (u, l) in pairs {
                let a = upper.cells[u], b = lower.cells[l]
                guard !b.text.isEmpty else { continue }
                upper.cells[u].text = a.text + b.text
                upper.cells[u].numeric = a.text.isEmpty ? b.numeric : a.numeric && b.numeric
                upper.cells[u].confidence = a.text.isEmpty ? b.confidence : min(a.confidence, b.confidence)
            }
            let headSet = Set(head)
            lower.cells = lower.cells.indices.filter { !headSet.contains($0) }.map { lower.cells[$0] }
            pages[p].blocks[pages[p].blocks.count - 1] = .table(upper)
            pages[p + 1].blocks[0] = .table(lower)
        }
        return pages
    }

    /// A table's first rows that hold no figure (its header), each as its cells.
    static func leadingRowsWithoutFigures(_ table: ScannedTable) -> [[ScannedCell]] {
        var out: [[ScannedCell]] = []
        for row in Set(table.cells.map(\.row)).sorted() {
            let cells = table.cells.filter { $0.row == row }
            if cells.contains(where: { $0.numeric }) || out.count >= 6 { break }
            out.append(cells)
        }
        return out
    }

    /// A row's text: its cells' texts, left to right.
    static func rowText(_ cells: [ScannedCell]) -> String {
        cells.sorted { $0.column < $1.column }.map(\.text).joined()
    }

    /// Whether two texts read by OCR are the same words: of similar length, most characters of
    /// each found in the other.
    static func similar(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard !x.isEmpty, !y.isEmpty, min(x.count, y.count) * 3 >= max(x.count, y.count) * 2 else { return false }
        let sx = Set(x), sy = Set(y)
        let inY = x.filter { sy.contains($0) }.count, inX = y.filter { sx.contains($0) }.count
        return inY * 10 >= x.count * 7 && inX * 10 >= y.count * 7
    }

    /// Whether a row's label starts as a new row's does: `1.`, `（一）`, `一、`, `(1)` (and `|.`, a
    /// 1 read as a stroke).
    static func startsWithRowMark(_ s: String) -> Bool {
        let u = Array(s.unicodeScalars.prefix(4))
        guard let first = u.first else { return false }
        if first == "（" || first == "(" { return true }
        // a digit, or a 1 read as a stroke, before its point
        if ("0"..."9").contains(first) || "|lI]".unicodeScalars.contains(first), u.count > 1,
           u[1] == "." || u[1] == "．" || u[1] == "、" { return true }
        if "一二三四五六七八九十".unicodeScalars.contains(first), u.count > 1, u[1] == "、" { return true }
        return false
    }

    /// A cell's text as one field: no TAB or line break inside.
    static func field(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where u != "\t" && u != "\n" && u != "\r" { out.append(u) }
        return String(out)
    }
}
