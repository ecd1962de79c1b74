import NianbaoCore
import NianbaoModel
import NianbaoText

/// `table3-row-total`: one of the section 三 identities, checked together in Table3Arithmetic.swift
struct Table3RowTotal: Rule {
    let code = Code.table3RowTotal
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第三部分每行“总计”= 六类申请人之和", en: "Section 3: each row's total = the six applicant columns")
    let help = Localized(zh: "逐格核对本行 7 个数：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。",
                        en: "Check the row's 7 cells: the total is the sum of the six applicant columns.")
    let example = Localized(zh: "error[table3-row-total]: “（一）予以公开”行：总计 5，六类申请人之和 4，相差 1；无法判断是哪一格填错",
                           en: "error[table3-row-total]: row \"(1) Disclosed\": total 5, the six applicant columns add up to 4, 1 apart; which cell is wrong cannot be told")
    func check(_ input: RuleInput) -> [Diagnostic] {
        Table3Arithmetic(code: code, summary: summary, help: help, example: example).check(input)
    }
}
