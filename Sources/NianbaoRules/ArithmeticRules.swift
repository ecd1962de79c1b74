import NianbaoModel
import NianbaoText

func fmt(_ d: Double) -> String {
    d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
}

/// A cell of a table by row and column index.
struct CellRef: Hashable, Comparable {
    let row: Int
    let column: Int
    static func < (a: CellRef, b: CellRef) -> Bool { (a.row, a.column) < (b.row, b.column) }
}

/// One identity of a table: the cells of `plus` add up to the cells of `minus`.
struct Identity: Hashable {
    enum Kind: Hashable {
        /// T3-2: the row's 总计 = its six applicant columns (row index).
        case rowTotal(Int)
        /// T3-1: 一 + 二 = （七）总计 + 四, per column.
        case balance(Int)
        /// T3-3: （七）总计 = the result rows, per column.
        case totalRow(Int)
        /// T4-1…3: a group's 总计 = its four results (group index).
        case group(Int)
    }
    let kind: Kind
    let plus: [CellRef]
    let minus: [CellRef]

    var code: String {
        switch kind {
        case .rowTotal: return "table3-row-total"
        case .balance: return "table3-identity"
        case .totalRow: return "table3-total-row"
        case .group: return "table4-total"
        }
    }
    var cells: [CellRef] { plus + minus }
}

/// How a cell takes part in arithmetic: a number is known; a blank or a dash is an unknown (not
/// a 0: the clerk may have meant anything); a missing or invalid cell, or any cell of a row whose
/// columns cannot be told apart, leaves its identities unchecked.
enum Operand {
    case known(Double), unknown, unusable
}

/// An identity that does not hold.
struct BrokenIdentity {
    let identity: Identity
    /// Σ plus − Σ minus over the cells that hold numbers.
    var residual: Double { plusSum - minusSum }
    /// Each side's sum over the cells that hold numbers.
    let plusSum: Double
    let minusSum: Double
    /// Its blank or dash cells (none when the identity is broken by numbers alone).
    let unknowns: [CellRef]
}

/// A cell that, changed to `implied`, makes every identity it breaks hold, and no other.
struct Culprit {
    let cell: CellRef
    let written: Double
    let implied: Double
    let breaks: [BrokenIdentity]
}

/// The identities of one table, checked together, and the broken ones explained by the fewest
/// wrong cells when that explanation is unique.
struct Arithmetic {
    var broken: [BrokenIdentity] = []
    /// Wrong cells, when one set of them explains every broken identity and no other set as small does.
    var culprits: [Culprit] = []
    /// Broken identities no unique culprit explains, with the cells that alone could explain each.
    var unexplained: [(BrokenIdentity, [Culprit])] = []

