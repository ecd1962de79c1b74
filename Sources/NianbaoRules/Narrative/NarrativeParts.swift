import NianbaoModel
import NianbaoText
import NianbaoCore

/// Figures in the text checked against each other (a total and its parts, percentages, “其中”):
/// the check `NarrativePartsSum`, `NarrativePercentage` and `NarrativePartExceedsWhole` share
/// (one file each, each with its own code and texts); not in the catalog itself.
struct NarrativeParts: Rule {
    let code: Code
    let defaultSeverity = Severity.warning
    let summary: Localized
    let help: Localized
    let example: Localized

    func check(_ input: RuleInput) -> [Diagnostic] {
        let p = Prose(input)
        var out: [Diagnostic] = []
        let c = p.c
        var i = p.range.lowerBound
        while i < p.range.upperBound {
            defer { i += 1 }
            guard c[i] == tiao, let whole = p.number(endingAt: i) else { continue }
            if code == .narrativePartExceedsWhole {
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
            if code == .narrativePartsSum {
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
