import NianbaoCore
import NianbaoModel

/// What the same organ reported a year earlier, as far as this year's report is checked
/// against it: its 结转下年度 row of section 三.
public struct PriorYearFigures: Sendable, Equatable {
    /// The earlier report's file name, as published.
    public var file: String
    public var year: Int
    /// 四、结转下年度继续办理, seven values (nil where blank or not a number).
    public var carryNext: [Int?]

    public init(file: String, year: Int, carryNext: [Int?]) {
        self.file = file
        self.year = year
        self.carryNext = carryNext
    }
}

/// `table3-carryover-mismatch`: this year's 二、上年结转 must equal what the same organ reported
/// as 四、结转下年度继续办理 a year earlier, column by column. Checked only when that report is
/// known (the service keeps an index of the reports it checked).
struct Table3CarryoverRule: Rule {
    let code = Code.table3CarryoverMismatch
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "本年“上年结转”应等于同一机关上一年度报告的“结转下年度继续办理”（已审核过上一年度报告时）",
                            en: "This year's carried-over requests must equal what the same organ reported as carried to the next year, the year before (when that report was checked)")
    let help = Localized(zh: "上年结转的申请就是上一年度报告中结转下年度继续办理的申请：请核对本年“上年结转”一行，或上一年度报告是否有误。",
                         en: "Requests carried over are the ones the previous report carried to this year: check this row, or the previous year's report.")
    let example = Localized(
        zh: "警告[table3-carryover-mismatch]：“二、上年结转”与 2023 年报告《某镇2023年报.docx》的“四、结转下年度继续办理”不一致：自然人 本年 3，上年 5",
        en: "warning[table3-carryover-mismatch]: carried over from last year differs from what the 2023 report (town-2023.docx) carried to the next year: natural persons: 3 now, 5 a year ago")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let prior = input.priorYear, let carried = input.report.table3?.row("carried"), carried.present else { return [] }
        var differences: [(column: Int, now: Int, before: Int)] = []
        for (c, cell) in carried.row.cells.enumerated() where c < prior.carryNext.count {
            guard cell.state == .number, let now = cell.value, let before = prior.carryNext[c] else { continue }
            if Int(now) != before { differences.append((c, Int(now), before)) }
        }
        guard let first = differences.first else { return [] }
        let zhList = differences.map { "\(FormatSpec.table3ColumnLabels[$0.column]) 本年 \($0.now)，上年 \($0.before)" }
        let enNames = ["natural persons", "commercial enterprises", "research institutions", "social organisations",
                       "legal service institutions", "other", "total"]
        let enList = differences.map { "\(enNames[$0.column]): \($0.now) now, \($0.before) a year ago" }
        let cell = carried.row.cells[first.column]
        var d = finding(
            Localized(zh: "“二、上年结转”与 \(prior.year) 年报告《\(prior.file)》的“四、结转下年度继续办理”不一致：\(zhList.joined(separator: "；"))",
                      en: "Carried over from last year differs from what the \(prior.year) report (\(prior.file)) carried to the next year: \(enList.joined(separator: "; "))"),
            help: help,
            at: cell.position, width: max(cell.width, 1),
            label: Localized(zh: "上年报告为 \(first.before)", en: "\(first.before) in last year's report"),
            section: 3, row: "carried", column: FormatSpec.table3ColumnKeys[first.column],
            expected: String(first.before), actual: String(first.now))
        d.isFix = false
        return [d]
    }
}
