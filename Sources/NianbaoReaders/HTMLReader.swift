import CLibXML2
import NianbaoText
import NianbaoCore

/// Reads the text of an HTML page (a report published on, or saved from, a government portal).
///
/// The charset comes from a byte-order mark, then `<meta charset>` / `<meta http-equiv>`
/// (gb2312 and gbk are read as GB18030), else UTF-8; bytes that are not valid UTF-8 fall back to
/// GB18030, and valid UTF-8 with non-ASCII text wins over a declaration that says otherwise.
/// Block elements break lines (a paragraph each); data tables give tables of cells with their
/// grid columns and spans; layout
/// tables (those holding another table with rows) only break lines. When the page holds the
/// report among navigation, only the element holding both “总体情况” and
/// “收到和处理政府信息公开申请” (with the title just before it) is output.
public enum HTMLReader {
    /// The largest page accepted.
    public static let maximumBytes = 16 << 20

    public static func text(from bytes: [UInt8]) throws(NianbaoError) -> (text: String, encoding: String) {
        let document = try document(from: bytes)
        return (document.text, document.encoding ?? "utf-8")
    }

    /// The report's lines, each table row knowing its table (counted among the report's data
    /// tables) and row number.
    public static func document(from bytes: [UInt8]) throws(NianbaoError) -> Document {
        _ = LibXML.initialized
        if bytes.isEmpty { throw .corrupt("the page is empty") }
        if bytes.count > maximumBytes {
            throw .tooLarge("the page holds \(bytes.count) bytes (limit \(maximumBytes))")
        }
        // a page saved as one file (.mht): the page inside it, in UTF-8
        var page = bytes
        var mimeCharset: String?
        if MHTML.looksLike(bytes) {
            guard let (html, charset) = MHTML.page(bytes) else {
                throw .corrupt("the web archive (.mht) holds no web page")
            }
            page = html
            mimeCharset = charset
        }
        var (utf8, encoding) = decode(page, declared: mimeCharset)
        // the charset the archive names is what the page was written in
        if let mimeCharset, !["utf-8", "utf8", "us-ascii", "ascii"].contains(mimeCharset) { encoding = mimeCharset }
        neutralizeDeclarations(&utf8)
        if utf8.isEmpty { return Document(format: .html, encoding: encoding) }
        guard utf8.count < Int(Int32.max) else { throw .tooLarge("the page is too large") }
        guard let doc = parse(utf8) else { throw .corrupt("the page cannot be parsed as HTML") }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return Document(format: .html, encoding: encoding) }
        var walker = HTMLWalker(root: root)
        walker.run()
        let range = walker.reportRange()
        var document = Document(format: .html, encoding: encoding)
        // an article that starts with its preamble: the page's <title> stands in for its title
        if let title = standInTitle(pageTitle(root), lines: Array(walker.lines[range])) {
            document.append(Document.Paragraph(title, origin: .pageTitle))
        }
        // tables renumbered from 1 within the report
        var renumbered: [Int: Int] = [:]
        // prose by its paragraph within the report (tables not counted)
        var paragraphs = 0
        var previousTable = -1
        for i in range {
            guard let row = walker.rows[i] else {
                paragraphs += 1
                document.append(Document.Paragraph(walker.lines[i], origin: .paragraph(paragraphs)))
                previousTable = -1
                continue
            }
            let n = renumbered[row.table] ?? (renumbered.count + 1)
            renumbered[row.table] = n
            let cells = row.cells.map { cell -> Document.Cell in
                var cell = cell
                if case .cell(_, let r, let c)? = cell.origin { cell.origin = .cell(table: n, row: r, column: c) }
                return cell
            }
            document.append(Document.Row(cells: cells), startsTable: row.table != previousTable)
            previousTable = row.table
        }
        return document
    }

    /// The text of the page's `<title>` (in `<head>`).
    static func pageTitle(_ root: XNode) -> String? {
        var title: String?
        HTMLWalker.walk(root, visit: { n in
            guard title == nil, LibXML.isElement(n) else { return false }
            let name = HTMLWalker.name(n)
            if name == "title" {
                title = LibXML.children(n).filter(LibXML.isText).map(LibXML.textContent).joined()
                return false
            }
            return name == "html" || name == "head"
        }, leave: { _ in })
        return title
    }

    /// The report's title from the page's `<title>` (the part naming the report, without the
    /// site's name after a separator) when the report's lines hold none before the first
    /// section; nil otherwise.
    static func standInTitle(_ pageTitle: String?, lines: [String]) -> String? {
        func compact(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.filter { !TextAssembly.isTrimmable($0) }))
        }
        // a title names the report and its year (a menu's 政府信息公开年报 does not)
        func isTitle(_ c: String) -> Bool {
            (c.contains("信息公开") || c.contains("政务公开")) && (c.contains("年度报告") || c.contains("年报"))
                && c.unicodeScalars.contains { $0.properties.numericType != nil }
        }
        guard let pageTitle else { return nil }
        let head = lines.prefix { !compact($0).contains("总体情况") }.prefix(40)
        if head.contains(where: { isTitle(compact($0)) }) { return nil }
        let parts = pageTitle.split(whereSeparator: { "_|｜—-".contains($0) }).map { TextAssembly.trim(String($0)) }
        return parts.first { isTitle(compact($0)) && $0.unicodeScalars.count <= 64 }
    }

    // MARK: charset

    /// `declared` stands for the page's own declaration when its container names the charset
    /// (a web archive's part header).
    static func decode(_ bytes: [UInt8], declared given: String? = nil) -> (utf8: [UInt8], encoding: String) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let rest = bytes[3...]
            if String(validating: rest, as: UTF8.self) != nil { return (Array(rest), "utf-8") }
            return (Array(String(decoding: rest, as: UTF8.self).utf8), "utf-8")
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return (Iconv.toUTF8(bytes[2...], from: "UTF-16LE", unitSize: 2) ?? [], "utf-16le")
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return (Iconv.toUTF8(bytes[2...], from: "UTF-16BE", unitSize: 2) ?? [], "utf-16be")
        }
        let valid = String(validating: bytes[...], as: UTF8.self) != nil
        let nonASCII = bytes.contains { $0 >= 0x80 }
        let declared = given ?? declaredCharset(bytes)
        if valid && (nonASCII || declared == nil) { return (bytes, "utf-8") }
        switch declared {
        case nil, "utf-8", "utf8":
            return (Iconv.toUTF8(bytes[...], from: "GB18030") ?? bytes, "gb18030")
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "x-euc-cn", "ms936",
            "windows-936":
            return (Iconv.toUTF8(bytes[...], from: "GB18030") ?? bytes, "gb18030")
        case let name?:
            if valid { return (bytes, "utf-8") }  // pure ASCII
            if let out = Iconv.toUTF8(bytes[...], from: name.uppercased()) { return (out, name) }
            return (Iconv.toUTF8(bytes[...], from: "GB18030") ?? bytes, "gb18030")
        }
    }

    /// The charset named by `<meta charset>`, `<meta http-equiv content="…charset=…">` or an XML
    /// declaration in the first 16 KB, lower-cased.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = FormatDetector.asciiHead(bytes, limit: 16 << 10)
        if head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")),
            let value = valueAfter("encoding", in: head, range: 0..<end)
        {
            return value
        }
        var from = 0
        while let m = ByteSearch.find(Array("<meta".utf8), in: head, range: from..<head.count) {
            let end = head[m...].firstIndex(of: UInt8(ascii: ">")) ?? head.count
            if let value = valueAfter("charset", in: head, range: m..<end) { return value }
            from = end
        }
        return nil
    }

    private static func valueAfter(_ key: String, in head: [UInt8], range: Range<Int>) -> String? {
        guard let k = ByteSearch.find(Array(key.utf8), in: head, range: range) else { return nil }
        var i = k + key.utf8.count
        func skip(_ set: Set<UInt8>) { while i < range.upperBound && set.contains(head[i]) { i += 1 } }
        skip([0x20, 0x09, 0x0A, 0x0D])
        guard i < range.upperBound, head[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        skip([0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "'")])
        var value: [UInt8] = []
        while i < range.upperBound {
            let c = head[i]
            let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
            if !ok { break }
            value.append(c)
            i += 1
        }
        return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
    }

    /// After transcoding to UTF-8, charset declarations must not make libxml2 switch encodings:
    /// `charset` inside `<meta>` tags and `encoding` in an XML declaration are defused in place.
    static func neutralizeDeclarations(_ utf8: inout [UInt8]) {
        let limit = min(utf8.count, 64 << 10)
        var lower = Array(utf8[0..<limit])
        for i in lower.indices where lower[i] >= 0x41 && lower[i] <= 0x5A { lower[i] += 0x20 }
        var start = 0
        while start < lower.count && (lower[start] == 0x20 || lower[start] == 0x0A || lower[start] == 0x0D || lower[start] == 0x09) {
            start += 1
        }
        if lower[start...].starts(with: Array("<?xml".utf8)), let end = lower[start...].firstIndex(of: UInt8(ascii: ">")),
            let k = ByteSearch.find(Array("encoding".utf8), in: lower, range: start..<end)
        {
            utf8[k] = UInt8(ascii: "x")
        }
        var from = 0
        while let m = ByteSearch.find(Array("<meta".utf8), in: lower, range: from..<lower.count) {
            let end = lower[m...].firstIndex(of: UInt8(ascii: ">")) ?? lower.count
            var f = m
            while let k = ByteSearch.find(Array("charset".utf8), in: lower, range: f..<end) {
                utf8[k] = UInt8(ascii: "x")
                f = k + 7
            }
            from = end
        }
    }
}

