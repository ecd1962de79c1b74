import NianbaoModel
import NianbaoCore

/// A file with none of a report's parts — no title, no section heading, no table — is not an
/// annual report (a wrong attachment, a cover letter): one finding says so, instead of eleven
/// "missing" ones.
struct NotAReport: Rule {
    let code = Code.notAReport
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "文件不是政府信息公开工作年度报告（没有标题、各部分标题和统计表）",
                            en: "The file is not an annual report (no title, no section headings, no tables)")
    let help = Localized(zh: "请确认提交的是年度报告本身（不是通知、说明或其他附件）。",
                         en: "Check that the file is the annual report itself, not a notice or another attachment.")
    let example = Localized(zh: "error[not-a-report]: 这个文件不像政府信息公开工作年度报告：没有报告标题，没有“一、总体情况”等六个部分，也没有统计表",
                            en: "error[not-a-report]: This file does not look like an annual report on open government information: no title, none of the six sections, no tables")

    static func applies(_ r: AnnualReport) -> Bool {
        r.title == nil && r.sections.isEmpty && r.table2 == nil && r.table3 == nil && r.table4 == nil
    }

    func check(_ input: RuleInput) -> [Diagnostic] {
        guard Self.applies(input.report) else { return [] }
        return [finding(
            Localized(zh: "这个文件不像政府信息公开工作年度报告：没有报告标题，没有“一、总体情况”等六个部分，也没有统计表",
                      en: "This file does not look like an annual report on open government information: no title, none of the six sections, no tables"),
            help: Localized(zh: "请确认提交的是年度报告本身（不是通知、说明或其他附件）；报告应按国务院办公厅规定的格式编写。",
                            en: "Check that the file is the annual report itself (not a notice or another attachment), written in the national format."))]
    }
}
