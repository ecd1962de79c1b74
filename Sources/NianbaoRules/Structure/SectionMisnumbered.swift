import NianbaoModel
import NianbaoText
import NianbaoCore

/// A section found by its wording whose heading bears another section's numeral, or none.
struct SectionMisnumbered: Rule {
    let code = Code.sectionMisnumbered
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "部分标题的编号须与格式一致（一至六）", en: "Each section heading bears its own numeral (I to VI)")
    let help = Localized(zh: "按一至六给六个部分的标题编号。", en: "Number the six section headings I to VI as the format does.")
    let example = Localized(zh: "warning[section-misnumbered]: 第四部分“政府信息公开行政复议、行政诉讼情况”的标题编号写成了“三、”",
                            en: "warning[section-misnumbered]: Section 4 (Administrative reconsideration and litigation over disclosure) is numbered as section 3")
    func check(_ input: RuleInput) -> [Diagnostic] {
        input.report.sections.compactMap { h -> Diagnostic? in
            guard let written = h.numberedAs else { return nil }
            let s = FormatSpec.sections[h.number - 1]
            let wrong = written > 0 ? FormatSpec.sections[written - 1].numeral : nil
            return finding(
                wrong.map { Localized(zh: "第\(s.numeral)部分“\(h.heading)”的标题编号写成了“\($0)、”", en: "Section \(h.number) (\(s.headingEN)) is numbered as section \(written)") }
                    ?? Localized(zh: "第\(s.numeral)部分“\(h.heading)”的标题没有编号", en: "Section \(h.number) (\(s.headingEN)) has no numeral"),
                help: Localized(zh: "改为“\(s.numeral)、\(h.heading)”；六个部分按一至六编号。", en: "Write \"\(s.numeral)、\(h.heading)\" (the numeral of section \(s.number)); the six sections are numbered I to VI."),
                at: SourcePosition(line: h.line, column: 1), width: 2,
                label: Localized(zh: "应为“\(s.numeral)、”", en: "expected the numeral of section \(s.number)"), section: h.number,
                expected: Localized(zh: "\(s.numeral)、", en: "the numeral of section \(s.number)"),
                actual: wrong.map { Localized(zh: "\($0)、", en: "the numeral of section \(written)") })
        }
    }
}
