import NianbaoModel
import NianbaoText

func fmt(_ d: Double) -> String {
    d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
}

/// Values of an aligned row, or nil when the row cannot take part in arithmetic.
func values(_ r: RowCells?) -> [Double]? {
    guard let r, r.aligned else { return nil }
    let v = r.cells.compactMap(\.arithmeticValue)
    return v.count == r.cells.count ? v : nil
}

/// The identities of section 三, each checked and reported on its own, with the likely culprit
/// named when one cell breaks both its row and its column.
struct Table3Arithmetic: Rule {
    let code: String
    let defaultSeverity = Severity.error
    let summary: Localized
    let example: String

    static let rowTotal = Table3Arithmetic(code: "table3-row-total", summary: Localized(zh: "第三部分每行“总计”= 六类申请人之和", en: "Section 三: each row's 总计 = the six applicant columns"), example: "error[table3-row-total]: “（一）予以公开”行总计为 5，六类申请人之和为 4")
    static let balance = Table3Arithmetic(code: "table3-identity", summary: Localized(zh: "第三部分每列：一 + 二 = （七）总计 + 四、结转", en: "Section 三, per column: 一 + 二 = （七）总计 + 四"), example: "error[table3-identity]: “自然人”列 本年新收 1 + 上年结转 0 ≠ 总计 0 + 结转 0")
    static let totalRow = Table3Arithmetic(code: "table3-total-row", summary: Localized(zh: "第三部分每列“（七）总计”= 各办理结果行之和", en: "Section 三, per column: （七）总计 = the sum of the result rows"), example: "error[table3-total-row]: “自然人”列（七）总计为 0，各办理结果之和为 1")

    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t3 = input.report.table3 else { return [] }
        let spec = input.report.format
        let rows = t3.rows
        let labels = FormatSpec.table3ColumnLabels
        let keys = FormatSpec.table3ColumnKeys
        // which rows and columns are out of balance (for naming culprits)
        var badRows: [Int: (Double, Double)] = [:]
        let rowValues = input.table3Values
        for i in rows.indices {
            guard let v = rowValues[i] else { continue }
            let sum = v[0..<6].reduce(0, +)
            if abs(sum - v[6]) > 1e-9 { badRows[i] = (v[6], sum) }
        }
        let (lhs, rhs) = spec.table3BalanceRows
        let ti = spec.table3TotalRowIdentity
        var badBalance: [Int: (Double, Double)] = [:]
        var badTotal: [Int: (Double, Double)] = [:]
        for c in 0..<7 {
            let l = lhs.map { rowValues[$0]?[c] }
            let r = rhs.map { rowValues[$0]?[c] }
            if l.allSatisfy({ $0 != nil }) && r.allSatisfy({ $0 != nil }) {
                let a = l.reduce(0) { $0 + $1! }, b = r.reduce(0) { $0 + $1! }
                if abs(a - b) > 1e-9 { badBalance[c] = (a, b) }
            }
            let parts = ti.parts.map { rowValues[$0]?[c] }
            if let whole = rowValues[ti.whole]?[c], parts.allSatisfy({ $0 != nil }) {
                let s = parts.reduce(0) { $0 + $1! }
                if abs(s - whole) > 1e-9 { badTotal[c] = (whole, s) }
            }
        }
        let badColumns = Set(badBalance.keys).union(badTotal.keys)
        var out: [Diagnostic] = []
        switch code {
        case "table3-row-total":
            for (i, (total, sum)) in badRows.sorted(by: { $0.key < $1.key }) {
                let r = rows[i]
                let cell = r.row.cells[6]
                // a cell whose column is out of balance too is the likely culprit
                let suspects = badColumns.sorted()
                var note = Localized(zh: "", en: "")
                var at = cell
                if suspects.count == 1, let c = suspects.first {
                    at = r.row.cells[c]
                    note = Localized(zh: "；“\(labels[c])”列也不平衡，最可能填错的是“\(r.label)”行“\(labels[c])”列（\(at.text)）",
                                     en: "; column \(keys[c]) is out of balance too, so the likely culprit is row \(r.key), column \(keys[c]) (\(at.text))")
                }
                out.append(finding(
                    Localized(zh: "“\(r.label)”行总计为 \(fmt(total))，六类申请人之和为 \(fmt(sum))" + note.zh,
                              en: "Row \(r.key): 总计 is \(fmt(total)) but the six applicant columns add up to \(fmt(sum))" + note.en),
                    help: Localized(zh: "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他；核对该行各数。",
                                    en: "总计 = the sum of the six applicant columns; check the row."),
                    at: at.position, width: max(at.width, 1),
                    label: Localized(zh: note.zh.isEmpty ? "应为 \(fmt(sum))" : "最可能填错", en: note.en.isEmpty ? "expected \(fmt(sum))" : "likely culprit"),
                    section: 3, row: r.key, column: suspects.count == 1 ? keys[suspects[0]] : "total",
                    expected: fmt(sum), actual: fmt(total)))
            }
        case "table3-identity":
            let carry = rows[rhs[1]]
            for (c, (a, b)) in badBalance.sorted(by: { $0.key < $1.key }) {
                let v = { (i: Int) in fmt(values(rows[i].row)![c]) }
                out.append(finding(
                    Localized(zh: "“\(labels[c])”列：本年新收 \(v(lhs[0])) + 上年结转 \(v(lhs[1])) = \(fmt(a))，而（七）总计 \(v(rhs[0])) + 结转下年度 \(v(rhs[1])) = \(fmt(b))",
                              en: "Column \(keys[c]): new \(v(lhs[0])) + carried \(v(lhs[1])) = \(fmt(a)), but total \(v(rhs[0])) + carried forward \(v(rhs[1])) = \(fmt(b))"),
                    help: Localized(zh: "表头注明：第一项加第二项之和，等于第三项加第四项之和。核对该列的本年新收、上年结转、（七）总计和结转下年度。",
                                    en: "The table states: 一 + 二 = 三（七）总计 + 四. Check this column."),
                    at: carry.row.cells[c].position, width: max(carry.row.cells[c].width, 1),
                    label: Localized(zh: "一 + 二 = \(fmt(a))，三 + 四 = \(fmt(b))", en: "\(fmt(a)) ≠ \(fmt(b))"),
                    section: 3, row: "carry_next", column: keys[c], expected: fmt(a), actual: fmt(b)))
            }
        default:
            let totalRow = rows[ti.whole]
            for (c, (whole, s)) in badTotal.sorted(by: { $0.key < $1.key }) {
                out.append(finding(
                    Localized(zh: "“\(labels[c])”列（七）总计为 \(fmt(whole))，各办理结果之和为 \(fmt(s))",
                              en: "Column \(keys[c]): 总计 row is \(fmt(whole)) but the result rows add up to \(fmt(s))"),
                    help: Localized(zh: "（七）总计 = （一）至（六）各行之和（不含（三）（四）（五）等小标题）。",
                                    en: "（七）总计 = the sum of the result rows （一）–（六）."),
                    at: totalRow.row.cells[c].position, width: max(totalRow.row.cells[c].width, 1),
                    label: Localized(zh: "应为 \(fmt(s))", en: "expected \(fmt(s))"),
                    section: 3, row: "total", column: keys[c], expected: fmt(s), actual: fmt(whole)))
            }
        }
        return out
    }
}

