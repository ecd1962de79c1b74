import NianbaoCore
import NianbaoModel
import NianbaoText

/// `cell-negative`: one of the cell checks shared in CellContent.swift
struct CellNegative: Rule {
    let code = Code.cellNegative
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "件数不能为负数", en: "Counts are not negative")
    let help = Localized(zh: "件数和金额不能为负，请核对。", en: "Counts and amounts cannot be negative; check the figure.")
    let example = Localized(zh: "error[cell-negative]: “2.重复申请”行“自然人”列为负数 -1",
                           en: "error[cell-negative]: row \"2. Repeated requests\", column \"Natural persons\" is negative (-1)")
    func check(_ input: RuleInput) -> [Diagnostic] {
        CellContent(code: code, summary: summary, help: help, example: example, state: nil).check(input)
    }
}
