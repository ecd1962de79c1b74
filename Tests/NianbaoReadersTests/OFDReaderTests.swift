import Foundation
import NianbaoKit
import Testing
import NianbaoCore

@testable import NianbaoReaders
import NianbaoText
import NianbaoExtract
import NianbaoRender

/// OFD renderings (written by `OFDWriter`, following GB/T 33190-2016) of the generated reports
/// of Tests/Fixtures/office-corpus read by geometry like a PDF: every cell as the report's
/// expected.json says, the wrong cell named by page, row and column, the producers' variations
/// read alike, a damaged OFD refused with a clear note.
@Suite struct OFDReaderTests {
    static let reports = ["r01-2019-portrait-serif", "r05-2021-portrait-serif", "r11-2024-portrait-sans-blanks-split"]

    static func ofd(_ name: String, _ writer: OFDWriter = OFDWriter()) throws -> [UInt8] {
        let docx = [UInt8](try Data(contentsOf: OfficeConversionTests.directory.appendingPathComponent(name + ".docx")))
        return try writer.ofd(try DocxReader.document(from: docx))
    }

    static var variants: [OFDWriter] {
        var out: [OFDWriter] = []
        for placement in OFDWriter.Placement.allCases {
            for prefix in ["ofd", ""] {
                var w = OFDWriter()
                w.placement = placement
                w.prefix = prefix
                w.gRuns = prefix.isEmpty
                w.embeddedFont = placement == .ctm
                w.codePerGlyph = placement == .absolute && prefix.isEmpty
                out.append(w)
            }
        }
        return out
    }

    @Test("told by content", arguments: [true, false])
    func detected(_ named: Bool) throws {
        let bytes = try Self.ofd("r05-2021-portrait-serif")
        #expect(FormatDetector.detect(bytes: bytes, fileName: named ? "年报.ofd" : "年报.zip") == .ofd)
    }

    @Test("every cell, blanks included", arguments: reports)
    func everyCell(_ name: String) throws {
        let document = try OFDReader.document(from: try Self.ofd(name))
        #expect(document.format == .ofd)
        #expect(document.lines.count == document.origins.count, "every line placed")
        let wrong = try ExpectedCells.mismatches(Extractor.extract(TextDocument(document.text)), expected: name)
        #expect(wrong.isEmpty, Comment(rawValue: "\(name):\n" + wrong.joined(separator: "\n") + "\n" + document.text))
    }

    @Test("producers' variations read alike: ofd: prefix or none, boundary, CTM or absolute positions, g runs, a run per glyph, embedded fonts")
    func variations() throws {
        let reference = try OFDReader.document(from: try Self.ofd("r05-2021-portrait-serif")).text
        for writer in Self.variants {
            let text = try OFDReader.document(from: try Self.ofd("r05-2021-portrait-serif", writer)).text
            #expect(text == reference, "\(writer.placement) prefix \(writer.prefix.isEmpty ? "none" : writer.prefix) g \(writer.gRuns) per glyph \(writer.codePerGlyph)")
        }
    }

    @Test("a scaled CTM and a page block are followed")
    func transforms() throws {
        let scaled = OFDReader.Affine("2 0 0 2 10 20")!
        let p = scaled.then(OFDReader.Affine(a: 1, b: 0, c: 0, d: 1, e: 5, f: 5)).apply(1, 1)
        #expect(p.x == 17 && p.y == 27)
        #expect(OFDReader.Package.deltas("1 g 3 2.5 4", limit: 10) == [1, 2.5, 2.5, 2.5, 4])
        #expect(OFDReader.Package.deltas("g 1000000000 1", limit: 3) == [1, 1, 1])
        #expect(OFDReader.Package.resolve("Pages/Page_0/Content.xml", from: "Doc_0/Document.xml") == "Doc_0/Pages/Page_0/Content.xml")
        #expect(OFDReader.Package.resolve("/Doc_0/Res/../Pages/P.xml", from: "Doc_0/Document.xml") == "Doc_0/Pages/P.xml")
    }

    @Test("the wrong cell is named by page, row and column; the correct reports are accepted")
    func verdicts() throws {
        let pipeline = Pipeline()
        let wrong = pipeline.check(pipeline.input(fileName: "r05-wrong.ofd", bytes: try Self.ofd("r05-wrong")), checkedAt: "")
        #expect(wrong.verdict == .rejected)
        let d = try #require(wrong.diagnostics.first { $0.code == .table3WrongCell }, "\(wrong.diagnostics.map(\.code))")
        #expect(d.row == "granted" && d.columnKey == "natural")
        let place = try #require(FindingPlace(d, layout: wrong.layout, format: wrong.report?.format))
        guard case .page(let page, let box) = place.origin else {
            Issue.record("not placed by page: \(place.origin)")
            return
        }
        #expect(page >= 1)
        // the wrong figure's box: on an A4 page, one figure wide
        let b = try #require(box)
        #expect(b.x0 > 0 && b.x1 < 595 && b.y0 > 0 && b.y1 < 842 && b.x1 - b.x0 < 30 && b.y1 - b.y0 < 20, "\(b)")
        let note = wrong.note(fileName: "r05-wrong.ofd", language: .zh)
        #expect(note.contains("错误[table3-wrong-cell]：“（一）予以公开”行“自然人”列填"), "\(note.prefix(800))")
        #expect(note.contains("r05-wrong.ofd：第 \(page) 页"), "\(note.prefix(800))")
        #expect(wrong.json.serialized().contains("\"format\": \"ofd\""))
        let right = pipeline.check(pipeline.input(fileName: "r05.ofd", bytes: try Self.ofd("r05-2021-portrait-serif")), checkedAt: "")
        #expect(right.verdict == .accepted, "\(right.diagnostics.map(\.code))")
    }

