#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import NianbaoExtract
import NianbaoText
import NianbaoCore
import NianbaoModel
import NianbaoTestSupport

// Hostile input never crashes extraction or decoding and finishes promptly; every encoding
// nianbao accepts decodes a real report to the same text and the same cells.

enum FixtureFiles {
    static let directory: String = TestFixtures.directory.path

    static func bytes(_ name: String) -> [UInt8] {
        guard let f = fopen(directory + "/" + name, "rb") else { return [] }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    static func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }

    static let seed3 = "003_37e901e8ac7f78da.txt"
}

/// Encodes UTF-8 text into another encoding with iconv (nil when iconv refuses).
func iconvEncode(_ s: String, to target: String) -> [UInt8]? {
    let cd = iconv_open(target, "UTF-8")
    if cd == iconv_t(bitPattern: -1) { return nil }
    defer { iconv_close(cd) }
    var input = Array(s.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let left: Int? = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            return r == -1 || inLeft != 0 ? nil : outLeft
        }
    }
    guard let left else { return nil }
    output.removeLast(left)
    return output
}

/// Invariants every extracted report keeps, whatever the input.
func checkInvariants(_ r: AnnualReport, sourceComment: Comment? = nil) {
    let spec = r.format
    let numbers = r.sections.map(\.number)
    #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, sourceComment)
    if let t2 = r.table2 {
        #expect(t2.rows.count == spec.table2.reduce(0) { $0 + $1.rows.count }, sourceComment)
        for row in t2.rows { #expect(row.row.cells.count == row.columns.count, sourceComment) }
    }
    if let t3 = r.table3 {
        #expect(t3.rows.count == spec.table3Rows.count, sourceComment)
        for row in t3.rows { #expect(row.row.cells.count == 7, sourceComment) }
    }
    if let t4 = r.table4 { #expect(t4.row.cells.count == 15, sourceComment) }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

@Suite("Hostile input", .timeLimit(.minutes(5)))
struct HostileInputTests {
    static let headings = FormatSpec.sections.map { $0.numeral + "、" + $0.heading }

    @Test("empty text")
    func empty() {
        let r = Extractor.extract(TextDocument(""))
        #expect(r.sections.isEmpty)
        #expect(r.table2 == nil && r.table3 == nil && r.table4 == nil)
        #expect(r.title == nil && r.year == nil)
        let blank = Extractor.extract(TextDocument("\n\n\r\n\t\t\n   \u{3000}\n"))
        #expect(blank.sections.isEmpty && blank.table3 == nil)
    }

    @Test("bytes 0…255 repeated are refused as not text")
    func allBytes() {
        let bytes = (0..<64).flatMap { _ in (0...255).map(UInt8.init) }
        let e = #expect(throws: NianbaoError.self) { try TextDecoder.decode(bytes) }
        #expect(e?.code == .fileUnreadable && e?.operation == "decode")
        guard case .refused(let refusal) = TextDecoder.attempt(bytes) else { Issue.record("decoded"); return }
        #expect(refusal.kind == .binary)
        // without NUL bytes: still not text
        let noNul = (0..<64).flatMap { _ in (1...255).map(UInt8.init) }
        #expect(throws: NianbaoError.self) { try TextDecoder.decode(noNul) }
        // every single byte on its own decodes or throws, never crashes
        for b in 0...255 {
            _ = try? TextDecoder.decode([UInt8(b)])
            _ = try? TextDecoder.decode([UInt8(b), UInt8(b)])
        }
    }

    @Test("a 50 MB text completes (read up to TextDocument.maximumScalars)")
    func fiftyMegabytes() {
        let seed = FixtureFiles.text(FixtureFiles.seed3)
        let copies = 50_000_000 / seed.utf8.count + 1
        let big = String(repeating: seed, count: copies)
        #expect(big.utf8.count >= 50_000_000)
        let clock = ContinuousClock()
        var report = AnnualReport()
        var doc: TextDocument?
        let took = clock.measure {
            let d = TextDocument(big)
            report = Extractor.extract(d)
            doc = d
        }
        print("HostileInputTests: \(big.utf8.count) bytes (\(copies) copies of seed 003) extracted in \(seconds(took)) s")
        #expect(doc?.truncated == true)
        // the first copy is read as the report
        #expect(report.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(report.table3?.row("new")?.row.cells.first?.value == 1)
        checkInvariants(report)
    }

    @Test("every section heading but no tables")
    func headingsOnly() {
        var text = "某某镇人民政府2020年政府信息公开工作年度报告\n"
        for h in Self.headings { text += h + "\n本部分内容从略。\n" }
        let r = Extractor.extract(TextDocument(text))
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(r.table2 == nil)
        #expect(r.table3 == nil)
        #expect(r.table4 == nil)
        #expect(r.year == 2020)
    }

    @Test("section 三 with 200 columns per row", arguments: ["\t", " "])
    func twoHundredColumns(separator: String) {
        let spec = FormatSpec.y2019
        var text = "某某镇人民政府2020年政府信息公开工作年度报告\n"
        text += Self.headings[0] + "\n" + Self.headings[1] + "\n" + Self.headings[2] + "\n"
        for row in spec.table3Rows {
            text += ([row.label] + (0..<200).map { "\($0 % 10)" }).joined(separator: separator) + "\n"
        }
        text += Self.headings[3] + "\n"
        let r = Extractor.extract(TextDocument(text))
        #expect(r.format.edition == .y2019)
        guard let t3 = r.table3 else {
            Issue.record("no table 三")
            return
        }
        for row in t3.rows {
            #expect(row.present, "\(row.key)")
            #expect(row.row.found > 7, "\(row.key) found \(row.row.found)")
            #expect(!row.row.extra.isEmpty, "\(row.key)")
            #expect(!row.row.aligned)
            #expect(row.row.cells.count == 7)
        }
        checkInvariants(r)
    }

    @Test("a line of 1,000,000 characters", arguments: ["三", "0 ", "0\t", "一、本年新收", "（"])
    func millionCharacterLine(unit: String) {
        let long = String(repeating: unit, count: 1_000_000 / unit.count)
        let seed = FixtureFiles.text(FixtureFiles.seed3)
        let heading3 = "三、收到和处理政府信息公开申请情况\n"
        #expect(seed.firstRange(of: heading3) != nil)
        let clock = ContinuousClock()
        for text in [long, long + "\n" + seed, seed.replacingFirst("三、收到和处理政府信息公开申请情况\n", with: "三、收到和处理政府信息公开申请情况\n" + long + "\n")] {
            var r = AnnualReport()
            let took = clock.measure { r = Extractor.extract(TextDocument(text)) }
            #expect(seconds(took) < 60, "took \(seconds(took)) s")
            checkInvariants(r)
        }
    }

    @Test("seeded random unicode garbage, 200 cases")
    func garbage() {
        var rng = SplitMix64(seed: 0xBADC0DE)
        let vocabulary = Self.headings + FormatSpec.y2021.table3Rows.map(\.label) + FormatSpec.y2019.table3Rows.map(\.label)
            + FormatSpec.y2019.table2.flatMap { [$0.caption] + $0.columns + $0.rows.map(\.label) }
            + FormatSpec.table4ResultLabels + ["\t", "\n", "\r", "\r\n", " ", "0", "12", "-3", "+4", "1.5", "万元", "元", "/", "—",
                                               "无", "2020年", "1月1日至12月31日", "（", "）", "1.", "2、", "年度报告", "\u{FEFF}", "\u{3000}"]
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0x4E00...0x9FFF, 0xFF01...0xFF5E, 0x3000...0x303F, 0x0300...0x036F,
                                             0x1F300...0x1F6FF, 0xE000...0xF8FF, 0x10000...0x10FFFF, 0x00...0x1F, 0x80...0x9F]
        let clock = ContinuousClock()
        var slowest = 0.0
        for n in 0..<200 {
            var s = String.UnicodeScalarView()
            let pieces = rng.int(0...(n < 100 ? 300 : 3000))
            for _ in 0..<pieces {
                if rng.chance(0.4) {
                    s.append(contentsOf: rng.pick(vocabulary).unicodeScalars)
                } else {
                    let r = rng.pick(ranges)
                    for _ in 0..<rng.int(1...8) {
                        let v = r.lowerBound + UInt32(rng.int(0...Int(r.upperBound - r.lowerBound)))
                        if let u = Unicode.Scalar(v) { s.append(u) }
                    }
                }
            }
            let text = String(s)
            var r = AnnualReport()
            let took = clock.measure { r = Extractor.extract(TextDocument(text)) }
            slowest = max(slowest, seconds(took))
            checkInvariants(r, sourceComment: "garbage case \(n)")
            // the same text as bytes decodes or is refused, never crashes
            if let (decoded, _) = try? TextDecoder.decode(Array(text.utf8)) { #expect(decoded == text) }
        }
        print("HostileInputTests: 200 garbage cases, slowest extraction \(slowest) s")
        #expect(slowest < 10)
    }

    // MARK: - Decoding

    @Test("seed 003 in every accepted encoding decodes to the same text and cells")
    func encodings() throws {
        let utf8 = FixtureFiles.bytes(FixtureFiles.seed3)
        try #require(!utf8.isEmpty)
        let (text, enc) = try TextDecoder.decode(utf8)
        #expect(enc == .utf8)
        let expected = Extractor.extract(TextDocument(text))
        #expect(expected.table3?.row("new")?.row.cells.first?.value == 1)

        let gb = try #require(iconvEncode(text, to: "GB18030"))
        #expect(gb != utf8)
        var le: [UInt8] = [0xFF, 0xFE], be: [UInt8] = [0xFE, 0xFF]
        for u in text.utf16 {
            le += [UInt8(u & 0xFF), UInt8(u >> 8)]
            be += [UInt8(u >> 8), UInt8(u & 0xFF)]
        }
        let bom = [0xEF, 0xBB, 0xBF] + utf8
        let cases: [(String, [UInt8], TextEncoding)] = [
            ("GB18030", gb, .gb18030), ("UTF-16LE", le, .utf16LE), ("UTF-16BE", be, .utf16BE), ("UTF-8 BOM", bom, .utf8BOM),
        ]
        for (name, bytes, encoding) in cases {
            let (t, e) = try TextDecoder.decode(bytes)
            #expect(e == encoding, "\(name)")
            #expect(t == text, "\(name)")
            let r = Extractor.extract(TextDocument(t))
            #expect(r == expected, "\(name)")
            #expect(r.table2?.rows.map(\.row) == expected.table2?.rows.map(\.row), "\(name)")
            #expect(r.table3?.rows.map(\.row) == expected.table3?.rows.map(\.row), "\(name)")
            #expect(r.table4?.row == expected.table4?.row, "\(name)")
        }
        #expect(TextEncoding.utf8BOM.reportName == "utf-8")
    }

    @Test("invalid bytes are refused, saying why")
    func invalidBytes() {
        let report = Array("年度报告".utf8)
        let cases: [(String, [UInt8], TextDecoder.Refusal.Kind?)] = [
            ("empty", [], .empty),
            ("UTF-8 then 0xFF", report + [0xFF, 0x41], .undecodable),
            ("UTF-8 BOM then a truncated sequence", [0xEF, 0xBB, 0xBF] + report + [0xE5, 0xB9], .undecodable),
            ("UTF-16LE BOM, lone high surrogate", [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], .undecodable),
            ("UTF-16BE BOM, lone low surrogate", [0xFE, 0xFF, 0xDC, 0x00, 0x00, 0x41], .undecodable),
            ("NUL inside invalid UTF-8", report + [0x00, 0xC3], .binary),
            ("control characters", Array(repeating: 0x01, count: 100), .binary),
            ("GB18030 lead byte at the end", Array("年度".utf8) + [0x81], nil),
        ]
        for (name, bytes, kind) in cases {
            #expect(throws: NianbaoError.self, "\(name)") { try TextDecoder.decode(bytes) }
            guard case .refused(let refusal) = TextDecoder.attempt(bytes) else {
                Issue.record("\(name) decoded")
                continue
            }
            if let kind { #expect(refusal.kind == kind, "\(name)") }
        }
    }

    /// What the long way (`attempt`: the standard library's validation, then the count of bad
    /// characters) makes of `bytes`, and what the one-pass reading gives: the same text and
    /// encoding, or a refusal both ways.
    static func expectSameReading(_ bytes: [UInt8], _ name: String) {
        let plain = try? TextDecoder.plainText(bytes)
        switch TextDecoder.attempt(bytes) {
        case .text(let text, let encoding):
            #expect(plain?.string == text && plain?.encoding == encoding, "\(name): \(bytes.prefix(24))")
            #expect(plain.map { Array($0.string.utf8) == $0.utf8 } == true, "\(name)")
        case .refused:
            #expect(plain == nil, "\(name): \(bytes.prefix(24))")
        }
    }

    @Test("the one-pass UTF-8 reading agrees with the standard library's on every edge and on mutated reports")
    func onePassReading() throws {
        let report = Array("年度报告 2020\t12件\r\n（一）".utf8)
        // every sequence the validation must tell apart: overlong forms, surrogates, beyond
        // U+10FFFF, stray and missing continuations, C1 controls, private use, U+FFFD, controls
        let edges: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xC2, 0x9F], [0xC2, 0xA0], [0xDF, 0xBF],
            [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
            [0xEE, 0x80, 0x80], [0xEF, 0x80, 0x80], [0xEF, 0xA3, 0xBF], [0xEF, 0xA4, 0x80], [0xEF, 0xBF, 0xBD],
            [0xEF, 0xBF, 0xBE], [0xEF, 0xBC, 0x91], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xBF], [0xE5, 0xB9], [0xE5], [0xF0, 0x9F, 0x98],
            [0x00], [0x01], [0x09], [0x0B], [0x0C], [0x0D], [0x1F], [0x7F], [0xEF, 0xBB, 0xBF],
        ]
        for edge in edges {
            for (k, bytes) in [edge, report + edge, edge + report, report + edge + report,
                               Array(repeating: 0x41, count: 7) + edge + Array(repeating: 0x41, count: 9)].enumerated() {
                Self.expectSameReading(bytes, "\(edge) at \(k)")
            }
        }
        // each edge at every offset of a stretch of Chinese, full-width punctuation and figures,
        // so that it falls at every place of the sixteen-byte blocks read at once, and where a
        // block ends inside a character
        let stretch = Array("年度报告，２０２０年（一）收到申请12件。主动公开“政府信息”；".utf8)
        for edge in edges {
            for offset in 0..<40 {
                Self.expectSameReading(Array(stretch.prefix(offset)) + edge + stretch, "\(edge) at offset \(offset)")
                Self.expectSameReading(Array(stretch.prefix(offset)) + edge, "\(edge) ending at offset \(offset)")
            }
        }
        // a real report with one byte changed, dropped or put in, anywhere
        let seed = Array(try Fixtures.text("003_37e901e8ac7f78da.txt").utf8)
        var rng = SplitMix64(seed: 5)
        for n in 0..<3_000 {
            var bytes = seed
            let at = Int(rng.next() % UInt64(bytes.count))
            switch n % 3 {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.remove(at: at)
            default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            }
            Self.expectSameReading(bytes, "mutation \(n) at \(at)")
        }
        // random bytes of every length up to 40, mostly high ones
        for n in 0..<3_000 {
            let bytes = (0..<(n % 41)).map { _ in UInt8(truncatingIfNeeded: rng.next() | (rng.next() % 4 == 0 ? 0 : 0x80)) }
            Self.expectSameReading(bytes, "random \(n)")
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return self[..<r.lowerBound] + replacement + self[r.upperBound...]
    }
}