/// Walks a parsed HTML tree iteratively (no recursion: any nesting depth is safe).
struct HTMLWalker {
    struct Cell {
        let node: XNode
        var pieces: [String] = []
        var buffer = InlineBuffer()
        /// Its grid column (1-based) and spans.
        var column = 1, columnSpan = 1, rowSpan = 1
    }

    let root: XNode
    private(set) var lines: [String] = []
    private var line = InlineBuffer()
    private var table: XNode?
    /// Data tables seen, and the current table's rows.
    private var tableCount = 0
    private var rowCount = 0
    /// The grid of the current table: for each column, the last row a rowspan cell covers.
    private var coveredUntil: [Int] = []
    private var gridColumn = 0
    /// The lines that are table rows, by line index: the row's cells and the table's number
    /// among the page's data tables.
    private(set) var rows: [Int: (cells: [Document.Cell], table: Int)] = [:]
    private var row: [Document.Cell]?
    private var cell: Cell?
    private var layoutTables: Set<Int> = []
    /// Line ranges of block elements, for locating the report in a portal page.
    private var ranges: [(start: Int, end: Int)] = []
    private var openStarts: [Int: Int] = [:]
    /// A cap on the output, against absurd pages.
    static let maximumOutputScalars = 16_000_000
    private var outputScalars = 0

