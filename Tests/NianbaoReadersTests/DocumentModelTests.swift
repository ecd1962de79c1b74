import Foundation
import NianbaoKit
import Testing

@testable import NianbaoReaders
import NianbaoCore
import NianbaoText

/// What every reader hands over: paragraphs and tables of cells with their spans and places,
/// and the typed encoding that carries them out of the reader child.
@Suite("the typed document")
struct DocumentModelTests {
    /// The cell holding `text` in `table`, with its row's index.
    static func cell(_ text: String, in table: Document.Table) -> (row: Int, cell: Document.Cell)? {
        for (r, row) in table.rows.enumerated() {
            if let c = row.cells.first(where: { $0.text == text }) { return (r, c) }
        }
        return nil
    }

    @Test("Word: cells with their grid column, column span and the rows a vertical merge covers")
    func word() throws {
        let document = try DocxReader.document(from: try Fixtures.bytes("template-2021.docx"))
        let tables = document.tables
        #expect(tables.count >= 3)
        // table 三: the first row label spans the three label columns, 自然人 is column 4
        let three = tables[1]
        let first = try #require(Self.cell("一、本年新收政府信息公开申请数量", in: three))
        #expect(first.cell.origin == .cell(table: 2, row: 4, column: 1))
        #expect(first.cell.columnSpan == 3)
        let row = three.rows[first.row]
        #expect(row.cells.count == 8, "the label and seven values")
        #expect(row.cells[1].origin == .cell(table: 2, row: 4, column: 4))
        // 3.危及“三安全一稳定”: two merged group labels to its left
        let safety = try #require(Self.cell("3.危及“三安全一稳定”", in: three))
        #expect(safety.cell.origin == .cell(table: 2, row: 10, column: 3))
        #expect(three.rows[safety.row].cells.count == 8)
        // the group labels to its left start above it and cover it
        let covering = three.rows[..<safety.row].flatMap { r in
            r.cells.filter { c in
                guard case .cell(_, let rr, let cc)? = c.origin else { return false }
                return cc < 3 && rr + c.rowSpan - 1 >= 10
            }
        }
        #expect(covering.count == 2, "\(covering.map(\.text))")
        // body paragraphs are placed by their number; the text view puts a TAB between cells
        #expect(document.paragraphs.first?.origin == .paragraph(1))
        let view = document.textView
        let line = try #require(view.lines.firstIndex { $0.hasPrefix("3.危及“三安全一稳定”\t") })
        #expect(view.cells[line]?.count == 8)
        #expect(view.origin(line: line + 1, column: 1) == .table(table: 2, row: 10, column: 3))
    }

    @Test("web page: <td>s with colspan and rowspan placed as a browser places them")
    func webPage() throws {
        let html = """
            <html><head><title>x</title></head><body><p>一、总体情况</p>
            <table>
            <tr><td rowspan="2">申请人</td><td colspan="2">法人</td></tr>
            <tr><td>商业企业</td><td></td></tr>
            <tr><td>行政许可</td><td>97</td><td>3</td></tr>
            </table><p>二、收到和处理政府信息公开申请情况</p></body></html>
            """
        let document = try HTMLReader.document(from: Array(html.utf8))
        let table = try #require(document.tables.first)
        #expect(table.rows.count == 3)
        #expect(table.rows[0].cells.map(\.text) == ["申请人", "法人"])
        #expect(table.rows[0].cells[0].rowSpan == 2 && table.rows[0].cells[1].columnSpan == 2)
        #expect(table.rows[0].cells[1].origin == .cell(table: 1, row: 1, column: 2))
        // the second row starts past the column the rowspan covers; its empty cell is a cell
        #expect(table.rows[1].cells.map(\.text) == ["商业企业", ""])
        #expect(table.rows[1].cells.map(\.origin) == [.cell(table: 1, row: 2, column: 2), .cell(table: 1, row: 2, column: 3)])
        #expect(table.rows[2].cells.map(\.text) == ["行政许可", "97", "3"])
        #expect(document.paragraphs.map(\.text) == ["一、总体情况", "二、收到和处理政府信息公开申请情况"])
        #expect(document.paragraphs.map(\.origin) == [.paragraph(1), .paragraph(2)])
    }

