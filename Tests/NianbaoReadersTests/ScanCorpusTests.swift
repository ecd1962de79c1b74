import Foundation
import NianbaoKit
import Testing
import NianbaoCore

@testable import NianbaoReaders
@testable import NianbaoOCR
import NianbaoText
import NianbaoModel
import NianbaoExtract
import NianbaoRender

/// The scanned reports of Tests/Fixtures/scan-corpus (scripts/make-scan-corpus: the PDF corpus's
/// reports printed to page images, tilted, toned, noised, blurred, sealed and JPEG-compressed,
/// wrapped as image-only PDFs) read by OCR, cell by cell, through the real Tesseract.
@Suite(.enabled(if: PDFTextReader.isAvailable && ScanReader.isAvailable, "pdftoppm or Tesseract (chi_sim, eng) is not installed"))
struct ScanCorpusTests {
    static let directory = Fixtures.directory.appendingPathComponent("scan-corpus")
    static let pdfCorpus = Fixtures.directory.appendingPathComponent("pdf-corpus")

    static func read(_ name: String) throws -> ReaderOutput {
        try DocumentReader.read(fileAt: directory.appendingPathComponent(name + ".pdf").path)
    }

    /// Every figure of tables 三 and 四 as the report's expected.json says.
    @Test(arguments: ["r05-2021-portrait-serif-grey", "r01-2019-portrait-serif-colour"])
    func everyFigure(_ file: String) throws {
        let out = try Self.read(file)
        #expect(out.ocr != nil, "read by OCR")
        let name = file.replacingOccurrences(of: "-grey", with: "").replacingOccurrences(of: "-colour", with: "")
        let r = Extractor.extract(TextDocument(out.text))
        let data = try Data(contentsOf: Self.pdfCorpus.appendingPathComponent(name + ".expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(r.edition?.rawValue == expected["edition"] as? String, "edition")
        #expect(r.year == expected["year"] as? Int, "year")
        #expect(r.organ == expected["organ"] as? String, "organ")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6], "sections")
        var wrong: [String] = []
        var total = 0
        let t3 = try #require(r.table3, "table 三")
        let want3 = expected["table3"] as? [String: [String: Any]] ?? [:]
        for row in t3.rows {
            for (c, column) in FormatSpec.table3ColumnKeys.enumerated() {
                total += 1
                let want = (want3[row.key]?[column] as? NSNumber)?.doubleValue
                if row.row.cells[c].value != want { wrong.append("三 \(row.key)/\(column): \(row.row.cells[c].text)") }
            }
        }
        let t4 = try #require(r.table4, "table 四")
        let want4 = expected["table4"] as? [String: Any] ?? [:]
        for (c, column) in FormatSpec.table4ColumnKeys.enumerated() {
            total += 1
            if t4.row.cells[c].value != (want4[column] as? NSNumber)?.doubleValue {
                wrong.append("四 \(column): \(t4.row.cells[c].text)")
            }
        }
        #expect(total > 100)
        #expect(wrong.isEmpty, Comment(rawValue: "\(file): \(wrong.count) of \(total) figures wrong:\n" + wrong.joined(separator: "\n")))
    }

    /// The whole check: the scans of consistent reports are accepted, the note says OCR read them.
    @Test(arguments: ["r05-2021-portrait-serif-grey", "r01-2019-portrait-serif-colour"])
    func consistentScanIsAccepted(_ file: String) throws {
        let pipeline = Pipeline()
        let path = Self.directory.appendingPathComponent(file + ".pdf").path
        let input = pipeline.input(fileName: file + ".pdf", path: path)
        let result = pipeline.check(input, checkedAt: "2026-12-04T12:00:00+08:00")
        #expect(result.verdict == .accepted, Comment(rawValue: result.diagnostics.map { $0.message.zh }.joined(separator: "\n")))
        #expect(result.note(fileName: file + ".pdf", language: .zh).contains("由文字识别（OCR）读取"))
    }

    /// A cell changed on the paper and read surely: the report is rejected, the error on that very
    /// cell (its row and column), whatever cell beside it was read unsurely; no finding elsewhere.
    @Test func mutantsAreLocalised() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("mutants.json"))
        let mutants = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(!mutants.isEmpty)
        for m in mutants {
            let name = try #require(m["report"] as? String)
            let row = try #require(m["row"] as? String)
            let pipeline = Pipeline()
            let input = pipeline.input(fileName: name + ".pdf", path: Self.directory.appendingPathComponent(name + ".pdf").path)
            let result = pipeline.check(input, checkedAt: "2026-12-04T12:00:00+08:00")
            let figure = try #require(m["figure"] as? Int)
            let column = FormatSpec.table3ColumnKeys[figure - 1]
            let figures = result.diagnostics.filter { $0.code.consequence == .cells }
            #expect(!figures.isEmpty, "\(name): the changed cell is found")
            #expect(result.verdict == .rejected, "\(name): \(figures.map { $0.code.rawValue + " " + $0.message.zh })")
            let onTheCell = figures.filter {
                $0.code == .table3WrongCell && $0.severity == .error && $0.columnKey == column
                    && $0.row.flatMap { FormatSpec.rowLabel($0)?.zh } == row
            }
            #expect(onTheCell.count == 1, "\(name): an error on \(row)/\(column): \(figures.map { $0.code.rawValue + " " + $0.message.zh })")
            // placed on its page in the box of that one cell (in points, a figure's cell in size)
            if let d = onTheCell.first {
                let place = FindingPlace(d, layout: result.layout, format: result.report?.format)
                guard case .page(let page, let box?)? = place?.origin else {
                    Issue.record("\(name): not placed by page and box: \(String(describing: place?.origin))")
                    continue
                }
                #expect(page >= 1 && box.x0 > 0 && box.y0 > 0 && box.x1 < 842 && box.y1 < 842, "\(name): \(box)")
                #expect(box.x1 - box.x0 > 5 && box.x1 - box.x0 < 80 && box.y1 - box.y0 > 5 && box.y1 - box.y0 < 40, "\(name): \(box)")
                #expect(result.json.serialized().contains("\"page\": \(page),\n        \"box\": ["), "\(name)")
            }
            for d in figures {
                let label = d.row.flatMap { FormatSpec.rowLabel($0)?.zh }
                #expect(label == row, "\(name): \(d.code.rawValue) \(d.message.zh)")
            }
            // a doubt asks the clerk to look at the scan; it claims no figure it does not know
            let note = result.note(fileName: name + ".pdf", language: .zh)
            #expect(!note.contains("应为：—"), "\(name): \(note)")
        }
    }

