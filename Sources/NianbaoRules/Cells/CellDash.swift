import NianbaoCore
import NianbaoModel
import NianbaoText

/// `cell-dash`: one of the cell checks shared in CellContent.swift
struct CellDash: Rule {
    let code = Code.cellDash
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "须填数字的单元格不能用“-”“/”“无”代替0", en: "Cells hold 0, not a dash, a slash or the word for none")
    let help = Localized(zh: "勾稽关系能推算出的格填推算的数（总计填所列各数之和），其余没有发生的情况填 0；不要用“-”“/”“无”。",
                         en: "Write the number the identities give where they give one (a total is the sum of its parts), else 0; not a dash, a slash or the word for none.")
    let example = Localized(zh: "error[cell-dash]: “2.重复申请”行“自然人”列填了“-”，应填 0",
                           en: "error[cell-dash]: row \"2. Repeated requests\", column \"Natural persons\" holds \"-\"")
    func check(_ input: RuleInput) -> [Diagnostic] {
        CellContent(code: code, summary: summary, help: help, example: example, state: .dash).check(input)
    }
}
