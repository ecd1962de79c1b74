import NianbaoModel

/// Section 三 as the arithmetic sees it, with its identities checked: worked out once per report
/// (`RuleInput.table3Check`) for the four section 三 rules and for what its blanks must hold.
struct Table3Check: Sendable {
    let view: Table3View
    let arithmetic: Arithmetic

    init?(_ report: AnnualReport) {
        guard let t3 = report.table3 else { return nil }
        view = Table3View(t3, spec: report.format)
        arithmetic = Arithmetic(identities: view.identities, operand: view.operand)
    }
}
