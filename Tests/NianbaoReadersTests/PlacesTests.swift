import Foundation
import Testing

@testable import NianbaoKit
@testable import NianbaoReaders
import NianbaoCore
import NianbaoRender

/// A finding is placed where a person finds it: a Word or web table by its number, row and
/// column (merged cells counted as the eye counts them), a PDF by its page.
@Suite("places in the document")
struct PlacesTests {
    @Test("Word: table number, row and grid column of each cell, merged cells counted")
    func wordGrid() throws {
        func cell(_ text: String, span: Int = 1, vMerge: String? = nil) -> String {
            var pr = ""
            if span > 1 { pr += "<w:gridSpan w:val=\"\(span)\"/>" }
            if let vMerge { pr += vMerge.isEmpty ? "<w:vMerge/>" : "<w:vMerge w:val=\"\(vMerge)\"/>" }
            return "<w:tc><w:tcPr>\(pr)</w:tcPr><w:p><w:r><w:t>\(text)</w:t></w:r></w:p></w:tc>"
        }
        let body = """
            <w:p><w:r><w:t>前言</w:t></w:r></w:p>\
            <w:tbl><w:tr>\(cell("表一"))\(cell("x"))</w:tr></w:tbl>\
            <w:tbl>\
            <w:tr>\(cell("三、本年度办理结果", vMerge: "restart"))\(cell("（三）不予公开", vMerge: "restart"))\(cell("1.属于国家秘密"))\(cell("7"))\(cell("8"))</w:tr>\
            <w:tr>\(cell("", vMerge: ""))\(cell("", vMerge: ""))\(cell("2.其他"))\(cell("9"))\(cell("10"))</w:tr>\
            <w:tr>\(cell("（七）总计", span: 3))\(cell("16"))\(cell("18"))</w:tr>\
            </w:tbl>
            """
        let doc = try DocxReader.document(from: try ZipBuilder.docx(body: body))
        #expect(doc.lines == ["前言", "表一\tx", "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t7\t8", "2.其他\t9\t10", "（七）总计\t16\t18"])
        // prose by its paragraph with text, tables not counted
        #expect(doc.origin(line: 1, column: 1) == .paragraph(paragraph: 1))
        #expect(doc.origin(line: 2, column: 4) == .table(table: 1, row: 1, column: 2))
        // "9" in the second row: the two merged cells to its left are columns 1 and 2
        let nine = Array(doc.lines[3].unicodeScalars).firstIndex(of: "9")! + 1
        #expect(doc.origin(line: 4, column: nine) == .table(table: 2, row: 2, column: 4))
        // "18" after a cell spanning three columns
        let eighteen = Array(doc.lines[4].unicodeScalars).firstIndex(of: "1")!
        let col = Array(doc.lines[4].unicodeScalars)[(eighteen + 3)...].firstIndex(of: "1")! + 1
        #expect(doc.origin(line: 5, column: col) == .table(table: 2, row: 3, column: 5))
    }

    @Test("web page: tables counted within the report, columns past rowspan and colspan cells")
    func htmlGrid() throws {
        let page = """
            <html><body><table><tr><td>导航</td></tr></table>
            <div><p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>
            <table>
            <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td><td>2</td></tr>
            <tr><td colspan="2">（二）部分公开</td><td>3</td><td>4</td></tr>
            </table></div></body></html>
            """
        let doc = try HTMLReader.document(from: Array(page.utf8))
        let row = try #require(doc.lines.firstIndex(of: "（二）部分公开\t3\t4"))
        let four = Array(doc.lines[row].unicodeScalars).firstIndex(of: "4")! + 1
        // the navigation table is outside the report: the data table is table 1
        #expect(doc.origin(line: row + 1, column: four) == .table(table: 1, row: 2, column: 5))
    }

    @Test("PDF: each line and table row knows its page, across a table split over two pages")
    func pdfPages() throws {
        // r10: a landscape report whose table 三 continues on the next page
        let doc = try PDFTextReader().document(fromFile: Fixtures.path("pdf-corpus/r10-2023-landscape-serif-split.pdf"))
        let pages = Set(doc.origins.values.compactMap { o -> Int? in if case .page(let p, _) = o { return p } else { return nil } })
        #expect(pages.count > 1 && pages.contains(1))
        func page(of prefix: String) -> Int? {
            guard let i = doc.lines.firstIndex(where: { $0.hasPrefix(prefix) }) else { return nil }
            if case .page(let p, _)? = doc.origins[i] { return p }
            return nil
        }
        let first = try #require(page(of: "一、本年新收"))
        let total = try #require(page(of: "（七）总计"))
        let review = try #require(page(of: "四、政府信息公开行政复议"))
        #expect(first >= 1 && total >= first && review >= total, "pages in reading order: \(first) \(total) \(review)")
        #expect(doc.lines.count == doc.origins.count, "every line placed")
    }

