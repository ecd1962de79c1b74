import Testing

@testable import NianbaoKit
import NianbaoModel

/// Text whose values were pulled away from their labels (copied out of a PDF in drawing order, or
/// a row's values drawn above its label) must never produce an arithmetic finding that blames the
/// office: either the table is read right, or it gets one `table-unreadable` finding.
@Suite("scrambled layouts")
struct ScrambledLayoutTests {
    enum Scramble: CaseIterable {
        /// All of table 三's labels first, then all its values, a row's worth per line.
        case labelsThenValues
        /// Some rows' values written at the end of the row above.
        case valuesAbove
    }

    /// The line range of table 三's body in a tab-separated document: after its header rows,
    /// before the heading of section 四.
    static func table3Rows(_ lines: [String]) -> Range<Int>? {
        guard let three = lines.firstIndex(where: { $0.hasPrefix("三、收到和处理政府信息公开申请情况") }),
            let four = lines.firstIndex(where: { $0.hasPrefix("四、政府信息公开行政复议、行政诉讼情况") }),
            let first = (three..<four).first(where: { i in lines[i].split(separator: "\t").contains { Double($0) != nil } })
        else { return nil }
        return first..<four
    }

    /// The generated figures made to satisfy every identity of tables 三 and 四, so that any
    /// arithmetic finding on the scrambled text is the reader's.
    static func balanced(_ g: GeneratedReport) -> GeneratedReport {
        var g = g
        let spec = FormatSpec.spec(g.edition)
        var t = g.table3
        let total = spec.table3TotalRowIdentity
        let (lhs, rhs) = spec.table3BalanceRows
        for c in 0..<6 {
            t[total.whole][c] = total.parts.reduce(0) { $0 + t[$1][c] }
            // received (new + carried) = handled (total) + carried over
            let out = rhs.reduce(0) { $0 + t[$1][c] }
            let carried = lhs.dropFirst().reduce(0) { $0 + t[$1][c] }
            t[lhs[0]][c] = max(0, out - carried)
            if out < carried { t[rhs.last!][c] += carried - out }
        }
        for r in t.indices { t[r][6] = t[r][0..<6].reduce(0, +) }
        g.table3 = t
        for id in FormatSpec.table4Identities { g.table4[id.whole] = id.parts.reduce(0) { $0 + g.table4[$1] } }
        return g
    }

    static func split(_ line: String) -> (labels: [String], values: [String]) {
        let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return (cells.filter { Double($0) == nil }, cells.filter { Double($0) != nil })
    }

    static func scramble(_ text: String, _ how: Scramble, rng: inout SplitMix64) -> String {
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        guard let body = table3Rows(lines) else { return text }
        let rows = body.map { split(lines[$0]) }
        switch how {
        case .labelsThenValues:
            let labels = rows.map { $0.labels.joined(separator: "\t") }
            let values = rows.filter { !$0.values.isEmpty }.map { $0.values.joined(separator: " ") }
            lines.replaceSubrange(body, with: labels + values)
        case .valuesAbove:
            var moved = rows
            for _ in 0..<rng.int(1...3) {
                let i = rng.int(1...(rows.count - 1))
                guard !moved[i].values.isEmpty else { continue }
                moved[i - 1].values += moved[i].values
                moved[i].values = []
            }
            lines.replaceSubrange(body, with: moved.map { ($0.labels + $0.values).joined(separator: "\t") })
        }
        return lines.joined(separator: newline)
    }

    @Test("values pulled away from their labels: table-unreadable, never a table3-/table4- finding", arguments: Scramble.allCases)
    func scrambled(_ how: Scramble) {
        var rng = SplitMix64(seed: how == .labelsThenValues ? 11 : 12)
        var unreadable = 0
        for _ in 0..<120 {
            let edition: Edition = rng.chance(0.5) ? .y2019 : .y2021
            let g = Self.balanced(ReportGenerator.values(edition: edition, rng: &rng))
            let clean = ReportGenerator.document(g, layout: .tabSeparated, rng: &rng)
            let text = Self.scramble(clean, how, rng: &rng)
            let cleanCodes = Checker.check(CheckInput(fileName: "x.txt", bytes: Array(clean.utf8)), checkedAt: "x").diagnostics.map(\.code)
            #expect(!cleanCodes.contains { $0.rawValue.hasPrefix("table") }, "the unscrambled report adds up: \(cleanCodes)")
            #expect(text != clean)
            let result = Checker.check(CheckInput(fileName: "x.txt", bytes: Array(text.utf8)), checkedAt: "2026-01-01T00:00:00+08:00")
            let codes = Set(result.diagnostics.map(\.code))
            let blamed = codes.filter { $0.rawValue.hasPrefix("table3-") || $0.rawValue.hasPrefix("table4-") }
            #expect(blamed.isEmpty, "arithmetic findings on a misread table: \(blamed)\n\(text)")
            if codes.contains(.tableUnreadable) {
                unreadable += 1
                #expect(!codes.contains(.rowCellCount), "no row findings beside table-unreadable: \(codes)")
                #expect(result.diagnostics.filter { $0.code == .tableUnreadable }.allSatisfy {
                    $0.help.zh.contains(".docx") && $0.message.zh.contains("第三部分")
                })
            } else {
                // read right after all: every cell in its place
                #expect(GenCheck.mismatches(result.report!, g).isEmpty, "\(text)")
            }
        }
        #expect(unreadable > 100, "most scrambles are told apart: \(unreadable) of 120")
    }

    @Test("the 淮安 2024 text as pdftotext writes it without -layout: 三 read in the text's order, 四 unreadable, no arithmetic")
    func huaianRaw() throws {
        let bytes = try Fixtures.bytes("huaian-2024.raw.txt")
        let result = Checker.check(CheckInput(fileName: "huaian.txt", bytes: bytes), checkedAt: "2026-01-01T00:00:00+08:00")
        // 三's values come row by row, some labels written after them: the same cells as the
        // text laid out by columns
        let laidOut = Checker.check(CheckInput(fileName: "huaian.txt", bytes: try Fixtures.bytes("huaian-2024.layout.txt")),
                                    checkedAt: "2026-01-01T00:00:00+08:00")
        #expect(laidOut.verdict == .accepted)
        let t3 = try #require(result.report?.table3)
        #expect(t3.valuesInOrder)
        #expect(t3.rows.map(\.row.cells).map { $0.map(\.value) } == laidOut.report?.table3?.rows.map(\.row.cells).map { $0.map(\.value) })
        // 四's totals come after the next part's header: out of order, so not read
        let unreadable = result.diagnostics.filter { $0.code == .tableUnreadable }
        #expect(unreadable.compactMap(\.section).sorted() == [4])
        #expect(!result.diagnostics.contains { [.rowCellCount, .rowMissing].contains($0.code) || $0.code.rawValue.hasPrefix("table3-") || $0.code.rawValue.hasPrefix("table4-") || $0.code.rawValue.hasPrefix("narrative-") },
                "\(result.diagnostics.map(\.code))")
        #expect(result.verdict == .rejected)
    }

    @Test("an office's own short rows are not called unreadable (seed 001: result rows with 5 of 7 values)")
    func ownMistakes() throws {
        for seed in Fixtures.seeds {
            let result = Checker.check(CheckInput(fileName: seed, bytes: try Fixtures.bytes(seed)), checkedAt: "2026-01-01T00:00:00+08:00")
            #expect(!result.diagnostics.contains { $0.code == .tableUnreadable }, "\(seed)")
        }
    }
}
