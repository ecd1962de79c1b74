import Foundation
import NianbaoKit
import Testing

@testable import NianbaoReaders
import NianbaoCore
import NianbaoText
import NianbaoExtract
import NianbaoRender

/// Reports saved as one-file web pages (Tests/Fixtures/mhtml-corpus, made by
/// scripts/make-mhtml-corpus with Python's own MIME library): as Chrome and Edge save a page
/// (.mhtml, quoted-printable UTF-8), as Word and WPS save "单个文件网页" (.mht, quoted-printable
/// GB2312, CRLF) and in base64. Each is read as the web page inside it: the same cells as the
/// report, the same verdicts as its .docx, the wrong cell named in its table, row and column.
struct MHTMLTests {
    static let directory = Fixtures.directory.appendingPathComponent("mhtml-corpus")
    static let reports = ["r01-2019-portrait-serif", "r05-2021-portrait-serif", "r05-wrong"]
    static let variants = ["blink.mhtml", "word.mht", "base64.mht"]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("a web archive is told as a web page by its content, whatever its name", arguments: variants)
    func detected(_ variant: String) throws {
        let bytes = try Self.bytes("r05-2021-portrait-serif.\(variant)")
        for name in ["年报.\(variant.split(separator: ".").last!)", "年报", "年报.txt", "年报.html"] {
            #expect(FormatDetector.detect(bytes: bytes, fileName: name) == .html, "\(variant) named \(name)")
        }
    }

    @Test("every cell read as the report holds it", arguments: ["r01-2019-portrait-serif", "r05-2021-portrait-serif"], variants)
    func cells(_ name: String, _ variant: String) throws {
        let out = try DocumentReader.read(bytes: Self.bytes("\(name).\(variant)"), fileName: "r.\(variant)")
        #expect(out.format == .html)
        let wrong = try ExpectedCells.mismatches(Extractor.extract(TextDocument(out.text)), expected: name)
        #expect(wrong.isEmpty, Comment(rawValue: "\(name).\(variant):\n" + wrong.joined(separator: "\n")))
    }

    @Test("the same verdict and findings as the .docx; the wrong cell named with the figure it should be", arguments: variants)
    func verdicts(_ variant: String) throws {
        let pipeline = Pipeline()
        for name in Self.reports {
            let docxBytes = try [UInt8](Data(contentsOf: OfficeConversionTests.directory.appendingPathComponent(name + ".docx")))
            let docx = pipeline.check(pipeline.input(fileName: name + ".docx", bytes: docxBytes), checkedAt: "")
            let file = "\(name).\(variant)"
            let result = pipeline.check(pipeline.input(fileName: file, bytes: try Self.bytes(file)), checkedAt: "")
            #expect(result.verdict == docx.verdict, "\(file)")
            #expect(result.diagnostics.map(\.code) == docx.diagnostics.map(\.code), "\(file)")
            let json = result.json.serialized()
            #expect(json.contains("\"format\": \"html\""), "\(file)")
            // the page's own charset is what the JSON reports
            #expect(json.contains(variant.hasPrefix("word") ? "\"encoding\": \"gb2312\"" : "\"encoding\": \"utf-8\""), "\(file)")
            guard name == "r05-wrong" else { continue }
            let d = try #require(result.diagnostics.first { $0.code == .table3WrongCell }, "\(file): no wrong cell")
            #expect(d.row == "granted" && d.columnKey == "natural")
            let note = result.note(fileName: file, language: .zh)
            #expect(note.contains("“（一）予以公开”行“自然人”列填 15，按本行总计与本列（七）总计推算应为 12"), "\(note)")
            #expect(note.contains("第 6 行（“（一）予以公开”），第 4 列（“自然人”）"), "\(note)")
        }
    }

    @Test("a web archive without a web page in it is rejected with a note saying so, not read as text")
    func noPage() throws {
        let mime = """
            MIME-Version: 1.0\r
            Content-Type: multipart/related; boundary="b1"\r
            \r
            --b1\r
            Content-Type: image/png\r
            Content-Transfer-Encoding: base64\r
            \r
            iVBORw0KGgo=\r
            --b1--\r

            """
        let bytes = Array(mime.utf8)
        #expect(FormatDetector.detect(bytes: bytes, fileName: "年报.mht") == .html)
        let pipeline = Pipeline()
        let result = pipeline.check(pipeline.input(fileName: "年报.mht", bytes: bytes), checkedAt: "")
        #expect(result.verdict == .rejected)
        let note = result.note(fileName: "年报.mht", language: .zh)
        #expect(note.contains("corrupt-file"), "\(note)")
    }

    @Test("a mail-like text that is no web archive stays text")
    func notAnArchive() {
        let text = Array("Subject: 2024年政府信息公开工作年度报告\n\n一、总体情况\n".utf8)
        #expect(!MHTML.looksLike(text))
        #expect(FormatDetector.detect(bytes: text, fileName: "a.txt") == .txt)
    }

    @Test("quoted-printable and base64 as RFC 2045 defines them")
    func transferEncodings() {
        let qp = Array("Now's the time =\r\nfor all folk to come=\n to the aid of =E5=B9=B4=e6=8a=a5.".utf8)
        #expect(String(decoding: MHTML.quotedPrintable(qp[...]), as: UTF8.self)
                == "Now's the time for all folk to come to the aid of 年报.")
        #expect(String(decoding: MHTML.base64(Array("5bm0\r\n5oql".utf8)[...]), as: UTF8.self) == "年报")
        #expect(MHTML.base64(Array("TWE=".utf8)[...]) == Array("Ma".utf8))
    }
}
