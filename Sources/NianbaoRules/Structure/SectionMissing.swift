import NianbaoModel
import NianbaoText
import NianbaoCore

struct SectionMissing: Rule {
    let code = Code.sectionMissing
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "六个部分须齐全且按序排列", en: "All six sections are present, in order")
    let help = Localized(zh: "按国家格式补上缺少的部分及其内容；六个部分须按一至六的顺序排列。", en: "Add the missing section with its content; the six sections go in the order I to VI.")
    let example = Localized(zh: "error[section-missing]: 缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”",
                            en: "error[section-missing]: Section 4 (Administrative reconsideration and litigation over disclosure) is missing")
    func check(_ input: RuleInput) -> [Diagnostic] {
        // six sections against a handful: searched, no set built
        let sections = input.report.sections
        var out: [Diagnostic] = []
        for s in FormatSpec.sections where !sections.contains(where: { $0.number == s.number }) {
            let next = sections.first { $0.number > s.number }
            out.append(finding(
                input.text(zh: "缺少第\(s.numeral)部分“\(s.numeral)、\(s.heading)”",
                           en: "Section \(s.number) (\(s.headingEN)) is missing"),
                // in both languages always: the note tells a group of missing sections by
                // whether their helps differ, in either language
                help: Localized(zh: "按国家格式补上“\(s.numeral)、\(s.heading)”一节及其内容；各部分须按一至六的顺序排列。",
                                en: "Add section \(s.number) with its content, headed \"\(s.numeral)、\(s.heading)\"; the six sections go in order."),
                at: next.map { SourcePosition(line: $0.line, column: 1) }, width: 2,
                label: next.map { _ in Localized(zh: "应在此之前", en: "expected before this") },
                section: s.number, expected: Localized(zh: "\(s.numeral)、\(s.heading)", en: "section \(s.number) (\(s.headingEN))"), actual: .absent))
        }
        return out
    }
}
