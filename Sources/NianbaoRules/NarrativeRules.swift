import NianbaoModel
import NianbaoText

/// Reads numbers out of the report's prose (whitespace removed, normalised).
struct Prose {
    let doc: TextDocument
    let range: Range<Int>

    init(_ input: RuleInput) {
        let d = input.document
        doc = d
        // the prose before the tables: title, introduction and section 一
        let end = input.report.sections.first { $0.number >= 2 }.map { d.lineCompactStart[$0.line - 1] } ?? d.compact.count
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
        SourcePosition(line: Int(doc.compactLine[i]) + 1, column: Int(doc.compactColumn[i]) + 1)
    }

    func contains(_ words: [String], in r: Range<Int>) -> Bool {
        words.contains { doc.findCompact(normalizedWords[$0] ?? TextDocument.normalizedScalars($0), from: max(r.lowerBound, 0), to: r.upperBound) != nil }
    }
}

/// The words the narrative rules look for, normalised once.
let normalizedWords: [String: [UInt32]] = Dictionary(uniqueKeysWithValues:
    ["累计", "共", "主动公开", "受理", "收到", "新收", "接到", "结转", "上年", ",其中", ",占"].map { ($0, TextDocument.normalizedScalars($0)) })

let tiao: UInt32 = 0x6761  // 条
let jian: UInt32 = 0x4EF6  // 件
let fullStop: UInt32 = 0x3002  // 。

struct NarrativeParts: Rule {
    let code: String
    let defaultSeverity = Severity.warning
    let summary: Localized
    let example: String

    static let sum = NarrativeParts(code: "narrative-parts-sum", summary: Localized(zh: "正文中分类条数之和须等于总数", en: "Parts listed in the text add up to their total"), example: "warning[narrative-parts-sum]: 正文称主动公开信息 36 条，但各类之和为 38 条")
    static let percent = NarrativeParts(code: "narrative-percentage", summary: Localized(zh: "正文中的百分比须与条数相符", en: "Percentages in the text match their counts"), example: "warning[narrative-percentage]: “1 条，占 1.9%”，而 1 ÷ 36 = 2.8%")
    static let partExceeds = NarrativeParts(code: "narrative-part-exceeds-whole", summary: Localized(zh: "“其中”部分不能大于总数", en: "A part (其中) is not larger than its whole"), example: "warning[narrative-part-exceeds-whole]: “部门文件 18 条，其中…21 条”：部分大于总数")

    func check(_ input: RuleInput) -> [Diagnostic] {
        let p = Prose(input)
        var out: [Diagnostic] = []
        let c = p.c
        var i = p.range.lowerBound
        while i < p.range.upperBound {
            defer { i += 1 }
            guard c[i] == tiao, let whole = p.number(endingAt: i) else { continue }
            if code == "narrative-part-exceeds-whole" {
                // N条，其中 … M条
                let qz = normalizedWords[",其中"]!
                guard i + 1 + qz.count <= p.range.upperBound, Array(c[(i + 1)..<(i + 1 + qz.count)]) == qz else { continue }
                var j = i + 1 + qz.count
                while j < min(i + 40, p.range.upperBound) && c[j] != fullStop && c[j] != 0x3B && c[j] != 0x2C {
                    if c[j] == tiao, let part = p.number(endingAt: j), part.value > whole.value {
                        out.append(finding(
                            Localized(zh: "正文称“\(whole.text) 条，其中……\(part.text) 条”：部分大于总数", en: "The text says \(part.text) of \(whole.text): the part exceeds its whole"),
                            help: Localized(zh: "核对这两个数：“其中”的部分不能多于总数。", en: "A part cannot exceed its whole; check both figures."),
                            at: p.position(part.start), width: part.text.count + 1,
                            label: Localized(zh: "\(part.text) > \(whole.text)", en: "\(part.text) > \(whole.text)"),
                            section: 1, expected: "≤ \(whole.text)", actual: part.text))
                        break
                    }
                    j += 1
                }
                continue
            }
            // a total: 累计/共/主动公开 … N条
            guard p.contains(["累计", "共", "主动公开"], in: max(p.range.lowerBound, whole.start - 12)..<whole.start) else { continue }
            // its parts: "M条，占P%" items, until the sentence after the first item ends
            var items: [(n: (value: Double, text: String, start: Int), pct: (value: Double, text: String, end: Int)?)] = []
            var j = i + 1
            let limit = min(i + 400, p.range.upperBound)
            while j < limit {
                if c[j] == fullStop && !items.isEmpty { break }
                if c[j] == tiao, let n = p.number(endingAt: j) {
                    var pct: (value: Double, text: String, end: Int)?
                    let zhan = normalizedWords[",占"]!
                    if j + 1 + zhan.count < limit, Array(c[(j + 1)..<(j + 1 + zhan.count)]) == zhan,
                       let q = p.number(startingAt: j + 1 + zhan.count), q.end < limit, c[q.end] == 0x25 {
                        pct = q
                    }
                    if pct != nil || !items.isEmpty { items.append((n, pct)) }
                }
                j += 1
            }
            guard items.count >= 2, items.contains(where: { $0.pct != nil }) else { continue }
            if code == "narrative-parts-sum" {
                let s = items.reduce(0) { $0 + $1.n.value }
                if abs(s - whole.value) > 1e-9 {
                    let terms = items.map(\.n.text).joined(separator: "+")
                    out.append(finding(
                        Localized(zh: "正文称共 \(whole.text) 条，但分列各类之和为 \(fmt(s)) 条（\(terms)）", en: "The text gives a total of \(whole.text) but its parts add up to \(fmt(s)) (\(terms))"),
                        help: Localized(zh: "核对总数与各类条数，使两者一致。", en: "Make the total and its parts agree."),
                        at: p.position(whole.start), width: whole.text.count + 1,
                        label: Localized(zh: "各类之和为 \(fmt(s))", en: "parts add up to \(fmt(s))"),
                        section: 1, expected: whole.text, actual: fmt(s)))
                }
            } else if whole.value > 0 {
                for item in items {
                    guard let pct = item.pct else { continue }
                    let expected = item.n.value / whole.value * 100
                    if abs(expected - pct.value) > 0.15 {
                        let e = (expected * 10).rounded() / 10
                        out.append(finding(
                            Localized(zh: "正文称“\(item.n.text) 条，占 \(pct.text)%”，而 \(item.n.text) ÷ \(whole.text) = \(fmt(e))%",
                                      en: "The text says \(item.n.text) is \(pct.text)%, but \(item.n.text) / \(whole.text) = \(fmt(e))%"),
                            help: Localized(zh: "按条数重新计算百分比。", en: "Recompute the percentage from the counts."),
                            at: p.position(item.n.start), width: item.n.text.count + 1,
                            label: Localized(zh: "应为 \(fmt(e))%", en: "expected \(fmt(e))%"),
                            section: 1, expected: "\(fmt(e))%", actual: "\(pct.text)%"))
                    }
                }
                let total = items.compactMap(\.pct?.value).reduce(0, +)
                if items.allSatisfy({ $0.pct != nil }) && total > 100.5 {
                    out.append(finding(
                        Localized(zh: "正文各类百分比之和为 \(fmt((total * 10).rounded() / 10))%，超过 100%", en: "The percentages add up to \(fmt((total * 10).rounded() / 10))%, over 100%"),
                        help: Localized(zh: "按条数重新计算各类百分比。", en: "Recompute the percentages."),
                        at: p.position(items[0].n.start), width: items[0].n.text.count + 1,
                        label: Localized(zh: "合计超过 100%", en: "over 100%"),
                        section: 1, expected: "100%", actual: "\(fmt((total * 10).rounded() / 10))%"))
                }
            }
        }
        return out
    }
}

