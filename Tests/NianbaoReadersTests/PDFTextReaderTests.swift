import Foundation
import Testing
import NianbaoCore

@testable import NianbaoReaders

@Suite(.enabled(if: PDFTextReader.isAvailable, "pdftotext is not installed"))
struct PDFTextReaderTests {
    @Test func realReportThroughPdftotext() throws {
        let text = try PDFTextReader().text(fromFile: Fixtures.path("huaian-2024.pdf"))
        #expect(text.contains("淮安市人民政府"))
        #expect(text.contains("（七）总计"))
        // read by geometry: a table row is one line, its cells joined by TAB
        #expect(text.contains("（七）总计\t2932\t53\t0\t0\t61\t4\t3050"))
        let fromBytes = try PDFTextReader().text(from: Fixtures.bytes("huaian-2024.pdf"))
        #expect(fromBytes == text)
        let viaDispatcher = try DocumentReader.read(bytes: Fixtures.bytes("huaian-2024.pdf"), fileName: "report.txt")
        #expect(viaDispatcher.format == .pdf)
        #expect(viaDispatcher.text == text)
    }

    @Test func fakePDFFails() {
        let error = readerError { try PDFTextReader().text(from: Array("%PDF-1.7 garbage garbage".utf8)) }
        guard let error = error as? NianbaoError, error.code == .corruptFile else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
        #expect(error.detail.contains("status 1"))
    }

    @Test func blankPDFHasNoTextLayer() {
        let pdf = """
            %PDF-1.4
            1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
            2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
            3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
            trailer << /Root 1 0 R >>
            %%EOF

            """
        #expect(throws: NianbaoError.noTextLayer) { try PDFTextReader().text(from: Array(pdf.utf8)) }
    }

    @Test func missingExecutableAndTimeout() throws {
        #expect(throws: NianbaoError.pdftotextMissing) {
            try PDFTextReader(executable: "/nonexistent/pdftotext").text(fromFile: Fixtures.path("huaian-2024.pdf"))
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("slow-pdftotext-\(getpid()).sh")
        try Fixtures.writeScript("#!/bin/sh\nexec sleep 20\n", to: script.path)
        defer { try? FileManager.default.removeItem(at: script) }
        // A child spawned by a test running in parallel may briefly hold the script open for
        // writing (ETXTBSY): retry while the spawn itself fails.
        let clock = ContinuousClock()
        var outcome: Error?
        var elapsed = Duration.zero
        for _ in 0..<50 {
            let start = clock.now
            outcome = readerError {
                try PDFTextReader(executable: script.path, timeout: .milliseconds(500))
                    .text(fromFile: Fixtures.path("huaian-2024.pdf"))
            }
            elapsed = clock.now - start
            guard (outcome as? NianbaoError)?.code == .ioError else { break }
            usleep(100_000)
        }
        #expect(outcome as? NianbaoError == .timeout)
        #expect(elapsed < .seconds(5))
    }

    @Test func outputCap() {
        let error = readerError {
            try PDFTextReader(maximumOutputBytes: 1000).text(fromFile: Fixtures.path("huaian-2024.pdf"))
        }
        guard (error as? NianbaoError)?.code == .tooLarge else {
            Issue.record("expected .tooLarge, got \(String(describing: error))")
            return
        }
    }

    @Test func textLayerVerdict() {
        #expect(!PDFTextReader.hasTextLayer("\u{0C}\u{0C}  - 1 -\n\u{0C} - 2 -"))
        #expect(PDFTextReader.hasTextLayer("某县人民政府2024年政府信息公开工作年度报告一、总体情况"))
    }
}
