import NianbaoModel
import NianbaoText
import NianbaoCore

/// Turns a report's text into an `AnnualReport`, guided by the national format.
///
/// Nothing is guessed into place: a row keeps the cells its text holds, in reading order, and
/// says how many it found; a table or row the text lacks is recorded as missing. Where the text
/// shows where each cell is (separators that show empty cells, columns aligned with spaces), a
/// value goes to its own column and an empty one is a blank cell of its column.
public enum Extractor {
    public static func extract(_ doc: TextDocument) -> AnnualReport {
        var report = AnnualReport()
        readTitle(doc, into: &report)
        report.sections = headings(doc)
        report.period = period(doc)
        if report.year == nil, let p = report.period { report.year = p.from.year }
        report.edition = report.year.map(Edition.expected(forYear:))

        let regions = tableRegions(doc, sections: report.sections)
        // the editions: by the labels only one edition uses, and by the rows section 三 holds
        let two = regions.two.map { markerScore(doc, lines: $0) } ?? [:]
        let three = regions.three.map { markerScore(doc, lines: $0) } ?? [:]
        let labels = edition(two.merging(three, uniquingKeysWith: +))
        let fallback = labels ?? report.edition ?? .y2021
        var table3Read: (table: Table3, edition: Edition, byRows: Bool)?
        if let r = regions.three { table3Read = table3(doc, lines: r, hint: edition(three) ?? fallback) }
        var votes = two.merging(three, uniquingKeysWith: +)
        if let t = table3Read, t.byRows { votes[t.edition, default: 0] += 1 }
        report.tableEdition = edition(votes)
        if let t = table3Read {
            report.table3 = t.table
            report.table3Edition = t.edition
        }
        if let r = regions.two {
            let e = edition(two) ?? report.tableEdition ?? fallback
            report.table2 = table2(doc, lines: r, spec: FormatSpec.spec(e))
            if report.table2 != nil { report.table2Edition = e }
        }
        if let r = regions.four { report.table4 = table4(doc, lines: r) }
        return report
    }

    // MARK: - Title, organ, year

    static let reportWord = TextDocument.normalizedScalars("报告")
    static let nian: UInt32 = 0x5E74  // 年
    static let bao: UInt32 = 0x62A5  // 报
    static let gao: UInt32 = 0x544A  // 告

    /// Whether only blank lines lie between lines `a` and `b`.
    static func blankBetween(_ doc: TextDocument, _ a: Int, _ b: Int) -> Bool {
        guard a < b else { return false }
        return ((a + 1)..<b).allSatisfy { compactLine(doc, $0).isEmpty }
    }

    /// Reads the title, and from it the organ and the year; the organ, failing the title, from
    /// the signature. A title is a short line (or a title broken over up to three lines) that
    /// ends in 报告 and has no sentence punctuation: a sentence of the preface is not a title.
    static func readTitle(_ doc: TextDocument, into report: inout AnnualReport) {
        // the first 40 lines with text, each as its stretch of the compact text (and a second
        // stretch for a title wrapped inside 报告), copied only when it is read as a title
        var lines: [(line: Int, first: Range<Int>, wrapped: Range<Int>?)] = []
        for l in 0..<doc.lines.count where lines.count < 40 {
            let c = compactLine(doc, l)
            if c.isEmpty { continue }
            // a title wrapped inside 报告 (…工作年度报 / 告): one line
            if c.first == gao, let last = lines.last, last.wrapped == nil, doc.compact[last.first.upperBound - 1] == bao,
               last.line == l - 1 || blankBetween(doc, last.line, l) {
                lines[lines.count - 1].wrapped = c.indices
                continue
            }
            lines.append((l, c.indices, nil))
        }
        func text(_ k: Int) -> [UInt32] {
            var t = Array(doc.compact[lines[k].first])
            if let w = lines[k].wrapped { t += doc.compact[w] }
            return t
        }
        for (k, entry) in lines.enumerated() {
            // (a wrapped line holds 报告 where its stretches meet)
            guard entry.wrapped != nil || doc.findCompact(reportWord, from: entry.first.lowerBound, to: entry.first.upperBound) != nil
            else { continue }
            let alone = cleanTitle(text(k))
            var title = alone
            var first = entry.line
            // a title broken over lines, or an organ on the line above a title that starts with its year
            if !isTitle(alone) || organAndYear(alone).organ == nil {
                var joined = alone
                var start = entry.line
                var j = k - 1
                while j >= 0 && k - j <= 2 {
                    let p = cleanTitle(text(j))
                    guard p.count >= 2, p.count <= 30, !p.contains(where: sentencePunct.contains),
                          !titleNoise.contains(p), RowAssembler.firstIndex(of: reportWord, in: p) == nil,
                          !(numeral(p[0]) != nil && p.count > 1 && isHeadingPunct(p[1])) else { break }
                    joined = p + joined
                    start = lines[j].line
                    j -= 1
                    if isTitle(joined) && organAndYear(joined).organ != nil { break }
                }
                if isTitle(joined) && (!isTitle(alone) || organAndYear(joined).organ != nil) {
                    title = joined
                    first = start
                }
            }
            guard isTitle(title) else { continue }
            report.title = TextDocument.string(title)
            report.titleLine = first + 1
            let found = organAndYear(title)
            report.year = found.year
            report.organ = found.organ.map { TextDocument.string($0) }
            break
        }
        if report.organ == nil { report.organ = signatureOrgan(doc).map { TextDocument.string($0) } }
    }

