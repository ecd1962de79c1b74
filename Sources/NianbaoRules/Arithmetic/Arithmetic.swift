import NianbaoModel
import NianbaoText
import NianbaoCore

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
    /// `plus` then `minus`, kept (the identities are built once per edition, their cells read
    /// by every check).
    let cells: [CellRef]

    init(kind: Kind, plus: [CellRef], minus: [CellRef]) {
        self.kind = kind
        self.plus = plus
        self.minus = minus
        cells = plus + minus
    }

    var code: Code {
        switch kind {
        case .rowTotal: return .table3RowTotal
        case .balance: return .table3Identity
        case .totalRow: return .table3TotalRow
        case .group: return .table4Total
        }
    }
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
        // the identities are read in place and the checked ones kept by index: most tables
        // break none, and copying each identity (three arrays) cost more than checking it
        var checkedIndices: [Int] = []
        checkedIndices.reserveCapacity(identities.count)
        var broken: [BrokenIdentity] = []
        identities.withUnsafeBufferPointer { ids in
            for k in ids.indices {
                var sums = (plus: 0.0, minus: 0.0)
                var unknownPlus: [CellRef] = [], unknownMinus: [CellRef] = []
                var usable = true
                // one side of the identity: the sum of its known cells, its unknown ones
                func tally(_ side: [CellRef], _ sum: inout Double, _ unknown: inout [CellRef]) {
                    side.withUnsafeBufferPointer { refs in
                        for ref in refs {
                            switch operand(ref) {
                            case .known(let v): sum += v
                            case .unknown: unknown.append(ref)
                            case .unusable: usable = false
                            }
                        }
                    }
                }
                tally(ids[k].plus, &sums.plus, &unknownPlus)
                tally(ids[k].minus, &sums.minus, &unknownMinus)
                guard usable else { continue }
                let residual = sums.plus - sums.minus
                if unknownPlus.isEmpty && unknownMinus.isEmpty {
                    checkedIndices.append(k)
                    if abs(residual) > 1e-9 { broken.append(BrokenIdentity(identity: ids[k], plusSum: sums.plus, minusSum: sums.minus, unknowns: [])) }
                } else {
                    // broken only when no non-negative numbers in the blanks could make it hold
                    let holdable = (!unknownPlus.isEmpty && !unknownMinus.isEmpty)
                        || (!unknownPlus.isEmpty && residual <= 1e-9) || (!unknownMinus.isEmpty && residual >= -1e-9)
                    if !holdable {
                        broken.append(BrokenIdentity(identity: ids[k], plusSum: sums.plus, minusSum: sums.minus,
                                                     unknowns: unknownPlus + unknownMinus))
                    }
                }
            }
        }
        self.broken = broken
        let settled = broken.filter { $0.unknowns.isEmpty }
        guard !settled.isEmpty else {
            unexplained = broken.map { ($0, []) }
            return
        }
        let checked = checkedIndices.map { identities[$0] }
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

/// Section 三's identities depend on the format only (its edition's rows), so each edition's list
/// is built once for the process, not per report.
enum Table3Identities {
    static let y2019 = Table3View.makeIdentities(.y2019, rows: FormatSpec.y2019.table3Rows.count)
    static let y2021 = Table3View.makeIdentities(.y2021, rows: FormatSpec.y2021.table3Rows.count)

    /// The identities of a table of `rows` rows in `spec`'s section 三.
    static func of(_ spec: FormatSpec, rows: Int) -> [Identity] {
        guard rows == spec.table3Rows.count else { return Table3View.makeIdentities(spec, rows: rows) }
        switch spec.edition {
        case .y2019: return y2019
        case .y2021: return y2021
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

    /// T3-1…T3-3 over the rows: the edition's list, built once (`Table3Identities`).
    var identities: [Identity] { Table3Identities.of(spec, rows: rows.count) }

    /// T3-1…T3-3 over `rows` rows of `spec`'s table, built anew.
    static func makeIdentities(_ spec: FormatSpec, rows: Int) -> [Identity] {
        var out: [Identity] = []
        for r in 0..<rows {
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
        guard rows[ref.row].row.trusted else { return .unusable }
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

extension Localized {
    static func + (a: Localized, b: Localized) -> Localized { Localized(zh: a.zh + b.zh, en: a.en + b.en) }
}

/// What a row's cells hold, each kind counted apart: “4 个数值、1 个空白、1 个“-””.
func heldCells(_ cells: [Cell]) -> String {
    heldCellsText(cells).zh
}

/// What a row's cells hold (`cells` then `more`), in both languages.
func heldCellsText(_ cells: [Cell], _ more: [Cell] = []) -> Localized {
    let kinds: [(CellState, String, String)] = [(.number, "个数值", "value"), (.blank, "个空白", "blank"),
                                                (.dash, "个“-”等符号", "dash"), (.invalid, "个非数字", "non-number")]
    let counts = kinds.compactMap { state, zh, en -> (Int, String, String)? in
        let n = cells.count(where: { $0.state == state }) + more.count(where: { $0.state == state })
        return n > 0 ? (n, zh, en) : nil
    }
    return Localized(zh: counts.map { "\($0.0) \($0.1)" }.joined(separator: "、"),
                     en: counts.map { "\($0.0) \($0.2)\($0.0 == 1 ? "" : (($0.2 == "dash") ? "es" : "s"))" }.joined(separator: ", "))
}
