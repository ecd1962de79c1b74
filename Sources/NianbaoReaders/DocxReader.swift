import CLibXML2
import Foundation
import NianbaoCore

/// Reads the text of a Word 2007+ document (`.docx`) from its bytes, in memory.
///
/// Output: a paragraph per line of a body paragraph, a table per table with its rows and cells.
/// A `w:gridSpan` cell appears once with its column span; a `w:vMerge` continuation cell is
/// omitted and counted in the row span of the cell it continues; an empty cell is a cell with no
/// text; a cell's paragraphs are joined without separator; nested tables are flattened into their
/// cell. Body cells are placed by table, row and grid column; body paragraphs by their number.
public enum DocxReader {
    /// Limits against hostile files.
    public struct Limits: Sendable {
        /// The largest `.docx` (zip) accepted.
        public var maximumFileBytes: Int = 256 << 20
        /// The most zip entries looked at.
        public var maximumEntries: Int = 2000
        /// The largest `word/document.xml`, counted while it is inflated.
        public var maximumDocumentBytes: Int = 64 << 20
        /// The deepest element nesting walked.
        public var maximumDepth: Int = 200
        public init() {}
    }

    public static func text(from bytes: [UInt8]) throws(NianbaoError) -> String {
        try text(from: bytes, limits: Limits())
    }

    public static func text(from bytes: [UInt8], limits: Limits) throws(NianbaoError) -> String {
        try document(from: bytes, limits: limits).text
    }

    /// The document's lines, each table row knowing its table and row number.
    public static func document(from bytes: [UInt8], limits: Limits = Limits()) throws(NianbaoError) -> Document {
        let xml = try documentXML(from: bytes, limits: limits)
        return try document(fromDocumentXML: xml, limits: limits)
    }

    /// Whether the .docx holds pictures (`word/media/` entries: a table pasted as an image, a
    /// scanned page inserted), which its text leaves out.
    public static func holdsPictures(_ bytes: [UInt8]) -> Bool {
        guard let entries = try? ZipStructure.entries(bytes) else { return false }
        let pictures = ["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "emf", "wmf"]
        return entries.contains { e in
            !e.isDirectory && e.name.lowercased().hasPrefix("word/media/")
                && pictures.contains(where: { e.name.lowercased().hasSuffix("." + $0) })
        }
    }

    // MARK: zip

    static func documentXML(from bytes: [UInt8], limits: Limits) throws(NianbaoError) -> [UInt8] {
        if bytes.count > limits.maximumFileBytes {
            throw .tooLarge("the .docx holds \(bytes.count) bytes (limit \(limits.maximumFileBytes))")
        }
        guard bytes.starts(with: [0x50, 0x4B]) else { throw .corrupt("not a zip archive") }
        // our own reading of the zip: every offset checked against the file, zlib under a cap
        let entries = try ZipStructure.entries(bytes)
        if entries.count > limits.maximumEntries {
            throw .hostile("the zip holds more than \(limits.maximumEntries) entries")
        }
        guard let entry = entries.first(where: { $0.name == "word/document.xml" })
            ?? entries.first(where: { $0.name.lowercased() == "word/document.xml" })
        else { throw .corrupt("no word/document.xml in the archive") }
        guard !entry.isDirectory else { throw .corrupt("word/document.xml is not a file") }
        let cap = limits.maximumDocumentBytes
        if entry.uncompressedSize > cap {
            throw .tooLarge("word/document.xml declares \(entry.uncompressedSize) bytes (limit \(cap))")
        }
        return try ZipStructure.contents(of: entry, in: bytes, cap: cap)
    }

    // MARK: XML

    static func text(fromDocumentXML xml: [UInt8], limits: Limits) throws(NianbaoError) -> String {
        try document(fromDocumentXML: xml, limits: limits).text
    }

    static func document(fromDocumentXML xml: [UInt8], limits: Limits) throws(NianbaoError) -> Document {
        _ = LibXML.initialized
        if xml.isEmpty { throw .corrupt("word/document.xml is empty") }
        // Word never writes a DTD; one in document.xml is there to expand entities.
        let head = FormatDetector.asciiHead(xml, limit: 4096)
        if ByteSearch.find(Array("<!doctype".utf8), in: head, range: 0..<head.count) != nil
            || ByteSearch.find(Array("<!entity".utf8), in: head, range: 0..<head.count) != nil
        {
            throw .hostile("word/document.xml declares a DTD")
        }
        guard xml.count < Int(Int32.max) else { throw .tooLarge("word/document.xml is too large") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        xmlResetLastError()
        let doc = xml.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                xmlReadMemory(p, Int32(buf.count), "document.xml", nil, options)
            }
        }
        guard let doc else {
            var detail = "word/document.xml is not well-formed XML"
            if let e = xmlGetLastError(), let m = e.pointee.message {
                let message = TextAssembly.trim(String(cString: m))
                detail += " (\(message))"
                let lower = message.lowercased()
                if lower.contains("depth") || lower.contains("entity") || lower.contains("amplification") {
                    throw .hostile(detail)
                }
            }
            throw .corrupt(detail)
        }
        defer { xmlFreeDoc(doc) }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            throw .hostile("word/document.xml declares a DTD")
        }
        guard let root = xmlDocGetRootElement(doc) else { throw .corrupt("word/document.xml has no root element") }
        guard let body = LibXML.children(root).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "body") })
        else { throw .corrupt("word/document.xml has no w:body") }
        var walker = DocxWalker(maximumDepth: limits.maximumDepth)
        var lines: [DocxWalker.Line] = []
        walker.blocks(of: body, depth: 1, into: &lines)
        if walker.tooDeep { throw .hostile("the document nests elements deeper than \(limits.maximumDepth)") }
        var document = Document(format: .docx)
        var table = -1
        for line in lines {
            switch line {
            case .paragraph(let p):
                document.append(p)
            case .row(let row, let serial):
                document.append(row, startsTable: serial != table)
                table = serial
            }
        }
        return document
    }
}

