import NianbaoModel

/// Section 三 as the arithmetic sees it, with its identities checked: worked out once per report
/// (`RuleInput.table3Check`) for the four section 三 rules and for what its blanks must hold.
struct Table3Check: Sendable {
    let view: Table3View
    let arithmetic: Arithmetic
    /// Each cell's operand (`Table3View.operand`), row by row: row `r`'s from `start[r]`.
    private let operands: [Operand]
    private let start: [Int]

    init?(_ report: AnnualReport) {
        guard let t3 = report.table3 else { return nil }
        view = Table3View(t3, spec: report.format)
        // each cell's operand told once, in one pass over the rows, for the identities that
        // read it (`Table3View.operand` copies the cell on every reading)
        var start: [Int] = []
        var operands: [Operand] = []
        start.reserveCapacity(t3.rows.count)
        operands.reserveCapacity(t3.rows.count * FormatSpec.table3ColumnKeys.count)
        for r in t3.rows.indices {
            start.append(operands.count)
            let aligned = t3.rows[r].row.trusted
            t3.rows[r].row.cells.withUnsafeBufferPointer { cells in
                for cell in cells { operands.append(aligned ? Operand(cell) : .unusable) }
            }
        }
        start.append(operands.count)
        self.operands = operands
        self.start = start
        arithmetic = Arithmetic(identities: view.identities, operand: { ref in
            let at = start[ref.row] + ref.column
            return at < start[ref.row + 1] ? operands[at] : .unusable
        })
    }

    /// A cell as it takes part in arithmetic, as `Table3View.operand` tells it, told once.
    func operand(_ ref: CellRef) -> Operand {
        let at = start[ref.row] + ref.column
        return at < start[ref.row + 1] ? operands[at] : .unusable
    }
}
