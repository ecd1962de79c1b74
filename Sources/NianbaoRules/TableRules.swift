import NianbaoModel
import NianbaoText

/// A located row of any of the three tables, for rules that treat them alike.
struct AnyRow {
    var section: Int
    var key: String
    var label: String
    var written: WrittenLabel?
    var row: RowCells
    var columns: [String]
    var columnKeys: [String]
    var amountColumn: Int?
    var signedColumns: Set<Int>

    var tableName: String { section == 2 ? "第二部分" : section == 3 ? "第三部分" : "第四部分" }

    func cellName(_ c: Int) -> String {
        section == 4 ? columns[c] : "“\(label)”行“\(columns[c])”列"
    }
    func cellNameEn(_ c: Int) -> String {
        let column = Label.column(section: section, row: key, key: columnKeys[c]).en
        return section == 4 ? "Section 4's \"\(column)\"" : "row \"\(rowEN)\", column \"\(column)\""
    }
    var rowEN: String { Label.row(key, label: label).en }
    var columnsEN: [String] { columnKeys.map { Label.column(section: section, row: key, key: $0).en } }
}

/// Every located row of the three tables, in table order. `RuleInput.rows` holds it, worked out
/// once per report for all the rules that read rows.
func allRows(_ r: AnnualReport) -> [AnyRow] {
    var out: [AnyRow] = []
    out.reserveCapacity((r.table2?.rows.count ?? 0) + (r.table3?.rows.count ?? 0) + 1)
    if let t2 = r.table2 {
        let blocks = r.format.table2
        var block = blocks.first
        for row in t2.rows {
            // rows come block by block: look the block up only when the caption changes
            if block?.caption != row.block { block = blocks.first { $0.caption == row.block } }
            let b = block!
            out.append(AnyRow(section: 2, key: row.key, label: row.label, written: row.written, row: row.row,
                              columns: b.columns, columnKeys: b.columnKeys, amountColumn: b.amountColumn,
                              signedColumns: b.signedColumns))
        }
    }
    if let t3 = r.table3 {
        for row in t3.rows {
            out.append(AnyRow(section: 3, key: row.key, label: row.label, written: row.written, row: row.row,
                              columns: FormatSpec.table3ColumnLabels, columnKeys: FormatSpec.table3ColumnKeys,
                              amountColumn: nil, signedColumns: []))
        }
    }
    if let t4 = r.table4 {
        out.append(AnyRow(section: 4, key: "review_litigation", label: "行政复议、行政诉讼", written: nil, row: t4.row,
                          columns: table4ColumnLabels, columnKeys: FormatSpec.table4ColumnKeys,
                          amountColumn: nil, signedColumns: []))
    }
    return out
}

private let table4ColumnLabels = (0..<15).map(FormatSpec.table4ColumnLabel)

/// A cell of `RuleInput.rows`: the row's index there and the cell's column.
struct CellIndex: Sendable {
    var row: Int
    var column: Int

    /// The cells that are not a plain count (see `RuleInput.oddCells`).
    static func odd(in rows: [AnyRow]) -> [CellIndex] {
        var out: [CellIndex] = []
        for (r, row) in rows.enumerated() {
            row.row.cells.withUnsafeBufferPointer { cells in
                for c in cells.indices {
                    let cell = cells[c]
                    if cell.state == .number, let v = cell.value, v >= 0, v == v.rounded() { continue }
                    if cell.state == .missing { continue }
                    out.append(CellIndex(row: r, column: c))
                }
            }
        }
        return out
    }
}