    /// Words an organ's name does not end with (a title's 关于…的).
    static let organTails = ["关于", "的"].map(TextDocument.normalizedScalars)
    static let sentencePunct: Set<UInt32> = [0x3002, 0x2C, 0x3B, 0x21, 0x3F, 0xFF0C, 0xFF1B]  // 。 , ; ! ?
    static let titleMarkup: Set<UInt32> = Set("#*>=-_·•【】[]|~".unicodeScalars.map(\.value))
    static let titleNoise: [[UInt32]] = ["正文", "标题", "题目", "文章标题", "名称", "全文"].map(TextDocument.normalizedScalars)
    static let openBrackets: Set<UInt32> = [0x28, 0xFF08, 0x3010, 0x3014]
    static let titleWords: [[UInt32]] = ["政府信息公开", "政务公开", "信息公开", "年度报告", "年报"].map(TextDocument.normalizedScalars)

    /// A title line without page markup (`#`, `【】`) and without a leading 正文 or 标题：.
    static func cleanTitle(_ text: [UInt32]) -> [UInt32] {
        var t = ArraySlice(text)
        var changed = true
        while changed {
            changed = false
            while let f = t.first, titleMarkup.contains(f) { t.removeFirst(); changed = true }
            for w in titleNoise where t.count > w.count + 4 && t.starts(with: w) {
                t.removeFirst(w.count)
                if t.first == 0x3A { t.removeFirst() }  // :
                changed = true
            }
        }
        while let l = t.last, titleMarkup.contains(l) { t.removeLast() }
        return Array(t)
    }

    static func isTitle(_ t: [UInt32]) -> Bool {
        guard t.count >= 8, t.count <= 64, !t.contains(where: sentencePunct.contains) else { return false }
        var last: Int?
        var i = 0
        while let k = RowAssembler.firstIndex(of: reportWord, in: Array(t[i...])) { last = i + k; i += k + 1 }
        guard let k = last else { return false }
        // after 报告: nothing, a bracketed note, or a few words (格式模板)
        let after = t.count - (k + reportWord.count)
        guard after == 0 || (after <= 14 && openBrackets.contains(t[k + reportWord.count])) || after <= 6 else { return false }
        return titleWords.contains { RowAssembler.firstIndex(of: $0, in: t) != nil }
    }

    /// The year (four digits and 年) and the organ (the text before the year, or before
    /// 政府信息公开 when the year leads or is absent) of a title.
    static func organAndYear(_ t: [UInt32]) -> (organ: [UInt32]?, year: Int?) {
        var year: Int?
        var at: Int?
        var i = 0
        while i + 4 < t.count {
            if (0..<4).allSatisfy({ Tokenizer.isDigit(t[i + $0]) }) && t[i + 4] == nian && (i == 0 || !Tokenizer.isDigit(t[i - 1])) {
                let y = (0..<4).reduce(0) { $0 * 10 + Int(t[i + $1] - 0x30) }
                if y >= 2000 && y <= 2099 { year = y; at = i }
                break
            }
            i += 1
        }
        var organ: ArraySlice<UInt32>?
        if let at, at > 0 {
            organ = t[0..<at]
        } else {
            var body = ArraySlice(t)
            if let at {
                body = t[(at + 5)...]
                if body.first == 0x5EA6 { body.removeFirst() }  // 度
            }
            let b = Array(body)
            if let k = titleWords.compactMap({ RowAssembler.firstIndex(of: $0, in: b) }).min(), k > 0 {
                organ = body[body.startIndex..<(body.startIndex + k)]
            }
        }
        if var o = organ {
            while let f = o.first, titleMarkup.contains(f) || f == 0x20 { o.removeFirst() }
            for w in organTails where o.count > w.count && o.suffix(w.count).elementsEqual(w) {
                o.removeLast(w.count)
            }
            organ = o.count >= 2 ? o : nil
        }
        return (organ.map(Array.init), year)
    }

    static let organSuffixes: [[UInt32]] = ["人民政府", "政府", "办公室", "办公厅", "委员会", "办事处", "管委会", "局", "镇", "乡", "街道"]
        .map(TextDocument.normalizedScalars)

    /// The organ that signs the report: a short line near the end that ends like an organ's name.
    static func signatureOrgan(_ doc: TextDocument) -> [UInt32]? {
        var seen = 0
        var l = doc.lines.count - 1
        while l >= 0 && seen < 25 {
            defer { l -= 1 }
            let c = cleanTitle(Array(compactLine(doc, l)))
            if c.isEmpty { continue }
            seen += 1
            guard c.count >= 4, c.count <= 30, !c.contains(where: { sentencePunct.contains($0) || Tokenizer.isDigit($0) || $0 == 0x3A }),
                  organSuffixes.contains(where: { c.count > $0.count && Array(c.suffix($0.count)) == $0 }) else { continue }
            return c
        }
        return nil
    }