    /// What a scan's reader answers through the reader child: the same document and confidences.
    @Test func confidenceCrossesTheChild() {
        var ocr = OCRConfidence(pageCount: 4)
        ocr.unreadableTablePages = [2]
        ocr.cells[7] = [1: .init(page: 3, text: "147", confidence: 62), 2: .init(page: 3, text: "0", confidence: 96)]
        let decoded = ReaderIsolation.decodeOCR(Substring(ReaderIsolation.encodeOCR(ocr)))
        #expect(decoded == ocr)
    }
}

/// The grid of ruled cells, from line segments alone.
struct TableGridTests {
    @Test func mergedCellsAreFound() {
        // three columns, three rows; the left column's two lower cells merged (no line between
        // them there), the top row one cell across all columns
        let h = [PixelBox(x: 0, y: 0, width: 300, height: 3), PixelBox(x: 0, y: 100, width: 300, height: 3),
                 PixelBox(x: 100, y: 200, width: 200, height: 3), PixelBox(x: 0, y: 300, width: 300, height: 3)]
        let v = [PixelBox(x: 0, y: 0, width: 3, height: 300), PixelBox(x: 100, y: 100, width: 3, height: 200),
                 PixelBox(x: 200, y: 100, width: 3, height: 200), PixelBox(x: 300, y: 0, width: 3, height: 300)]
        let grids = TableGrid.tables(horizontal: h, vertical: v, tolerance: 8)
        #expect(grids.count == 1)
        let cells = grids.first?.cells.map { [$0.row, $0.column, $0.rowSpan, $0.columnSpan] } ?? []
        #expect(cells == [[0, 0, 1, 3], [1, 0, 2, 1], [1, 1, 1, 1], [1, 2, 1, 1], [2, 1, 1, 1], [2, 2, 1, 1]])
    }
}

/// Images and PDFs a scanner never made (one pixel, no pixels, a header claiming 200 000 ×
/// 200 000, a page 5 m wide, a 0 × 0 page): a clear answer each, no crash, no hang.
@Suite(.enabled(if: PDFTextReader.isAvailable && ScanReader.isAvailable, "pdftoppm or Tesseract is not installed"))
struct HostileScanTests {
    static func path(_ name: String) -> String {
        Fixtures.directory.appendingPathComponent("scan-hostile").appendingPathComponent(name).path
    }

    @Test func imagesWithoutPagesAreRefused() {
        #expect(throws: NianbaoError.tooLarge("the image is 200000 × 200000 pixels, more than \(Pixmap.maximumPixels)")) {
            try DocumentReader.read(fileAt: Self.path("huge-header.png"))
        }
        #expect(throws: NianbaoError.corrupt("the image cannot be decoded")) {
            try DocumentReader.read(fileAt: Self.path("zero-size.png"))
        }
    }

    @Test(arguments: ["one-pixel.png", "thin-tall.png", "blank.jpg", "zero-page.pdf", "huge-page.pdf"])
    func blankPagesReadAsNothing(_ name: String) throws {
        let start = ContinuousClock.now
        let out = try DocumentReader.read(fileAt: Self.path(name))
        #expect(out.ocr != nil)
        #expect(out.text.isEmpty)
        #expect(ContinuousClock.now - start < .seconds(120))
    }
}
