import NianbaoModel
import NianbaoText
import NianbaoCore

struct SectionHeadingVariant: Rule {
    let code = Code.sectionHeadingVariant
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "部分标题与格式文字不同（可接受的变体）", en: "A section heading deviates from the format's wording")
    let help = Localized(zh: "建议改用格式规定的标题文字。", en: "Use the format's wording of the heading.")
    let example = Localized(zh: "warning[section-heading-variant]: 标题“五、存在的问题及改进情况”与格式“五、存在的主要问题及改进情况”不同",
                            en: "warning[section-heading-variant]: the heading of section 5 (Main problems and improvements) is written \"五、存在的问题及改进情况\", not the format's \"五、存在的主要问题及改进情况\"")
    func check(_ input: RuleInput) -> [Diagnostic] {
        input.report.sections.filter(\.isVariant).map { h in
            let s = FormatSpec.sections[h.number - 1]
            return finding(
                input.text(zh: "标题“\(s.numeral)、\(h.heading)”与格式文字“\(s.numeral)、\(s.heading)”不同",
                           en: "the heading of section \(s.number) (\(s.headingEN)) is written \"\(s.numeral)、\(h.heading)\", not the format's \"\(s.numeral)、\(s.heading)\""),
                help: input.text(zh: "建议改为格式规定的标题“\(s.numeral)、\(s.heading)”。",
                                 en: "Use the format's heading \"\(s.numeral)、\(s.heading)\"."),
                at: SourcePosition(line: h.line, column: 1), width: h.heading.unicodeScalars.count + 2,
                label: Localized(zh: "标题变体", en: "heading variant"), section: h.number,
                expected: .quoted(s.heading), actual: .quoted(h.heading))
        }
    }
}