/// Walks WordprocessingML in document order.
struct DocxWalker {
    let maximumDepth: Int
    var tooDeep = false
    /// The body's tables, counted in document order (tables inside cells or text boxes are
    /// flattened into their cell and not counted; a table that holds tables lays the page out,
    /// and its cells' tables are the body's).
    var tableCount = 0
    /// Inside a cell or text box: lines go to a cell's text, not to the body.
    var nesting = 0
    /// The body's paragraphs with text, counted in document order.
    var paragraphCount = 0
    /// Every table walked, nested ones too (tells one table's rows from the next one's).
    var tableSerial = 0

    /// What the walk yields, in document order: a line of a paragraph, or a table's row (with
    /// the serial of its table).
    enum Line {
        case paragraph(Document.Paragraph)
        case row(Document.Row, table: Int)
    }

    init(maximumDepth: Int) { self.maximumDepth = maximumDepth }

    /// Block-level content (body, cell, text box, content control): paragraphs and tables.
    mutating func blocks(of parent: XNode, depth: Int, into lines: inout [Line]) {
        if depth > maximumDepth {
            tooDeep = true
            return
        }
        for node in LibXML.children(parent) where LibXML.isElement(node) {
            if LibXML.nameIs(node, "p") {
                paragraph(node, depth: depth + 1, into: &lines)
            } else if LibXML.nameIs(node, "tbl") {
                table(node, depth: depth + 1, into: &lines)
            } else if LibXML.nameIs(node, "sdt") || LibXML.nameIs(node, "sdtContent")
                || LibXML.nameIs(node, "customXml") || LibXML.nameIs(node, "ins")
                || LibXML.nameIs(node, "smartTag") || LibXML.nameIs(node, "AlternateContent")
                || LibXML.nameIs(node, "Choice") || LibXML.nameIs(node, "txbxContent")
            {
                blocks(of: node, depth: depth + 1, into: &lines)
            }
        }
    }

