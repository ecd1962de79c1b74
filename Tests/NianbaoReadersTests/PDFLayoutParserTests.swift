import Testing

@testable import NianbaoReaders

/// The byte scanner over `pdftotext -bbox-layout` XHTML.
@Suite struct PDFLayoutParserTests {
    static func xhtml(_ body: String, title: String = "report") -> [UInt8] {
        Array("""
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml">
            <head>
            <title>\(title)</title>
            <meta name="Producer" content="x"/>
            </head>
            <body>
            <doc>
            \(body)
            </doc>
            </body>
            </html>
            """.utf8)
    }

    @Test func pagesWordsAndBoxes() {
        let pages = PDFLayoutParser.pages(Self.xhtml("""
              <page width="595.000000" height="842.000000">
                <flow>
                  <block xMin="74.280000" yMin="299.677950" xMax="518.509100" yMax="321.130700">
                    <line xMin="74.280000" yMin="299.677950" xMax="518.509100" yMax="321.130700">
                      <word xMin="74.280000" yMin="302.182100" xMax="249.469100" yMax="320.109900">信息公开条例》（国令第</word>
                      <word xMin="253.440000" yMin="299.677950" xMax="277.494700" yMax="321.130700">711</word>
                    </line>
                  </block>
                </flow>
              </page>
              <page width="842" height="595">
                <flow><block><line>
                  <word yMin="10" xMin="1.5" yMax="20" xMax="30.25">二</word>
                </line></block></flow>
              </page>
            """))
        #expect(pages.count == 2)
        #expect(pages[0].width == 595 && pages[0].height == 842)
        #expect(pages[0].words == [
            PDFWord(x0: 74.28, y0: 302.1821, x1: 249.4691, y1: 320.1099, text: "信息公开条例》（国令第"),
            PDFWord(x0: 253.44, y0: 299.67795, x1: 277.4947, y1: 321.1307, text: "711"),
        ])
        // attributes in any order
        #expect(pages[1].width == 842 && pages[1].words == [PDFWord(x0: 1.5, y0: 10, x1: 30.25, y1: 20, text: "二")])
    }

    @Test func entitiesAreDecoded() {
        let pages = PDFLayoutParser.pages(Self.xhtml("""
            <page width="100" height="100">
            <word xMin="1" yMin="1" xMax="2" yMax="2">A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;</word>
            <word xMin="1" yMin="1" xMax="2" yMax="2">&#x4E00;&#20108;&#X4e09;</word>
            <word xMin="1" yMin="1" xMax="2" yMax="2">&unknown; &amp &#xZZ; &#1114112;</word>
            </page>
            """))
        #expect(pages.first?.words.map(\.text) == ["A&B <c> \"d\" 'e'", "一二三", "&unknown; &amp &#xZZ; &#1114112;"])
    }

    @Test func headIsSkippedAndOddWordsDropped() {
        // the title as pdftotext writes an unmarked UTF-16 title: bytes that are no UTF-8
        var bytes = Self.xhtml("""
            <page width="100" height="100">
            <word xMin="1" yMin="1" xMax="2">no yMax</word>
            <word xMin="1" yMin="1" xMax="2" yMax="x">bad number</word>
            <word xMin="1" yMin="1" xMax="2" yMax="2">  </word>
            <word xMin="1" yMin="1" xMax="2" yMax="2">tab\there</word>
            </page>
            """, title: "<word xMin=\"1\" yMin=\"1\" xMax=\"2\" yMax=\"2\">in the head</word>")
        let title = bytes.indices.first { bytes[$0...].starts(with: Array("<title>".utf8)) }!
        bytes.insert(contentsOf: [0xFF, 0xFE, 0x3F, 0x65], at: title + 7)
        let pages = PDFLayoutParser.pages(bytes)
        #expect(pages.count == 1)
        // a TAB inside a word would break the row convention: it becomes a space
        #expect(pages.first?.words.map(\.text) == ["tab here"])
    }

    @Test func truncatedOrEmptyInput() {
        #expect(PDFLayoutParser.pages([]).isEmpty)
        #expect(PDFLayoutParser.pages(Array("<doc><page width=\"1\" height=\"1\"><word xMin=\"1\" yMin".utf8)).count == 1)
        #expect(PDFLayoutParser.pages(Array("<doc><page width=\"1\" height=\"1\"><word xMin=\"1\" yMin=\"1\" xMax=\"2\" yMax=\"2\">abc".utf8))
            .first?.words.map(\.text) == ["abc"])
        // words outside any page are dropped
        #expect(PDFLayoutParser.pages(Array("<doc><word xMin=\"1\" yMin=\"1\" xMax=\"2\" yMax=\"2\">x</word>".utf8)).isEmpty)
    }

    @Test func numbers() {
        func n(_ s: String) -> Double? {
            let b = Array(s.utf8)
            return b.withUnsafeBufferPointer { PDFLayoutParser.number($0, 0..<b.count) }
        }
        #expect(n("595.000000") == 595)
        #expect(n("-1.25") == -1.25)
        #expect(n("12") == 12)
        #expect(n("") == nil && n("1.2.3") == nil && n("1e5") == nil && n("-") == nil)
    }
}