    static func compactLine(_ doc: TextDocument, _ l: Int) -> ArraySlice<UInt32> {
        let s = doc.lineCompactStart[l]
        let e = l + 1 < doc.lineCompactStart.count ? doc.lineCompactStart[l + 1] : doc.compact.count
        return doc.compact[s..<e]
    }

    // MARK: - Section headings

    /// The index of a section's numeral (一 0 … 六 5), nil for any other character.
    @inline(__always) static func numeral(_ v: UInt32) -> Int? {
        switch v {
        case 0x4E00: return 0  // 一
        case 0x4E8C: return 1  // 二
        case 0x4E09: return 2  // 三
        case 0x56DB: return 3  // 四
        case 0x4E94: return 4  // 五
        case 0x516D: return 5  // 六
        default: return nil
        }
    }
    /// 、 . , ．: what follows a heading's numeral.
    @inline(__always) static func isHeadingPunct(_ v: UInt32) -> Bool { v == 0x3001 || v == 0x2E || v == 0x2C || v == 0xFF0E }

    struct PreparedSection {
        var spec: SectionSpec
        var variants: [[UInt32]]
        var keys: [[UInt32]]
        /// The longest wording's length (20 when there is none).
        var longest: Int { variants.lazy.map { $0.count }.max() ?? 20 }
    }

    static let preparedSections: [PreparedSection] = FormatSpec.sections.map {
        PreparedSection(spec: $0, variants: $0.variants.map(TextDocument.normalizedScalars),
                        keys: $0.keys.map(TextDocument.normalizedScalars))
    }

    /// Every section wording's length and first character.
    static let variantShapes: [(count: Int, first: UInt32)] = preparedSections.flatMap { sec in
        sec.variants.compactMap { v in v.first.map { (v.count, $0) } }
    }

    /// The section wordings' first characters by the wordings' length: those of length `n` are
    /// `firsts[start[n]..<start[n + 1]]` (lengths up to 63).
    static let variantFirsts: (firsts: [UInt32], start: [Int]) = {
        var firsts: [UInt32] = []
        var start: [Int] = []
        for n in 0..<64 {
            start.append(firsts.count)
            firsts += variantShapes.filter { $0.count == n }.map(\.first)
        }
        start.append(firsts.count)
        return (firsts, start)
    }()

    /// A bit for each length (up to 63) a section wording has.
    static let variantLengths: UInt64 = variantShapes.reduce(0) { $0 | ($1.count < 64 ? 1 << UInt64($1.count) : 0) }

    /// Finds the six headings: a line that starts with the section's numeral and 、 and reads
    /// like one of the heading's known wordings. Each section takes the first such line after
    /// the previous section's heading, or failing that its first such line anywhere, so a
    /// section out of order is still found (and its order can be judged).
    static func headings(_ doc: TextDocument) -> [SectionHeading] {
        var candidates: [[SectionHeading]] = Array(repeating: [], count: 6)
        // headings written with another section's numeral, or none: only a line that is exactly
        // one of the section's wordings counts, and only when the section has no right one
        var misnumbered: [[SectionHeading]] = Array(repeating: [], count: 6)
        var lcsRows: (prev: [Int], cur: [Int]) = ([], [])
        let starts = doc.lineCompactStart
        let firsts = variantFirsts.firsts, firstsStart = variantFirsts.start
        let lengths = variantLengths
        let compactCount = doc.compact.count
        for l in 0..<doc.lines.count {
            // most lines are no heading: told from their length and first characters, read in
            // place, before any of them is copied
            let s = starts[l], e = l + 1 < starts.count ? starts[l + 1] : compactCount
            guard e - s >= 3, e - s <= 48 else { continue }
            let (first, second) = (doc.compact[s], doc.compact[s + 1])
            let numbered = numeral(first) != nil && isHeadingPunct(second)
            let wholeStart = numbered ? s + 2 : s
            var shaped = false
            let n = e - wholeStart
            if lengths & (1 << UInt64(n)) != 0 {
                let wholeFirst = doc.compact[wholeStart]
                for k in firstsStart[n]..<firstsStart[n + 1] where firsts[k] == wholeFirst {
                    shaped = true
                    break
                }
            }
            guard shaped || numbered else { continue }
            let c = compactLine(doc, l)
            if shaped {
                let whole = doc.compact[wholeStart..<e]
                let written = numbered ? numeral(c.first!)! : -1
                for (m, sec) in preparedSections.enumerated()
                    where m != written && sec.variants.contains(where: { $0.elementsEqual(whole) }) {
                    let whole = Array(whole)
                    misnumbered[m].append(SectionHeading(number: m + 1, heading: TextDocument.string(whole), line: l + 1,
                                                         isVariant: !isAccepted(whole, sec), numberedAs: written + 1))
                }
            }
            guard numbered, let n = numeral(c.first!) else { continue }
            var text = Array(c.dropFirst(2))
            // a heading broken over two lines by PDF extraction
            if text.count < 4, l + 1 < doc.lines.count { text += compactLine(doc, l + 1) }
            let sec = preparedSections[n]
            // (a line far longer than any wording is no heading: told before the wordings are compared)
            guard text.count <= sec.longest + 8,
                  sec.keys.contains(where: { RowAssembler.firstIndex(of: $0, in: text) != nil }) else { continue }
            var best = sec.variants.contains(text) ? 1.0 : 0.0
            if best < 1 {
                for v in sec.variants {
                    best = max(best, Double(lcsLength(text, v, rows: &lcsRows)) / Double(max(v.count, 1)))
                }
            }
            guard best >= 0.75 else { continue }
            candidates[n].append(SectionHeading(number: n + 1, heading: TextDocument.string(text), line: l + 1,
                                                isVariant: !isAccepted(text, sec)))
        }
        var found: [SectionHeading] = []
        var after = 0
        for n in 0..<6 {
            guard let h = candidates[n].first(where: { $0.line > after }) ?? candidates[n].first
                    ?? misnumbered[n].first(where: { $0.line > after && !found.map(\.line).contains($0.line) }) else { continue }
            found.append(h)
            after = max(after, h.line)
        }
        return found.sorted { $0.line < $1.line }
    }

