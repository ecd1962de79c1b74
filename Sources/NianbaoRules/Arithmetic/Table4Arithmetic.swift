import NianbaoModel
import NianbaoText
import NianbaoCore

/// Section 四: each group's 总计 = its four results. One cell belongs to one identity only, so a
/// broken one is a disagreement to check, never a fix.
struct Table4Arithmetic: Rule {
    let code = Code.table4Total
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
        let result = Arithmetic(identities: table4Identities, operand: { Operand(cells[$0.column]) })
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
