import NianbaoCore
import NianbaoModel
import NianbaoText

/// `table3-wrong-cell`: one of the section 三 identities, checked together in Table3Arithmetic.swift
struct Table3WrongCell: Rule {
    let code = Code.table3WrongCell
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第三部分某一格与勾稽关系推算的数不符（该格填错）", en: "Section 3: one cell disagrees with the value the identities imply (that cell is wrong)")
    let help = Localized(zh: "把该格改为推算的数，它破坏的勾稽关系即全部成立；如原数无误，则须核对这些勾稽关系涉及的其他格。",
                        en: "Change the cell to the implied value and the identities it breaks hold; if the written value is right, check the other cells they involve.")
    let example = Localized(zh: "error[table3-wrong-cell]: “5.属于三类内部事务信息”行“自然人”列填 16，按本行总计与本列（七）总计推算应为 13",
                           en: "error[table3-wrong-cell]: row \"5. Internal affairs information (three kinds)\", column \"Natural persons\" holds 16; the row's total and the column's (7) Total imply 13")
    func check(_ input: RuleInput) -> [Diagnostic] {
        Table3Arithmetic(code: code, summary: summary, help: help, example: example).check(input)
    }
}