struct NarrativeRequests: Rule {
    let code = "narrative-requests"
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "正文所述收到的申请数须与表格“本年新收”总计一致", en: "Requests received in the text match the table's 本年新收 total")
    let example = "warning[narrative-requests]: 正文称共受理申请 3 件，表格“本年新收”总计为 1"
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let row = input.report.table3?.row("new"), row.row.aligned, let total = row.row.cells[6].arithmeticValue else { return [] }
        let p = Prose(input)
        let c = p.c
        let shenqing = TextDocument.normalizedScalars("申请")
        var i = p.range.lowerBound
        while let m = p.doc.findCompact(shenqing, from: i, to: p.range.upperBound) {
            i = m + 2
            guard let n = p.number(startingAt: m + 2), n.end < p.range.upperBound, c[n.end] == jian,
                  p.contains(["受理", "收到", "新收", "接到"], in: max(0, m - 14)..<m),
                  !p.contains(["结转", "上年"], in: max(0, m - 14)..<m) else { continue }
            if abs(n.value - total) > 1e-9 {
                return [finding(
                    Localized(zh: "正文称收到申请 \(n.text) 件，表格“本年新收政府信息公开申请数量”总计为 \(fmt(total))",
                              en: "The text says \(n.text) requests were received; the table's new-requests total is \(fmt(total))"),
                    help: Localized(zh: "核对正文与第三部分表格，使两者一致。", en: "Make the text and the table agree."),
                    at: p.position(m + 2), width: n.text.count + 1,
                    label: Localized(zh: "表格为 \(fmt(total))", en: "table: \(fmt(total))"),
                    section: 1, row: "new", column: "total", expected: fmt(total), actual: n.text)]
            }
            return []
        }
        return []
    }
}

/// Every rule, in the order they are listed.
public enum RuleCatalog {
    public static let all: [any Rule] = [
        NotAReport(), SectionMissing(), SectionOrder(), SectionHeadingVariant(), TitleMissing(), PeriodRule(), PeriodMismatch(), EditionMismatch(),
        TableEditionMismatch(), TableMissing(), TableUnreadable(), RowMissing(), RowCellCount(),
        CellContent.blank, CellContent.dash, CellContent.invalid, CellContent.negative, CellContent.fractional,
        Table3Arithmetic.balance, Table3Arithmetic.rowTotal, Table3Arithmetic.totalRow, Table4Arithmetic(),
        AmountUnit(), LabelDeviation(),
        NarrativeRequests(), NarrativeParts.sum, NarrativeParts.percent, NarrativeParts.partExceeds,
    ] + IntakeRule.all

    public static func rule(_ code: String) -> (any Rule)? { all.first { $0.code == code } }
}