    @Test("the places survive the reader child")
    func acrossTheChild() throws {
        let document = Document(blocks: [
            .paragraph(Document.Paragraph("标题", origin: .pageTitle)),
            .paragraph(Document.Paragraph("一、总体情况", origin: .page(2, box: nil))),
            .table(Document.Table(rows: [Document.Row(cells: [3, 4, 5].map {
                Document.Cell("\($0)", origin: .cell(table: 2, row: 7, column: $0))
            })])),
            .table(Document.Table(rows: [Document.Row(cells: [Document.Cell("1", origin: .cell(table: 1, row: 1, column: 1))])])),
            .paragraph(Document.Paragraph("正文", origin: .paragraph(4))),
        ], format: .docx)
        let decoded = try DocumentCoding.decode(DocumentCoding.encode(document))
        #expect(decoded == document)
        let origins: [Int: LineOrigin] = [0: .pageTitle, 1: .page(2), 2: .tableRow(table: 2, row: 7, columns: [3, 4, 5]),
                                          3: .tableRow(table: 1, row: 1, columns: [1]), 4: .paragraph(4)]
        #expect(decoded.origins == origins)
    }

    @Test("a note and the JSON on a Word report place a blank cell by table, row and column")
    func noteOnWord() throws {
        let docx = try Fixtures.bytes("template-2021.docx")
        let pipeline = Pipeline()
        let input = pipeline.input(fileName: "模板.docx", bytes: docx)
        let result = pipeline.check(input, checkedAt: "2026-01-01T00:00:00+08:00")
        // the note shows the blank table as one finding, placed at its first cell
        let note = result.note(fileName: "模板.docx", language: .zh)
        #expect(note.contains("错误[cell-blank]：第三部分表格整表空白（175 格都没有填）\n --> 模板.docx：第 2 个表格，第 4 行（“一、本年新收政府信息公开申请数量”），第 4 列（“自然人”）"), "\(note)")
        // the reader's line numbers are not shown: the gutter is empty
        #expect(!note.contains("\n4 |") && note.contains("\n  | "))
        // 3.危及“三安全一稳定”: two merged group labels to its left, so 自然人 is column 4
        let cell = try #require(result.diagnostics.first { $0.code == .cellBlank && $0.row == "deny_safety" && $0.columnKey == "natural" })
        let one = NoteRenderer(language: .zh, layout: result.layout).render(cell, fileName: "模板.docx", document: result.document).joined(separator: "\n")
        #expect(one.contains("错误[cell-blank]：“3.危及“三安全一稳定””行“自然人”列为空\n --> 模板.docx：第 2 个表格，第 10 行（“3.危及“三安全一稳定””），第 4 列（“自然人”）"), "\(one)")
        let english = NoteRenderer(language: .en, layout: result.layout).render(cell, fileName: "t.docx", document: result.document).joined(separator: "\n")
        #expect(english.contains("--> t.docx: table 2, row 10 (\"3. Endangering the three securities and one stability\"), column 4 (\"Natural persons\")"), "\(english)")
        let json = result.json.serialized()
        #expect(json.contains("\"place\": {\n        \"table\": 2,\n        \"row\": 10,\n        \"column\": 4,\n        \"row_label\": \"3.危及“三安全一稳定”\",\n        \"column_label\": \"自然人\"\n      }"), "\(json.prefix(3000))")
        // the title's findings are placed by the paragraph they are in
        #expect(note.contains("错误[title-missing]：未能确定报告年度（标题中应有“20××年”）\n --> 模板.docx：正文第 1 段"), "\(note)")
        #expect(json.contains("\"place\": {\n        \"paragraph\": 1\n      }"))
    }