    /// A paragraph: its text as one line (a `w:br` starts a new line); text boxes anchored in it
    /// follow as their own lines.
    mutating func paragraph(_ p: XNode, depth: Int, into lines: inout [Line]) {
        var current = ""
        var extra: [Line] = []
        let first = lines.count
        inline(p, depth: depth, current: &current, lines: &lines, extra: &extra)
        let t = TextAssembly.trim(current)
        if !t.isEmpty { lines.append(.paragraph(Document.Paragraph(t))) }
        // a body paragraph's lines (one per line break) are placed by the paragraph's number
        if nesting == 0 && lines.count > first {
            paragraphCount += 1
            for i in first..<lines.count {
                if case .paragraph(var p) = lines[i] {
                    p.origin = .paragraph(paragraphCount)
                    lines[i] = .paragraph(p)
                }
            }
        }
        lines.append(contentsOf: extra)
    }

    mutating func inline(
        _ parent: XNode, depth: Int, current: inout String, lines: inout [Line], extra: inout [Line]
    ) {
        if depth > maximumDepth {
            tooDeep = true
            return
        }
        for node in LibXML.children(parent) where LibXML.isElement(node) {
            if LibXML.nameIs(node, "t") {
                current += TextAssembly.sanitize(LibXML.directText(node))
            } else if LibXML.nameIs(node, "tab") || LibXML.nameIs(node, "ptab") {
                current += " "
            } else if LibXML.nameIs(node, "br") || LibXML.nameIs(node, "cr") {
                let t = TextAssembly.trim(current)
                if !t.isEmpty { lines.append(.paragraph(Document.Paragraph(t))) }
                current = ""
            } else if LibXML.nameIs(node, "noBreakHyphen") {
                current += "-"
            } else if LibXML.nameIs(node, "txbxContent") {
                nesting += 1
                blocks(of: node, depth: depth + 1, into: &extra)
                nesting -= 1
            } else if LibXML.nameIs(node, "pPr") || LibXML.nameIs(node, "rPr") || LibXML.nameIs(node, "del")
                || LibXML.nameIs(node, "delText") || LibXML.nameIs(node, "instrText")
                || LibXML.nameIs(node, "Fallback") || LibXML.nameIs(node, "footnoteReference")
                || LibXML.nameIs(node, "endnoteReference") || LibXML.nameIs(node, "commentReference")
                || LibXML.nameIs(node, "moveFrom")
            {
                continue
            } else {
                // runs, hyperlinks, fields, smart tags, insertions, content controls, drawings…
                inline(node, depth: depth + 1, current: &current, lines: &lines, extra: &extra)
            }
        }
    }

    mutating func table(_ tbl: XNode, depth: Int, into lines: inout [Line]) {
        // a table in the body that holds tables beside paragraphs lays the page out (the report
        // written in its cell, a frame around it): its cells' content is the body's, their
        // tables its tables
        if nesting == 0 && holdsTables(tbl, depth: depth) {
            for row in elements(tbl, named: "tr", depth: depth) {
                for cell in elements(row, named: "tc", depth: depth + 1) { blocks(of: cell, depth: depth + 2, into: &lines) }
            }
            return
        }
        let body = nesting == 0
        if body { tableCount += 1 }
        tableSerial += 1
        let serial = tableSerial
        // the cell that starts at each grid column, as (line, cell) of `lines`: a vertical
        // merge's continuation adds a row to its span
        var started: [Int: (line: Int, cell: Int)] = [:]
        for (index, row) in elements(tbl, named: "tr", depth: depth).enumerated() {
            var cells: [Document.Cell] = []
            var grids: [Int] = []
            var grid = 1 + gridBefore(row)
            var continued: [Int] = []
            for cell in elements(row, named: "tc", depth: depth + 1) {
                let span = gridSpan(cell)
                defer { grid += span }
                if isVMergeContinuation(cell) {
                    continued.append(grid)
                    continue
                }
                cells.append(Document.Cell(cellText(cell, depth: depth + 2), columnSpan: span,
                                           origin: body ? .cell(table: tableCount, row: index + 1, column: grid) : nil))
                grids.append(grid)
            }
            for g in continued {
                guard let at = started[g], case .row(var above, let t) = lines[at.line] else { continue }
                above.cells[at.cell].rowSpan += 1
                lines[at.line] = .row(above, table: t)
            }
            // a row with no text in any cell is no row (nothing to read, nothing to place)
            guard cells.contains(where: { !$0.text.isEmpty }) else { continue }
            for (k, g) in grids.enumerated() { started[g] = (lines.count, k) }
            lines.append(.row(Document.Row(cells: cells), table: serial))
        }
    }

