import NianbaoModel
import NianbaoText
import NianbaoCore

struct TableMissing: Rule {
    let code = Code.tableMissing
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第二、三、四部分的统计表须齐全", en: "The tables of sections 2, 3 and 4 are present")
    let help = Localized(zh: "按国家格式填入完整的统计表（表格须为文字，不能是图片）。", en: "Fill in the whole table as text, not as a picture.")
    let example = Localized(zh: "error[table-missing]: 第四部分缺少行政复议、行政诉讼统计表",
                            en: "error[table-missing]: Section 4 lacks the table of administrative reconsideration and litigation")
    func check(_ input: RuleInput) -> [Diagnostic] {
        let r = input.report
        var out: [Diagnostic] = []
        let names: [(Int, Bool, String, String)] = [
            (2, r.table2 == nil, "主动公开政府信息情况统计表", "the table of proactive disclosure"),
            (3, r.table3 == nil, "收到和处理政府信息公开申请情况统计表", "the table of requests received and handled"),
            (4, r.table4 == nil, "行政复议、行政诉讼情况统计表", "the table of administrative reconsideration and litigation"),
        ]
        for (n, missing, zh, en) in names where missing {
            let heading = r.sections.first { $0.number == n }
            out.append(finding(
                input.text(zh: "第\(FormatSpec.sections[n - 1].numeral)部分缺少\(zh)", en: "Section \(n) lacks \(en)"),
                help: input.text(zh: "按国家格式在第\(FormatSpec.sections[n - 1].numeral)部分填入完整的统计表（表格须为文字，不能是图片）。",
                                 en: "Fill in the whole table in section \(n), as text (not a picture)."),
                at: heading.map { SourcePosition(line: $0.line, column: 1) }, width: 2,
                label: heading.map { _ in Localized(zh: "此部分下没有表格", en: "no table under this heading") },
                section: n, expected: Localized(zh: zh, en: en), actual: .absent))
        }
        return out
    }
}
