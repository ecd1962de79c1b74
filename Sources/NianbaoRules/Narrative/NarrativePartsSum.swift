import NianbaoCore
import NianbaoModel
import NianbaoText

/// `narrative-parts-sum`: one of the checks of figures in the text, shared in NarrativeParts.swift
struct NarrativePartsSum: Rule {
    let code = Code.narrativePartsSum
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "正文中分类条数之和须等于总数", en: "Parts listed in the text add up to their total")
    let help = Localized(zh: "核对总数与各类条数，使两者一致。", en: "Make the total and its parts agree.")
    let example = Localized(zh: "warning[narrative-parts-sum]: 正文称主动公开信息 36 条，但各类之和为 38 条",
                           en: "warning[narrative-parts-sum]: The text gives a total of 36 but its parts add up to 38 (1+18+19)")
    func check(_ input: RuleInput) -> [Diagnostic] {
        NarrativeParts(code: code, summary: summary, help: help, example: example).check(input)
    }
}