    init(identities: [Identity], operand: (CellRef) -> Operand) {
        var checked: [Identity] = []
        for id in identities {
            var sums = (plus: 0.0, minus: 0.0)
            var unknownPlus: [CellRef] = [], unknownMinus: [CellRef] = []
            var usable = true
            for (refs, sign) in [(id.plus, 1.0), (id.minus, -1.0)] {
                for ref in refs {
                    switch operand(ref) {
                    case .known(let v): if sign > 0 { sums.plus += v } else { sums.minus += v }
                    case .unknown: if sign > 0 { unknownPlus.append(ref) } else { unknownMinus.append(ref) }
                    case .unusable: usable = false
                    }
                }
            }
            guard usable else { continue }
            let residual = sums.plus - sums.minus
            let unknowns = unknownPlus + unknownMinus
            if unknowns.isEmpty {
                checked.append(id)
                if abs(residual) > 1e-9 { broken.append(BrokenIdentity(identity: id, plusSum: sums.plus, minusSum: sums.minus, unknowns: [])) }
            } else {
                // broken only when no non-negative numbers in the blanks could make it hold
                let holdable = (!unknownPlus.isEmpty && !unknownMinus.isEmpty)
                    || (!unknownPlus.isEmpty && residual <= 1e-9) || (!unknownMinus.isEmpty && residual >= -1e-9)
                if !holdable { broken.append(BrokenIdentity(identity: id, plusSum: sums.plus, minusSum: sums.minus, unknowns: unknowns)) }
            }
        }
        let settled = broken.filter { $0.unknowns.isEmpty }
        guard !settled.isEmpty else {
            unexplained = broken.map { ($0, []) }
            return
        }
        // a candidate: a number cell all of whose checked identities are broken, each implying
        // the same non-negative value for it
        var candidates: [Culprit] = []
        var seen = Set<CellRef>()
        for b in settled {
            for ref in b.identity.cells where seen.insert(ref).inserted {
                guard case .known(let v) = operand(ref) else { continue }
                let mine = checked.filter { $0.cells.contains(ref) }
                var breaks: [BrokenIdentity] = []
                var implied: Double?
                var agree = true
                for id in mine {
                    guard let bi = settled.first(where: { $0.identity == id }) else { agree = false; break }
                    let x = id.plus.contains(ref) ? v - bi.residual : v + bi.residual
                    if let y = implied, abs(y - x) > 1e-9 { agree = false; break }
                    implied = x
                    breaks.append(bi)
                }
                if agree, let x = implied, x >= -1e-9 {
                    candidates.append(Culprit(cell: ref, written: v, implied: max(x, 0), breaks: breaks))
                }
            }
        }
        // the smallest sets of candidates, each identity broken by exactly one of them
        let all = Set(settled.map(\.identity))
        var covers: [[Int]] = []
        func search(_ open: Set<Identity>, _ chosen: [Int], size: Int) {
            if covers.count > 1 { return }
            guard let first = settled.first(where: { open.contains($0.identity) })?.identity else {
                covers.append(chosen)
                return
            }
            guard chosen.count < size else { return }
            for (i, c) in candidates.enumerated() where !chosen.contains(i) {
                let ids = Set(c.breaks.map(\.identity))
                guard ids.contains(first), ids.isSubset(of: open) else { continue }
                search(open.subtracting(ids), chosen + [i], size: size)
            }
        }
        for size in 1...3 where covers.isEmpty { search(all, [], size: size) }
        if covers.count == 1 {
            culprits = covers[0].map { candidates[$0] }.sorted { $0.cell < $1.cell }
            unexplained = broken.filter { !$0.unknowns.isEmpty }.map { ($0, []) }
        } else {
            unexplained = broken.map { b in (b, candidates.filter { c in c.breaks.contains { $0.identity == b.identity } }) }
        }
    }
}

/// Section 三 in the terms the note uses.
struct Table3View {
    let rows: [Table3Row]
    let spec: FormatSpec

    init(_ t3: Table3, spec: FormatSpec) {
        rows = t3.rows
        self.spec = spec
    }

    var identities: [Identity] {
        var out: [Identity] = []
        for r in rows.indices {
            out.append(Identity(kind: .rowTotal(r), plus: (0..<6).map { CellRef(row: r, column: $0) }, minus: [CellRef(row: r, column: 6)]))
        }
        let (lhs, rhs) = spec.table3BalanceRows
        let ti = spec.table3TotalRowIdentity
        for c in 0..<7 {
            out.append(Identity(kind: .balance(c), plus: lhs.map { CellRef(row: $0, column: c) }, minus: rhs.map { CellRef(row: $0, column: c) }))
        }
        for c in 0..<7 {
            out.append(Identity(kind: .totalRow(c), plus: ti.parts.map { CellRef(row: $0, column: c) }, minus: [CellRef(row: ti.whole, column: c)]))
        }
        return out
    }

    func cell(_ ref: CellRef) -> Cell { rows[ref.row].row.cells[ref.column] }