    static let regulationHeadings = FormatSpec.regulationHeadings.map(TextDocument.normalizedScalars)

    /// The format's own wording, or the Regulation's.
    static func isAccepted(_ text: [UInt32], _ sec: PreparedSection) -> Bool {
        text == sec.variants[0] || regulationHeadings.contains(text)
    }

    /// The length of the longest common subsequence of `a` and `b`; `rows` is the caller's
    /// buffer for the two rows of the table (kept between calls).
    static func lcsLength(_ a: [UInt32], _ b: [UInt32], rows: inout (prev: [Int], cur: [Int])) -> Int {
        if a.isEmpty || b.isEmpty { return 0 }
        rows.prev.removeAll(keepingCapacity: true)
        rows.prev.append(contentsOf: repeatElement(0, count: b.count + 1))
        rows.cur.removeAll(keepingCapacity: true)
        rows.cur.append(contentsOf: repeatElement(0, count: b.count + 1))
        for x in a {
            for j in 1...b.count {
                rows.cur[j] = x == b[j - 1] ? rows.prev[j - 1] + 1 : max(rows.prev[j], rows.cur[j - 1])
            }
            swap(&rows.prev, &rows.cur)
        }
        return rows.prev[b.count]
    }

    // MARK: - Statistical period

    static func period(_ doc: TextDocument) -> ReportPeriod? {
        let c = doc.compact
        let limit = min(c.count, 200_000)
        var i = 0
        while i + 5 < limit {
            if c[i] == nian, i >= 4, let from = date(c, yearEnd: i) {
                var j = from.end
                // connector: 至 到 - — ~ 起至
                var k = 0
                while j < limit && k < 3 && [0x81F3, 0x5230, 0x2D, 0x2014, 0x2013, 0x7E, 0x8D77, 0xFF5E].contains(c[j]) { j += 1; k += 1 }
                if k > 0 {
                    // second date, with or without its year
                    var to: (y: Int, m: Int, d: Int, end: Int)?
                    var y2 = j
                    while y2 < min(j + 6, limit) && Tokenizer.isDigit(c[y2]) { y2 += 1 }
                    if y2 < limit && c[y2] == nian && y2 - j == 4 { to = date(c, yearEnd: y2) }
                    if to == nil, let md = monthDay(c, at: j) { to = (from.y, md.m, md.d, md.end) }
                    if let to {
                        let place = doc.compactPlace(i - 4)
                        return ReportPeriod(from: (from.y, from.m, from.d), to: (to.y, to.m, to.d),
                                            position: SourcePosition(line: place.line + 1, column: place.column + 1))
                    }
                }
            }
            i += 1
        }
        return nil
    }

    static func number(_ c: [UInt32], at i: Int, maxDigits: Int) -> (Int, Int)? {
        var j = i, v = 0
        while j < c.count && j - i < maxDigits && Tokenizer.isDigit(c[j]) { v = v * 10 + Int(c[j] - 0x30); j += 1 }
        return j > i ? (v, j) : nil
    }

    static func monthDay(_ c: [UInt32], at i: Int) -> (m: Int, d: Int, end: Int)? {
        guard let (m, j) = number(c, at: i, maxDigits: 2), j < c.count, c[j] == 0x6708,  // 月
              let (d, k) = number(c, at: j + 1, maxDigits: 2), k < c.count, c[k] == 0x65E5 || c[k] == 0x53F7  // 日 号
        else { return nil }
        guard (1...12).contains(m), (1...31).contains(d) else { return nil }
        return (m, d, k + 1)
    }

    static func date(_ c: [UInt32], yearEnd i: Int) -> (y: Int, m: Int, d: Int, end: Int)? {
        guard i >= 4, (1...4).allSatisfy({ Tokenizer.isDigit(c[i - $0]) }), i < 5 || !Tokenizer.isDigit(c[i - 5]) else { return nil }
        let y = (1...4).reversed().reduce(0) { $0 * 10 + Int(c[i - $1] - 0x30) }
        guard let md = monthDay(c, at: i + 1) else { return nil }
        return (y, md.m, md.d, md.end)
    }