    /// Whether the table frames a page: a cell of it holds a table of its own and paragraphs
    /// of text beside it, three or more (a heading, prose). A table in a data table's cell
    /// stands alone there, and its text is that cell's.
    mutating func holdsTables(_ tbl: XNode, depth: Int) -> Bool {
        for row in elements(tbl, named: "tr", depth: depth) {
            for cell in elements(row, named: "tc", depth: depth + 1) where !elements(cell, named: "tbl", depth: depth + 2).isEmpty {
                let paragraphs = elements(cell, named: "p", depth: depth + 2).filter { holdsText($0, depth: depth + 3) }
                if paragraphs.count >= 3 { return true }
            }
        }
        return false
    }

    /// Whether an element holds a `w:t` with text.
    mutating func holdsText(_ node: XNode, depth: Int) -> Bool {
        if depth > maximumDepth {
            tooDeep = true
            return false
        }
        for child in LibXML.children(node) where LibXML.isElement(child) {
            if LibXML.nameIs(child, "t") {
                if !LibXML.directText(child).isEmpty { return true }
            } else if holdsText(child, depth: depth + 1) {
                return true
            }
        }
        return false
    }

    /// Children named `name`, looking through content controls and custom XML wrappers.
    mutating func elements(_ parent: XNode, named name: StaticString, depth: Int) -> [XNode] {
        var out: [XNode] = []
        collect(parent, named: name, depth: depth, into: &out)
        return out
    }

    private mutating func collect(_ parent: XNode, named name: StaticString, depth: Int, into out: inout [XNode]) {
        if depth > maximumDepth {
            tooDeep = true
            return
        }
        for child in LibXML.children(parent) where LibXML.isElement(child) {
            if LibXML.nameIs(child, name) {
                out.append(child)
            } else if LibXML.nameIs(child, "sdt") || LibXML.nameIs(child, "sdtContent")
                || LibXML.nameIs(child, "customXml") || LibXML.nameIs(child, "ins")
            {
                collect(child, named: name, depth: depth + 1, into: &out)
            }
        }
    }

    /// The grid columns a cell covers (`w:tcPr/w:gridSpan`).
    func gridSpan(_ cell: XNode) -> Int {
        guard let tcPr = LibXML.children(cell).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "tcPr") }),
            let span = LibXML.children(tcPr).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "gridSpan") }),
            let value = LibXML.attribute(span, "val").flatMap({ Int($0) })
        else { return 1 }
        return min(max(value, 1), 64)
    }

    /// Grid columns skipped before a row's first cell (`w:trPr/w:gridBefore`).
    func gridBefore(_ row: XNode) -> Int {
        guard let trPr = LibXML.children(row).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "trPr") }),
            let before = LibXML.children(trPr).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "gridBefore") }),
            let value = LibXML.attribute(before, "val").flatMap({ Int($0) })
        else { return 0 }
        return min(max(value, 0), 64)
    }

    func isVMergeContinuation(_ cell: XNode) -> Bool {
        guard let tcPr = LibXML.children(cell).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "tcPr") })
        else { return false }
        guard let vMerge = LibXML.children(tcPr).first(where: { LibXML.isElement($0) && LibXML.nameIs($0, "vMerge") })
        else { return false }
        let val = LibXML.attribute(vMerge, "val") ?? "continue"
        return val != "restart"
    }

    mutating func cellText(_ cell: XNode, depth: Int) -> String {
        var inner: [Line] = []
        nesting += 1
        blocks(of: cell, depth: depth, into: &inner)
        nesting -= 1
        var pieces: [String] = []
        for line in inner {
            switch line {
            case .paragraph(let p): pieces.append(p.text)
            case .row(let r, _): pieces.append(contentsOf: r.cells.map(\.text).filter { !$0.isEmpty })
            }
        }
        return TextAssembly.joinCellPieces(pieces)
    }
}