    func operand(_ ref: CellRef) -> Operand {
        guard rows[ref.row].row.aligned else { return .unusable }
        return Operand(cell(ref))
    }

    func name(_ ref: CellRef) -> Localized {
        Localized(zh: "“\(rows[ref.row].label)”行“\(FormatSpec.table3ColumnLabels[ref.column])”列",
                  en: "row \"\(Label.row(rows[ref.row].key).en)\", column \"\(FormatSpec.table3ColumnLabelsEN[ref.column])\"")
    }
}

extension Operand {
    init(_ cell: Cell) {
        switch cell.state {
        case .number: self = cell.value.map(Operand.known) ?? .unusable
        case .blank, .dash: self = .unknown
        case .missing, .invalid: self = .unusable
        }
    }
}

/// A cell as the note shows it: its number, or that it is blank or holds a dash (never a 0 it
/// does not hold).
func shown(_ c: Cell) -> Localized {
    switch c.state {
    case .number: return Localized(zh: c.value.map(fmt) ?? c.text, en: c.value.map(fmt) ?? c.text)
    case .blank: return Localized(zh: "空白", en: "blank")
    case .dash: return Localized(zh: "“\(c.text)”", en: "\"\(c.text)\"")
    case .missing: return Localized(zh: "缺失", en: "missing")
    case .invalid: return Localized(zh: "“\(c.text)”", en: "\"\(c.text)\"")
    }
}

/// A sum as the note shows it, with the blanks it leaves out named.
func shownSum(_ cells: [Cell]) -> Localized {
    let s = cells.compactMap { $0.state == .number ? $0.value : nil }.reduce(0, +)
    let u = cells.filter { $0.state == .blank || $0.state == .dash }.count
    return u == 0 ? Localized(zh: fmt(s), en: fmt(s))
        : Localized(zh: "\(fmt(s))（另有 \(u) 格空白或为“-”）", en: "\(fmt(s)) (and \(u) blank or dash cell\(u == 1 ? "" : "s"))")
}

extension Table3View {
    /// What a broken identity says, both sides shown as written.
    func statement(_ b: BrokenIdentity) -> Localized {
        let labels = FormatSpec.table3ColumnLabels, keys = FormatSpec.table3ColumnLabelsEN
        let d = fmt(abs(b.residual))
        let gap = b.unknowns.isEmpty ? Localized(zh: "，相差 \(d)", en: ", \(d) apart")
            : Localized(zh: "，空白处无论填什么都不能相符", en: "; no number in the blanks can make them agree")
        switch b.identity.kind {
        case .rowTotal(let r):
            let row = rows[r]
            let total = shown(row.row.cells[6])
            let sum = shownSum(Array(row.row.cells[0..<6]))
            return Localized(zh: "“\(row.label)”行：总计\(row.row.cells[6].state == .number ? " " : "")\(total.zh)，六类申请人之和 \(sum.zh)\(gap.zh)",
                             en: "row \"\(Label.row(row.key).en)\": total \(total.en), the six applicant columns add up to \(sum.en)\(gap.en)")
        case .balance(let c):
            let (lhs, rhs) = spec.table3BalanceRows
            let v = { (i: Int) in shown(self.rows[i].row.cells[c]) }
            let a = shownSum(lhs.map { rows[$0].row.cells[c] }), b2 = shownSum(rhs.map { rows[$0].row.cells[c] })
            return Localized(zh: "“\(labels[c])”列：本年新收 \(v(lhs[0]).zh) + 上年结转 \(v(lhs[1]).zh) = \(a.zh)，（七）总计 \(v(rhs[0]).zh) + 结转下年度 \(v(rhs[1]).zh) = \(b2.zh)\(gap.zh)",
                             en: "column \"\(keys[c])\": new \(v(lhs[0]).en) + carried over from last year \(v(lhs[1]).en) = \(a.en), (7) Total \(v(rhs[0]).en) + carried over to next year \(v(rhs[1]).en) = \(b2.en)\(gap.en)")
        case .totalRow(let c):
            let ti = spec.table3TotalRowIdentity
            let whole = shown(rows[ti.whole].row.cells[c])
            let sum = shownSum(ti.parts.map { rows[$0].row.cells[c] })
            return Localized(zh: "“\(labels[c])”列：（七）总计 \(whole.zh)，各办理结果之和 \(sum.zh)\(gap.zh)",
                             en: "column \"\(keys[c])\": (7) Total \(whole.en), the result rows add up to \(sum.en)\(gap.en)")
        case .group:
            return Localized(zh: "", en: "")
        }
    }