    // MARK: - Tables

    struct Regions {
        var two: Range<Int>?
        var three: Range<Int>?
        var four: Range<Int>?
    }

    static func tableRegions(_ doc: TextDocument, sections: [SectionHeading]) -> Regions {
        func region(_ n: Int) -> Range<Int>? {
            guard let i = sections.firstIndex(where: { $0.number == n }) else { return nil }
            let start = sections[i].line  // the line after the heading (0-based == 1-based heading line)
            let end = i + 1 < sections.count ? sections[i + 1].line - 1 : doc.lines.count
            return start < end ? start..<end : nil
        }
        return Regions(two: region(2), three: region(3), four: region(4))
    }

    static func compactRange(_ doc: TextDocument, lines: Range<Int>) -> Range<Int> {
        let s = doc.lineCompactStart[lines.lowerBound]
        let e = lines.upperBound < doc.lineCompactStart.count ? doc.lineCompactStart[lines.upperBound] : doc.compact.count
        return s..<e
    }

    static let markers: [(Edition, [UInt32])] = Edition.allCases.flatMap { e in
        FormatSpec.spec(e).markers.map { (e, TextDocument.normalizedScalars($0)) }
    }

    /// The markers' distinct first scalars, and for each the markers that start with it.
    static let markerFirsts: [(first: UInt32, markers: [Int])] = {
        var out: [(first: UInt32, markers: [Int])] = []
        for (i, m) in markers.enumerated() {
            if let k = out.firstIndex(where: { $0.first == m.1[0] }) { out[k].markers.append(i) } else { out.append((m.1[0], [i])) }
        }
        return out
    }()

    static let markerFirstScalars: [UInt32] = markerFirsts.map(\.first)
    /// A bit for each first character's low ten bits (1,024 bits in 16 words).
    static let markerFirstBits: [UInt64] = markerFirstScalars.reduce(into: [UInt64](repeating: 0, count: 16)) {
        $0[Int(($1 >> 6) & 15)] |= 1 << UInt64($1 & 63)
    }

    /// How many of each edition's own labels a region holds: one pass over the region's text,
    /// trying the markers that start with each character.
    static func markerScore(_ doc: TextDocument, lines: Range<Int>) -> [Edition: Int] {
        let cr = compactRange(doc, lines: lines)
        var found = [Bool](repeating: false, count: markers.count)
        var left = markers.count
        let firsts = markerFirstScalars
        let firstBits = markerFirstBits
        doc.compact.withUnsafeBufferPointer { c in
            var i = cr.lowerBound
            let end = min(cr.upperBound, c.count)
            while i < end && left > 0 {
                let v = c[i]
                i += 1
                // most characters start no marker: a bit per first character's low ten bits
                // rules them out before the first characters are compared
                if firstBits[Int((v >> 6) & 15)] & (1 << UInt64(v & 63)) == 0 { continue }
                var f = 0
                while f < firsts.count && firsts[f] != v { f += 1 }
                if f == firsts.count { continue }
                let at = i - 1
                for m in markerFirsts[f].markers where !found[m] {
                    let needle = markers[m].1
                    guard end - at >= needle.count else { continue }
                    var k = 1
                    while k < needle.count && c[at + k] == needle[k] { k += 1 }
                    if k == needle.count {
                        found[m] = true
                        left -= 1
                    }
                }
            }
        }
        var score: [Edition: Int] = [:]
        for (m, (e, _)) in markers.enumerated() where found[m] { score[e, default: 0] += 1 }
        return score
    }

    /// The edition with more evidence (2021 on a tie); nil without any.
    static func edition(_ score: [Edition: Int]) -> Edition? {
        let a = score[.y2019] ?? 0, b = score[.y2021] ?? 0
        if a == 0 && b == 0 { return nil }
        return a > b ? .y2019 : .y2021
    }

    static func slots(label: String, anchors: [String], expected: Int, span: Int, merges: Int) -> RowSlot {
        RowSlot(label: TextDocument.normalizedScalars(label), anchors: anchors.map(TextDocument.normalizedScalars),
                expected: expected, labelSpan: span, leadingMerges: merges)
    }

    static func table3Slots(_ spec: FormatSpec) -> [RowSlot] {
        spec.table3Rows.map {
            slots(label: $0.label, anchors: $0.anchors, expected: 7, span: $0.labelSpan, merges: $0.leadingMerges)
        }
    }
    static let wanYuan = TextDocument.normalizedScalars("万元")
    static let yuanHeaders = ["单位:元", "(元)"].map(TextDocument.normalizedScalars)
    static let table3Slots2019 = table3Slots(.y2019)
    static let table3Slots2021 = table3Slots(.y2021)

    static func table2Slots(_ spec: FormatSpec) -> [RowSlot] {
        spec.table2.flatMap { b in
            b.rows.map { slots(label: $0.label, anchors: $0.anchors, expected: b.columns.count, span: 1, merges: 0) }
        }
    }
    static let table2Slots2019 = table2Slots(.y2019)
    static let table2Slots2021 = table2Slots(.y2021)

