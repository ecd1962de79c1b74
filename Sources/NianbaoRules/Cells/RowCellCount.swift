import NianbaoModel
import NianbaoText
import NianbaoCore

struct RowCellCount: AppendingRule {
    let code = Code.rowCellCount
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "每行的数值个数须与格式相同", en: "Each row has the format's number of values")
    let help = Localized(zh: "按格式逐列填齐数值，总计填所列各数之和，没有发生的填 0；每个单元格只填一个数。",
                         en: "Fill every column of the row, a total with the sum of its parts, 0 where nothing happened; one number per cell.")
    let example = Localized(zh: "error[row-cell-count]: “（一）予以公开”行只有 5 个数值，格式为 7 个",
                            en: "error[row-cell-count]: row \"(1) Disclosed\" holds 5 of 7 values; which columns are missing cannot be told, so its sums cannot be verified")
    func check(_ input: RuleInput, into out: inout [Diagnostic]) {
        let rows = input.rows
        // a table's rows share their columns: the help that names them is made once for all of them
        var shared: (section: Int, columns: [String], keys: [String], help: Localized)?
        for r in rows.indices where (rows[r].written != nil || rows[r].section == 4) && !rows[r].row.aligned {
            let row = rows[r]
            let n = row.columns.count
            let found = row.row.found
            // underline the cells when they share a line; else the label (one cell per line)
            // (the cells' places and widths read where they stand, no cell copied)
            let cells = row.row.cells, extra = row.row.extra
            func placed(_ cells: [Cell], _ i: Int?) -> (position: SourcePosition?, width: Int)? {
                i.map { (cells[$0].position, cells[$0].width) }
            }
            let firstPlaced = placed(cells, cells.firstIndex { $0.position != nil }) ?? placed(extra, extra.firstIndex { $0.position != nil })
            let lastPlaced = placed(extra, extra.lastIndex { $0.position != nil }) ?? placed(cells, cells.lastIndex { $0.position != nil })
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
            let section4 = row.section == 4
            let blanks = row.row.cells.count(where: { $0.state != .number && $0.state != .missing })
                + row.row.extra.count(where: { $0.state != .number && $0.state != .missing })
            let heldText = blanks > 0 ? heldCellsText(row.row.cells, row.row.extra) : Label.values(found)
            if found < n {
                if shared == nil || shared!.section != row.section || shared!.columns != row.columns
                    || shared!.keys != row.columnKeys {
                    let help = input.text(
                        zh: "按格式逐列填齐 \(n) 个数值（\(row.columns.joined(separator: "、"))），总计填所列各数之和，没有发生的填 0；合并单元格会吞掉数值，请取消合并后重填。",
                        en: "Fill all \(n) columns (\(section4 ? "upheld, corrected, other, pending and total for each of the three groups" : row.columnsEN.joined(separator: ", "))), a total with the sum of its parts, 0 where nothing happened; merged cells swallow values: unmerge them and fill again.")
                    shared = (row.section, row.columns, row.columnKeys, help)
                }
                out.append(finding(
                    input.text(zh: blanks > 0
                                   ? "\(section4 ? "第四部分表格" : "“\(row.label)”行")只有 \(found) 个单元格（\(heldText.zh)），格式为 \(n) 个；无法判断缺的是哪几列，相关的勾稽关系无法核对"
                                   : "\(section4 ? "第四部分表格" : "“\(row.label)”行")只有 \(heldText.zh)，格式为 \(n) 个；无法判断缺的是哪几列，相关的勾稽关系无法核对",
                               en: "\(section4 ? "Section 4's table" : "Row \"\(row.rowEN)\"") holds \(found) of \(n) \(blanks > 0 ? "cells (\(heldText.en))" : "values"); which columns are missing cannot be told, so its sums cannot be verified"),
                    help: shared!.help,
                    at: first, width: max(width, 1), label: input.text(zh: "\(found) / \(n) 个" + (blanks > 0 ? "单元格" : "数值"), en: "\(found) of \(n) " + (blanks > 0 ? "cells" : "values")),
                    section: row.section, row: section4 ? nil : row.key,
                    expected: Label.values(n), actual: heldText))
            } else {
                out.append(finding(
                    input.text(zh: "\(section4 ? "第四部分表格" : "“\(row.label)”行")有 \(found) 个数值，格式为 \(n) 个",
                               en: "\(section4 ? "Section 4's table" : "Row \"\(row.rowEN)\"") holds \(found) values where the format has \(n)"),
                    help: Localized(zh: "每个单元格只填一个数值；核对是否有单元格里填了两个数，或多出的列。",
                                    en: "One number per cell; check for a cell holding two numbers or an extra column."),
                    at: first, width: max(width, 1), label: input.text(zh: "\(found) 个数值", en: "\(found) values"),
                    section: row.section, row: section4 ? nil : row.key,
                    expected: Label.values(n), actual: Label.values(found)))
            }
        }
    }
}
