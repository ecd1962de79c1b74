import NianbaoKit
import NianbaoReaders
import NianbaoText
import Testing

@testable import NianbaoExtract

/// A scan's table rows whose labels OCR misread beyond matching (`5.属于三类内部` for
/// `5.属于三类内部事务信息`, `3.共他` for `3.其他`): the text view a scan of r09 (pdf-corpus) was read as,
/// degraded in colour with another seed than the committed scans.
struct OCRRowsTests {
    static let file = "scan-corpus/r09-2023-colour.ocr-text.txt"

    @Test("on a scan, a row whose label is misread is found by its place, with its figures")
    func misreadLabelsFoundByPlace() throws {
        let text = try Fixtures.text(Self.file)
        // as text, the two labels are too far from the format's: the rows are missing
        let plain = try #require(Extractor.extract(TextDocument(text)).table3)
        let missing = plain.rows.filter { !$0.present }.map(\.key)
        #expect(missing == ["deny_internal", "other_misc"])
        // read by OCR, each is the row between the two rows found around it
        var scanned = TextDocument(text)
        scanned.readByOCR = true
        let t3 = try #require(Extractor.extract(scanned).table3)
        #expect(t3.rows.allSatisfy { $0.present })
        for key in ["deny_internal", "other_misc"] {
            let row = try #require(t3.rows.first { $0.key == key })
            #expect(row.row.aligned && row.row.cells.allSatisfy { $0.value == 0 }, "\(key): \(row.row.cells.map(\.text))")
        }
        // the rows around them keep their own figures
        let before = try #require(t3.rows.first { $0.key == "deny_thirdparty" })
        #expect(before.row.aligned && before.row.extra.isEmpty)
    }

    @Test("the check of that scan blames the office for no row: no row-missing, the report is accepted")
    func noRowMissingOnAScan() throws {
        let text = try Fixtures.text(Self.file)
        var input = CheckInput(fileName: "r09.pdf", bytes: Array(text.utf8), format: "pdf")
        input.content = .text(PlainText(text))
        input.ocr = OCRConfidence(pageCount: 5)
        let result = Checker.check(input, options: CheckOptions(), checkedAt: "2026-12-05T00:00:00+08:00")
        #expect(!result.diagnostics.contains { $0.code == .rowMissing }, "\(result.diagnostics.map(\.message.zh))")
        #expect(result.verdict == .accepted, "\(result.diagnostics.map(\.message.zh))")
    }
}