    /// How an identity implies a cell's value, seen from that cell.
    func reason(_ id: Identity, for ref: CellRef) -> Localized {
        switch id.kind {
        case .rowTotal:
            return ref.column == 6 ? Localized(zh: "本行六类申请人之和", en: "the row's six applicant columns")
                : Localized(zh: "本行总计", en: "the row's total")
        case .balance:
            return Localized(zh: "本列“一 + 二 = （七）总计 + 四”", en: "the column's I + II = (7) Total + IV")
        case .totalRow:
            return ref.row == spec.table3TotalRowIdentity.whole ? Localized(zh: "本列各办理结果之和", en: "the column's result rows")
                : Localized(zh: "本列（七）总计", en: "the column's (7) Total")
        case .group:
            return Localized(zh: "", en: "")
        }
    }

    /// Where a broken identity is reported when its culprit is unknown: the cell that sums it up.
    func anchor(_ id: Identity) -> CellRef {
        switch id.kind {
        case .rowTotal(let r): return CellRef(row: r, column: 6)
        case .balance(let c): return CellRef(row: spec.table3BalanceRows.rhs[1], column: c)
        case .totalRow(let c), .group(let c): return CellRef(row: spec.table3TotalRowIdentity.whole, column: c)
        }
    }
}

/// The identities of section 三 (T3-1, T3-2, T3-3), checked together. One wrong cell is one
/// finding (`table3-wrong-cell`) naming the cell, the value written and the value the identities
/// imply, with the identities it breaks listed under it. Identities no unique culprit explains are
/// reported on their own, under their own codes, as a disagreement to check, never as a fix.
struct Table3Arithmetic: Rule {
    let code: String
    let defaultSeverity = Severity.error
    let summary: Localized
    let help: Localized
    let example: Localized

