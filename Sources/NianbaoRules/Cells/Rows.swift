import NianbaoModel
import NianbaoText

/// A located row of any of the three tables, for rules that treat them alike.
struct AnyRow {
    var section: Int
    var key: String
    /// The row's index in its table's rows (0 for section 四's one row).
    var index: Int
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
        var block = blocks.startIndex
        for (i, row) in t2.rows.enumerated() {
            // rows come block by block: look the block up only when the caption changes (by
            // index: a block's spec is not copied; the same bytes first: `!=` on text that is not
            // ASCII compares it normalised)
            if !sameBytes(blocks[block].caption, row.block) {
                if let next = blocks.firstIndex(where: { sameBytes($0.caption, row.block) }) {
                    block = next
                } else if blocks[block].caption != row.block {
                    block = blocks.firstIndex { $0.caption == row.block }!
                }
            }
            out.append(AnyRow(section: 2, key: row.key, index: i, label: row.label, written: row.written, row: row.row,
                              columns: blocks[block].columns, columnKeys: blocks[block].columnKeys,
                              amountColumn: blocks[block].amountColumn, signedColumns: blocks[block].signedColumns))
        }
    }
    if let t3 = r.table3 {
        for (i, row) in t3.rows.enumerated() {
            out.append(AnyRow(section: 3, key: row.key, index: i, label: row.label, written: row.written, row: row.row,
                              columns: FormatSpec.table3ColumnLabels, columnKeys: FormatSpec.table3ColumnKeys,
                              amountColumn: nil, signedColumns: []))
        }
    }
    if let t4 = r.table4 {
        out.append(AnyRow(section: 4, key: "review_litigation", index: 0, label: "行政复议、行政诉讼", written: nil, row: t4.row,
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
        // by index: each row read in place, not copied
        for r in rows.indices {
            rows[r].row.cells.withUnsafeBufferPointer { cells in
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
