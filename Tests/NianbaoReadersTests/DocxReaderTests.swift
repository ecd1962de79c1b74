import Foundation
import Testing
import ZIPFoundation

@testable import NianbaoReaders

/// Fills the blank 2021 template: every empty, non-merged cell of table `tableIndex` gets the
/// next value of the row whose text contains a key of `values` (0 for rows not listed).
func fillTemplateTable(_ xml: String, tableIndex: Int, values: [String: [String]]) -> String {
    var result = xml
    var searchStart = result.startIndex
    for _ in 0..<tableIndex {
        searchStart = result.range(of: "</w:tbl>", range: searchStart..<result.endIndex)!.upperBound
    }
    let tblStart = result.range(of: "<w:tbl>", range: searchStart..<result.endIndex)!.lowerBound
    let tblEnd = result.range(of: "</w:tbl>", range: tblStart..<result.endIndex)!.upperBound
    var table = String(result[tblStart..<tblEnd])
    var out = ""
    var rest = table[...]
    while let rowStart = rest.range(of: "<w:tr ") ?? rest.range(of: "<w:tr>") {
        out += rest[..<rowStart.lowerBound]
        let rowEnd = rest.range(of: "</w:tr>", range: rowStart.lowerBound..<rest.endIndex)!.upperBound
        let row = String(rest[rowStart.lowerBound..<rowEnd])
        let rowText = texts(of: row)
        // The key "" stands for rows without any text.
        let key = rowText.isEmpty
            ? (values[""] != nil ? "" : nil)
            : values.keys.filter { !$0.isEmpty && rowText.contains($0) }.max { $0.count < $1.count }
        var queue = key.map { values[$0]! } ?? []
        var newRow = ""
        var rowRest = row[...]
        while let cellStart = rowRest.range(of: "<w:tc>") {
            newRow += rowRest[..<cellStart.lowerBound]
            let cellEnd = rowRest.range(of: "</w:tc>", range: cellStart.lowerBound..<rowRest.endIndex)!.upperBound
            var cell = String(rowRest[cellStart.lowerBound..<cellEnd])
            let cellText = texts(of: cell).trimmingCharacters(in: .whitespacesAndNewlines)
            if !cell.contains("w:vMerge") && cellText.isEmpty {
                let value = queue.isEmpty ? "0" : queue.removeFirst()
                let p = cell.range(of: "</w:p>", options: .backwards)!
                cell.replaceSubrange(p, with: "<w:r><w:t>\(value)</w:t></w:r></w:p>")
            }
            newRow += cell
            rowRest = rowRest[cellEnd...]
        }
        newRow += rowRest
        out += newRow
        rest = rest[rowEnd...]
    }
    out += rest
    table = out
    result.replaceSubrange(tblStart..<tblEnd, with: table)
    return result
}

private func texts(of xml: String) -> String {
    let regex = try! NSRegularExpression(pattern: "<w:t(?: [^>]*)?>([^<]*)</w:t>")
    let ns = xml as NSString
    return regex.matches(in: xml, range: NSRange(location: 0, length: ns.length))
        .map { ns.substring(with: $0.range(at: 1)) }.joined()
}

@Suite struct DocxReaderTests {
    static let section3: [String: [String]] = [
        "一、本年新收政府信息公开申请数量": ["3", "1", "0", "0", "0", "0", "4"],
        "二、上年结转政府信息公开申请数量": ["1", "0", "0", "0", "0", "0", "1"],
        "（一）予以公开": ["1", "0", "0", "0", "0", "0", "1"],
        "（二）部分公开": ["1", "1", "0", "0", "0", "0", "2"],
        "1.属于国家秘密": ["0", "0", "0", "0", "0", "0", "0"],
        "1.本机关不掌握相关政府信息": ["1", "0", "0", "0", "0", "0", "1"],
        "（七）总计": ["3", "1", "0", "0", "0", "0", "4"],
        "四、结转下年度继续办理": ["1", "0", "0", "0", "0", "0", "1"],
    ]

    static func filledTemplate() throws -> [UInt8] {
        let entries = try ZipBuilder.entries(of: try Fixtures.bytes("template-2021.docx"))
        var rebuilt: [(path: String, data: Data)] = []
        for (path, data) in entries {
            if path == "word/document.xml" {
                var xml = String(decoding: data, as: UTF8.self)
                xml = fillTemplateTable(xml, tableIndex: 0, values: [
                    "规章": ["1", "0", "11"], "行政规范性文件": ["8", "26", "66"], "行政许可": ["120"],
                ])
                xml = fillTemplateTable(xml, tableIndex: 1, values: section3)
                xml = fillTemplateTable(xml, tableIndex: 2, values: [
                    "": (1...15).map(String.init)
                ])
                rebuilt.append((path, Data(xml.utf8)))
            } else {
                rebuilt.append((path, data))
            }
        }
        return try ZipBuilder.zip(rebuilt)
    }