    @Test("a damaged OFD gets a clear note")
    func damaged() throws {
        let whole = try Self.ofd("r05-2021-portrait-serif")
        let entries = try ZipBuilder.entries(of: whole)
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(whole.prefix(whole.count / 2))),
            ("no OFD.xml", try ZipBuilder.zip(entries.filter { $0.path != "OFD.xml" } + [("OFD.txt", Data("x".utf8))])),
            ("a page that is no XML", try ZipBuilder.zip(entries.map { $0.path.hasSuffix("Page_0/Content.xml") ? ($0.path, Data("<ofd:Page".utf8)) : $0 })),
            ("a page missing", try ZipBuilder.zip(entries.filter { !$0.path.hasSuffix("Page_0/Content.xml") })),
            ("no text", try ZipBuilder.zip(entries.map { $0.path.contains("/Pages/") ? ($0.path, Data("<Page><Content><Layer/></Content></Page>".utf8)) : $0 })),
        ]
        let pipeline = Pipeline()
        for (what, bytes) in cases {
            if what != "no OFD.xml" { #expect(FormatDetector.detect(bytes: bytes, fileName: "x.ofd") == .ofd, "\(what)") }
            #expect(throws: NianbaoError.self, "\(what)") { try OFDReader.document(from: bytes) }
            guard what != "no OFD.xml" else { continue }
            let result = pipeline.check(pipeline.input(fileName: "坏.ofd", bytes: bytes), checkedAt: "")
            #expect(result.verdict == .rejected)
            let note = result.note(fileName: "坏.ofd", language: .zh)
            if what == "no text" {
                #expect(note.contains("no-text-layer") && note.contains("OFD 文件没有文字层"), "\(what): \(note)")
            } else {
                #expect(note.contains("corrupt-file") && note.contains("文件已损坏或不完整"), "\(what): \(note)")
            }
        }
    }

    /// The OFD files committed in Tests/Fixtures/ofd (the fuzzer's seeds, and files to try by
    /// hand) are this writer's: they read as a fresh rendering does. Rewrite them with
    /// `NIANBAO_WRITE_FIXTURES=1 swift test --filter OFDReaderTests`.
    @Test("the committed OFD files are the writer's renderings")
    func committed() throws {
        var plain = OFDWriter()
        plain.placement = .ctm
        plain.prefix = ""
        plain.gRuns = true
        plain.embeddedFont = true
        let files: [(String, String, OFDWriter)] = [
            ("r05-2021-portrait-serif.ofd", "r05-2021-portrait-serif", OFDWriter()),
            ("r05-wrong.ofd", "r05-wrong", OFDWriter()),
            ("r01-2019-portrait-serif-ctm.ofd", "r01-2019-portrait-serif", plain),
        ]
        let folder = Fixtures.directory.appendingPathComponent("ofd")
        for (file, name, writer) in files {
            let fresh = try Self.ofd(name, writer)
            let url = folder.appendingPathComponent(file)
            if ProcessInfo.processInfo.environment["NIANBAO_WRITE_FIXTURES"] == "1" {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(fresh).write(to: url)
            }
            let committed = [UInt8](try Data(contentsOf: url))
            #expect(try OFDReader.document(from: committed) == OFDReader.document(from: fresh), "\(file)")
        }
    }

    @Test("a DTD or an absurd nesting is refused")
    func hostile() throws {
        let entries = try ZipBuilder.entries(of: try Self.ofd("r01-2019-portrait-serif"))
        let dtd = try ZipBuilder.zip(entries.map {
            $0.path == "OFD.xml" ? ($0.path, Data("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><OFD>&a;</OFD>".utf8)) : $0
        })
        #expect(throws: NianbaoError.self) { try OFDReader.document(from: dtd) }
        let deep = String(repeating: "<PageBlock>", count: 300) + String(repeating: "</PageBlock>", count: 300)
        let nested = try ZipBuilder.zip(entries.map {
            $0.path.hasSuffix("Page_0/Content.xml") ? ($0.path, Data("<Page><Content><Layer>\(deep)</Layer></Content></Page>".utf8)) : $0
        })
        #expect(throws: NianbaoError.self) { try OFDReader.document(from: nested) }
    }
}