    @Test("PDF: the rebuilt tables' rows are cells placed on their page")
    func pdf() throws {
        guard PDFTextReader.executablePath != nil else { return }
        let document = try PDFTextReader().document(fromFile: Fixtures.path("huaian-2024.pdf"))
        let rows = document.tables.flatMap(\.rows)
        #expect(rows.count > 30)
        let row = try #require(rows.first { $0.cells.first?.text.hasPrefix("一、本年新收政府信息公开申请数量") == true })
        #expect(row.cells.count == 8, "\(row.cells.map(\.text))")
        guard case .page(let p, _)? = row.cells[0].origin else {
            Issue.record("no page")
            return
        }
        #expect(p >= 2)
        #expect(row.cells.allSatisfy { if case .page(p, _)? = $0.origin { return true } else { return false } })
    }

    /// The words `pdftotext -bbox` gives for each page (1-based): text and box.
    static func pdfWords(_ path: String) throws -> [Int: [(text: String, box: Document.Box)]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(PDFTextReader.executablePath))
        process.arguments = ["-bbox", path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var pages: [Int: [(text: String, box: Document.Box)]] = [:]
        var page = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if line.contains("<page ") { page += 1 }
            guard line.contains("<word "), let open = line.firstIndex(of: ">"), let close = line.range(of: "</word>") else { continue }
            func value(_ name: String) -> Float? {
                guard let r = line.range(of: "\(name)=\"") else { return nil }
                return Float(line[r.upperBound...].prefix { $0 != "\"" })
            }
            guard let x0 = value("xMin"), let y0 = value("yMin"), let x1 = value("xMax"), let y1 = value("yMax") else { continue }
            pages[page, default: []].append((String(line[line.index(after: open)..<close.lowerBound]), Document.Box(x0: x0, y0: y0, x1: x1, y1: y1)))
        }
        return pages
    }

    @Test("PDF: a figure's cell is drawn where pdftotext draws its words; a blank cell where its figure belongs",
          arguments: ["huaian-2024.pdf", "pdf-corpus/r03-2020-portrait-sans-blanks-split.pdf", "pdf-corpus/r10-2023-landscape-serif-split.pdf"])
    func pdfBoxes(_ file: String) throws {
        guard PDFTextReader.executablePath != nil else { return }
        let path = Fixtures.path(file)
        let document = try PDFTextReader().document(fromFile: path)
        let words = try Self.pdfWords(path)
        var figures = 0, blanks = 0
        for row in document.tables.flatMap(\.rows) where row.cells.count > 2 {
            let placed = row.cells.map { cell -> (page: Int, box: Document.Box)? in
                guard case .page(let p, let box?)? = cell.origin else { return nil }
                return (p, box)
            }
            for (i, cell) in row.cells.enumerated() where i > 0 {
                let text = cell.text.filter { !$0.isWhitespace }
                if !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) {
                    // the words whose centres lie in the cell's box, in order, are its figure
                    let (p, box) = try #require(placed[i], "\(file): figure \(text) has no box")
                    let inside = (words[p] ?? []).filter { w in
                        let cx = (w.box.x0 + w.box.x1) / 2, cy = (w.box.y0 + w.box.y1) / 2
                        return cx >= box.x0 && cx <= box.x1 && cy >= box.y0 && cy <= box.y1
                    }
                    #expect(inside.map(\.text).joined() == text, "\(file) p\(p): \(text) in \(box) holds \(inside.map(\.text))")
                    figures += 1
                } else if text.isEmpty, let (p, box) = placed[i] {
                    // between its neighbours' figures, level with them
                    blanks += 1
                    #expect(box.x1 > box.x0 && box.y1 > box.y0)
                    if let left = placed[i - 1], left.page == p, i > 1 { #expect(left.box.x1 <= box.x0 + 0.5, "\(file): blank \(box) left of \(left.box)") }
                    if i + 1 < placed.count, let right = placed[i + 1], right.page == p {
                        #expect(box.x1 <= right.box.x0 + 0.5, "\(file): blank \(box) right of \(right.box)")
                        #expect(right.box.y0 < box.y1 && box.y0 < right.box.y1, "\(file): blank \(box) level with \(right.box)")
                    }
                }
            }
        }
        #expect(figures > 100)
        if file.contains("blanks") { #expect(blanks > 5) }
    }

    @Test("plain text: Markdown and TAB-separated tables built from their separators")
    func text() throws {
        let text = "一、总体情况\n| 行政许可 | 97 |  |\n|---|---|---|\n| 行政处罚 | 5 | 1 |\n\n规章\t0\t\t0\n"
        let document = TextTables.document(text)
        let tables = document.tables
        #expect(tables.count == 2)
        #expect(tables[0].rows.map { $0.cells.map(\.text) } == [["行政许可", "97", ""], ["行政处罚", "5", "1"]])
        #expect(tables[0].rows[0].cells.map(\.origin) == [.text(line: 2, column: 3), .text(line: 2, column: 10), .text(line: 2, column: 14)])
        #expect(tables[1].rows[0].cells.map(\.text) == ["规章", "0", "", "0"])
        #expect(tables[1].rows[0].cells[2].origin == .text(line: 6, column: 6))
        #expect(document.paragraphs.first?.text == "一、总体情况")
    }

    @Test("a word processor's text export: a cell a line, an empty line an empty cell, a merged cell's continuation its next row's")
    func cellLines() throws {
        // table 二 as LibreOffice writes it: a label, then its cells; 规章 left blank throughout
        var lines = ["二、主动公开政府信息情况", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "", "", "",
                     "行政规范性文件", "5", "2", "45", "三、收到和处理政府信息公开申请情况", "申请人情况", "",
                     "一、本年新收政府信息公开申请数量", "334", "38", "4", "9", "12", "0", "397",
                     "二、上年结转政府信息公开申请数量", "0", "1", "", "", "", "0", "1",
                     "三、本年度办理结果", "（一）予以公开", "118", "14", "2", "3", "7", "0", "144",
                     // the group label's merged cell goes on as an empty line before the next row's label
                     "", "（二）部分公开", "28", "3", "1", "", "", "0", "32"]
        lines += (0..<6).flatMap { ["\($0 + 1).行", "1", "2", "3", "4", "5", "6", "21"] }
        let text = lines.joined(separator: "\n") + "\n"
        let document = try #require(TextTables.joiningCellLines(TextDocument(text)))
        let rows = document.tables.flatMap(\.rows).map { $0.cells.map(\.text) }
        #expect(rows.first == ["规章", "", "", ""], "\(rows)")
        #expect(rows.contains(["二、上年结转政府信息公开申请数量", "0", "1", "", "", "", "0", "1"]))
        #expect(rows.contains(["（一）予以公开", "118", "14", "2", "3", "7", "0", "144"]))
        #expect(rows.contains(["（二）部分公开", "28", "3", "1", "", "", "0", "32"]))
        #expect(document.paragraphs.map(\.text).contains("三、本年度办理结果"))
        // a header cell and the merged cell beside it: no row
        #expect(document.paragraphs.map(\.text).contains("申请人情况"))
        // each cell on its own line: 规章's second empty cell is the file's line 8
        let guide = try #require(document.tables.first?.rows.first)
        #expect(guide.cells.map(\.origin) == [.text(line: 6, column: 1), .text(line: 7, column: 1), .text(line: 8, column: 1), .text(line: 9, column: 1)])
        // double-spaced text, whose blank lines say nothing, and a Word table copied with a TAB
        // before each cell are read line by line
        #expect(TextTables.joiningCellLines(TextDocument(lines.joined(separator: "\n\n"))) == nil)
        #expect(TextTables.joiningCellLines(TextDocument(lines.map { "\t" + $0 }.joined(separator: "\n"))) == nil)
        // a PDF's text in drawing order, a header's characters one to a line
        let drawn = ["申", "请", "人", "情", "况"] + lines
        #expect(TextTables.joiningCellLines(TextDocument(drawn.joined(separator: "\n"))) == nil)
    }

    @Test("OFD: the rebuilt tables' rows are cells placed on their page, as a PDF's")
    func ofd() throws {
        let document = try OFDReader.document(from: try Fixtures.bytes("ofd/r05-2021-portrait-serif.ofd"))
        #expect(document.format == .ofd)
        let rows = document.tables.flatMap(\.rows)
        let row = try #require(rows.first { $0.cells.first?.text == "（一）予以公开" })
        #expect(row.cells.count == 8, "\(row.cells.map(\.text))")
        guard case .page(let p, _)? = row.cells[0].origin else {
            Issue.record("no page")
            return
        }
        #expect(p >= 1)
        // each cell in its own box on the page, left to right
        let boxes = row.cells.compactMap { c -> Document.Box? in if case .page(_, let box?)? = c.origin { return box } else { return nil } }
        #expect(boxes.count == 8 && zip(boxes, boxes.dropFirst()).allSatisfy { $0.x1 <= $1.x0 }, "\(boxes)")
        #expect(document.paragraphs.allSatisfy { if case .page? = $0.origin { return true } else { return false } })
    }

    @Test("Markdown: a conversion tool's pipe tables read as rows of cells placed by line and column")
    func markdown() throws {
        let text = try String(contentsOfFile: Fixtures.path("text-variants/000_6d5291d632ae3dd2.md"), encoding: .utf8)
        let document = TextTables.document(text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let row = try #require(document.tables.flatMap(\.rows).first { $0.cells.first?.text == "规章" })
        #expect(row.cells.map(\.text) == ["规章", "0", "0", "0"])
        // each cell's origin is where its text starts in the file
        for cell in row.cells {
            guard case .text(let line, let column)? = cell.origin else {
                Issue.record("no line")
                continue
            }
            #expect(line == 197)
            let at = String(String.UnicodeScalarView(lines[line - 1][(column - 1)...].prefix(cell.text.unicodeScalars.count)))
            #expect(at == cell.text)
        }
        // a rule under a one-cell row is no row; the heading above the table is a paragraph
        #expect(document.paragraphs.contains { $0.text == "## 二、主动公开政府信息情况" })
        #expect(!document.tables.flatMap(\.rows).contains { $0.cells.contains { $0.text.hasPrefix("---") } })
    }

    @Test("the typed encoding round trip: every kind of block, origin, span and confidence")
    func roundTrip() throws {
        let document = Document(blocks: [
            .paragraph(Document.Paragraph("××镇人民政府2024年政府信息公开工作年度报告", origin: .pageTitle)),
            .paragraph(Document.Paragraph("没有来处的一行")),
            .table(Document.Table(rows: [
                Document.Row(cells: [
                    Document.Cell("申请人情况", rowSpan: 2, columnSpan: 7, origin: .cell(table: 2, row: 1, column: 4)),
                    Document.Cell("", origin: .text(line: 9, column: 17)),
                ]),
                Document.Row(cells: [
                    Document.Cell("1O", origin: .page(3, box: Document.Box(x0: 71.5, y0: 300.25, x1: 90, y1: 311)),
                                  confidence: 0.62),
                    Document.Cell("97", origin: .page(3, box: nil), confidence: 1),
                ]),
            ])),
            .paragraph(Document.Paragraph("正文第 2000 段", origin: .paragraph(2000))),
        ], format: .ofd, encoding: "gb18030")
        let bytes = DocumentCoding.encode(document)
        #expect(try DocumentCoding.decode(bytes) == document)
        let empty = Document(format: .html)
        #expect(try DocumentCoding.decode(DocumentCoding.encode(empty)) == empty)
    }

    @Test("hostile answers: truncated, flipped or garbage bytes are a reader error, never a trap")
    func hostileBytes() throws {
        let document = try DocxReader.document(from: try Fixtures.bytes("template-2021.docx"))
        let bytes = DocumentCoding.encode(document)
        #expect(try DocumentCoding.decode(bytes) == document)
        // every truncation
        for n in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 500)) {
            #expect(throws: NianbaoError.self) { try DocumentCoding.decode(Array(bytes[..<n])) }
        }
        // trailing bytes, and counts and lengths that promise more than there is
        #expect(throws: NianbaoError.self) { try DocumentCoding.decode(bytes + [0]) }
        #expect(throws: NianbaoError.self) { try DocumentCoding.decode(Array("NBD1".utf8) + [3] + Array("txt".utf8) + [0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]) }
        #expect(throws: NianbaoError.self) { try DocumentCoding.decode(Array("NBD1".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) }
        #expect(throws: NianbaoError.self) { try DocumentCoding.decode(Array("NBD1".utf8) + [3] + Array("txt".utf8) + [0, 1, 1, 2, 0xC3, 0x28, 0]) }
        // random bytes, and random flips in a real answer: a document or an error, no trap
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let garbage = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? DocumentCoding.decode(Array("NBD1".utf8) + garbage)
            var flipped = bytes
            for _ in 0..<3 { flipped[Int.random(in: 0..<flipped.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? DocumentCoding.decode(flipped)
        }
    }

    @Test("a Word report checked from its document reads the same as before the typed boundary")
    func checkedThroughDocument() throws {
        // the cells the extractor reads are the reader's cells: table 三 of the blank template
        // is read as 175 blank cells, every row found
        let pipeline = Pipeline()
        let input = pipeline.input(fileName: "t.docx", bytes: try Fixtures.bytes("template-2021.docx"))
        #expect(input.document != nil && input.text == nil)
        let result = pipeline.check(input, checkedAt: "")
        let table3 = try #require(result.report?.table3)
        #expect(table3.rows.allSatisfy { $0.written != nil })
        #expect(table3.rows.flatMap { $0.row.cells }.count == 175)
    }
}