    static func headerInfo(_ doc: TextDocument, tokens: [Token], before: Int?) -> (String, SourcePosition?) {
        var text: [UInt32] = []
        text.reserveCapacity(256)
        var pos: SourcePosition?
        for t in tokens where t.kind != .empty {
            if let before, t.order >= 2 * before { break }
            if pos == nil { pos = t.position }
            text += t.scalars(doc)
        }
        return (TextDocument.string(text), pos)
    }

    /// Section 三, read with the rows of the edition whose rows the table holds: the 2019
    /// table's single （六）其他处理 row and the 2021 table's three sub-items under it tell them
    /// apart. When both editions find as many rows (a table cut off before （六）), `hint`
    /// decides. Returns the table, the edition it was read as, and whether its rows told.
    static func table3(_ doc: TextDocument, lines: Range<Int>, hint: Edition) -> (table: Table3, edition: Edition, byRows: Bool)? {
        let layout = Tokenizer.layout(doc, lines: lines)
        let tokens = Tokenizer.tokens(doc, lines: lines, layout: layout)
        let range = compactRange(doc, lines: lines)
        var reads: [(edition: Edition, located: RowAssembler.Located, present: Int)] = []
        let labels = LabelStream(doc, tokens: tokens)
        for e in [hint, hint == .y2019 ? .y2021 : .y2019] {
            let located = RowAssembler.locate(doc, slots: e == .y2019 ? table3Slots2019 : table3Slots2021, tokens: tokens,
                                              labels: labels)
            reads.append((e, located, located.byAnchor))
            // every row of the larger edition: the smaller cannot find more
            if e == .y2021 && reads[0].present == located.anchors.count { break }
        }
        let chosen = reads.count > 1 && reads[1].present > reads[0].present ? reads[1] : reads[0]
        let byRows = reads.count == 1 || reads[0].present != reads[1].present
        // the cells, of the edition chosen only
        var found = RowAssembler.rows(doc, slots: chosen.edition == .y2019 ? table3Slots2019 : table3Slots2021,
                                      tokens: tokens, range: range, located: chosen.located, keepTokens: layout == .whitespace)
        guard found.contains(where: { $0.anchor != nil }) else { return nil }
        var edition = chosen.edition
        var inOrder = false
        // labels written apart from their values: the values in order, as either edition's rows
        // (the edition whose count of cells they are)
        if layout == .whitespace, found.contains(where: { $0.anchor == nil || $0.row.found != 7 }), !ColumnPlacer.isSpaceAligned(tokens) {
            for e in [chosen.edition, chosen.edition == .y2019 ? .y2021 : .y2019] {
                guard let rows = RowAssembler.bySequence(doc, slots: e == .y2019 ? table3Slots2019 : table3Slots2021, tokens: tokens),
                      addsUp(rows) else { continue }
                found = rows
                edition = e
                inOrder = true
                break
            }
        }
        let spec = FormatSpec.spec(edition)
        let firstAnchor = found.compactMap { $0.anchor }.min()
        if layout == .whitespace && ColumnPlacer.isSpaceAligned(tokens) {
            let header = tokens.prefix { $0.order < 2 * (firstAnchor ?? range.upperBound) }
            let group = ColumnPlacer.Group(rows: Array(found.indices), columns: 7, labels: table3ColumnLabels, header: header)
            ColumnPlacer.place(&found, group: group, doc: doc, lines: lines)
        }
        let (header, hpos) = headerInfo(doc, tokens: tokens, before: firstAnchor)
        let rows = zip(spec.table3Rows, found).map { s, f in
            Table3Row(key: s.key, label: s.label, written: f.written, row: f.row)
        }
        var table = Table3(rows: rows, headerText: header, headerPosition: hpos,
                           headerRange: range.lowerBound..<(firstAnchor ?? range.upperBound))
        table.valuesInOrder = inOrder
        let slots = edition == .y2019 ? table3Slots2019 : table3Slots2021
        var scratch: [UInt32] = []
        table.labelsOutOfPlace = zip(rows, slots).filter { row, slot in
            !row.present && RowAssembler.isWritten(slot, in: tokens, doc: doc, scratch: &scratch)
        }.map(\.0.key)
        return (table, edition, byRows)
    }

    /// Whether the rows read in order are this table's rows: in three of four rows or more the
    /// six applicants add up to the row's 总计. A table whose values come column by column (a
    /// page laid out in columns) read as rows in order adds up in hardly any row; one read right
    /// adds up in every row but those a clerk got wrong.
    static func addsUp(_ rows: [FoundRow]) -> Bool {
        let adding = rows.filter { r in
            let v = r.row.cells.map { $0.value ?? 0 }
            return v.count == 7 && abs(v[0..<6].reduce(0, +) - v[6]) < 0.001
        }.count
        return adding * 4 >= rows.count * 3
    }

    /// Section 三's column labels as a header writes them.
    static let table3ColumnLabels: [[[UInt32]]] = FormatSpec.table3ColumnLabels.map { label in
        (label == "总计" ? ["总计", "合计"] : [label]).map(TextDocument.normalizedScalars)
    }

