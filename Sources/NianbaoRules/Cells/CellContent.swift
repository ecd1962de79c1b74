import NianbaoModel
import NianbaoText
import NianbaoCore

/// The check the five cell rules share (`CellBlank`, `CellDash`, `CellInvalid`, `CellNegative`,
/// `CellFractional`, one file each): each makes one with its own code and texts. Not in the
/// catalog itself.
struct CellContent: Rule {
    let code: Code
    let defaultSeverity = Severity.error
    let summary: Localized
    let help: Localized
    let example: Localized
    let state: CellState?

    /// Which cells this rule finds, told once per run from its code.
    private enum Kind { case blank, dash, invalid, negative, fractional, none }

    private var kind: Kind {
        switch code {
        case .cellBlank: return .blank
        case .cellDash: return .dash
        case .cellInvalid: return .invalid
        case .cellNegative: return .negative
        case .cellFractional: return .fractional
        default: return .none
        }
    }

    func check(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let kind = self.kind
        if kind == .none { return out }
        for at in input.oddCells {
            let c = at.column
            // whether the cell is one of this rule's, before any text is made or its row copied
            let state = input.rows[at.row].row.cells[c].state, value = input.rows[at.row].row.cells[c].value
            switch kind {
            case .blank: guard state == .blank else { continue }
            case .dash: guard state == .dash else { continue }
            case .invalid: guard state == .invalid else { continue }
            case .negative:
                guard state == .number && (value ?? 0) < 0 && !input.rows[at.row].signedColumns.contains(c) else { continue }
            case .fractional:
                guard state == .number && input.rows[at.row].amountColumn != c && (value ?? 0) != (value ?? 0).rounded() else { continue }
            case .none: continue
            }
            let row = input.rows[at.row]
            let cell = row.row.cells[c]
            // the cell's names are made only in the languages the texts need
            var name: String { row.cellName(c) }
            var en: String { row.cellNameEn(c) }
            let label: Localized
            let message: Localized
            let help: Localized
            switch kind {
            case .blank:
                let fix = input.blankFix(row, c)
                message = input.text(zh: "\(name)为空", en: "\(en) is blank") + (fix?.because ?? .empty)
                help = fix?.help ?? unknownHelp(input, row, c,
                                                otherwise: Localized(zh: "没有发生的情况填 0，不要留空。", en: "Write 0 where nothing happened; do not leave it blank."))
                label = fix.map { input.text(zh: "空白，应填 \($0.value)", en: "blank; must be \($0.value)") } ?? Localized(zh: "空白，应填数字", en: "blank")
            case .dash:
                let fix = input.blankFix(row, c)
                message = input.text(zh: "\(name)填了“\(cell.text)”", en: "\(en) holds \"\(cell.text)\"") + (fix?.because ?? .empty)
                help = fix?.help ?? unknownHelp(input, row, c, otherwise: Localized(zh: "没有发生的情况填 0，不要用“-”“/”“无”。", en: "Write 0, not a dash."))
                label = fix.map { input.text(zh: "应为 \($0.value)", en: "must be \($0.value)") } ?? Localized(zh: "应为数字", en: "not a number")
            case .invalid:
                message = input.text(zh: "\(name)为“\(cell.text)”，不是数字", en: "\(en) holds \"\(cell.text)\", not a number")
                help = Localized(zh: "只填阿拉伯数字，不加文字或单位。", en: "Write digits only.")
                label = Localized(zh: "不是数字", en: "not a number")
            case .negative:
                message = input.text(zh: "\(name)为负数 \(cell.text)", en: "\(en) is negative (\(cell.text))")
                help = row.amountColumn == c
                    ? Localized(zh: "金额不能为负，请核对。", en: "Amounts cannot be negative.")
                    : Localized(zh: "件数不能为负，请核对。", en: "Counts cannot be negative.")
                label = Localized(zh: "负数", en: "negative")
            case .fractional:
                message = input.text(zh: "\(name)为 \(cell.text)，件数应为整数", en: "\(en) is \(cell.text); counts are whole numbers")
                help = Localized(zh: "件数只能是整数，请核对。", en: "Counts are whole numbers.")
                label = Localized(zh: "不是整数", en: "not whole")
            case .none:
                continue
            }
            out.append(finding(message, help: help, at: cell.position, width: max(cell.width, 1), label: label,
                               section: row.section, row: row.section == 4 ? nil : row.key, column: row.columnKeys[c],
                               expected: expected(input, row, c, cell),
                               actual: cell.text.isEmpty ? .blankCell : Localized(zh: cell.text, en: cell.text)))
        }
        return out
    }

    /// What a cell should hold: the number its table's identities give a blank or dash, the sum
    /// of its parts for a total they cannot give, else any count.
    private func expected(_ input: RuleInput, _ row: AnyRow, _ c: Int, _ cell: Cell) -> Localized {
        if cell.state == .blank || cell.state == .dash {
            if let fix = input.blankFix(row, c) { return Localized(zh: fix.value, en: fix.value) }
            if input.blankContradicted(row, c) { return .fromIdentities }
            if RuleInput.isTotal(row, c) { return .sumOfParts }
        }
        return row.amountColumn == c ? Localized(zh: "0 或正数", en: "0 or a positive number")
            : Localized(zh: "0 或正整数", en: "0 or a positive whole number")
    }

    /// The help for a blank or dash cell whose number the identities do not give: never “write 0”
    /// for a total (its number is a sum) or for a cell the identities give conflicting numbers.
    private func unknownHelp(_ input: RuleInput, _ row: AnyRow, _ c: Int, otherwise: Localized) -> Localized {
        if input.blankContradicted(row, c) {
            return Localized(zh: "此格的数须按勾稽关系推算，但所涉各数中有填错的（见其他错误）：先改正那些数，再按勾稽关系填上此格，不要留空。",
                             en: "This cell's number follows from the identities, but a number they involve is wrong (see the other errors): correct it first, then fill this cell from the identities.")
        }
        guard RuleInput.isTotal(row, c) else { return otherwise }
        let sum: Localized
        switch row.section {
        case 4: sum = Localized(zh: "结果维持 + 结果纠正 + 其他结果 + 尚未审结", en: "upheld + corrected + other + pending")
        default: sum = c == 6 ? Localized(zh: "本行六类申请人之和", en: "the row's six applicant columns")
                             : Localized(zh: "本列各办理结果之和", en: "the column's result rows")
        }
        return Localized(zh: "总计填所列各数之和（\(sum.zh)），先填好其余各格再合计，不要留空。",
                         en: "A total holds the sum of its parts (\(sum.en)): fill the other cells, then add them up; do not leave it blank.")
    }
}