    init(root: XNode) { self.root = root }

    static let skipped: Set<String> = [
        "script", "style", "noscript", "head", "template", "iframe", "object", "embed", "svg", "canvas", "nav",
        "select", "option", "textarea", "button", "input", "map", "audio", "video", "title", "math",
    ]
    static let blocks: Set<String> = [
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th",
        "table", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer", "main", "aside",
        "blockquote", "pre", "hr", "form", "fieldset", "legend", "address", "figure", "figcaption", "center",
        "body", "html", "details", "summary", "menu", "dir", "frameset", "frame", "noframes", "o:p",
    ]

    static func key(_ n: XNode) -> Int { Int(bitPattern: UnsafeMutableRawPointer(n)) }

    static func name(_ n: XNode) -> String { LibXML.localName(n).lowercased() }

    /// Walks the tree under `root` in document order without recursion (pages nest deeply):
    /// `visit` is called for each node and says whether to go into an element's children;
    /// `leave` is called for each element gone into, once its children are done.
    static func walk(_ root: XNode, visit: (XNode) -> Bool, leave: (XNode) -> Void) {
        var node: XNode? = root
        while let n = node {
            let descended = visit(n)
            if descended, let c = n.pointee.children {
                node = c
                continue
            }
            if descended { leave(n) }
            var cur = n
            node = nil
            while cur != root {
                if let next = cur.pointee.next {
                    node = next
                    break
                }
                guard let parent = cur.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { break }
                cur = parent
                leave(cur)
            }
        }
    }

    mutating func run() {
        findLayoutTables()
        Self.walk(root, visit: { n in
            if LibXML.isElement(n) { return enter(n) }
            if LibXML.isText(n), outputScalars < Self.maximumOutputScalars {
                let s = LibXML.textContent(n)
                outputScalars += s.utf8.count
                text(s)
            }
            return false
        }, leave: { exit($0) })
        finishTable()
        flushLine()
    }

