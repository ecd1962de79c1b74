import Foundation
import NianbaoKit
import Synchronization
import Testing

@testable import NianbaoReaders
import NianbaoCore
import NianbaoText
import NianbaoModel
import NianbaoExtract
import NianbaoRender

/// The cells of a report read from any format, against the NAME.expected.json of the PDF corpus.
enum ExpectedCells {
    static let pdfCorpus = Fixtures.directory.appendingPathComponent("pdf-corpus")

    /// What differs between the report and NAME.expected.json (empty when every cell matches).
    static func mismatches(_ r: AnnualReport, expected name: String) throws -> [String] {
        let data = try Data(contentsOf: pdfCorpus.appendingPathComponent(name + ".expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var wrong: [String] = []
        if r.edition?.rawValue != expected["edition"] as? String { wrong.append("edition \(String(describing: r.edition))") }
        if r.year != expected["year"] as? Int { wrong.append("year \(String(describing: r.year))") }
        if r.organ != expected["organ"] as? String { wrong.append("organ \(String(describing: r.organ))") }
        if r.sections.map(\.number) != [1, 2, 3, 4, 5, 6] { wrong.append("sections \(r.sections.map(\.number))") }
        func check(_ what: String, _ cell: Cell?, _ want: Any?) {
            guard let cell else { return wrong.append("\(what): no cell") }
            switch want {
            case is NSNull, nil:
                if cell.state != .blank { wrong.append("\(what): blank expected, read \(cell.state) \(cell.text)") }
            case let number as NSNumber:
                if cell.state != .number || cell.value != number.doubleValue {
                    wrong.append("\(what): \(number) expected, read \(cell.state) \(cell.text)")
                }
            default: wrong.append("\(what): unexpected expectation \(String(describing: want))")
            }
        }
        let spec = r.format
        guard let t2 = r.table2, let t3 = r.table3, let t4 = r.table4 else { return wrong + ["a table is missing"] }
        let want2 = expected["table2"] as? [String: Any] ?? [:]
        for block in spec.table2 {
            for rowSpec in block.rows {
                let row = t2.rows.first { $0.key == rowSpec.key }
                for (c, column) in block.columnKeys.enumerated() {
                    let key = rowSpec.key + "/" + column
                    check("二 " + key, row.flatMap { c < $0.row.cells.count ? $0.row.cells[c] : nil }, want2[key])
                }
            }
        }
        let want3 = expected["table3"] as? [String: [String: Any]] ?? [:]
        for row in t3.rows {
            if !row.present { wrong.append("三 \(row.key): label not found") }
            if !row.row.aligned || !row.row.extra.isEmpty { wrong.append("三 \(row.key): \(row.row.found) cells") }
            for (c, column) in FormatSpec.table3ColumnKeys.enumerated() {
                check("三 \(row.key)/\(column)", row.row.cells[c], want3[row.key]?[column] ?? "missing")
            }
        }
        let want4 = expected["table4"] as? [String: Any] ?? [:]
        if !t4.row.aligned { wrong.append("四: \(t4.row.found) cells") }
        for (c, column) in FormatSpec.table4ColumnKeys.enumerated() {
            check("四 " + column, t4.row.cells[c], want4[column] ?? "missing")
        }
        return wrong
    }
}

/// Reports saved by LibreOffice from .docx as .doc, .rtf and .odt (Tests/Fixtures/office-corpus,
/// made by scripts/make-office-corpus) read through the conversion exactly as their .docx
/// originals: the same lines, the same places, the same cells and the same verdicts.
@Suite(.enabled(if: OfficeConverter.isAvailable, "LibreOffice (libreoffice-writer-nogui) is not installed"), .serialized)
struct OfficeConversionTests {
    static let directory = Fixtures.directory.appendingPathComponent("office-corpus")
    static let reports = ["r01-2019-portrait-serif", "r05-2021-portrait-serif", "r11-2024-portrait-sans-blanks-split", "r05-wrong"]
    static let formats: [DocumentFormat] = [.doc, .rtf, .odt]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("told by content, whatever the name", arguments: formats)
    func detected(_ format: DocumentFormat) throws {
        let bytes = try Self.bytes("r05-2021-portrait-serif.\(format.rawValue)")
        #expect(FormatDetector.detect(bytes: bytes, fileName: "report.\(format.rawValue)") == format)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "report") == format)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "report.docx") == format)
    }

    @Test("the same lines, cells and places as the .docx original", arguments: reports, formats)
    func sameAsDocx(_ name: String, _ format: DocumentFormat) throws {
        let original = try DocxReader.document(from: Self.bytes(name + ".docx"))
        let out = try DocumentReader.read(bytes: Self.bytes("\(name).\(format.rawValue)"), fileName: "r.\(format.rawValue)")
        #expect(out.format == format)
        var converted = out.document
        converted.format = .docx
        if converted != original {
            let diff = zip(converted.lines, original.lines).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(5)
                .map { "line \($0.offset): \($0.element.0.debugDescription) ≠ \($0.element.1.debugDescription)" }
            Issue.record("\(name).\(format.rawValue): \(converted.lines.count) lines vs \(original.lines.count)\n\(diff.joined(separator: "\n"))")
        }
        #expect(converted.origins == original.origins, "places")
        if name != "r05-wrong" {
            let wrong = try ExpectedCells.mismatches(Extractor.extract(TextDocument(out.text)), expected: name)
            #expect(wrong.isEmpty, Comment(rawValue: "\(name).\(format.rawValue):\n" + wrong.joined(separator: "\n")))
        }
    }

    @Test("the same verdict and findings; the wrong cell named at the same table, row and column", arguments: formats)
    func sameVerdicts(_ format: DocumentFormat) throws {
        let pipeline = Pipeline()
        for name in Self.reports {
            let docx = pipeline.check(pipeline.input(fileName: name + ".docx", bytes: try Self.bytes(name + ".docx")), checkedAt: "")
            let file = "\(name).\(format.rawValue)"
            let other = pipeline.check(pipeline.input(fileName: file, bytes: try Self.bytes(file)), checkedAt: "")
            #expect(other.verdict == docx.verdict, "\(file)")
            #expect(other.diagnostics.map(\.code) == docx.diagnostics.map(\.code), "\(file)")
            #expect(other.json.serialized().contains("\"format\": \"\(format.rawValue)\""), "\(file)")
            if name == "r05-wrong" {
                #expect(other.verdict == .rejected)
                let d = try #require(other.diagnostics.first { $0.code == .table3WrongCell }, "\(file): no wrong cell")
                #expect(d.row == "granted" && d.columnKey == "natural", "\(file): \(String(describing: d.row)) \(String(describing: d.columnKey))")
                let place = try #require(FindingPlace(d, layout: other.layout, format: other.report?.format))
                let docxPlace = try #require(FindingPlace(docx.diagnostics.first { $0.code == .table3WrongCell }!, layout: docx.layout,
                                                          format: docx.report?.format))
                #expect(place.origin == docxPlace.origin, "\(file): \(place.origin)")
                guard case .table = place.origin else {
                    Issue.record("\(file): not placed in a table: \(place.origin)")
                    continue
                }
                let note = other.note(fileName: file, language: .zh)
                #expect(note.contains("错误[table3-wrong-cell]：“（一）予以公开”行“自然人”列填"), "\(note.prefix(600))")
                #expect(note.contains(" --> \(file)：第 "), "\(note.prefix(600))")
            } else {
                #expect(other.verdict == .accepted || other.diagnostics.allSatisfy { $0.code == .cellBlank || $0.severity != .error },
                        "\(file): \(other.diagnostics.map(\.code))")
            }
        }
    }

    @Test("a damaged .doc, .rtf or .odt gets a note that the conversion failed", arguments: formats)
    func damaged(_ format: DocumentFormat) throws {
        let whole = try Self.bytes("r05-2021-portrait-serif.\(format.rawValue)")
        var bytes = whole
        switch format {
        case .rtf: bytes = Array("{\\rtf1\\ansi{\\fonttbl\\f0 \\b\\b\\b{{{{{{".utf8)
        case .odt: bytes = Array(whole.prefix(whole.count / 3))  // the zip's directory is gone
        default:
            // the OLE header and directory kept, the streams in between overwritten
            for i in 512..<(whole.count * 2 / 3) { bytes[i] = UInt8(truncatingIfNeeded: i &* 7) }
        }
        #expect(FormatDetector.detect(bytes: bytes, fileName: "x") == format)
        do {
            let out = try DocumentReader.read(bytes: bytes, fileName: "broken.\(format.rawValue)")
            // LibreOffice may recover a damaged file's start: then no report can be read from it
            let r = Extractor.extract(TextDocument(out.text))
            #expect(r.table3 == nil || r.table4 == nil, "a third of the file read as a whole report")
        } catch {
            #expect(error.code == .conversionFailed || error.code == .corruptFile, "\(error)")
            #expect(error.message.zh.contains("转换为 .docx 失败") || error.message.zh.contains("损坏"), "\(error.message.zh)")
            #expect(error.message.zh.contains("另存为 .docx"))
        }
    }

    @Test("a .doc that is no Word document at all: the conversion fails with a clear note")
    func garbageDoc() throws {
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        for u in "WordDocument".utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        bytes += Array(repeating: 0x5A, count: 4000)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "x.doc") == .doc)
        let pipeline = Pipeline()
        let result = pipeline.check(pipeline.input(fileName: "坏.doc", bytes: bytes), checkedAt: "")
        #expect(result.verdict == .rejected)
        let note = result.note(fileName: "坏.doc", language: .zh)
        #expect(note.contains("conversion-failed"), "\(note)")
        #expect(note.contains("用 LibreOffice 把Word 97-2003 文档（.doc）转换为 .docx 失败"), "\(note)")
        let english = result.note(fileName: "bad.doc", language: .en)
        #expect(english.contains("LibreOffice"), "\(english)")
    }

    @Test("a WPS document LibreOffice cannot open (the old WpsContent format) gets a note on saving it as .docx from WPS")
    func oldWPS() throws {
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        for u in "WpsContent".utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        bytes += Array(repeating: 0, count: 3000)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "年报.doc") == .wps)
        let pipeline = Pipeline()
        let result = pipeline.check(pipeline.input(fileName: "年报.wps", bytes: bytes), checkedAt: "")
        #expect(result.verdict == .rejected)
        let note = result.note(fileName: "年报.wps", language: .zh)
        #expect(note.contains("conversion-failed") && note.contains("WPS 文档"), "\(note)")
        #expect(note.contains("“文件”→“另存为”") && note.contains("Word 文档（*.docx）"), "\(note)")
        #expect(result.note(fileName: "r.wps", language: .en).contains("Save As"))
    }

    @Test("a conversion that runs out of time is stopped, its processes with it, and says so")
    func timeLimit() throws {
        let converter = OfficeConverter(timeout: .milliseconds(300))
        let bytes = try Self.bytes("r01-2019-portrait-serif.doc")
        let started = ContinuousClock.now
        #expect(throws: NianbaoError.self) {
            _ = try ConvertedFormatReader(format: .doc, converter: converter).read(ReaderSource(bytes: bytes))
        }
        do throws(NianbaoError) {
            _ = try converter.convertToDocx(bytes, from: .doc)
            Issue.record("converted within 300 ms")
        } catch {
            #expect(error.code == .conversionFailed)
            #expect(error.message.zh.contains("超时"), "\(error.message.zh)")
            #expect(error.message.en.contains("timed out"), "\(error.message.en)")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("two conversions at once (the service's workers) each get their own LibreOffice and profile")
    func concurrent() throws {
        let inputs = [try Self.bytes("r01-2019-portrait-serif.doc"), try Self.bytes("r05-2021-portrait-serif.rtf")]
        let formats: [DocumentFormat] = [.doc, .rtf]
        let results = Mutex<[Int: Result<Document, NianbaoError>]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let result = Result { () throws(NianbaoError) -> Document in
                try ConvertedFormatReader(format: formats[i]).read(ReaderSource(bytes: inputs[i]))
            }
            results.withLock { $0[i] = result }
        }
        let r01 = try DocxReader.document(from: try Self.bytes("r01-2019-portrait-serif.docx"))
        let r05 = try DocxReader.document(from: try Self.bytes("r05-2021-portrait-serif.docx"))
        let got = results.withLock { $0 }
        #expect((try? got[0]?.get().lines) == r01.lines)
        #expect((try? got[1]?.get().lines) == r05.lines)
    }

    @Test("nothing is left in the temporary folder, nothing written beside the report")
    func leavesNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-office-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("r.doc")
        try Data(try Self.bytes("r01-2019-portrait-serif.doc")).write(to: report)
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("nianbao-convert-") }
        let out = try DocumentReader.read(fileAt: report.path)
        #expect(out.format == .doc)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.doc"])
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("nianbao-convert-") }
        #expect(after.subtracting(before).isEmpty, "\(after.subtracting(before))")
    }
}