    @Test func filledTemplateGivesTabSeparatedRows() throws {
        let docx = try Self.filledTemplate()
        #expect(FormatDetector.detect(bytes: docx, fileName: "report.docx") == .docx)
        let text = try DocxReader.text(from: docx)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Section 三, exact rows.
        let expected = [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
            "自然人\t法人或其他组织\t总计",
            "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
            "一、本年新收政府信息公开申请数量\t3\t1\t0\t0\t0\t0\t4",
            "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
            "三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t1\t0\t0\t0\t0\t2",
            "（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
            "2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0",
            "3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0",
        ]
        let start = try #require(lines.firstIndex(of: expected[0]))
        #expect(Array(lines[start..<start + expected.count]) == expected)
        #expect(lines.contains("（四）无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1"))
        #expect(lines.contains("（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0"))
        #expect(lines.contains("3.其他\t0\t0\t0\t0\t0\t0\t0"))
        #expect(lines.contains("（七）总计\t3\t1\t0\t0\t0\t0\t4"))
        #expect(lines.contains("四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1"))
        // Section 二.
        #expect(lines.contains("信息内容\t本年制发件数\t本年废止件数\t现行有效件数"))
        #expect(lines.contains("规章\t1\t0\t11"))
        #expect(lines.contains("行政规范性文件\t8\t26\t66"))
        #expect(lines.contains("行政许可\t120"))
        #expect(lines.contains("行政处罚\t0"))
        // Section 四: merged header cells once, continuation cells omitted, 15 values.
        #expect(lines.contains("行政复议\t行政诉讼"))
        #expect(lines.contains("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉"))
        #expect(lines.contains("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"))
        #expect(lines.contains((1...15).map(String.init).joined(separator: "\t")))
        // Headings as lines, in order.
        let headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
        let positions = headings.map { h in lines.firstIndex(of: h) }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(!text.contains("\r"))
    }

    @Test func blankTemplateReads() throws {
        let text = try DocxReader.text(from: try Fixtures.bytes("template-2021.docx"))
        #expect(text.hasPrefix("政府信息公开工作年度报告格式模板"))
        #expect(text.contains("\n三、本年度办理结果\t（一）予以公开\t\t\t\t\t\t\t\n"))
    }

    @Test func gridSpanVMergeNestedAndParagraphs() throws {
        func cell(_ text: String, span: Int = 1, vMerge: String? = nil) -> String {
            var pr = ""
            if span > 1 { pr += "<w:gridSpan w:val=\"\(span)\"/>" }
            if let vMerge { pr += vMerge.isEmpty ? "<w:vMerge/>" : "<w:vMerge w:val=\"\(vMerge)\"/>" }
            let paras = text.isEmpty ? "<w:p/>" : text.split(separator: "|").map { "<w:p><w:r><w:t>\($0)</w:t></w:r></w:p>" }.joined()
            return "<w:tc><w:tcPr>\(pr)</w:tcPr>\(paras)</w:tc>"
        }
        let nested = "<w:tc><w:tbl><w:tr>\(cell("内"))\(cell("表"))</w:tr><w:tr>\(cell("A"))\(cell("B"))</w:tr></w:tbl></w:tc>"
        let body = """
            <w:p><w:r><w:t xml:space="preserve">标题 </w:t></w:r><w:r><w:tab/><w:t>第一段</w:t></w:r></w:p>\
            <w:p><w:r><w:t>前</w:t><w:br/><w:t>后</w:t></w:r></w:p>\
            <w:p/>\
            <w:tbl>\
            <w:tr>\(cell("合并标题", span: 3))\(cell("x"))</w:tr>\
            <w:tr>\(cell("纵向", vMerge: "restart"))\(cell("商业|企业"))\(cell(""))\(cell("1"))</w:tr>\
            <w:tr>\(cell("", vMerge: ""))\(cell("Legal|Aid"))\(cell("2"))\(cell("3"))</w:tr>\
            <w:tr>\(cell("", vMerge: "continue"))\(cell(""))\(cell(""))\(nested)</w:tr>\
            <w:tr>\(cell(""))\(cell(""))</w:tr>\
            </w:tbl>\
            <w:sdt><w:sdtContent><w:p><w:r><w:t>控件内文字</w:t></w:r></w:p></w:sdtContent></w:sdt>\
            <w:p><w:r><w:delText>删除</w:delText></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>
            """
        let text = try DocxReader.text(from: try ZipBuilder.docx(body: body))
        #expect(text == """
            标题  第一段
            前
            后
            合并标题\tx
            纵向\t商业企业\t\t1
            Legal Aid\t2\t3
            \t\t内表A B
            控件内文字
            插入
            """)
    }

    @Test("a page laid out in a table: the frame's cell holds the report, whose tables are the body's")
    func framedBody() throws {
        func p(_ t: String) -> String { "<w:p><w:r><w:t>\(t)</w:t></w:r></w:p>" }
        func row(_ cells: [String]) -> String { "<w:tr>" + cells.map { "<w:tc>\(p($0))</w:tc>" }.joined() + "</w:tr>" }
        let data = "<w:tbl>\(row(["规章", "0", "0", "3"]))\(row(["行政规范性文件", "1", "0", "9"]))</w:tbl>"
        let body = "<w:tbl><w:tr><w:tc>\(p("某镇2023年政府信息公开工作年度报告"))\(p("一、总体情况"))\(p("二、主动公开政府信息情况"))\(data)\(p("三、收到和处理"))</w:tc></w:tr></w:tbl>"
        let document = try DocxReader.document(from: try ZipBuilder.docx(body: body))
        #expect(document.paragraphs.map(\.text) == ["某镇2023年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理"])
        #expect(document.paragraphs.map(\.origin) == [.paragraph(1), .paragraph(2), .paragraph(3), .paragraph(4)])
        let rows = document.tables.flatMap(\.rows)
        #expect(rows.map { $0.cells.map(\.text) } == [["规章", "0", "0", "3"], ["行政规范性文件", "1", "0", "9"]])
        #expect(rows[1].cells[3].origin == .cell(table: 1, row: 2, column: 4))
    }

    @Test func wordXMLWithCDATAAndEntitiesOfXML() throws {
        let body = "<w:p><w:r><w:t>A&amp;B&lt;C&#x4E00;</w:t></w:r></w:p>"
        #expect(try DocxReader.text(from: try ZipBuilder.docx(body: body)) == "A&B<C一")
    }
}
