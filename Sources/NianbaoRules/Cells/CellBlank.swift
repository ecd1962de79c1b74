import NianbaoCore
import NianbaoModel
import NianbaoText

/// `cell-blank`: one of the cell checks shared in CellContent.swift
struct CellBlank: Rule {
    let code = Code.cellBlank
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "须填数字的单元格不能空着（没有的填0）", en: "Cells that need a number are not left blank")
    let help = Localized(zh: "勾稽关系能推算出的格填推算的数（总计填所列各数之和），其余没有发生的情况填 0；不要留空。",
                         en: "Write the number the identities give where they give one (a total is the sum of its parts), 0 where nothing happened; leave no cell blank.")
    let example = Localized(zh: "error[cell-blank]: “（一）予以公开”行“总计”列为空，按六类申请人之和应填 1362",
                           en: "error[cell-blank]: row \"(1) Disclosed\", column \"Total\" is blank; it must be 1362 (the six applicant columns add up to it)")
    func check(_ input: RuleInput) -> [Diagnostic] {
        CellContent(code: code, summary: summary, help: help, example: example, state: .blank).check(input)
    }
}
