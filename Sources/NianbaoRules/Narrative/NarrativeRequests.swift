import NianbaoModel
import NianbaoText
import NianbaoCore

/// Request counts the text gives, checked against section 三's table in the usual wording:
/// received = 本年新收 (or 新收 + 上年结转, as many reports count it), 新收 = 本年新收, 上年结转,
/// 办结 = （七）总计, 结转下年度 = 四, and the 自然人 / 法人或其他组织 splits. Each figure is
/// quoted with its sentence.
struct NarrativeRequests: Rule {
    let code = Code.narrativeRequests
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "正文所述的申请件数（收到、新收、上年结转、办结、结转下年度、自然人与法人）须与第三部分表格一致",
                            en: "Request counts in the text (received, new, carried over, handled, carried over to next year, natural persons and organisations) match section 3's table")
    let help = Localized(zh: "核对正文与第三部分表格，使两者一致。", en: "Make the figures of the text and of section 3's table agree.")
    let example = Localized(zh: "warning[narrative-requests]: 正文“本年共收到政府信息公开申请 3 件。”称收到申请 3 件，表格本年新收为 1 件",
                            en: "warning[narrative-requests]: The text (quoted: “本年共收到政府信息公开申请 3 件。”) gives 3 requests received; the table's new requests total 1")

    enum Claim: CaseIterable {
        case carried, carryNext, handled, natural, legal, new, received
    }

    /// Which figure a clause (normalised scalars) gives, by its words (nil: none this rule knows).
    static func claim(_ clause: ArraySlice<UInt32>) -> Claim? {
        func has(_ words: [[UInt32]]) -> Bool { words.contains { Self.find($0, in: clause) } }
        if has(Words.other) { return nil }
        if has(Words.carry) {
            if has(Words.last) { return .carried }
            if has(Words.next) { return .carryNext }
            return nil
        }
        if has(Words.handled) { return .handled }
        if has(Words.natural) { return .natural }
        if has(Words.legal) { return .legal }
        if has(Words.new) { return .new }
        if has(Words.received) { return .received }
        return nil
    }

    /// The words of each claim, as scalars.
    enum Words {
        static func scalars(_ words: String...) -> [[UInt32]] { words.map { $0.unicodeScalars.map(\.value) } }
        static let other = scalars("复议", "诉讼", "信访", "举报", "来信", "咨询", "电话")
        static let carry = scalars("结转")
        static let last = scalars("上年", "上一年", "去年", "往年", "上年度")
        static let next = scalars("下年", "下一年", "次年", "明年", "下一年度")
        static let handled = scalars("办结", "办理完毕", "全部办理", "答复")
        static let natural = scalars("自然人")
        static let legal = scalars("法人")
        static let new = scalars("新收")
        static let received = scalars("收到", "受理", "接到", "接收", "共有", "共计收到")
    }

    /// Whether `word` occurs in `text`.
    static func find(_ word: [UInt32], in text: ArraySlice<UInt32>) -> Bool {
        word.withUnsafeBufferPointer { w in text.withUnsafeBufferPointer { t in Search.firstOffset(of: w, in: t) != nil } }
    }

    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t3 = input.report.table3 else { return [] }
        /// A row's figure: the sum of the given columns, when each holds a number.
        func figure(_ key: String, _ columns: Range<Int> = 6..<7) -> Double? {
            guard let r = t3.rows.firstIndex(where: { $0.key == key }), t3.rows[r].present, t3.rows[r].row.aligned else { return nil }
            var sum = 0.0
            for column in columns {
                let cell = t3.rows[r].row.cells[column]
                guard cell.state == .number else { return nil }
                if let v = cell.value { sum += v }
            }
            return sum
        }
        let new = figure("new"), carried = figure("carried")
        let doc = input.document
        let c = doc.compact
        let p = Prose(doc: doc, range: 0..<c.count)
        let stops = Self.isStop, clauseStops = Self.isClauseStop
        let shenqing = ProseWords.request
        var out: [Diagnostic] = []
        var seen = Set<Claim>()
        var i = 0
        while i < c.count {
            defer { i += 1 }
            i = nextIndex(of: jian, in: c, from: i, to: c.count)
            guard i < c.count, let n = p.number(endingAt: i) else { continue }
            // the clause and the sentence the figure ends
            var a = n.start
            while a > 0 && !clauseStops(c[a - 1]) && n.start - a < 24 { a -= 1 }
            var s = a
            while s > 0 && !stops(c[s - 1]) && n.start - s < 80 { s -= 1 }
            guard doc.findCompact(shenqing, from: s, to: i) != nil else { continue }
            guard let kind = Self.claim(c[a..<n.start]) else { continue }
            let x = n.value
            // what the table says for this figure, and whether the text agrees
            let ok: Bool
            let table: Localized
            var expected: Double?
            var row = "new", column: String? = "total"
            let and = { (v: Double?) in v.map { Localized(zh: "\(fmt($0)) 件", en: fmt($0)) } }
            switch kind {
            case .received:
                guard let nv = new else { continue }
                let withCarried = carried.map { nv + $0 }
                ok = x == nv || x == withCarried
                expected = nv
                table = carried.map { $0 > 0 } == true
                    ? Localized(zh: "表格本年新收 \(fmt(nv)) 件、上年结转 \(fmt(carried!)) 件，合计 \(fmt(withCarried!)) 件", en: "the table has \(fmt(nv)) new and \(fmt(carried!)) carried over, \(fmt(withCarried!)) in all")
                    : Localized(zh: "表格本年新收为 \(fmt(nv)) 件", en: "the table's new requests total \(fmt(nv))")
            case .new:
                guard let nv = new else { continue }
                ok = x == nv
                expected = nv
                table = Localized(zh: "表格本年新收为 \(fmt(nv)) 件", en: "the table's new requests total \(fmt(nv))")
            case .carried:
                guard let cv = carried else { continue }
                ok = x == cv
                expected = cv
                row = "carried"
                table = Localized(zh: "表格“二、上年结转政府信息公开申请数量”总计为 \(fmt(cv)) 件", en: "the table's carried-over total is \(fmt(cv))")
            case .handled:
                guard let tv = figure("total") else { continue }
                ok = x == tv
                expected = tv
                row = "total"
                table = Localized(zh: "表格（七）总计为 \(fmt(tv)) 件", en: "the table's (7) Total is \(fmt(tv))")
            case .carryNext:
                guard let kv = figure("carry_next") else { continue }
                ok = x == kv
                expected = kv
                row = "carry_next"
                table = Localized(zh: "表格“四、结转下年度继续办理”总计为 \(fmt(kv)) 件", en: "the table's total carried over to next year is \(fmt(kv))")
            case .natural, .legal:
                let cols = kind == .natural ? 0..<1 : 1..<6
                guard let nv = figure("new", cols) else { continue }
                let withCarried = figure("carried", cols).map { nv + $0 }
                ok = x == nv || x == withCarried
                expected = nv
                column = kind == .natural ? "natural" : nil
                let who = kind == .natural ? Localized(zh: "自然人", en: "natural persons") : Localized(zh: "法人或其他组织", en: "organisations")
                let more = withCarried.flatMap { $0 != nv ? and($0) : nil }
                table = Localized(zh: "表格本年新收中\(who.zh)为 \(fmt(nv)) 件" + (more.map { "（连同上年结转为 \($0.zh)）" } ?? ""),
                                  en: "the table has \(fmt(nv)) new from \(who.en)" + (more.map { " (\($0.en) with those carried over)" } ?? ""))
            }
            // one finding per kind of figure: the first sentence that gives it
            guard seen.insert(kind).inserted, !ok else { continue }
            let what: Localized
            switch kind {
            case .received: what = Localized(zh: "收到申请", en: "requests received")
            case .new: what = Localized(zh: "新收申请", en: "new requests")
            case .carried: what = Localized(zh: "上年结转", en: "carried over from last year")
            case .handled: what = Localized(zh: "办结", en: "handled")
            case .carryNext: what = Localized(zh: "结转下年度", en: "carried over to next year")
            case .natural: what = Localized(zh: "自然人申请", en: "requests from natural persons")
            case .legal: what = Localized(zh: "法人或其他组织申请", en: "requests from organisations")
            }
            let at = p.position(n.start)
            let quote = Self.sentence(doc, around: n.start)
            out.append(finding(
                Localized(zh: "正文“\(quote)”称\(what.zh) \(n.text) 件，\(table.zh)",
                          en: "The text (quoted: “\(quote)”) gives \(n.text) \(what.en); \(table.en)"),
                help: Localized(zh: "核对正文与第三部分表格，使两者一致（正文的“收到申请”可写本年新收数，也可写新收与上年结转之和）。",
                                en: "Make the text and the table agree (the text's \"received\" may be the new requests or new plus carried over)."),
                at: at, width: n.text.count + 1,
                label: Localized(zh: "表格为 \(expected.map(fmt) ?? "")", en: "table: \(expected.map(fmt) ?? "")"),
                section: 3, row: row, column: column, expected: expected.map(fmt), actual: n.text))
        }
        return out
    }

    /// Whether a scalar ends a sentence: 。 ; ! ?
    static func isStop(_ v: UInt32) -> Bool { v == 0x3002 || v == 0x3B || v == 0x21 || v == 0x3F }

    /// Whether a scalar ends a clause: a sentence's end, or , 、 : ( )
    static func isClauseStop(_ v: UInt32) -> Bool {
        isStop(v) || v == 0x2C || v == 0x3001 || v == 0x3A || v == 0x28 || v == 0x29
    }

    /// The sentence around a figure, as written (whitespace dropped, so a sentence broken over
    /// lines reads whole; at most about 60 characters).
    static func sentence(_ doc: TextDocument, around i: Int) -> String {
        let c = doc.compact
        let stops = Self.isStop
        var a = i, b = i
        while a > 0 && !stops(c[a - 1]) && i - a < 36 { a -= 1 }
        while b < c.count && !stops(c[b]) && b - i < 28 { b += 1 }
        let lead = a > 0 && !stops(c[a - 1]) ? "…" : ""
        let tail = b < c.count && !stops(c[b]) ? "…" : ""
        if b < c.count && stops(c[b]) { b += 1 }
        var text = String.UnicodeScalarView()
        for k in a..<b {
            let (line, column) = doc.compactPlace(k)
            let v = line < doc.originalLines.count && column < doc.originalLines[line].count ? doc.originalLines[line][column] : c[k]
            if let u = Unicode.Scalar(v) { text.append(u) }
        }
        return lead + String(text) + tail
    }
}