    static func table2(_ doc: TextDocument, lines: Range<Int>, spec: FormatSpec) -> Table2? {
        let layout = Tokenizer.layout(doc, lines: lines)
        let tokens = Tokenizer.tokens(doc, lines: lines, layout: layout)
        let range = compactRange(doc, lines: lines)
        let slotList = spec.edition == .y2019 ? table2Slots2019 : table2Slots2021
        // each row's block and row in the format, as indices (no copy of a block per row)
        let owners = spec.table2.indices.flatMap { b in spec.table2[b].rows.indices.map { (b, $0) } }
        var found = RowAssembler.assemble(doc, slots: slotList, tokens: tokens, range: range, keepTokens: layout == .whitespace)
        guard found.contains(where: { $0.anchor != nil }) else { return nil }
        if layout == .whitespace, zip(found, slotList).contains(where: { $0.anchor == nil || $0.row.found != $1.expected }),
           !ColumnPlacer.isSpaceAligned(tokens),
           let inOrder = RowAssembler.bySequence(doc, slots: slotList, tokens: tokens) {
            found = inOrder
        }
        if layout == .whitespace && ColumnPlacer.isSpaceAligned(tokens) {
            // each block its own columns, its header between the row before it and its first row
            var first = 0
            var previousAnchor = range.lowerBound
            for b in spec.table2 {
                let rows = Array(first..<(first + b.rows.count))
                first += b.rows.count
                let start = rows.compactMap { found[$0].anchor }.first
                let header = tokens.filter { t in
                    t.order >= 2 * previousAnchor && t.order < 2 * (start ?? previousAnchor)
                }
                let labels = b.columns.map { [TextDocument.normalizedScalars($0)] }
                let group = ColumnPlacer.Group(rows: rows, columns: b.columns.count, labels: labels, header: header[...])
                ColumnPlacer.place(&found, group: group, doc: doc, lines: lines)
                previousAnchor = rows.compactMap { found[$0].anchor }.last ?? previousAnchor
            }
        }
        // a unit named in the amount column's header
        var unit: String?
        for (bi, b) in spec.table2.enumerated() where b.amountColumn != nil {
            // the header sits between the previous row's label and this block's row
            let rowIndex = owners.firstIndex { $0.0 == bi }!
            let prevEnd = rowIndex > 0 ? (found[rowIndex - 1].anchor ?? range.lowerBound) : range.lowerBound
            let end = max(prevEnd, found[rowIndex].anchor ?? range.upperBound)
            if doc.findCompact(wanYuan, from: prevEnd, to: end) != nil {
                unit = "万元"
            } else if yuanHeaders.contains(where: { doc.findCompact($0, from: prevEnd, to: end) != nil }) {
                unit = "元"
            }
        }
        // the header: the text before the first row; its place, the table's first token's
        let (header, _) = headerInfo(doc, tokens: tokens, before: found.lazy.compactMap(\.anchor).min())
        let hpos = tokens.first { $0.kind != .empty }?.position
        var rows: [Table2Row] = []
        rows.reserveCapacity(found.count)
        for ((bi, ri), f) in zip(owners, found) {
            let r = spec.table2[bi].rows[ri]
            rows.append(Table2Row(block: spec.table2[bi].caption, key: r.key, label: r.label, written: f.written,
                                  columns: spec.table2[bi].columns, row: f.row))
        }
        return Table2(rows: rows, amountHeaderUnit: unit, headerText: header,
                      headerPosition: hpos, headerRange: range)
    }

    static let partWords = ["行政复议", "行政诉讼", "直接起诉", "复议后起诉", "结果维持"].map(TextDocument.normalizedScalars)
    /// The headers of section 四's fifteen columns, five to a part.
    static let leafHeaders = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"].map(TextDocument.normalizedScalars)

    /// Section 四's cells from figures aligned with spaces under its header: when the header
    /// holds the fifteen column headers as words of their own (结果维持 … 总计, three times) and
    /// every figure, all on one line, stands under a different one of them, left to right, each
    /// figure is the cell of its column and the other columns are blank. Columns are measured
    /// in display cells (an ideograph two, as a converter aligns a table) or else in characters
    /// (as pdftotext does). Nil when the text is not laid out so.
    static func underLeafHeaders(_ doc: TextDocument, tokens: [Token], figures: [Token]) -> [Token]? {
        guard !figures.isEmpty, figures.allSatisfy({ $0.kind == .value || $0.kind == .dash }),
              let line = figures.first?.line, figures.allSatisfy({ $0.line == line })
        else { return nil }
        let leaves = tokens.filter { t in
            t.kind == .text && t.line < line && leafHeaders.contains { $0.elementsEqual(t.scalars(doc)) }
        }
        guard leaves.count == 15 else { return nil }
        for byDisplay in [true, false] {
            func bounds(_ t: Token) -> (Int, Int) { byDisplay ? (t.span.displayStart, t.span.displayEnd) : (t.span.charStart, t.span.charEnd) }
            let columns = leaves.map(bounds).sorted { $0.0 < $1.0 }
            // each figure under the header it overlaps, or the nearest within two cells
            var taken: [Int] = []
            for f in figures {
                let (a, b) = bounds(f)
                let distances = columns.map { c in max(0, max(c.0 - b, a - c.1)) }
                guard let best = distances.indices.min(by: { distances[$0] < distances[$1] }), distances[best] <= 2,
                      taken.last.map({ best > $0 }) ?? true
                else { taken = []; break }
                taken.append(best)
            }
            guard taken.count == figures.count else { continue }
            var out: [Token] = []
            var next = 0
            for c in 0..<15 {
                if next < figures.count && taken[next] == c {
                    out.append(figures[next])
                    next += 1
                } else {
                    // a blank: on the figures' line, where its column starts in the line's characters
                    let anchor = next < figures.count ? figures[next] : figures[figures.count - 1]
                    out.append(Token(kind: .empty, key: anchor.key, line: line, column: min(columns[c].0, doc.lines[line].count),
                                     width: 0, value: nil, unit: nil, inCellLayout: false))
                }
            }
            return out
        }
        return nil
    }
    static let resultUpheld = TextDocument.normalizedScalars("结果维持")

