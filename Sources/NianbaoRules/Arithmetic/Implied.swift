import NianbaoModel
import NianbaoCore

/// What the identities of a table say about its blank (or dash) cells: a blank is an unknown,
/// and an identity whose other cells are all known tells the one number it must hold. A value
/// found that way is used to find the next (a blank row total, then the blank （七）总计 of the
/// total column, …).
struct Implied {
    /// A blank cell's number and the identity that gives it.
    struct Value {
        let value: Double
        let because: Identity
    }
    /// Blank cells with one number each.
    private(set) var values: [CellRef: Value] = [:]
    /// Blank cells the identities give different numbers, or a negative one, or a number from
    /// cells of an identity that does not hold: a number elsewhere is wrong (its own finding
    /// says so), and no value can be asked for until it is corrected.
    private(set) var contradicted: Set<CellRef> = []

    /// - Parameters:
    ///   - operand: each cell as it takes part in arithmetic (a wrong cell already corrected).
    ///   - doubtful: cells of identities that do not hold, with no one culprit: a number found
    ///     through one of them could be wrong.
    init(identities: [Identity], operand: (CellRef) -> Operand, doubtful: Set<CellRef> = []) {
        var known: [CellRef: Double] = [:]
        var unknown = Set<CellRef>()
        var usable: [Identity] = []
        for id in identities {
            var ok = true
            for ref in id.cells {
                switch operand(ref) {
                case .known(let v): known[ref] = v
                case .unknown: unknown.insert(ref)
                case .unusable: ok = false
                }
            }
            if ok { usable.append(id) }
        }
        guard !unknown.isEmpty else { return }
        // one round: every identity with one unknown left proposes its number; a cell takes it
        // when all its proposals agree
        for _ in 0..<8 {
            var proposals: [CellRef: [(Identity, Double)]] = [:]
            var order: [CellRef] = []
            for id in usable {
                let open = id.cells.filter { unknown.contains($0) && values[$0] == nil && !contradicted.contains($0) }
                guard open.count == 1, let cell = open.first else { continue }
                if id.cells.contains(where: { contradicted.contains($0) || doubtful.contains($0) }) {
                    contradicted.insert(cell)
                    continue
                }
                func value(_ ref: CellRef) -> Double { known[ref] ?? values[ref]?.value ?? 0 }
                let plus = id.plus.reduce(0.0) { $0 + ($1 == cell ? 0 : value($1)) }
                let minus = id.minus.reduce(0.0) { $0 + ($1 == cell ? 0 : value($1)) }
                let v = id.plus.contains(cell) ? minus - plus : plus - minus
                if proposals[cell] == nil { order.append(cell) }
                proposals[cell, default: []].append((id, v))
            }
            if proposals.isEmpty { break }
            for cell in order {
                let ps = proposals[cell]!
                let v = ps[0].1
                if v >= -1e-9 && ps.allSatisfy({ abs($0.1 - v) <= 1e-9 }) {
                    values[cell] = Value(value: max(v, 0), because: ps[0].0)
                } else {
                    contradicted.insert(cell)
                }
            }
        }
    }

    /// The identities of section 三 (T3-1…T3-3) over its rows. A wrong cell the arithmetic
    /// names counts with the number it should hold, so that a blank's number agrees with that
    /// cell's fix.
    static func table3(_ checked: Table3Check?) -> Implied? {
        guard let checked else { return nil }
        let view = checked.view, arithmetic = checked.arithmetic
        let identities = view.identities
        let corrected = Dictionary(arithmetic.culprits.map { ($0.cell, $0.implied) }, uniquingKeysWith: { a, _ in a })
        let doubtful = Set(arithmetic.unexplained.filter { $0.0.unknowns.isEmpty }.flatMap { $0.0.identity.cells })
        return Implied(identities: identities, operand: { corrected[$0].map(Operand.known) ?? checked.operand($0) }, doubtful: doubtful)
    }

    /// The identities of section 四 (T4-1…T4-3) over its one row.
    static func table4(_ report: AnnualReport) -> Implied? {
        guard let t4 = report.table4, t4.row.aligned else { return nil }
        let cells = t4.row.cells
        return Implied(identities: table4Identities, operand: { Operand(cells[$0.column]) })
    }
}

/// T4-1…T4-3 as identities over section 四's one row.
let table4Identities = FormatSpec.table4Identities.enumerated().map { g, id in
    Identity(kind: .group(g), plus: id.parts.map { CellRef(row: 0, column: $0) }, minus: [CellRef(row: 0, column: id.whole)])
}

/// What a blank cell of section 三 or 四 must hold, said for its finding.
struct BlankFix {
    /// The number, as written in `expected`.
    let value: String
    /// “，按六类申请人之和应填 272” / “; it must be 272 (the six applicant columns)”.
    let because: Localized
    let help: Localized
}

extension Implied.Value {
    /// How the identity gives the cell its number, from the cell's side.
    func reason(for ref: CellRef) -> Localized {
        switch because.kind {
        case .rowTotal:
            return ref.column == 6 ? Localized(zh: "六类申请人之和", en: "the six applicant columns add up to it")
                : Localized(zh: "本行总计减去其余五类申请人", en: "the row's total less its other five applicant columns")
        case .balance:
            return Localized(zh: "本列“一 + 二 = （七）总计 + 四”", en: "the column's I + II = (7) Total + IV")
        case .totalRow:
            return because.minus.contains(ref) ? Localized(zh: "本列各办理结果之和", en: "the column's result rows add up to it")
                : Localized(zh: "本列（七）总计减去其余各办理结果", en: "the column's (7) Total less its other result rows")
        case .group:
            return because.minus.contains(ref) ? Localized(zh: "结果维持 + 结果纠正 + 其他结果 + 尚未审结", en: "its four results add up to it")
                : Localized(zh: "该组总计减去其余三项结果", en: "the group's total less its other three results")
        }
    }

    func fix(for ref: CellRef) -> BlankFix {
        let v = fmt(value), why = reason(for: ref)
        return BlankFix(
            value: v,
            because: Localized(zh: "，按\(why.zh)应填 \(v)", en: "; it must be \(v) (\(why.en))"),
            help: Localized(zh: "填上 \(v)（按\(why.zh)），不要留空。", en: "Write \(v) (\(why.en)); do not leave it blank."))
    }
}

extension RuleInput {
    /// What a blank or dash cell of `rows` must hold, when the identities of its table tell.
    func blankFix(_ row: AnyRow, _ c: Int) -> BlankFix? {
        let ref = CellRef(row: row.index, column: c)
        switch row.section {
        case 3: return implied3?.values[ref]?.fix(for: ref)
        case 4: return implied4?.values[ref]?.fix(for: ref)
        default: return nil
        }
    }

    /// Whether the identities give a blank cell numbers that disagree (another cell is wrong).
    func blankContradicted(_ row: AnyRow, _ c: Int) -> Bool {
        let ref = CellRef(row: row.index, column: c)
        switch row.section {
        case 3: return implied3?.contradicted.contains(ref) ?? false
        case 4: return implied4?.contradicted.contains(ref) ?? false
        default: return false
        }
    }

    /// Whether a cell is a total: the sum side of one of its table's identities.
    static func isTotal(_ row: AnyRow, _ c: Int) -> Bool {
        switch row.section {
        case 3: return c == 6 || row.key == "total"
        case 4: return FormatSpec.table4Identities.contains { $0.whole == c }
        default: return false
        }
    }
}