    static let rowTotal = Table3Arithmetic(
        code: "table3-row-total",
        summary: Localized(zh: "第三部分每行“总计”= 六类申请人之和", en: "Section 3: each row's total = the six applicant columns"),
        help: Localized(zh: "逐格核对本行 7 个数：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。",
                        en: "Check the row's 7 cells: the total is the sum of the six applicant columns."),
        example: Localized(zh: "error[table3-row-total]: “（一）予以公开”行：总计 5，六类申请人之和 4，相差 1；无法判断是哪一格填错",
                           en: "error[table3-row-total]: row \"(1) Disclosed\": total 5, the six applicant columns add up to 4, 1 apart; which cell is wrong cannot be told"))
    static let balance = Table3Arithmetic(
        code: "table3-identity",
        summary: Localized(zh: "第三部分每列：一 + 二 = （七）总计 + 四、结转", en: "Section 3, per column: I + II = (7) Total + IV"),
        help: Localized(zh: "核对本列的本年新收、上年结转、（七）总计和结转下年度：第一项加第二项之和，等于第三项加第四项之和。",
                        en: "Check the column's new requests, carried over from last year, (7) Total and carried over to next year: I + II = (7) Total + IV."),
        example: Localized(zh: "error[table3-identity]: “自然人”列：本年新收 1 + 上年结转 0 = 1，（七）总计 0 + 结转下年度 0 = 0，相差 1；无法判断是哪一格填错",
                           en: "error[table3-identity]: column \"Natural persons\": new 1 + carried over from last year 0 = 1, (7) Total 0 + carried over to next year 0 = 0, 1 apart; which cell is wrong cannot be told"))
    static let totalRow = Table3Arithmetic(
        code: "table3-total-row",
        summary: Localized(zh: "第三部分每列“（七）总计”= 各办理结果行之和", en: "Section 3, per column: (7) Total = the sum of the result rows"),
        help: Localized(zh: "核对本列各办理结果行和（七）总计：（七）总计 = （一）至（六）各行之和（不含小标题）。",
                        en: "Check the column's result rows and its (7) Total: the total is the sum of rows (1) to (6), group headings not counted."),
        example: Localized(zh: "error[table3-total-row]: “自然人”列：（七）总计 0，各办理结果之和 1，相差 1；无法判断是哪一格填错",
                           en: "error[table3-total-row]: column \"Natural persons\": (7) Total 0, the result rows add up to 1, 1 apart; which cell is wrong cannot be told"))
    static let wrongCell = Table3Arithmetic(
        code: "table3-wrong-cell",
        summary: Localized(zh: "第三部分某一格与勾稽关系推算的数不符（该格填错）", en: "Section 3: one cell disagrees with the value the identities imply (that cell is wrong)"),
        help: Localized(zh: "把该格改为推算的数，它破坏的勾稽关系即全部成立；如原数无误，则须核对这些勾稽关系涉及的其他格。",
                        en: "Change the cell to the implied value and the identities it breaks hold; if the written value is right, check the other cells they involve."),
        example: Localized(zh: "error[table3-wrong-cell]: “5.属于三类内部事务信息”行“自然人”列填 16，按本行总计与本列（七）总计推算应为 13",
                           en: "error[table3-wrong-cell]: row \"5. Internal affairs information (three kinds)\", column \"Natural persons\" holds 16; the row's total and the column's (7) Total imply 13"))

    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t3 = input.report.table3 else { return [] }
        let view = Table3View(t3, spec: input.report.format)
        let result = Arithmetic(identities: view.identities, operand: view.operand)
        if code == "table3-wrong-cell" {
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

/// Section 四: each group's 总计 = its four results. One cell belongs to one identity only, so a
/// broken one is a disagreement to check, never a fix.
struct Table4Arithmetic: Rule {
    let code = "table4-total"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第四部分每组“总计”= 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                            en: "Section 4: each group's total = upheld + corrected + other + pending")
    let help = Localized(zh: "核对该组的五个数：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
                         en: "Check the group's five cells: total = upheld + corrected + other + pending.")
    let example = Localized(zh: "error[table4-total]: 行政复议：总计 2，结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 1，相差 1",
                            en: "error[table4-total]: Administrative reconsideration: total 2, its four results add up to 1, 1 apart")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t4 = input.report.table4, t4.row.aligned else { return [] }
        let cells = t4.row.cells
        let identities = FormatSpec.table4Identities.enumerated().map { g, id in
            Identity(kind: .group(g), plus: id.parts.map { CellRef(row: 0, column: $0) }, minus: [CellRef(row: 0, column: id.whole)])
        }
        let result = Arithmetic(identities: identities, operand: { Operand(cells[$0.column]) })
        var out: [Diagnostic] = []
        for b in result.broken {
            guard case .group(let g) = b.identity.kind else { continue }
            let id = FormatSpec.table4Identities[g]
            let cell = cells[id.whole]
            let group = FormatSpec.table4Groups[g]
            let groupEN = FormatSpec.table4GroupsEN[g]
            let total = shown(cell)
            let sum = shownSum(id.parts.map { cells[$0] })
            let gap = b.unknowns.isEmpty ? Localized(zh: "，相差 \(fmt(abs(b.residual)))", en: ", \(fmt(abs(b.residual))) apart")
                : Localized(zh: "，空白处无论填什么都不能相符", en: "; no number in the blanks can make them agree")
            var d = finding(
                Localized(zh: "\(group)：总计 \(total.zh)，结果维持 + 结果纠正 + 其他结果 + 尚未审结 = \(sum.zh)\(gap.zh)",
                          en: "\(groupEN): total \(total.en), its four results add up to \(sum.en)\(gap.en)"),
                help: Localized(zh: "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结；无法判断是哪一格填错，请核对\(group)的五个数。",
                                en: "Total = upheld + corrected + other + pending; which cell is wrong cannot be told: check the group's five cells."),
                at: cell.position, width: max(cell.width, 1),
                label: Localized(zh: b.unknowns.isEmpty ? "相差 \(fmt(abs(b.residual)))" : "不相符", en: b.unknowns.isEmpty ? "\(fmt(abs(b.residual))) apart" : "do not agree"),
                section: 4, row: nil, column: FormatSpec.table4ColumnKeys[id.whole],
                expected: b.unknowns.isEmpty ? fmt(b.plusSum) : nil,
                actual: b.unknowns.isEmpty ? fmt(b.minusSum) : nil)
            d.isFix = false
            out.append(d)
        }
        return out
    }
}

