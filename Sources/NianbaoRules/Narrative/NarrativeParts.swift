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
        let scan = input.narrative
        var out: [Diagnostic] = []
        if code == .narrativePartExceedsWhole {
            for (whole, part) in scan.exceeding {
                out.append(finding(
                    input.text(zh: "正文称“\(whole.text) 条，其中……\(part.text) 条”：部分大于总数", en: "The text says \(part.text) of \(whole.text): the part exceeds its whole"),
                    help: Localized(zh: "核对这两个数：“其中”的部分不能多于总数。", en: "A part cannot exceed its whole; check both figures."),
                    at: part.position, width: part.text.count + 1,
                    label: input.text(zh: "\(part.text) > \(whole.text)", en: "\(part.text) > \(whole.text)"),
                    section: 1, expected: "≤ \(whole.text)", actual: part.text))
            }
            return out
        }
        for (whole, items) in scan.totals {
            if code == .narrativePartsSum {
                let s = items.reduce(0) { $0 + $1.n.value }
                if abs(s - whole.value) > 1e-9 {
                    let terms = items.map(\.n.text).joined(separator: "+")
                    out.append(finding(
                        input.text(zh: "正文称共 \(whole.text) 条，但分列各类之和为 \(fmt(s)) 条（\(terms)）", en: "The text gives a total of \(whole.text) but its parts add up to \(fmt(s)) (\(terms))"),
                        help: Localized(zh: "核对总数与各类条数，使两者一致。", en: "Make the total and its parts agree."),
                        at: whole.position, width: whole.text.count + 1,
                        label: input.text(zh: "各类之和为 \(fmt(s))", en: "parts add up to \(fmt(s))"),
                        section: 1, expected: whole.text, actual: fmt(s)))
                }
            } else if whole.value > 0 {
                for item in items {
                    guard let pct = item.pct else { continue }
                    let expected = item.n.value / whole.value * 100
                    if abs(expected - pct.value) > 0.15 {
                        let e = (expected * 10).rounded() / 10
                        out.append(finding(
                            input.text(zh: "正文称“\(item.n.text) 条，占 \(pct.text)%”，而 \(item.n.text) ÷ \(whole.text) = \(fmt(e))%",
                                       en: "The text says \(item.n.text) is \(pct.text)%, but \(item.n.text) / \(whole.text) = \(fmt(e))%"),
                            help: Localized(zh: "按条数重新计算百分比。", en: "Recompute the percentage from the counts."),
                            at: item.n.position, width: item.n.text.count + 1,
                            label: input.text(zh: "应为 \(fmt(e))%", en: "expected \(fmt(e))%"),
                            section: 1, expected: "\(fmt(e))%", actual: "\(pct.text)%"))
                    }
                }
                let total = items.compactMap(\.pct?.value).reduce(0, +)
                if items.allSatisfy({ $0.pct != nil }) && total > 100.5 {
                    out.append(finding(
                        input.text(zh: "正文各类百分比之和为 \(fmt((total * 10).rounded() / 10))%，超过 100%", en: "The percentages add up to \(fmt((total * 10).rounded() / 10))%, over 100%"),
                        help: Localized(zh: "按条数重新计算各类百分比。", en: "Recompute the percentages."),
                        at: items[0].n.position, width: items[0].n.text.count + 1,
                        label: Localized(zh: "合计超过 100%", en: "over 100%"),
                        section: 1, expected: "100%", actual: "\(fmt((total * 10).rounded() / 10))%"))
                }
            }
        }
        return out
    }
}

/// The figures of the prose before the tables that the three narrative rules check, read in one
/// pass per report (`RuleInput.narrative`): each “N条，其中 … M条” whose part exceeds its whole,
/// and each total (累计/共/主动公开 … N条) with the “M条，占P%” items listed after it.
struct NarrativeScan: Sendable {
    /// A figure of the text: its value, as written, where it starts.
    struct Figure: Sendable {
        let value: Double
        let text: String
        let position: SourcePosition
    }
    struct Item: Sendable {
        let n: Figure
        let pct: (value: Double, text: String)?
    }
    private(set) var exceeding: [(whole: Figure, part: Figure)] = []
    private(set) var totals: [(whole: Figure, items: [Item])] = []

    init(report: AnnualReport, document: TextDocument) {
        let p = Prose(report: report, document: document)
        let c = p.c
        let lower = p.range.lowerBound, upper = p.range.upperBound
        func figure(_ n: (value: Double, text: String, start: Int)) -> Figure {
            Figure(value: n.value, text: n.text, position: p.position(n.start))
        }
        var i = lower
        while i < upper {
            defer { i += 1 }
            i = nextIndex(of: tiao, in: c, from: i, to: upper)
            guard i < upper, let whole = p.number(endingAt: i) else { continue }
            // N条，其中 … M条
            let ofWhich = ProseWords.ofWhich
            if p.has(ofWhich, at: i + 1, before: upper) {
                var j = i + 1 + ofWhich.count
                while j < min(i + 40, upper) && c[j] != fullStop && c[j] != 0x3B && c[j] != 0x2C {
                    if c[j] == tiao, let part = p.number(endingAt: j), part.value > whole.value {
                        exceeding.append((figure(whole), figure(part)))
                        break
                    }
                    j += 1
                }
            }
            // a total: 累计/共/主动公开 … N条
            guard p.contains(ProseWords.total, in: max(lower, whole.start - 12)..<whole.start) else { continue }
            // its parts: "M条，占P%" items, until the sentence after the first item ends
            var items: [Item] = []
            var j = i + 1
            let limit = min(i + 400, upper)
            let share = ProseWords.share
            while j < limit {
                if c[j] == fullStop && !items.isEmpty { break }
                if c[j] == tiao, let n = p.number(endingAt: j) {
                    var pct: (value: Double, text: String)?
                    if p.has(share, at: j + 1, before: limit - 1),
                       let q = p.number(startingAt: j + 1 + share.count), q.end < limit, c[q.end] == 0x25 {
                        pct = (q.value, q.text)
                    }
                    if pct != nil || !items.isEmpty { items.append(Item(n: figure(n), pct: pct)) }
                }
                j += 1
            }
            guard items.count >= 2, items.contains(where: { $0.pct != nil }) else { continue }
            totals.append((figure(whole), items))
        }
    }
}