    /// Tables that hold another table with at least two rows are page layout, not data.
    private mutating func findLayoutTables() {
        var rowCounts: [Int: Int] = [:]
        var open: [XNode] = []  // the tables around the current node, outermost first
        var layout = layoutTables
        Self.walk(root, visit: { n in
            guard LibXML.isElement(n) else { return false }
            if LibXML.nameIs(n, "table") {
                open.append(n)
            } else if LibXML.nameIs(n, "tr"), let t = open.last {
                let count = rowCounts[Self.key(t), default: 0] + 1
                rowCounts[Self.key(t)] = count
                if count == 2 {
                    // Every enclosing table is layout; stop at one already marked.
                    for outer in open.dropLast().reversed() {
                        if !layout.insert(Self.key(outer)).inserted { break }
                    }
                }
            }
            return true
        }, leave: { n in
            if LibXML.nameIs(n, "table"), !open.isEmpty { open.removeLast() }
        })
        layoutTables = layout
    }

    private func isHidden(_ n: XNode) -> Bool {
        if LibXML.attribute(n, "hidden") != nil { return true }
        if let style = LibXML.attribute(n, "style") {
            let compact = style.lowercased().filter { !$0.isWhitespace }
            if compact.contains("display:none") || compact.contains("visibility:hidden") { return true }
        }
        return false
    }

    /// Returns whether the walk goes into the element's children.
    private mutating func enter(_ n: XNode) -> Bool {
        let name = Self.name(n)
        if Self.skipped.contains(name) || isHidden(n) { return false }
        switch name {
        case "table":
            if table == nil && cell == nil && !layoutTables.contains(Self.key(n)) {
                flushLine()
                table = n
                tableCount += 1
                rowCount = 0
                coveredUntil = []
            } else {
                blockBreak()
            }
        case "tr" where table != nil && cell == nil:
            finishRow()
            flushLine()
            row = []
            startGridRow()
        case "td" where table != nil && cell == nil, "th" where table != nil && cell == nil:
            if row == nil {
                flushLine()
                row = []
                startGridRow()
            }
            cell = Cell(node: n)
            placeInGrid(n)
        default:
            if Self.blocks.contains(name) { blockBreak() }
        }
        if Self.blocks.contains(name) {
            openStarts[Self.key(n)] = lines.count
        }
        return true
    }

    private mutating func exit(_ n: XNode) {
        let name = Self.name(n)
        if let c = cell, c.node == n {
            finishCell()
        } else if let t = table, t == n {
            finishTable()
        } else if name == "tr" && table != nil && cell == nil {
            finishRow()
        } else if Self.blocks.contains(name) {
            blockBreak()
        }
        if let start = openStarts.removeValue(forKey: Self.key(n)) {
            ranges.append((start, lines.count + (line.isEmpty ? 0 : 1)))
        }
    }

    private mutating func startGridRow() {
        rowCount += 1
        gridColumn = 0
    }

    /// Places a cell in the table's grid as browsers do: past the columns that rowspan cells of
    /// earlier rows still cover, spanning its colspan, covering its rowspan.
    private mutating func placeInGrid(_ n: XNode) {
        func span(_ name: String) -> Int {
            let digits = (LibXML.attribute(n, name) ?? "").unicodeScalars.filter { $0 != " " }
            return min(max(Int(String(String.UnicodeScalarView(digits))) ?? 1, 1), 1000)
        }
        while gridColumn < coveredUntil.count && coveredUntil[gridColumn] >= rowCount { gridColumn += 1 }
        let (cols, rows) = (span("colspan"), span("rowspan"))
        cell?.column = gridColumn + 1
        cell?.columnSpan = cols
        cell?.rowSpan = rows
        if coveredUntil.count < gridColumn + cols { coveredUntil += Array(repeating: 0, count: gridColumn + cols - coveredUntil.count) }
        for c in gridColumn..<(gridColumn + cols) { coveredUntil[c] = max(coveredUntil[c], rowCount + rows - 1) }
        gridColumn += cols
    }

    private mutating func text(_ s: String) {
        if cell != nil {
            cell!.buffer.appendCollapsing(s)
        } else {
            line.appendCollapsing(s)
        }
    }

    private mutating func blockBreak() {
        if cell != nil {
            cell!.pieces.append(cell!.buffer.take())
        } else {
            flushLine()
        }
    }

    private mutating func flushLine() {
        let t = line.take()
        if !t.isEmpty { lines.append(t) }
    }