extension Localized {
    static func + (a: Localized, b: Localized) -> Localized { Localized(zh: a.zh + b.zh, en: a.en + b.en) }
}

/// For a blank total whose parts all hold numbers (a row's 总计 in section 三, a group's 总计 in
/// section 四): what the cell should hold, said as the reason and the fix. Nil when the parts are
/// not all numbers or add up to 0 (then “write 0” is the fix).
func blankImplied(_ row: AnyRow, _ c: Int) -> (value: String, because: Localized, help: Localized)? {
    guard row.row.aligned, row.section == 3 || row.section == 4 else { return nil }
    let parts: [Int]
    let what: Localized
    if row.section == 3 && c == 6 {
        parts = Array(0..<6)
        what = Localized(zh: "六类申请人之和", en: "the six applicant columns")
    } else if row.section == 4 && c % 5 == 4 {
        parts = Array((c - 4)..<c)
        what = Localized(zh: "结果维持 + 结果纠正 + 其他结果 + 尚未审结", en: "its four results")
    } else {
        return nil
    }
    let cells = parts.map { row.row.cells[$0] }
    guard cells.allSatisfy({ $0.state == .number }) else { return nil }
    let sum = cells.compactMap(\.value).reduce(0, +)
    guard sum != 0 else { return nil }
    return (fmt(sum), Localized(zh: "，按\(what.zh)应填 \(fmt(sum))", en: "; \(what.en) add up to \(fmt(sum))"),
            Localized(zh: "填上 \(fmt(sum))（总计 = \(what.zh)），不要留空。", en: "Write \(fmt(sum)) (the total of \(what.en)); do not leave it blank."))
}

/// What a row's cells hold, each kind counted apart: “4 个数值、1 个空白、1 个“-””.
func heldCells(_ cells: [Cell]) -> String {
    heldCellsText(cells).zh
}

/// What a row's cells hold, in both languages.
func heldCellsText(_ cells: [Cell]) -> Localized {
    let kinds: [(CellState, String, String)] = [(.number, "个数值", "value"), (.blank, "个空白", "blank"),
                                                (.dash, "个“-”等符号", "dash"), (.invalid, "个非数字", "non-number")]
    let counts = kinds.compactMap { state, zh, en -> (Int, String, String)? in
        let n = cells.filter { $0.state == state }.count
        return n > 0 ? (n, zh, en) : nil
    }
    return Localized(zh: counts.map { "\($0.0) \($0.1)" }.joined(separator: "、"),
                     en: counts.map { "\($0.0) \($0.2)\($0.0 == 1 ? "" : (($0.2 == "dash") ? "es" : "s"))" }.joined(separator: ", "))
}
