import NianbaoKit
import Testing
import NianbaoCore
import NianbaoText
import NianbaoModel
import NianbaoExtract

/// Every numeric cell of sections 三 and 四 of a consistent report, changed by +1 (and −1 where
/// positive): each mutant must be rejected with an error naming that cell's row or column.
@Suite("Mutation")
struct MutationTests {
    static func mutants(_ name: String) throws -> (base: String, cells: [(section: Int, row: String?, column: String, cell: Cell)]) {
        let text = try Fixtures.text(name)
        let report = Extractor.extract(TextDocument(text))
        var out: [(Int, String?, String, Cell)] = []
        for row in report.table3!.rows {
            for (c, cell) in row.row.cells.enumerated() where cell.state == .number {
                out.append((3, row.key, FormatSpec.table3ColumnKeys[c], cell))
            }
        }
        for (c, cell) in report.table4!.row.cells.enumerated() where cell.state == .number {
            out.append((4, nil, FormatSpec.table4ColumnKeys[c], cell))
        }
        return (text, out)
    }

    static func replace(_ text: String, at p: SourcePosition, width: Int, with new: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        var line = lines[p.line - 1]
        line.replaceSubrange((p.column - 1)..<(p.column - 1 + width), with: Array(new.unicodeScalars))
        lines[p.line - 1] = line
        return lines.map { var s = String.UnicodeScalarView(); s.append(contentsOf: $0); return String(s) }.joined(separator: "\n")
    }

    @Test("every mutated cell is detected and located", arguments: [Fixtures.seeds[0], Fixtures.huaian])
    func mutate(_ name: String) throws {
        let (base, cells) = try Self.mutants(name)
        let baseline = Checker.check(CheckInput(fileName: name, bytes: Array(base.utf8)), checkedAt: "")
        #expect(baseline.verdict == .accepted)
        var total = 0, detected = 0, located = 0
        for m in cells {
            let v = Int(m.cell.value!)
            for delta in v > 0 ? [1, -1] : [1] {
                total += 1
                let mutated = Self.replace(base, at: m.cell.position!, width: m.cell.width, with: String(v + delta))
                let r = Checker.check(CheckInput(fileName: name, bytes: Array(mutated.utf8)), checkedAt: "")
                let errors = r.diagnostics.filter { $0.severity == .error }
                if r.verdict == .rejected { detected += 1 }
                let group = m.section == 4 ? FormatSpec.table4ColumnKeys.firstIndex(of: m.column)! / 5 : -1
                if errors.contains(where: { d in
                    d.section == m.section && ((m.row != nil && d.row == m.row) || d.columnKey == m.column
                        || (m.section == 4 && d.columnKey.flatMap { FormatSpec.table4ColumnKeys.firstIndex(of: $0) }.map { $0 / 5 } == group))
                }) { located += 1 }
            }
        }
        print("mutation \(name): \(total) mutants, detected \(detected) (\(detected * 100 / max(total, 1))%), located \(located) (\(located * 100 / max(total, 1))%)")
        #expect(total > 100)
        #expect(detected == total)
        #expect(located == total)
    }
}