    /// Section 四: one data row of 15 cells after the header labels.
    static func table4(_ doc: TextDocument, lines: Range<Int>) -> Table4? {
        let layout = Tokenizer.layout(doc, lines: lines)
        let tokens = Tokenizer.tokens(doc, lines: lines, layout: layout)
        let range = compactRange(doc, lines: lines)
        var cells: [Token] = []
        cells.reserveCapacity(16)
        var values = 0
        var headerEnd = range.lowerBound
        // a table in parts (行政复议 / 未经复议直接起诉 / 复议后起诉 each a table of five under
        // its own heading): the words between one part's row and the next part's, and the
        // empty cells after them
        var between: [UInt32]?
        var pending: [Token] = []
        for t in tokens {
            if t.kind == .text {
                if values > 0 {
                    if between == nil && t.inCellLayout && t.line == cells.last?.line {
                        var bad = t
                        bad.kind = .invalid
                        cells.append(bad)
                        continue
                    }
                    // the end of a part of five cells: the next part may follow
                    if between != nil || (cells.count < 15 && cells.count % 5 == 0) {
                        if between == nil { between = [] }
                        between!.append(contentsOf: t.scalars(doc))
                        pending.removeAll()
                        continue
                    }
                    break
                }
                cells.removeAll()  // empty cells before header text belong to the header
                headerEnd = t.key + t.width
                continue
            }
            if let words = between {
                if t.kind == .empty { pending.append(t); continue }
                // the next part: its heading or header names a part of section 四
                guard cells.count < 15, partWords.contains(where: { RowAssembler.firstIndex(of: $0, in: words) != nil }) else { break }
                cells += pending.filter { $0.line == t.line }
                pending.removeAll()
                between = nil
            }
            cells.append(t)
            if t.kind != .empty { values += 1 }
        }
        guard values > 0 else {
            // headings and header but no figures: the table is there without data
            let hasHeader = doc.findCompact(resultUpheld, from: range.lowerBound, to: range.upperBound) != nil
            if !hasHeader { return nil }
            let (header, hpos) = headerInfo(doc, tokens: tokens, before: nil)
            return Table4(row: .missing(count: 15), headerText: header, headerPosition: hpos, headerRange: range)
        }
        while cells.count > 15, cells.last?.kind == .empty { cells.removeLast() }
        while cells.count > 15, cells.first?.kind == .empty { cells.removeFirst() }
        while let l = cells.last, l.kind == .empty, cells.count > values, cells.count != 15 { cells.removeLast() }
        // PDF text in reading order with the parts' headers between their figures (pdftotext's
        // default mode writes a part's 总计 after the next part's header): the section's figures
        // in order are its fifteen cells when they are exactly fifteen and the parts add up
        if cells.count != 15 && layout == .whitespace && !ColumnPlacer.isSpaceAligned(tokens) {
            let figures = tokens.filter { $0.kind == .value || $0.kind == .dash || $0.kind == .invalid }
            if figures.count == 15, let first = figures.first {
                let v = figures.map { $0.value ?? 0 }
                let adding = stride(from: 0, to: 15, by: 5).filter { abs(v[$0..<($0 + 4)].reduce(0, +) - v[$0 + 4]) < 0.001 }.count
                if adding >= 2 {
                    cells = figures
                    headerEnd = first.key
                }
            }
        }
        // text aligned with spaces whose figures stand under fifteen header cells (a converter's
        // simple table, pandoc's): each figure in the column of the header it stands under, a
        // column with none a blank
        if cells.count < 15 && layout == .whitespace, let placed = underLeafHeaders(doc, tokens: tokens, figures: cells) {
            cells = placed
        }
        let (header, hpos) = headerInfo(doc, tokens: tokens, before: headerEnd)
        return Table4(row: RowAssembler.makeRow(cells, expected: 15, doc: doc), headerText: header, headerPosition: hpos,
                      headerRange: range.lowerBound..<headerEnd)
    }
}