/// Without LibreOffice: a note that names the package, for every converted format.
@Suite struct ConverterMissingTests {
    @Test("the note names libreoffice-writer-nogui", arguments: [DocumentFormat.doc, .rtf, .odt, .wps])
    func missing(_ format: DocumentFormat) throws {
        let pipeline = Pipeline(office: OfficeConverter(executable: "/nonexistent/soffice"))
        var bytes: [UInt8]
        switch format {
        case .rtf: bytes = Array("{\\rtf1\\ansi 一、总体情况}".utf8)
        case .odt: bytes = Array("PK\u{3}\u{4}".utf8) + Array("mimetypeapplication/vnd.oasis.opendocument.text".utf8)
        default:
            bytes = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
            for u in "WordDocument".utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        }
        let name = "年报.\(format.rawValue)"
        #expect(FormatDetector.detect(bytes: bytes, fileName: name) == format)
        let result = pipeline.check(pipeline.input(fileName: name, bytes: bytes), checkedAt: "")
        let note = result.note(fileName: name, language: .zh)
        #expect(note.contains("libreoffice-missing"), "\(note)")
        #expect(note.contains("libreoffice-writer-nogui"), "\(note)")
        #expect(note.contains(format.displayName), "\(note)")
        let english = result.note(fileName: name, language: .en)
        #expect(english.contains("libreoffice-writer-nogui"), "\(english)")
        #expect(throws: NianbaoError.converterMissing(format)) {
            try OfficeConverter(executable: "/nonexistent/soffice").convertToDocx(bytes, from: format)
        }
    }

    @Test("the error crosses the reader child's boundary as its code and fields")
    func acrossTheChild() {
        var withPath = NianbaoError.io("x")
        withPath.path = "/tmp/a b"
        for error in [NianbaoError.converterMissing(.wps), .conversionFailed(.doc, "LibreOffice could not convert: x:y"),
                      .system("open", path: "/tmp/x", errno: 2), withPath, .timeout] {
            #expect(ReaderIsolation.decodeFailure(code: error.code, ReaderIsolation.encodeFailure(error)) == error)
        }
    }

    @Test("a Kingsoft WPS document is told by its own streams, whatever its name; one LibreOffice cannot open says how to save it as .docx")
    func wps() {
        var bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        for name in ["WordDocument", "WpsCustomData"] {
            for u in name.utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        }
        #expect(FormatDetector.detect(bytes: bytes, fileName: "年报.doc") == .wps)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "年报") == .wps)
        let error = NianbaoError.conversionFailed(.wps, "LibreOffice could not convert the file")
        #expect(error.message.zh.contains("WPS 文档") && error.message.zh.contains("另存为") && error.message.zh.contains("Word 文档（*.docx）"))
        #expect(error.help.zh.contains("WPS 文字"))
    }
}
