import Foundation
import NianbaoKit
import NianbaoReaders
import Testing

/// A report as a portal publishes it and a clerk saves it: the web page printed to PDF by a
/// browser (Tests/Fixtures/printed-corpus, made by scripts/make-printed-corpus). Its table cells
/// are drawn otherwise than Word draws them, and the word boxes alone misplace them; the text laid
/// out in columns reads them, and the note still places a finding on its page.
@Suite("a web page printed to PDF (the real binary)", .enabled(if: PDFTextReader.isAvailable, "pdftotext is not installed"))
struct PrintedPageTests {
    static func fixture(_ name: String) -> String { CheckCommandTests.fixture("printed-corpus/" + name) }

    @Test("the valid report is accepted, with no finding")
    func validIsAccepted() throws {
        let run = try CheckCommandTests.run(["check", Self.fixture("r05-2021-portrait-serif.printed.pdf")])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("结论：通过") && run.stdout.contains("发现：错误 0 项，警告 0 项"), "\(run.stdout)")
    }

    @Test("one wrong figure: the note names the cell, its page and the figure it should be")
    func wrongFigureIsPlaced() throws {
        let run = try CheckCommandTests.run(["check", Self.fixture("r05-wrong.printed.pdf")])
        #expect(run.status == 1)
        #expect(run.stdout.contains("发现：错误 1 项"), "\(run.stdout)")
        #expect(run.stdout.contains("错误[table3-wrong-cell]：“（一）予以公开”行“自然人”列填 15，按本行总计与本列（七）总计推算应为 12"),
                "\(run.stdout)")
        #expect(run.stdout.contains("r05-wrong.printed.pdf：第 "), "the place is a page: \(run.stdout)")
        #expect(!run.stdout.contains("table-unreadable") && !run.stdout.contains("row-cell-count"), "\(run.stdout)")
    }
}
