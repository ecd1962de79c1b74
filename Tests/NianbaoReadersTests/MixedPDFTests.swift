import Foundation
import NianbaoKit
import Testing

@testable import NianbaoReaders
import NianbaoCore

/// PDFs exported with their text, one page of which is a picture (Tests/Fixtures/mixed-pdf, made
/// by scripts/make-mixed-pdf: table 三's page replaced by its image, as when a table is pasted
/// into Word as a picture or a scanned page is put in among the others). Their text misses a
/// table; they are read again by OCR and checked as a scan, through the real pdftotext, pdftoppm
/// and Tesseract.
@Suite(.enabled(if: PDFTextReader.isAvailable && ScanReader.isAvailable, "pdftoppm or Tesseract (chi_sim, eng) is not installed"))
struct MixedPDFTests {
    static let directory = Fixtures.directory.appendingPathComponent("mixed-pdf")

    static func check(_ name: String) -> CheckResult {
        let pipeline = Pipeline()
        let input = pipeline.input(fileName: name, path: directory.appendingPathComponent(name).path)
        return pipeline.check(input, checkedAt: "2026-12-05T12:00:00+08:00")
    }

    @Test("the text reading knows which pages hold no text")
    func pagesWithoutText() throws {
        let document = try PDFTextReader().document(fromFile: Self.directory.appendingPathComponent("r05-table-picture.pdf").path)
        #expect(document.pagesWithoutText == [3])
        let whole = try PDFTextReader().document(
            fromFile: Fixtures.directory.appendingPathComponent("pdf-corpus/r05-2021-portrait-serif.pdf").path)
        #expect(whole.pagesWithoutText.isEmpty)
    }

    @Test("a consistent report whose table is a picture is accepted, read by OCR, and its note says so")
    func pictureTableAccepted() {
        let result = Self.check("r05-table-picture.pdf")
        #expect(result.verdict == .accepted, Comment(rawValue: result.diagnostics.map { $0.code.rawValue + " " + $0.message.zh }.joined(separator: "\n")))
        #expect(!result.diagnostics.contains { $0.code == .tableMissing || $0.code == .sectionMissing })
        #expect(result.note(fileName: "r05-table-picture.pdf", language: .zh).contains("由文字识别（OCR）读取"))
    }

    @Test("a wrong figure in the picture is named on its page, row and column, with what it should be")
    func pictureTableWrongCell() throws {
        let result = Self.check("r05-wrong-table-picture.pdf")
        #expect(result.verdict == .rejected)
        let d = try #require(result.diagnostics.first { $0.code == .table3WrongCell },
                             Comment(rawValue: result.diagnostics.map { $0.code.rawValue }.joined(separator: " ")))
        #expect(d.row == "granted" && d.columnKey == "natural")
        let note = result.note(fileName: "r05-wrong-table-picture.pdf", language: .zh)
        #expect(note.contains("“（一）予以公开”行“自然人”列填 15，按本行总计与本列（七）总计推算应为 12"), "\(note)")
        #expect(note.contains("第 3 页"), "\(note)")
        #expect(!result.diagnostics.contains { $0.code == .tableMissing || $0.code == .sectionMissing })
    }

    @Test("a PDF whose fonts map no glyph to a character (its text comes out as glyph numbers) is read by OCR")
    func garbledTextLayer() throws {
        let path = Self.directory.appendingPathComponent("r05-no-tounicode.pdf").path
        #expect(throws: (any Error).self) { _ = try PDFTextReader().document(fromFile: path) }
        let result = Self.check("r05-no-tounicode.pdf")
        #expect(result.verdict == .accepted, Comment(rawValue: result.diagnostics.map { $0.code.rawValue + " " + $0.message.zh }.joined(separator: "\n")))
        #expect(!result.diagnostics.contains { $0.code == .notAReport })
        #expect(result.note(fileName: "r.pdf", language: .zh).contains("由文字识别（OCR）读取"))
    }

    @Test("a PDF with text on every page is not read by OCR")
    func wholeTextNotRead() {
        let pipeline = Pipeline()
        let path = Fixtures.directory.appendingPathComponent("pdf-corpus/r05-2021-portrait-serif.pdf").path
        let result = pipeline.check(pipeline.input(fileName: "r05.pdf", path: path), checkedAt: "")
        #expect(result.verdict == .accepted)
        #expect(!result.note(fileName: "r05.pdf", language: .zh).contains("OCR"))
    }
}

/// Word reports whose table 三 is a picture (Tests/Fixtures/picture-docx, made by
/// scripts/make-picture-docx): their text misses the table; printed to PDF by LibreOffice, they
/// are read again by OCR. (In the office suite, whose conversions run one at a time.)
extension OfficeConversionTests {
    static let pictures = Fixtures.directory.appendingPathComponent("picture-docx")

    @Test("a Word report whose table is a picture is read by OCR: accepted when consistent, the wrong cell named",
          .enabled(if: ScanReader.isAvailable, "Tesseract (chi_sim, eng) is not installed"))
    func pictureTables() throws {
        let pipeline = Pipeline()
        let good = try [UInt8](Data(contentsOf: Self.pictures.appendingPathComponent("r05-table-picture.docx")))
        #expect(DocxReader.holdsPictures(good))
        #expect(!DocxReader.holdsPictures(try Self.bytes("r05-2021-portrait-serif.docx")))
        let accepted = pipeline.check(pipeline.input(fileName: "r05-table-picture.docx", bytes: good), checkedAt: "")
        #expect(accepted.verdict == .accepted, Comment(rawValue: accepted.diagnostics.map { $0.code.rawValue + " " + $0.message.zh }.joined(separator: "\n")))
        let note = accepted.note(fileName: "r05-table-picture.docx", language: .zh)
        #expect(note.contains("报告中有部分内容是图片") && note.contains("由文字识别（OCR）读取"), "\(note)")

        let bad = try [UInt8](Data(contentsOf: Self.pictures.appendingPathComponent("r05-wrong-table-picture.docx")))
        let rejected = pipeline.check(pipeline.input(fileName: "r05-wrong-table-picture.docx", bytes: bad), checkedAt: "")
        #expect(rejected.verdict == .rejected)
        #expect(!rejected.diagnostics.contains { $0.code == .tableMissing }, "the table is read, not missing")
        let d = try #require(rejected.diagnostics.first { $0.code == .table3WrongCell },
                             Comment(rawValue: rejected.diagnostics.map { $0.code.rawValue }.joined(separator: " ")))
        #expect(d.row == "granted" && d.columnKey == "natural")
        #expect(rejected.note(fileName: "r.docx", language: .zh).contains("应为 12"))
    }
}
