import Foundation
import Testing
import NianbaoReaders

/// The real binary on .doc, .rtf, .odt and OFD: the conversion and the OFD reader run in the
/// reader child (`nianbao read-document`), and the clerk's note names the wrong cell where the
/// document shows it.
@Suite("other office formats (the real binary)")
struct OfficeFormatsCommandTests {
    static func fixture(_ name: String) -> String { CheckCommandTests.fixture(name) }

    /// Runs the binary with `input` on its standard input.
    static func run(_ args: [String], input: String) throws -> CheckCommandTests.Run {
        try CheckCommandTests.run(args, input: input)
    }

    @Test("a wrong cell in a .doc, .rtf or .odt is named by table, row and column", .enabled(if: OfficeConverter.isAvailable),
          arguments: ["doc", "rtf", "odt"])
    func converted(_ ext: String) throws {
        let started = ContinuousClock.now
        let r = try CheckCommandTests.run(["check", Self.fixture("office-corpus/r05-wrong.\(ext)")])
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("错误[table3-wrong-cell]：“（一）予以公开”行“自然人”列填 15，按本行总计与本列（七）总计推算应为 12"), "\(r.stdout)")
        #expect(r.stdout.contains("--> r05-wrong.\(ext)：第 2 个表格，第 6 行（“（一）予以公开”），第 4 列（“自然人”）"), "\(r.stdout)")
        let ok = try CheckCommandTests.run(["check", Self.fixture("office-corpus/r05-2021-portrait-serif.\(ext)")])
        #expect(ok.status == 0, "\(ok.stdout)")
    }

    @Test("a Word report laid out in a frame (its body in the cell of a 1×1 table) reads as the report itself")
    func framed() throws {
        let r = try CheckCommandTests.run(["check", Self.fixture("office-corpus/r05-wrong-framed.docx")])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(!r.stdout.contains("not-a-report"), "\(r.stdout.prefix(1500))")
        #expect(r.stdout.contains("机关：安平县河口镇人民政府"), "\(r.stdout.prefix(600))")
        #expect(r.stdout.contains("错误[table3-wrong-cell]：“（一）予以公开”行“自然人”列填 15，按本行总计与本列（七）总计推算应为 12"), "\(r.stdout)")
        // its tables are the report's: the second is section 三's, as in the unframed report
        #expect(r.stdout.contains("--> r05-wrong-framed.docx：第 2 个表格，第 6 行（“（一）予以公开”），第 4 列（“自然人”）"), "\(r.stdout)")
        // nothing else found: the same findings as the report without its frame
        let plain = try CheckCommandTests.run(["check", "--format", "json", Self.fixture("office-corpus/r05-wrong.docx")])
        let framedJSON = try CheckCommandTests.run(["check", "--format", "json", Self.fixture("office-corpus/r05-wrong-framed.docx")])
        func codes(_ json: String) -> [String] {
            json.split(separator: "\n").filter { $0.contains("\"code\":") }.map { String($0.trimmingCharacters(in: .whitespaces)) }.sorted()
        }
        #expect(codes(framedJSON.stdout) == codes(plain.stdout))
    }

    @Test("a wrong cell in an OFD is named by page, row and column")
    func ofd() throws {
        let r = try CheckCommandTests.run(["check", "--format", "json", Self.fixture("ofd/r05-wrong.ofd")])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"format\": \"ofd\""))
        // on page 2, in the box the figure is drawn in (a figure's size, left of the page's right edge)
        let place = try #require(r.stdout.range(of: "\"page\": 2,\n          \"box\": ["), "\(r.stdout.prefix(3000))")
        let corners = r.stdout[place.upperBound...].prefix { $0 != "]" }.split(separator: ",").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        #expect(corners.count == 4 && corners[2] - corners[0] < 30 && corners[3] - corners[1] < 20 && corners[2] < 595, "\(corners)")
        #expect(r.stdout[place.upperBound...].contains("],\n          \"row_label\": \"（一）予以公开\",\n          \"column_label\": \"自然人\""))
        #expect(try CheckCommandTests.run(["check", Self.fixture("ofd/r05-2021-portrait-serif.ofd")]).status == 0)
    }

    @Test("the reader child converts with the LibreOffice it is given, and names the package when there is none")
    func child() throws {
        let missing = try Self.run(["read-document", "--format", "doc", "--soffice", "/nonexistent/soffice"],
                                   input: Self.fixture("office-corpus/r05-wrong.doc"))
        #expect(missing.status == 0)
        #expect(missing.stdout.hasPrefix("nianbao-read/3 error libreoffice-missing\n")
                 && missing.stdout.contains("a Word 97-2003 document (.doc) cannot be read"), "\(missing.stdout)")
        guard OfficeConverter.isAvailable else { return }
        let read = try Self.run(["read-document", "--format", "doc", "--memory-limit", String(3 << 30), "--cpu-limit", "60"],
                                input: Self.fixture("office-corpus/r05-wrong.doc"))
        #expect(read.status == 0, "\(read.stderr)")
        let header = Array("nianbao-read/3 ok\n".utf8)
        #expect(read.stdoutBytes.starts(with: header), "\(read.stdout.prefix(200))")
        // the typed document: the row's cells as the reader read them
        let document = try DocumentCoding.decode(Array(read.stdoutBytes.dropFirst(header.count)))
        #expect(document.format == .doc && document.encoding == nil)
        let cells = try #require(document.tables.flatMap(\.rows).first { $0.cells.contains { $0.text == "（一）予以公开" } }?.cells)
        let k = try #require(cells.firstIndex { $0.text == "（一）予以公开" })
        #expect(k + 1 < cells.count && cells[k + 1].text == "15", "\(cells.map(\.text))")
    }
}
