import NianbaoCore
import NianbaoModel
import NianbaoText

/// `cell-fractional`: one of the cell checks shared in CellContent.swift
struct CellFractional: Rule {
    let code = Code.cellFractional
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "件数须为整数", en: "Counts are whole numbers")
    let help = Localized(zh: "件数只能是整数，请核对。", en: "Counts are whole numbers; check the figure.")
    let example = Localized(zh: "error[cell-fractional]: “2.重复申请”行“自然人”列为 1.5，件数应为整数",
                           en: "error[cell-fractional]: row \"2. Repeated requests\", column \"Natural persons\" is 1.5; counts are whole numbers")
    func check(_ input: RuleInput) -> [Diagnostic] {
        CellContent(code: code, summary: summary, help: help, example: example, state: nil).check(input)
    }
}
