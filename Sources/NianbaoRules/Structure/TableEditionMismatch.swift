import NianbaoModel
import NianbaoCore

/// Section 三's table follows the edition its rows show (a single （六）其他处理 row in the 2019
/// trial edition, three sub-items under it from 2021), and that edition must be the report
/// year's. The table is read in the edition it follows, so every cell is still checked; this one
/// finding says what to change.
struct TableEditionMismatch: Rule {
    let code = Code.tableEditionMismatch
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第三部分表格的行须为报告年度所用版本的行（2021版起“（六）其他处理”分为三行）",
                            en: "Section 3's rows are those of the report year's edition (from 2021, (6) Other handling has three sub-items)")
    let help = Localized(zh: "按报告年度所用版本的格式重填第三部分表格（2021版起“（六）其他处理”分为三行）。",
                         en: "Redo section 3's table in the edition for the report year (from 2021, (6) Other handling is split into three rows).")
    let example = Localized(zh: "error[table-edition-mismatch]: 第三部分表格按2019版填写，“（六）其他处理”只有一行；2023年度报告应使用2021版，其“（六）其他处理”分为三行",
                            en: "error[table-edition-mismatch]: Section 3 follows the 2019 edition (one row for (6) Other handling); a 2023 report uses the 2021 edition, which splits (6) Other handling into three rows")

    func check(_ input: RuleInput) -> [Diagnostic] {
        let r = input.report
        guard let t3 = r.table3, let found = r.table3Edition, let required = r.edition, found != required,
              let year = r.year else { return [] }
        let newer = FormatSpec.table3RowsOnlyIn2021.map(\.label)
        let older = FormatSpec.table3RowsOnlyIn2019.map(\.label)
        let newerEN = FormatSpec.table3RowsOnlyIn2021.map { "\"\($0.labelEN)\"" }
        let olderEN = FormatSpec.table3RowsOnlyIn2019.map { "\"\($0.labelEN)\"" }
        let newerList = newer.map { "“\($0)”" }.joined(separator: "、")
        let olderList = older.map { "“\($0)”" }.joined(separator: "、")
        // the rows that show the edition: the single （六） row, or the first of its sub-items
        let shown = found == .y2019 ? t3.row(FormatSpec.table3RowsOnlyIn2019[0].key) : t3.row(FormatSpec.table3RowsOnlyIn2021[0].key)
        let at = shown?.written ?? t3.rows.last(where: { $0.present })?.written
        let rowsNow = found == .y2019 ? "“（六）其他处理”只有一行" : "“（六）其他处理”分为三行"
        let message = Localized(
            zh: "第三部分表格按\(found.rawValue)版填写，\(rowsNow)；\(year)年度报告应使用\(required.rawValue)版（\(required.document)），"
                + (required == .y2021 ? "其“（六）其他处理”分为三行：\(newerList)"
                                      : "其“（六）其他处理”只有一行，\(newerList)三行是2021版起才有的"),
            en: "Section 3 follows the \(found.rawValue) edition (\(found == .y2019 ? "one row for (6) Other handling" : "(6) Other handling in three sub-items")); "
                + "a \(year) report uses the \(required.rawValue) edition (\(required.documentEN)), "
                + (required == .y2021 ? "which splits (6) Other handling into three rows: " + newerEN.joined(separator: "; ")
                                      : "which has one row for (6) Other handling; the three sub-items came with the 2021 edition"))
        let help = required == .y2021
            ? Localized(zh: "按\(required.document)印发的格式重填第三部分表格：把“（六）其他处理”一行的数字分到\(newerList)三行中（没有的填0），其余各行照填。",
                        en: "Redo section 3 in the 2021 edition: split the figures of the row (6) Other handling over its three sub-items (0 where none), the other rows as they are.")
            : Localized(zh: "按\(required.document)印发的格式重填第三部分表格：把\(newerList)三行合为一行\(olderList)。",
                        en: "Redo section 3 in the 2019 edition: merge the three sub-items of (6) into the one row \(olderEN.joined(separator: ", ")).")
        // one cause, one finding: when section 二 follows the other edition too, say so here
        // (edition-mismatch then stays quiet)
        var fullHelp = help
        if let two = r.table2Edition, two != required {
            fullHelp = Localized(zh: help.zh + "第二部分表格也请按\(required.document)的格式重填。",
                                 en: help.en + " Redo section 2's table in the \(required.rawValue) edition too.")
        }
        return [finding(
            message, help: fullHelp, at: at?.position, width: at.map { $0.text.unicodeScalars.count } ?? 1,
            label: Localized(zh: "\(found.rawValue)版的行", en: "\(found.rawValue) edition row"),
            section: 3, row: shown?.key, expected: required.rawValue, actual: found.rawValue)]
    }
}