    @Test("a note and the JSON on a web page place a cell by the table's number within the report, row and column")
    func noteOnWebPage() throws {
        // 32 is section 三's （一）予以公开 / 商业企业 cell in the generated page
        let page = ExtractionThroughReadersTests.htmlPage(charset: "utf-8")
        #expect(page.contains("&nbsp;32&nbsp;"))
        let html = page.replacingOccurrences(of: "&nbsp;32&nbsp;", with: "&nbsp;3x2&nbsp;")
        let pipeline = Pipeline()
        let result = pipeline.check(pipeline.input(fileName: "年报.html", bytes: Array(html.utf8)), checkedAt: "")
        let d = try #require(result.diagnostics.first { $0.code == .cellInvalid })
        #expect(d.row == "granted" && d.columnKey == "commercial")
        let note = NoteRenderer(language: .zh, layout: result.layout).render(d, fileName: "年报.html", document: result.document)
            .joined(separator: "\n")
        // table 2 of the report (the page's navigation tables are not counted); three header rows,
        // then 一、二 and （一）; the result group's label and the two-column row label before 自然人
        #expect(note.contains("--> 年报.html：第 2 个表格，第 6 行（“（一）予以公开”），第 5 列（“商业企业”）"), "\(note)")
        let english = NoteRenderer(language: .en, layout: result.layout).render(d, fileName: "p.html", document: result.document)
            .joined(separator: "\n")
        #expect(english.contains("--> p.html: table 2, row 6 (\"(1) Disclosed\"), column 5 (\"Commercial enterprises\")"), "\(english)")
        let json = result.json.serialized()
        #expect(json.contains("\"place\": {\n        \"table\": 2,\n        \"row\": 6,\n        \"column\": 5,\n        \"row_label\": \"（一）予以公开\",\n        \"column_label\": \"商业企业\"\n      }"), "\(json)")
        // prose by its paragraph within the report: without its period, the title is asked for one
        let noPeriod = page.replacingOccurrences(of: "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。", with: "本报告由区政府办编制。")
        let prose = pipeline.check(pipeline.input(fileName: "年报.html", bytes: Array(noPeriod.utf8)), checkedAt: "")
        let period = try #require(prose.diagnostics.first { $0.code == .periodMissing })
        #expect(FindingPlace(period, layout: prose.layout)?.origin == .paragraph(paragraph: 1))
        #expect(prose.note(fileName: "年报.html", language: .zh).contains("警告[period-missing]：未写明统计期限\n --> 年报.html：正文第 1 段\n"))
    }

    @Test("a note and the JSON on a PDF place a blank cell by page, row and column")
    func noteOnPDF() throws {
        // r03: a 2020 report with blank cells, its table 三 split over pages
        let pipeline = Pipeline()
        let bytes = try Fixtures.bytes("pdf-corpus/r03-2020-portrait-sans-blanks-split.pdf")
        let result = pipeline.check(pipeline.input(fileName: "r03.pdf", bytes: bytes), checkedAt: "")
        let blanks = result.diagnostics.filter { $0.code == .cellBlank }
        #expect(!blanks.isEmpty)
        let d = try #require(blanks.first { $0.row == "carried" && $0.columnKey == "research" })
        let place = try #require(FindingPlace(d, layout: result.layout, format: result.report?.format))
        guard case .page(let page, let box?) = place.origin else {
            Issue.record("not placed by page and box: \(place.origin)")
            return
        }
        #expect(page >= 2)
        let note = NoteRenderer(language: .zh, layout: result.layout).render(d, fileName: "r03.pdf", document: result.document)
            .joined(separator: "\n")
        #expect(note.contains("--> r03.pdf：第 \(page) 页，“二、上年结转政府信息公开申请数量”行，“科研机构”列"), "\(note)")
        let english = NoteRenderer(language: .en, layout: result.layout).render(d, fileName: "r03.pdf", document: result.document)
            .joined(separator: "\n")
        #expect(english.contains("--> r03.pdf: page \(page), row \"II. Requests carried over from last year\", column \"Research institutions\""))
        let json = result.json.serialized()
        let corners = FindingPlace.points(box).map { $0 == $0.rounded() ? "\(Int($0))" : "\($0)" }.joined(separator: ", ")
        #expect(json.contains("\"place\": {\n        \"page\": \(page),\n        \"box\": [\(corners)],\n        \"row_label\": \"二、上年结转政府信息公开申请数量\",\n        \"column_label\": \"科研机构\"\n      }"))
        // every placed finding of a PDF is placed by its page
        for d in result.diagnostics where d.position != nil {
            if case .page = FindingPlace(d, layout: result.layout)?.origin {} else { Issue.record("\(d.code) not on a page") }
        }
    }

    @Test("a plain text file keeps line and column, with the row and column names in the JSON")
    func plainText() throws {
        let result = Pipeline().check(Pipeline().input(fileName: "t.txt", bytes: try Fixtures.bytes("002_baa9f92cd75d3d34.txt")), checkedAt: "")
        let d = try #require(result.diagnostics.first { $0.code == .rowCellCount })
        let place = try #require(FindingPlace(d, layout: result.layout))
        #expect(place.origin == .text(line: d.position!.line, column: d.position!.column) && place.isText)
        #expect(result.note(fileName: "t.txt", language: .zh).contains("--> t.txt:\(d.position!.line):\(d.position!.column)\n"))
        #expect(result.json.serialized().contains("\"place\": {\n        \"line\": \(d.position!.line),\n        \"column\": \(d.position!.column),\n        \"row_label\": \"（一）予以公开\"\n      }"))
    }
}
