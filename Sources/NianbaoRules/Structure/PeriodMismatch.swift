import NianbaoModel
import NianbaoText
import NianbaoCore

struct PeriodMismatch: Rule {
    let code = Code.periodMismatch
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "统计期限须为报告年度的1月1日至12月31日", en: "The period is 1 January – 31 December of the report year")
    let help = Localized(zh: "统计期限应为报告年度的1月1日至12月31日。", en: "The period is 1 January to 31 December of the report year.")
    let example = Localized(zh: "error[period-mismatch]: 统计期限 2019-01-01 至 2019-12-31 与报告年度 2020 不符",
                            en: "error[period-mismatch]: The period 2019-01-01 to 2019-12-31 does not match the report year 2020")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let p = input.report.period, let y = input.report.year else { return [] }
        let ok = p.from == (y, 1, 1) && p.to == (y, 12, 31)
        guard !ok else { return [] }
        return [finding(
            Localized(zh: "统计期限 \(p.fromISO) 至 \(p.toISO) 与报告年度 \(y) 不符",
                      en: "The period \(p.fromISO) to \(p.toISO) does not match the report year \(y)"),
            help: Localized(zh: "统计期限应为\(y)年1月1日至\(y)年12月31日。", en: "The period is \(y)-01-01 to \(y)-12-31."),
            at: p.position, width: 8, label: Localized(zh: "统计期限", en: "period"),
            expected: Localized(zh: "\(y)-01-01 至 \(y)-12-31", en: "\(y)-01-01 to \(y)-12-31"),
            actual: Localized(zh: "\(p.fromISO) 至 \(p.toISO)", en: "\(p.fromISO) to \(p.toISO)"))]
    }
}
