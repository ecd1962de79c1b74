import NianbaoModel
import NianbaoText
import NianbaoCore

struct SectionOrder: Rule {
    let code = Code.sectionOrder
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "六个部分须按一至六的顺序排列", en: "The six sections come in order, I to VI")
    let help = Localized(zh: "按格式把六个部分排成一至六的顺序。", en: "Put the six sections in the format's order, I to VI.")
    let example = Localized(zh: "error[section-order]: 第三部分出现在第四部分之后",
                            en: "error[section-order]: Section 3 (Requests for government information received and handled) comes after section 4")
    func check(_ input: RuleInput) -> [Diagnostic] {
        // sections are listed in text order: each one numbered below an earlier one is out of place
        var out: [Diagnostic] = []
        var highest: SectionHeading?
        for h in input.report.sections {
            if let top = highest, h.number < top.number {
                let s = FormatSpec.sections[h.number - 1], t = FormatSpec.sections[top.number - 1]
                out.append(finding(
                    Localized(zh: "第\(s.numeral)部分“\(s.heading)”出现在第\(t.numeral)部分之后",
                              en: "Section \(h.number) (\(s.headingEN)) comes after section \(top.number)"),
                    help: Localized(zh: "按格式把六个部分排成一至六的顺序。", en: "Put the six sections in the format's order."),
                    at: SourcePosition(line: h.line, column: 1), width: 2,
                    label: Localized(zh: "应在第\(t.numeral)部分之前", en: "belongs before section \(top.number)"),
                    section: h.number, expected: Localized(zh: "第\(s.numeral)部分在第\(t.numeral)部分之前", en: "section \(h.number) before section \(top.number)"),
                    actual: Localized(zh: "在其后", en: "after it")))
            } else {
                highest = h
            }
        }
        return out
    }
}
