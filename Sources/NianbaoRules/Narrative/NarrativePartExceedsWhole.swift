import NianbaoCore
import NianbaoModel
import NianbaoText

/// `narrative-part-exceeds-whole`: one of the checks of figures in the text, shared in NarrativeParts.swift
struct NarrativePartExceedsWhole: Rule {
    let code = Code.narrativePartExceedsWhole
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "“其中”部分不能大于总数", en: "A part (\"of which\") is not larger than its whole")
    let help = Localized(zh: "核对这两个数：“其中”的部分不能多于总数。", en: "A part cannot exceed its whole; check both figures.")
    let example = Localized(zh: "warning[narrative-part-exceeds-whole]: “部门文件 18 条，其中…21 条”：部分大于总数",
                           en: "warning[narrative-part-exceeds-whole]: The text says 21 of 18: the part exceeds its whole")
    func check(_ input: RuleInput) -> [Diagnostic] {
        NarrativeParts(code: code, summary: summary, help: help, example: example).check(input)
    }
}
