import NianbaoCore
import NianbaoModel
import NianbaoText

/// `cell-blank`: one of the cell checks shared in CellContent.swift
struct CellBlank: Rule {
    let code = Code.cellBlank
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "须填数字的单元格不能空着（没有的填0）", en: "Cells that need a number are not left blank")
    let help = Localized(zh: "没有发生的情况填 0；总计填所列之和；不要留空。", en: "Write 0 where nothing happened and a total as the sum of its parts; leave no cell blank.")
    let example = Localized(zh: "error[cell-blank]: 第四部分“行政复议·结果维持”为空，应填 0",
                           en: "error[cell-blank]: Section 4's \"Administrative reconsideration: upheld\" is blank")
    func check(_ input: RuleInput) -> [Diagnostic] {
        CellContent(code: code, summary: summary, help: help, example: example, state: .blank).check(input)
    }
}
