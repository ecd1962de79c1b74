import Foundation
import NianbaoTestSupport
import Testing

@testable import NianbaoReaders
import NianbaoText
import NianbaoExtract

/// The real 淮安 2024 report (a PDF exported by WPS) read by geometry, then extracted: every cell
/// of sections 二, 三 and 四 as hand-transcribed in Tests/NianbaoKitTests/GoldenExtractionTests.swift.
@Suite(.enabled(if: PDFTextReader.isAvailable, "pdftotext is not installed"))
struct PDFLayoutHuaianTests {
    static let table2 = Huaian2024.table2
    static let table3 = Huaian2024.table3
    static let table4 = Huaian2024.table4

    @Test func everyCellThroughTheReaderAndTheExtractor() throws {
        let text = try PDFTextReader().text(fromFile: Fixtures.path("huaian-2024.pdf"))
        let r = Extractor.extract(TextDocument(text))
        #expect(r.title == "淮安市人民政府2024年政府信息公开工作年度报告")
        #expect(r.organ == "淮安市人民政府" && r.year == 2024)
        #expect(r.edition == .y2021 && r.tableEdition == .y2021)
        #expect(r.period?.fromISO == "2024-01-01" && r.period?.toISO == "2024-12-31")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(r.sections.allSatisfy { !$0.isVariant })
        ExtractionThroughReadersTests.assertCells(r, table2: Self.table2, table3: Self.table3, table4: Self.table4)
        // labels as written, wrapped lines joined, group labels left out
        #expect(r.table3?.row("partial")?.written?.text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        #expect(r.table3?.row("other_overdue")?.written?.text == "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
        #expect(r.table3?.row("deny_secret")?.written?.text == "1.属于国家秘密")
    }

    @Test func rowsAsWordWritesThem() throws {
        let lines = try PDFTextReader().text(fromFile: Fixtures.path("huaian-2024.pdf")).split(separator: "\n").map(String.init)
        // a label over two lines with its values centred between them
        #expect(lines.contains("（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t447\t7\t0\t0\t0\t0\t454"))
        // three lines, values beside the middle one
        #expect(lines.contains("2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t6\t0\t0\t0\t0\t0\t6"))
        // the first row after a page break inside the table
        #expect(lines.contains("2.没有现成信息需要另行制作\t11\t0\t0\t0\t0\t0\t11"))
        // a merged value cell of section 二: one cell
        #expect(lines.contains("行政许可\t447228"))
        #expect(lines.contains("72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20"))
        // page numbers and vertical group labels are no lines of their own
        #expect(!lines.contains { $0.hasPrefix("-") && $0.hasSuffix("-") })
        #expect(!lines.contains { $0.contains("本年度办理结果") || $0.contains("不予公开\t") })
        // prose: one visual line each, CJK and figures without spaces
        #expect(lines.contains("2024年，市政府严格落实《政府信息公开信息处理费管理"))
    }
}
