import NianbaoModel
import NianbaoText
import NianbaoCore

/// The identities of section 三 (T3-1, T3-2, T3-3), checked together. One wrong cell is one
/// finding (`table3-wrong-cell`) naming the cell, the value written and the value the identities
/// imply, with the identities it breaks listed under it. Identities no unique culprit explains are
/// reported on their own, under their own codes, as a disagreement to check, never as a fix.
/// The four rules (`Table3WrongCell`, `Table3Identity`, `Table3RowTotal`, `Table3TotalRow`, one
/// file each) each make one with their own code and texts; this type is not in the catalog.
struct Table3Arithmetic: Rule {
    let code: Code
    let defaultSeverity = Severity.error
    let summary: Localized
    let help: Localized
    let example: Localized

    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let checked = input.table3Check else { return [] }
        let view = checked.view, result = checked.arithmetic
        if code == .table3WrongCell {
            return result.culprits.map { culprit(view, $0) }
        }
        return result.unexplained.filter { $0.0.identity.code == code }.map { disagreement(view, $0.0, candidates: $0.1) }
    }

    func culprit(_ view: Table3View, _ c: Culprit) -> Diagnostic {
        let cell = view.cell(c.cell)
        let name = view.name(c.cell)
        let reasons = c.breaks.map { view.reason($0.identity, for: c.cell) }
        let written = fmt(c.written), implied = fmt(c.implied)
        var d = finding(
            Localized(zh: "\(name.zh)填 \(written)，按\(reasons.map(\.zh).joined(separator: "与"))推算应为 \(implied)",
                      en: "\(name.en) holds \(written); \(reasons.map(\.en).joined(separator: " and ")) imply \(implied)"),
            help: Localized(zh: "把该格改为 \(implied)，上述勾稽关系即全部成立；如 \(written) 无误，则须核对上述各处的其他数。",
                            en: "Change this cell to \(implied) and the identities above hold; if \(written) is right, check the other cells they involve."),
            at: cell.position, width: max(cell.width, 1), label: Localized(zh: "应为 \(implied)", en: "expected \(implied)"),
            section: 3, row: view.rows[c.cell.row].key, column: FormatSpec.table3ColumnKeys[c.cell.column],
            expected: implied, actual: written)
        d.notes = c.breaks.map { b in
            let s = view.statement(b)
            return Localized(zh: "由此不成立：\(s.zh)", en: "so this does not hold: \(s.en)")
        }
        return d
    }

    func disagreement(_ view: Table3View, _ b: BrokenIdentity, candidates: [Culprit]) -> Diagnostic {
        let at = view.anchor(b.identity)
        let cell = view.cell(at)
        let s = view.statement(b)
        let rows = view.rows
        let help: Localized
        var expected: String?
        var actual: String?
        switch b.identity.kind {
        case .rowTotal:
            help = Localized(zh: "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。无法判断是哪一格填错：请逐格核对本行 7 个数。",
                             en: "Total = the sum of the six applicant columns. Which cell is wrong cannot be told: check the row's 7 cells.")
        case .balance:
            help = Localized(zh: "表头注明：第一项加第二项之和，等于第三项加第四项之和。无法判断是哪一格填错：请核对本列的本年新收、上年结转、（七）总计和结转下年度。",
                             en: "The table's note says: I + II = (7) Total + IV. Which cell is wrong cannot be told: check the column's new, carried over, (7) Total and carried over to next year.")
        default:
            help = Localized(zh: "（七）总计 = （一）至（六）各行之和（不含（三）（四）（五）等小标题）。无法判断是哪一格填错：请核对本列各办理结果和（七）总计。",
                             en: "(7) Total = the sum of the result rows (1) to (6), not counting the group headings. Which cell is wrong cannot be told: check the column's result rows and its total.")
        }
        // the identity's two sides: what the parts add up to, and what the total side holds
        if b.unknowns.isEmpty {
            expected = fmt(b.plusSum)
            actual = fmt(b.minusSum)
        }
        var d = finding(
            Localized(zh: s.zh + "；无法判断是哪一格填错", en: s.en + "; which cell is wrong cannot be told"),
            help: help, at: cell.position ?? rows[at.row].written?.position, width: max(cell.width, 1),
            label: Localized(zh: b.unknowns.isEmpty ? "相差 \(fmt(abs(b.residual)))" : "不相符", en: b.unknowns.isEmpty ? "\(fmt(abs(b.residual))) apart" : "do not agree"),
            section: 3, row: rows[at.row].key, column: FormatSpec.table3ColumnKeys[at.column],
            expected: expected, actual: actual)
        d.isFix = false
        let possible = candidates.prefix(4).map { c in
            Localized(zh: "\(view.name(c.cell).zh)（填 \(fmt(c.written))，若改为 \(fmt(c.implied))）",
                      en: "\(view.name(c.cell).en) (holds \(fmt(c.written)); \(fmt(c.implied)) would do)")
        }
        if !possible.isEmpty && candidates.count <= 4 {
            d.notes = [Localized(zh: "若只有一格填错，可能是：" + possible.map(\.zh).joined(separator: "；或"),
                                 en: "if only one cell is wrong, it may be: " + possible.map(\.en).joined(separator: "; or "))]
        }
        return d
    }
}
