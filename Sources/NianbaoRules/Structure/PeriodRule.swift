import NianbaoModel
import NianbaoText
import NianbaoCore

struct PeriodRule: Rule {
    let code = Code.periodMissing
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "写明统计期限（本年1月1日至12月31日）", en: "The statistical period is stated")
    let help = Localized(zh: "在引言中写明统计期限：报告年度的1月1日至12月31日。", en: "State the statistical period, 1 January to 31 December of the report year, in the introduction.")
    let example = Localized(zh: "warning[period-missing]: 未写明统计期限（应为2020年1月1日至2020年12月31日）",
                            en: "warning[period-missing]: The statistical period is not stated")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard input.report.period == nil else { return [] }
        let y = input.report.year.map(String.init) ?? "本"
        return [finding(
            Localized(zh: "未写明统计期限", en: "The statistical period is not stated"),
            help: input.text(zh: "在引言中写明“本报告所列数据的统计期限自\(y)年1月1日起至\(y)年12月31日止”。",
                             en: "State the period, 1 January to 31 December of the report year, in the introduction."),
            at: input.report.titleLine.map { SourcePosition(line: $0, column: 1) },
            expected: Localized(zh: "\(y)年1月1日至\(y)年12月31日", en: input.report.year.map { "\($0)-01-01 to \($0)-12-31" } ?? "1 January to 31 December"),
            actual: .absent)]
    }
}
