import NianbaoCore
import NianbaoModel
import NianbaoText

/// `table3-total-row`: one of the section 三 identities, checked together in Table3Arithmetic.swift
struct Table3TotalRow: Rule {
    let code = Code.table3TotalRow
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第三部分每列“（七）总计”= 各办理结果行之和", en: "Section 3, per column: (7) Total = the sum of the result rows")
    let help = Localized(zh: "核对本列各办理结果行和（七）总计：（七）总计 = （一）至（六）各行之和（不含小标题）。",
                        en: "Check the column's result rows and its (7) Total: the total is the sum of rows (1) to (6), group headings not counted.")
    let example = Localized(zh: "error[table3-total-row]: “自然人”列：（七）总计 0，各办理结果之和 1，相差 1；无法判断是哪一格填错",
                           en: "error[table3-total-row]: column \"Natural persons\": (7) Total 0, the result rows add up to 1, 1 apart; which cell is wrong cannot be told")
    func check(_ input: RuleInput) -> [Diagnostic] {
        Table3Arithmetic(code: code, summary: summary, help: help, example: example).check(input)
    }
}