struct RowMissing: Rule {
    let code = "row-missing"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "表格的每一行都须填写", en: "Every row of the tables is present")
    let help = Localized(zh: "补上缺少的行及其数值（没有发生的填 0）；表格可能被截断，请核对原表。",
                         en: "Add the missing row with its values (0 where nothing happened); the table may have been cut off.")
    let example = Localized(zh: "error[row-missing]: 第三部分缺少“3.危及“三安全一稳定””行",
                            en: "error[row-missing]: Section 3's table lacks the row \"3. Endangering the three securities and one stability\"")
    func check(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var last: WrittenLabel?
        for row in input.rows where row.section != 4 {
            if let w = row.written {
                last = w
                continue
            }
            out.append(finding(
                Localized(zh: "\(row.tableName)表格缺少“\(row.label)”行", en: "Section \(row.section)'s table lacks the row \"\(row.rowEN)\""),
                help: Localized(zh: "补上“\(row.label)”行及其\(row.columns.count)个数值（没有发生的填0）；表格可能被截断，请核对原表。",
                                en: "Add the row with its \(row.columns.count) values (0 where nothing happened); the table may have been cut off."),
                at: last?.position, width: last.map { $0.text.unicodeScalars.count } ?? 1,
                label: last.map { _ in Localized(zh: "此行之后应有“\(row.label)”", en: "row \"\(row.rowEN)\" expected after this") },
                section: row.section, row: row.key, expected: Label.values(row.columns.count),
                actual: Localized(zh: "无此行", en: "no such row")))
        }
        return out
    }
}

