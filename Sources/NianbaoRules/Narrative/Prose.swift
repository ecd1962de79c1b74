import NianbaoModel
import NianbaoText
import NianbaoCore

/// Reads numbers out of the report's prose (whitespace removed, normalised).
struct Prose {
    let doc: TextDocument
    let range: Range<Int>

    init(doc: TextDocument, range: Range<Int>) {
        self.doc = doc
        self.range = range
    }

    init(_ input: RuleInput) {
        self.init(report: input.report, document: input.document)
    }

    /// The prose before the tables: title, introduction and section 一.
    init(report: AnnualReport, document d: TextDocument) {
        doc = d
        let end = report.sections.first { $0.number >= 2 }.map { d.lineCompactStart[$0.line - 1] } ?? d.compact.count
        range = 0..<min(end, d.compact.count)
    }

    var c: [UInt32] { doc.compact }

    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    /// A number ending just before `i` (digits and one dot), with its start.
    func number(endingAt i: Int) -> (value: Double, text: String, start: Int)? {
        var s = i
        while s > range.lowerBound && (Prose.isDigit(c[s - 1]) || (c[s - 1] == 0x2E && s - 1 > 0 && Prose.isDigit(c[s - 2]))) { s -= 1 }
        guard s < i else { return nil }
        let t = TextDocument.string(c[s..<i])
        return Double(t).map { ($0, t, s) }
    }

    /// A number starting at `i`.
    func number(startingAt i: Int) -> (value: Double, text: String, end: Int)? {
        var e = i
        while e < range.upperBound && (Prose.isDigit(c[e]) || (c[e] == 0x2E && e + 1 < range.upperBound && Prose.isDigit(c[e + 1]))) { e += 1 }
        guard e > i else { return nil }
        let t = TextDocument.string(c[i..<e])
        return Double(t).map { ($0, t, e) }
    }

    func position(_ i: Int) -> SourcePosition {
        let place = doc.compactPlace(i)
        return SourcePosition(line: place.line + 1, column: place.column + 1)
    }

    /// Whether one of `words` (normalised scalars) occurs in `r`.
    func contains(_ words: [[UInt32]], in r: Range<Int>) -> Bool {
        words.contains { doc.findCompact($0, from: max(r.lowerBound, 0), to: r.upperBound) != nil }
    }

    /// Whether `word` is written at `i`, ending before `end`.
    func has(_ word: [UInt32], at i: Int, before end: Int) -> Bool {
        guard i >= 0, i + word.count <= end else { return false }
        for k in word.indices where c[i + k] != word[k] { return false }
        return true
    }
}

/// The words the narrative rules look for, normalised once for the process.
enum ProseWords {
    static func scalars(_ words: String...) -> [[UInt32]] { words.map(TextDocument.normalizedScalars) }
    /// Words that say a figure is a total: 累计/共/主动公开 … N条.
    static let total = scalars("累计", "共", "主动公开")
    /// “，其中”, before a part of a figure.
    static let ofWhich = TextDocument.normalizedScalars(",其中")
    /// “，占”, before a percentage.
    static let share = TextDocument.normalizedScalars(",占")
    /// “申请”.
    static let request = TextDocument.normalizedScalars("申请")
}

/// The first index from `i` before `end` where `c` holds `v`, else `end` (or `i`, past it): the
/// narrative rules look for 条 and 件 through the whole text, which is read 8 scalars at a time.
func nextIndex(of v: UInt32, in c: [UInt32], from i: Int, to end: Int) -> Int {
    c.withUnsafeBufferPointer { b in
        var k = i
        let end = min(end, b.count)
        if k >= 0, let base = b.baseAddress {
            let target = SIMD8<UInt32>(repeating: v)
            while k + 8 <= end {
                if any(UnsafeRawPointer(base + k).loadUnaligned(as: SIMD8<UInt32>.self) .== target) { break }
                k += 8
            }
        }
        while k < end && b[k] != v { k += 1 }
        return k
    }
}

let tiao: UInt32 = 0x6761  // 条

let jian: UInt32 = 0x4EF6  // 件

let fullStop: UInt32 = 0x3002  // 。
