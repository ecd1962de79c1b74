import NianbaoModel
import NianbaoText
import NianbaoCore

struct RowMissing: AppendingRule {
    let code = Code.rowMissing
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "表格的每一行都须填写", en: "Every row of the tables is present")
    let help = Localized(zh: "补上缺少的行及其数值（总计填所列各数之和，没有发生的填 0）；表格可能被截断，请核对原表。",
                         en: "Add the missing row with its values (a total with the sum of its parts, 0 where nothing happened); the table may have been cut off.")
    let example = Localized(zh: "error[row-missing]: 第三部分缺少“3.危及“三安全一稳定””行",
                            en: "error[row-missing]: Section 3's table lacks the row \"3. Endangering the three securities and one stability\"")
    func check(_ input: RuleInput, into out: inout [Diagnostic]) {
        var last: WrittenLabel?
        // the width of `last`, counted once for the missing rows that follow it
        var lastWidth: Int?
        let rows = input.rows
        for r in rows.indices where rows[r].section != 4 {
            if let w = rows[r].written {
                last = w
                lastWidth = nil
                continue
            }
            let row = rows[r]
            let n = row.columns.count
            if lastWidth == nil { lastWidth = last.map { $0.text.unicodeScalars.count } ?? 1 }
            out.append(finding(
                input.text(zh: "\(row.tableName)表格缺少“\(row.label)”行", en: "Section \(row.section)'s table lacks the row \"\(row.rowEN)\""),
                // in both languages always: the note tells a group of missing rows by whether
                // their helps differ, in either language
                help: row.key == "total"
                    ? Localized(zh: "补上“\(row.label)”行及其\(n)个数值（各列填本列各办理结果之和）；表格可能被截断，请核对原表。",
                                en: "Add the row with its \(n) values (each the sum of its column's result rows); the table may have been cut off.")
                    : Localized(zh: "补上“\(row.label)”行及其\(n)个数值（总计填所列各数之和，没有发生的填 0）；表格可能被截断，请核对原表。",
                                en: "Add the row with its \(n) values (the total with the sum of its parts, 0 where nothing happened); the table may have been cut off."),
                at: last?.position, width: lastWidth!,
                label: last.map { _ in input.text(zh: "此行之后应有“\(row.label)”", en: "row \"\(row.rowEN)\" expected after this") },
                section: row.section, row: row.key, expected: Label.values(n),
                actual: .noSuchRow))
        }
    }
}