struct Table4Arithmetic: Rule {
    let code = "table4-total"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第四部分每组“总计”= 结果维持 + 结果纠正 + 其他结果 + 尚未审结", en: "Section 四: each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结")
    let example = "error[table4-total]: 行政复议总计为 2，结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 1"
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t4 = input.report.table4, let v = values(t4.row) else { return [] }
        var out: [Diagnostic] = []
        for (g, id) in FormatSpec.table4Identities.enumerated() {
            let s = id.parts.reduce(0) { $0 + v[$1] }
            guard abs(s - v[id.whole]) > 1e-9 else { continue }
            let cell = t4.row.cells[id.whole]
            let group = FormatSpec.table4Groups[g]
            out.append(finding(
                Localized(zh: "\(group)总计为 \(fmt(v[id.whole]))，结果维持 + 结果纠正 + 其他结果 + 尚未审结 = \(fmt(s))",
                          en: "\(FormatSpec.table4ColumnKeys[id.whole]) is \(fmt(v[id.whole])) but its four results add up to \(fmt(s))"),
                help: Localized(zh: "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结；核对\(group)的五个数。",
                                en: "总计 = 维持 + 纠正 + 其他 + 尚未审结; check the group."),
                at: cell.position, width: max(cell.width, 1), label: Localized(zh: "应为 \(fmt(s))", en: "expected \(fmt(s))"),
                section: 4, row: nil, column: FormatSpec.table4ColumnKeys[id.whole], expected: fmt(s), actual: fmt(v[id.whole])))
        }
        return out
    }
}
