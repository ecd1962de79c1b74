import NianbaoKit
import NianbaoReaders
import Testing

/// The blank 2021 Word template, checked as if it were submitted unfilled.
@Suite("The blank template")
struct BlankTemplateTests {
    @Test("every cell of section 三 is a blank cell, each reported where it is; nothing is called a merged-cell loss")
    func blankTemplate() throws {
        let bytes = try Fixtures.bytes("template-2021.docx")
        let text = try DocxReader.text(from: bytes)
        let r = Checker.check(CheckInput(fileName: "template.docx", bytes: bytes, format: "docx", text: text), checkedAt: "")
        #expect(r.verdict == .rejected)
        let t3 = try #require(r.report?.table3)
        #expect(t3.rows.count == 25)
        #expect(t3.rows.allSatisfy { $0.row.aligned && $0.row.cells.allSatisfy { $0.state == .blank } })
        let blanks = r.diagnostics.filter { $0.code == .cellBlank && $0.section == 3 }
        #expect(blanks.count == 25 * 7)
        #expect(!r.diagnostics.contains { $0.code == .rowCellCount && $0.section == 3 })
    }
}
