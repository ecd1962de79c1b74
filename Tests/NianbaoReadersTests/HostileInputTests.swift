import Foundation
import Testing
import NianbaoCore
import ZIPFoundation

@testable import NianbaoReaders

/// Hostile or broken files give a NianbaoError or sane output: never a crash or a hang.
@Suite struct HostileInputTests {
    static let spaces = Data(repeating: 0x20, count: 1 << 20)

    @Test func zipBombIsStopped() throws {
        // document.xml: 200 MB of spaces, deflated to a few hundred KB.
        let size: Int64 = 200 << 20
        let head = Data(#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#.utf8)
        let bomb = try ZipBuilder.zip(path: "word/document.xml", size: size,
                                      extra: [("[Content_Types].xml", Data("<Types/>".utf8))]) { position, chunk in
            if position == 0 {
                return head + Self.spaces.prefix(chunk - head.count)
            }
            return Self.spaces.prefix(chunk)
        }
        #expect(bomb.count < 2 << 20)
        #expect(FormatDetector.detect(bytes: bomb, fileName: "bomb.docx") == .docx)
        let error = readerError { try DocxReader.text(from: bomb) }
        guard (error as? NianbaoError)?.code == .tooLarge else {
            Issue.record("expected .tooLarge, got \(String(describing: error))")
            return
        }
    }

    @Test func zipBombWithLyingHeaderIsStoppedWhileInflating() throws {
        let size: Int64 = 80 << 20
        var bomb = try ZipBuilder.zip(path: "word/document.xml", size: size) { _, chunk in Self.spaces.prefix(chunk) }
        // Claim 1000 bytes in the local header (offset 22) and in the central directory (+24).
        func patch(_ offset: Int) {
            let v: UInt32 = 1000
            for k in 0..<4 { bomb[offset + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
        }
        patch(22)
        let central = try #require(ByteSearch.find([0x50, 0x4B, 0x01, 0x02], in: bomb, range: 0..<bomb.count))
        patch(central + 24)
        let clock = ContinuousClock()
        let start = clock.now
        let error = readerError { try DocxReader.text(from: bomb) }
        #expect(clock.now - start < .seconds(60))
        switch (error as? NianbaoError)?.code {
        case .hostileFile?, .corruptFile?: break
        default: Issue.record("expected .hostile or .corrupt, got \(String(describing: error))")
        }
    }

    static let laughs = """
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
         <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
         <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
         <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
         <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
         <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
         <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
         <!ENTITY xxe SYSTEM "file:///etc/passwd">
        ]>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\
        <w:p><w:r><w:t>&lol9;&xxe;</w:t></w:r></w:p></w:body></w:document>
        """

    @Test func billionLaughsIsRefused() throws {
        let docx = try ZipBuilder.zip([("word/document.xml", Data(Self.laughs.utf8))])
        #expect(throws: NianbaoError.hostile("word/document.xml declares a DTD")) { try DocxReader.text(from: docx) }
        // The DTD hidden behind 8 KB of comment still does not expand (libxml2 never substitutes).
        let hidden = "<?xml version=\"1.0\"?><!--" + String(repeating: "x", count: 8192) + "-->" + Self.laughs
        let docx2 = try ZipBuilder.zip([("word/document.xml", Data(hidden.utf8))])
        let clock = ContinuousClock()
        let start = clock.now
        let error = readerError { try DocxReader.text(from: docx2) }
        #expect(clock.now - start < .seconds(10))
        switch (error as? NianbaoError)?.code {
        case .hostileFile?, .corruptFile?: break
        default: Issue.record("expected .hostile or .corrupt, got \(String(describing: error))")
        }
    }

    @Test func truncatedAndCorruptZips() throws {
        let docx = try Fixtures.bytes("template-2021.docx")
        for cut in [10, 100, docx.count / 2, docx.count - 30] {
            let truncated = Array(docx.prefix(cut))
            let error = readerError { try DocxReader.text(from: truncated) }
            #expect(error is NianbaoError, "cut at \(cut)")
            _ = FormatDetector.detect(bytes: truncated, fileName: "a.docx")
        }
        // Flipped bytes in the middle of the deflated data.
        var flipped = docx
        for i in stride(from: 200, to: flipped.count - 2000, by: 97) { flipped[i] ^= 0x5A }
        let result = readerError { try DocxReader.text(from: flipped) }
        #expect(result == nil || result is NianbaoError)
        // Not a zip at all, and a zip without document.xml.
        #expect(throws: NianbaoError.self) { try DocxReader.text(from: Array("PK not really".utf8)) }
        let noDocument = try ZipBuilder.zip([("word/other.xml", Data("<x/>".utf8))])
        #expect(throws: NianbaoError.corrupt("no word/document.xml in the archive")) {
            try DocxReader.text(from: noDocument)
        }
        // document.xml that is not XML.
        let garbage = try ZipBuilder.zip([("word/document.xml", Data([0x00, 0xFF, 0x3C, 0x3C, 0x3E]))])
        #expect(throws: NianbaoError.self) { try DocxReader.text(from: garbage) }
    }

    @Test func tooManyEntries() throws {
        var entries: [(path: String, data: Data)] = [("word/document.xml", Data(ZipBuilder.documentXML(body: "").utf8))]
        for i in 0..<2100 { entries.append(("x/\(i)", Data())) }
        let zip = try ZipBuilder.zip(entries)
        let error = readerError { try DocxReader.text(from: zip) }
        guard (error as? NianbaoError)?.code == .hostileFile else {
            Issue.record("expected .hostile, got \(String(describing: error))")
            return
        }
    }

    @Test func deeplyNestedDocx() throws {
        // 1,000 nested content controls: libxml2's depth limit or ours stops it.
        let open = String(repeating: "<w:sdt><w:sdtContent>", count: 1000)
        let close = String(repeating: "</w:sdtContent></w:sdt>", count: 1000)
        let docx = try ZipBuilder.docx(body: open + "<w:p><w:r><w:t>深</w:t></w:r></w:p>" + close)
        let error = readerError { try DocxReader.text(from: docx) }
        guard (error as? NianbaoError)?.code == .hostileFile else {
            Issue.record("expected .hostile, got \(String(describing: error))")
            return
        }
        // Nesting within the limits reads.
        let shallow = String(repeating: "<w:sdt><w:sdtContent>", count: 50) + "<w:p><w:r><w:t>浅</w:t></w:r></w:p>"
            + String(repeating: "</w:sdtContent></w:sdt>", count: 50)
        #expect(try DocxReader.text(from: ZipBuilder.docx(body: shallow)) == "浅")
    }

    @Test func deeplyNestedHTML() throws {
        for tag in ["div", "span", "table"] {
            let html = "<html><body>" + String(repeating: "<\(tag)>", count: 100_000) + "一、总体情况"
                + String(repeating: "</\(tag)>", count: 100_000) + "</body></html>"
            let clock = ContinuousClock()
            let start = clock.now
            // libxml2 stops at its depth limit (recovering) or the page reads: either is fine.
            if let (text, _) = try? HTMLReader.text(from: Array(html.utf8)) {
                #expect(text.count < 1000)
            }
            #expect(clock.now - start < .seconds(30))
        }
        // Unclosed nested tables, cells and rows.
        let messy = String(repeating: "<table><tr><td>格", count: 20_000)
        #expect(throws: Never.self) { _ = try HTMLReader.text(from: Array(messy.utf8)) }
    }

    @Test func hugeHTMLIsCapped() {
        var big = [UInt8](repeating: UInt8(ascii: "a"), count: HTMLReader.maximumBytes + 16)
        big.replaceSubrange(0..<15, with: Array("<html><body><p>".utf8))
        let error = readerError { try HTMLReader.text(from: big) }
        guard (error as? NianbaoError)?.code == .tooLarge else {
            Issue.record("expected .tooLarge, got \(String(describing: error))")
            return
        }
    }

    @Test func binaryGarbageAsHTMLAndText() throws {
        var rng = SystemRandomNumberGenerator()
        let garbage = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let html = Array("<html><body>".utf8) + garbage
        #expect(throws: Never.self) { _ = try? HTMLReader.text(from: html) }
        let format = FormatDetector.detect(bytes: garbage, fileName: "x.txt")
        #expect(format == .unknown || format == .image || format == .archive || format == .pdf || format == .txt)
        #expect(throws: NianbaoError.self) { try DocumentReader.read(bytes: [0, 0, 0, 0, 1, 2, 3], fileName: "x.txt") }
    }
}