    private mutating func finishCell() {
        guard var c = cell else { return }
        c.pieces.append(c.buffer.take())
        cell = nil
        if row == nil { row = [] }
        row!.append(Document.Cell(TextAssembly.joinCellPieces(c.pieces), rowSpan: c.rowSpan, columnSpan: c.columnSpan,
                                  origin: .cell(table: tableCount, row: rowCount, column: c.column)))
    }

    private mutating func finishRow() {
        if cell != nil { finishCell() }
        if let r = row {
            flushLine()
            // a row with no text in any cell is no row; the row's line of text serves to
            // find the report in the page
            if r.contains(where: { !$0.text.isEmpty }) {
                rows[lines.count] = (r, tableCount)
                lines.append(r.map(\.text).joined(separator: " "))
            }
        }
        row = nil
    }

    private mutating func finishTable() {
        finishRow()
        flushLine()
        table = nil
    }

    /// The lines of the report: the smallest block holding both “总体情况” and
    /// “收到和处理政府信息公开申请”, from the report title just before it when there is one;
    /// every line when the page does not hold them.
    func reportLines() -> [String] { Array(lines[reportRange()]) }

    /// The range of `lines` that holds the report (see `reportLines`).
    func reportRange() -> Range<Int> {
        let compact = lines.map { String(String.UnicodeScalarView($0.unicodeScalars.filter { !TextAssembly.isTrimmable($0) })) }
        guard let first = compact.firstIndex(where: { $0.contains("一、总体情况") })
            ?? compact.firstIndex(where: { $0.contains("总体情况") })
        else { return 0..<lines.count }
        guard let second = compact[first...].firstIndex(where: { $0.contains("收到和处理政府信息公开申请") })
        else { return 0..<lines.count }
        var best: (start: Int, end: Int)?
        for r in ranges where r.start <= first && r.end > second {
            if best == nil || r.end - r.start < best!.end - best!.start { best = r }
        }
        guard var (start, end) = best else { return 0..<lines.count }
        end = min(end, lines.count)
        // The title often sits just above the article body.
        let titleWindow = max(0, start - 40)
        var j = start - 1
        while j >= titleWindow {
            if compact[j].contains("政府信息公开") && (compact[j].contains("年度报告") || compact[j].contains("年报")) {
                start = j
                break
            }
            j -= 1
        }
        // A title line inside the block but after a preamble stays; nothing else to do.
        return start..<end
    }
}

extension HTMLReader {
    /// A page in UTF-8 (under 2 GiB) parsed by libxml2's HTML parser: no network, no error
    /// output, recovering from broken markup; the caller frees it (`xmlFreeDoc`).
    static func parse(_ utf8: [UInt8]) -> htmlDocPtr? {
        let options = Int32(
            HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue
        )
        return utf8.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                htmlReadMemory(p, Int32(buf.count), "page.html", "UTF-8", options)
            }
        }
    }

    /// A piece of an HTML fragment (see `fragment`).
    enum FragmentItem {
        /// Text outside the fragment's table cells (a caption, text between tables).
        case line(String)
        /// A table row: its cells, placed by table (1-based within the fragment), row and grid
        /// column; whether it starts a table.
        case row([Document.Cell], table: Int, startsTable: Bool)
    }

    /// The rows and lines of an HTML fragment in UTF-8 (one table, as a Markdown file holds it),
    /// read as a web page's are; and how many data tables it holds.
    static func fragment(_ html: UnsafeBufferPointer<UInt8>) -> (items: [FragmentItem], tables: Int) {
        _ = LibXML.initialized
        var page = Array("<html><body>".utf8)
        page.append(contentsOf: html)
        page.append(contentsOf: "</body></html>".utf8)
        neutralizeDeclarations(&page)
        guard page.count < Int(Int32.max), let doc = parse(page) else { return ([], 0) }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return ([], 0) }
        var walker = HTMLWalker(root: root)
        walker.run()
        var items: [FragmentItem] = []
        var previousTable = -1
        var tables = Set<Int>()
        for (i, text) in walker.lines.enumerated() {
            if let row = walker.rows[i] {
                items.append(.row(row.cells, table: row.table, startsTable: row.table != previousTable))
                previousTable = row.table
                tables.insert(row.table)
            } else {
                items.append(.line(text))
                previousTable = -1
            }
        }
        return (items, tables.max() ?? 0)
    }
}