struct RowCellCount: Rule {
    let code = "row-cell-count"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "每行的数值个数须与格式相同", en: "Each row has the format's number of values")
    let help = Localized(zh: "按格式逐列填齐数值，没有发生的填 0；每个单元格只填一个数。",
                         en: "Fill every column of the row, 0 where nothing happened; one number per cell.")
    let example = Localized(zh: "error[row-cell-count]: “（一）予以公开”行只有 5 个数值，格式为 7 个",
                            en: "error[row-cell-count]: row \"(1) Disclosed\" holds 5 of 7 values; which columns are missing cannot be told, so its sums cannot be verified")
    func check(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for row in input.rows where (row.written != nil || row.section == 4) && !row.row.aligned {
            let n = row.columns.count
            let found = row.row.found
            // underline the cells when they share a line; else the label (one cell per line)
            let all = [row.row.cells, row.row.extra].joined()
            let firstPlaced = all.first { $0.position != nil }
            let lastPlaced = row.row.extra.last { $0.position != nil } ?? row.row.cells.last { $0.position != nil }
            var first = firstPlaced?.position ?? row.written?.position
            var width = 1
            if let a = firstPlaced, let b = lastPlaced, let pa = a.position, let pb = b.position {
                if pa.line == pb.line {
                    width = pb.column + max(b.width, 1) - pa.column
                } else if let w = row.written {
                    first = w.position
                    width = w.text.unicodeScalars.count
                } else {
                    width = max(a.width, 1)
                }
            }
            let codeName = row.section == 4 ? "第四部分表格" : "“\(row.label)”行"
            let blanks = (row.row.cells + row.row.extra).filter { $0.state != .number && $0.state != .missing }.count
            let heldText = blanks > 0 ? heldCellsText(row.row.cells + row.row.extra) : Label.values(found)
            let held = heldText.zh
            if found < n {
                out.append(finding(
                    Localized(zh: "\(codeName)只有 " + (blanks > 0 ? "\(found) 个单元格（\(held)）" : held) + "，格式为 \(n) 个；无法判断缺的是哪几列，相关的勾稽关系无法核对",
                              en: "\(row.section == 4 ? "Section 4's table" : "Row \"\(row.rowEN)\"") holds \(found) of \(n) \(blanks > 0 ? "cells (\(heldText.en))" : "values"); which columns are missing cannot be told, so its sums cannot be verified"),
                    help: Localized(zh: "按格式逐列填齐 \(n) 个数值（\(row.columns.joined(separator: "、"))），没有发生的填 0；合并单元格会吞掉数值，请取消合并后重填。",
                                    en: "Fill all \(n) columns (\(row.section == 4 ? "upheld, corrected, other, pending and total for each of the three groups" : row.columnsEN.joined(separator: ", "))), 0 where nothing happened; merged cells swallow values: unmerge them and fill again."),
                    at: first, width: max(width, 1), label: Localized(zh: "\(found) / \(n) 个" + (blanks > 0 ? "单元格" : "数值"), en: "\(found) of \(n) " + (blanks > 0 ? "cells" : "values")),
                    section: row.section, row: row.section == 4 ? nil : row.key,
                    expected: Label.values(n), actual: heldText))
            } else {
                out.append(finding(
                    Localized(zh: "\(codeName)有 \(found) 个数值，格式为 \(n) 个", en: "\(row.section == 4 ? "Section 4's table" : "Row \"\(row.rowEN)\"") holds \(found) values where the format has \(n)"),
                    help: Localized(zh: "每个单元格只填一个数值；核对是否有单元格里填了两个数，或多出的列。",
                                    en: "One number per cell; check for a cell holding two numbers or an extra column."),
                    at: first, width: max(width, 1), label: Localized(zh: "\(found) 个数值", en: "\(found) values"),
                    section: row.section, row: row.section == 4 ? nil : row.key,
                    expected: Label.values(n), actual: Label.values(found)))
            }
        }
        return out
    }
}

/// Blank, dash, invalid, negative and fractional cells.
struct CellContent: Rule {
    let code: String
    let defaultSeverity = Severity.error
    let summary: Localized
    let help: Localized
    let example: Localized
    let state: CellState?

    static let blank = CellContent(
        code: "cell-blank", summary: Localized(zh: "须填数字的单元格不能空着（没有的填0）", en: "Cells that need a number are not left blank"),
        help: Localized(zh: "没有发生的情况填 0；总计填所列之和；不要留空。", en: "Write 0 where nothing happened and a total as the sum of its parts; leave no cell blank."),
        example: Localized(zh: "error[cell-blank]: 第四部分“行政复议·结果维持”为空，应填 0",
                           en: "error[cell-blank]: Section 4's \"Administrative reconsideration: upheld\" is blank"),
        state: .blank)
    static let dash = CellContent(
        code: "cell-dash", summary: Localized(zh: "须填数字的单元格不能用“-”“/”“无”代替0", en: "Cells hold 0, not a dash, a slash or the word for none"),
        help: Localized(zh: "没有发生的情况填 0，不要用“-”“/”“无”。", en: "Write 0, not a dash, a slash or the word for none."),
        example: Localized(zh: "error[cell-dash]: “2.重复申请”行“自然人”列填了“-”，应填 0",
                           en: "error[cell-dash]: row \"2. Repeated requests\", column \"Natural persons\" holds \"-\""),
        state: .dash)
    static let invalid = CellContent(
        code: "cell-invalid", summary: Localized(zh: "单元格须为数字", en: "Cells hold numbers, not text"),
        help: Localized(zh: "只填阿拉伯数字，不加文字或单位。", en: "Write digits only, without words or units."),
        example: Localized(zh: "error[cell-invalid]: “（一）予以公开”行“自然人”列为“1O”，不是数字",
                           en: "error[cell-invalid]: row \"(1) Disclosed\", column \"Natural persons\" holds \"1O\", not a number"),
        state: .invalid)
    static let negative = CellContent(
        code: "cell-negative", summary: Localized(zh: "件数不能为负数", en: "Counts are not negative"),
        help: Localized(zh: "件数和金额不能为负，请核对。", en: "Counts and amounts cannot be negative; check the figure."),
        example: Localized(zh: "error[cell-negative]: “2.重复申请”行“自然人”列为负数 -1",
                           en: "error[cell-negative]: row \"2. Repeated requests\", column \"Natural persons\" is negative (-1)"),
        state: nil)
    static let fractional = CellContent(
        code: "cell-fractional", summary: Localized(zh: "件数须为整数", en: "Counts are whole numbers"),
        help: Localized(zh: "件数只能是整数，请核对。", en: "Counts are whole numbers; check the figure."),
        example: Localized(zh: "error[cell-fractional]: “2.重复申请”行“自然人”列为 1.5，件数应为整数",
                           en: "error[cell-fractional]: row \"2. Repeated requests\", column \"Natural persons\" is 1.5; counts are whole numbers"),
        state: nil)

    /// Which cells this rule finds, told once per run from its code.
    private enum Kind { case blank, dash, invalid, negative, fractional, none }

    private var kind: Kind {
        switch code {
        case "cell-blank": return .blank
        case "cell-dash": return .dash
        case "cell-invalid": return .invalid
        case "cell-negative": return .negative
        case "cell-fractional": return .fractional
        default: return .none
        }
    }

    func check(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let kind = self.kind
        if kind == .none { return out }
        for at in input.oddCells {
            let row = input.rows[at.row], c = at.column
            let cell = row.row.cells[c]
            // whether the cell is one of this rule's, before any text is made
            switch kind {
            case .blank: guard cell.state == .blank else { continue }
            case .dash: guard cell.state == .dash else { continue }
            case .invalid: guard cell.state == .invalid else { continue }
            case .negative:
                guard cell.state == .number && (cell.value ?? 0) < 0 && !row.signedColumns.contains(c) else { continue }
            case .fractional:
                guard cell.state == .number && row.amountColumn != c && (cell.value ?? 0) != (cell.value ?? 0).rounded() else { continue }
            case .none: continue
            }
            let name = row.cellName(c), en = row.cellNameEn(c)
            let label: Localized
            let message: Localized
            let help: Localized
            switch kind {
            case .blank:
                let sum = blankImplied(row, c)
                message = Localized(zh: "\(name)为空", en: "\(en) is blank") + (sum?.because ?? Localized(zh: "", en: ""))
                help = sum?.help ?? Localized(zh: "没有发生的情况填 0，不要留空。", en: "Write 0 where nothing happened; do not leave it blank.")
                label = Localized(zh: "空白，应填数字", en: "blank")
            case .dash:
                message = Localized(zh: "\(name)填了“\(cell.text)”", en: "\(en) holds \"\(cell.text)\"")
                help = Localized(zh: "没有发生的情况填 0，不要用“-”“/”“无”。", en: "Write 0, not a dash.")
                label = Localized(zh: "应为数字", en: "not a number")
            case .invalid:
                message = Localized(zh: "\(name)为“\(cell.text)”，不是数字", en: "\(en) holds \"\(cell.text)\", not a number")
                help = Localized(zh: "只填阿拉伯数字，不加文字或单位。", en: "Write digits only.")
                label = Localized(zh: "不是数字", en: "not a number")
            case .negative:
                message = Localized(zh: "\(name)为负数 \(cell.text)", en: "\(en) is negative (\(cell.text))")
                help = row.amountColumn == c
                    ? Localized(zh: "金额不能为负，请核对。", en: "Amounts cannot be negative.")
                    : Localized(zh: "件数不能为负，请核对。", en: "Counts cannot be negative.")
                label = Localized(zh: "负数", en: "negative")
            case .fractional:
                message = Localized(zh: "\(name)为 \(cell.text)，件数应为整数", en: "\(en) is \(cell.text); counts are whole numbers")
                help = Localized(zh: "件数只能是整数，请核对。", en: "Counts are whole numbers.")
                label = Localized(zh: "不是整数", en: "not whole")
            case .none:
                continue
            }
            out.append(finding(message, help: help, at: cell.position, width: max(cell.width, 1), label: label,
                               section: row.section, row: row.section == 4 ? nil : row.key, column: row.columnKeys[c],
                               expected: (cell.state == .blank ? blankImplied(row, c).map { Localized(zh: $0.value, en: $0.value) } : nil)
                                   ?? (row.amountColumn == c ? Localized(zh: "0 或正数", en: "0 or a positive number")
                                       : Localized(zh: "0 或正整数", en: "0 or a positive whole number")),
                               actual: cell.text.isEmpty ? .blankCell : Localized(zh: cell.text, en: cell.text)))
        }
        return out
    }
}
