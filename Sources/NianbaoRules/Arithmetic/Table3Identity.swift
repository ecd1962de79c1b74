import NianbaoCore
import NianbaoModel
import NianbaoText

/// `table3-identity`: one of the section 三 identities, checked together in Table3Arithmetic.swift
struct Table3Identity: Rule {
    let code = Code.table3Identity
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第三部分每列：一 + 二 = （七）总计 + 四、结转", en: "Section 3, per column: I + II = (7) Total + IV")
    let help = Localized(zh: "核对本列的本年新收、上年结转、（七）总计和结转下年度：第一项加第二项之和，等于第三项加第四项之和。",
                        en: "Check the column's new requests, carried over from last year, (7) Total and carried over to next year: I + II = (7) Total + IV.")
    let example = Localized(zh: "error[table3-identity]: “自然人”列：本年新收 1 + 上年结转 0 = 1，（七）总计 0 + 结转下年度 0 = 0，相差 1；无法判断是哪一格填错",
                           en: "error[table3-identity]: column \"Natural persons\": new 1 + carried over from last year 0 = 1, (7) Total 0 + carried over to next year 0 = 0, 1 apart; which cell is wrong cannot be told")
    func check(_ input: RuleInput) -> [Diagnostic] {
        Table3Arithmetic(code: code, summary: summary, help: help, example: example).check(input)
    }
}
