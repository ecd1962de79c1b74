import NianbaoCore
import NianbaoModel
import NianbaoText

/// `narrative-percentage`: one of the checks of figures in the text, shared in NarrativeParts.swift
struct NarrativePercentage: Rule {
    let code = Code.narrativePercentage
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "正文中的百分比须与条数相符", en: "Percentages in the text match their counts")
    let help = Localized(zh: "按条数重新计算百分比。", en: "Recompute the percentages from the counts.")
    let example = Localized(zh: "warning[narrative-percentage]: “1 条，占 1.9%”，而 1 ÷ 36 = 2.8%",
                           en: "warning[narrative-percentage]: The text says 1 is 1.9%, but 1 / 36 = 2.8%")
    func check(_ input: RuleInput) -> [Diagnostic] {
        NarrativeParts(code: code, summary: summary, help: help, example: example).check(input)
    }
}
