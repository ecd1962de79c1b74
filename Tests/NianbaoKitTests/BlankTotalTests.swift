import NianbaoKit
import Testing
import NianbaoModel
import NianbaoRules

/// Blank cells whose number the identities give: the finding says the number, in both languages,
/// a clerk who writes it in gets a clean report, and no help asks for 0 where a sum is meant.
@Suite("Blank cells the identities fill")
struct BlankTotalTests {
    /// Random counts that satisfy every identity of sections 三 and 四.
    static func consistent(_ edition: Edition, rng: inout SplitMix64) -> GeneratedReport {
        var g = ReportGenerator.values(edition: edition, rng: &rng)
        let spec = FormatSpec.spec(edition)
        let (lhs, rhs) = spec.table3BalanceRows
        let results = spec.table3TotalRowIdentity
        var t = Array(repeating: Array(repeating: 0, count: 7), count: spec.table3Rows.count)
        for c in 0..<6 {
            for r in results.parts { t[r][c] = rng.chance(0.5) ? 0 : rng.int(1...400) }
            t[results.whole][c] = results.parts.reduce(0) { $0 + t[$1][c] }
            t[rhs[1]][c] = rng.chance(0.5) ? 0 : rng.int(1...30)
            let out = t[results.whole][c] + t[rhs[1]][c]
            t[lhs[1]][c] = rng.int(0...out)
            t[lhs[0]][c] = out - t[lhs[1]][c]
        }
        for r in t.indices { t[r][6] = t[r][0..<6].reduce(0, +) }
        g.table3 = t
        var t4 = (0..<15).map { _ in rng.chance(0.5) ? 0 : rng.int(1...40) }
        for id in FormatSpec.table4Identities { t4[id.whole] = id.parts.reduce(0) { $0 + t4[$1] } }
        g.table4 = t4
        return g
    }

    static func check(_ g: GeneratedReport, layout: GenLayout, seed: UInt64) -> CheckResult {
        var rng = SplitMix64(seed: seed)
        let text = ReportGenerator.document(g, layout: layout, rng: &rng)
        return Checker.check(CheckInput(fileName: "t.txt", bytes: Array(text.utf8)), checkedAt: "")
    }

    /// The generated cell a finding is about: [3, row, column] or [4, 0, column].
    static func cell(_ d: Diagnostic, _ spec: FormatSpec) -> [Int]? {
        switch d.section {
        case 3:
            guard let r = spec.table3Rows.firstIndex(where: { $0.key == d.row }),
                  let c = FormatSpec.table3ColumnKeys.firstIndex(of: d.columnKey ?? "") else { return nil }
            return [3, r, c]
        case 4:
            return FormatSpec.table4ColumnKeys.firstIndex(of: d.columnKey ?? "").map { [4, 0, $0] }
        default:
            return nil
        }
    }

    static func value(_ g: GeneratedReport, _ cell: [Int]) -> Int { cell[0] == 3 ? g.table3[cell[1]][cell[2]] : g.table4[cell[2]] }

    /// The report with its blanks written in, and its wrong cells corrected, as the findings ask.
    static func filled(_ g: GeneratedReport, from r: CheckResult) -> GeneratedReport {
        let spec = FormatSpec.spec(g.edition)
        var out = g
        for d in r.diagnostics where d.code == .cellBlank || d.code == .table3WrongCell {
            guard let at = cell(d, spec), let v = d.expected.flatMap(Int.init) else { continue }
            if at[0] == 3 { out.table3[at[1]][at[2]] = v } else { out.table4[at[2]] = v }
            out.blank.remove(at)
        }
        return out
    }

    @Test("the 总计 column left blank: each finding names the row's sum, the note asks for no 0, and writing the numbers in is clean",
          arguments: [Edition.y2019, .y2021], [GenLayout.tabSeparated, .tabPrefixed])
    func blankTotalColumn(edition: Edition, layout: GenLayout) throws {
        for seed in UInt64(1)...6 {
            var rng = SplitMix64(seed: seed &* 7919 &+ (edition == .y2019 ? 0 : 1000))
            var g = Self.consistent(edition, rng: &rng)
            let clean = Self.check(g, layout: layout, seed: seed)
            try #require(!clean.diagnostics.contains { $0.severity == .error }, "the generated report is clean: \(clean.diagnostics.map(\.code))")
            g.blank = Set(g.table3.indices.map { [3, $0, 6] })
            let r = Self.check(g, layout: layout, seed: seed)
            let spec = FormatSpec.spec(edition)
            let blanks = r.diagnostics.filter { $0.code == .cellBlank }
            #expect(blanks.count == g.table3.count, "seed \(seed)")
            #expect(r.diagnostics.filter { $0.severity == .error }.count == blanks.count, "only the blanks: \(r.diagnostics.map(\.code))")
            for d in blanks {
                let at = try #require(Self.cell(d, spec))
                let sum = Self.value(g, at)
                #expect(d.expected == String(sum), "seed \(seed) \(d.row ?? "")")
                #expect(d.message.zh.hasSuffix("应填 \(sum)") && d.message.en.contains("must be \(sum)"), "\(d.message)")
                #expect(d.help.zh.hasPrefix("填上 \(sum)（") && d.help.en.hasPrefix("Write \(sum) ("), "\(d.help)")
            }
            let note = r.note(fileName: "t.txt", language: .zh)
            // “write 0 where nothing happened” is advice for a cell no sum gives
            #expect(!note.contains("没有发生") && !note.contains("填 0，") && !note.contains("填0"), "\(note)")
            #expect(note.contains("（应填 \(g.table3[0][6])）"))
            let en = r.note(fileName: "t.txt", language: .en)
            #expect(!en.contains("where nothing happened"), "\(en)")
            // the clerk writes in the numbers the note gives, and resubmits
            let again = Self.check(Self.filled(g, from: r), layout: layout, seed: seed)
            #expect(!again.diagnostics.contains { $0.severity == .error }, "seed \(seed): \(again.diagnostics.map(\.code))")
        }
    }

    @Test("random blanks anywhere in sections 三 and 四: a number given is always the right one; one blank is always given")
    func randomBlanks() throws {
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed &* 104_729)
            let edition: Edition = seed % 2 == 0 ? .y2019 : .y2021
            var g = Self.consistent(edition, rng: &rng)
            let spec = FormatSpec.spec(edition)
            let rows = spec.table3Rows.count
            let n = seed <= 10 ? 1 : rng.int(2...8)
            while g.blank.count < n {
                g.blank.insert(rng.chance(0.8) ? [3, rng.int(0...(rows - 1)), rng.int(0...6)] : [4, 0, rng.int(0...14)])
            }
            let r = Self.check(g, layout: .tabSeparated, seed: seed)
            let blanks = r.diagnostics.filter { $0.code == .cellBlank }
            #expect(Set(blanks.compactMap { Self.cell($0, spec) }) == g.blank, "seed \(seed)")
            var told = 0
            for d in blanks {
                guard let v = d.expected.flatMap(Int.init), let at = Self.cell(d, spec) else {
                    // a number the identities do not give: no 0 for a total
                    if d.expected == "所列各数之和" { #expect(!d.help.zh.contains("没有发生"), "\(d.help.zh)") }
                    continue
                }
                told += 1
                #expect(v == Self.value(g, at), "seed \(seed) \(at): told \(v), was \(Self.value(g, at))")
            }
            if n == 1 { #expect(told == 1, "seed \(seed): a lone blank is given by its row") }
            if told == blanks.count {
                let again = Self.check(Self.filled(g, from: r), layout: .tabSeparated, seed: seed)
                #expect(!again.diagnostics.contains { $0.severity == .error }, "seed \(seed): \(again.diagnostics.map(\.code))")
            }
        }
    }

    @Test("a blank row total beside a wrong cell of its row: the blank is asked for the corrected sum, and following both fixes is clean")
    func blankTotalBesideWrongCell() throws {
        for seed in UInt64(1)...24 {
            var rng = SplitMix64(seed: seed &* 7_368_787)
            let edition: Edition = seed % 2 == 0 ? .y2019 : .y2021
            let truth = Self.consistent(edition, rng: &rng)
            var g = truth
            let spec = FormatSpec.spec(edition)
            let r = rng.pick(spec.table3TotalRowIdentity.parts), c = rng.int(0...5)
            g.table3[r][c] += rng.int(1...9)
            g.blank = [[3, r, 6]]
            let result = Self.check(g, layout: .tabSeparated, seed: seed)
            let wrong = try #require(result.diagnostics.first { $0.code == .table3WrongCell }, "seed \(seed): \(result.diagnostics.map(\.code))")
            #expect(wrong.expected == String(truth.table3[r][c]), "seed \(seed)")
            let blank = try #require(result.diagnostics.first { $0.code == .cellBlank })
            #expect(blank.expected == String(truth.table3[r][6]), "seed \(seed): the sum of the corrected row, not of the written one")
            let again = Self.check(Self.filled(g, from: result), layout: .tabSeparated, seed: seed)
            #expect(!again.diagnostics.contains { $0.severity == .error }, "seed \(seed): \(again.diagnostics.map(\.code))")
        }
    }

    @Test("two wrong cells no one culprit explains, and a blank total their sums run through: no number for the blank, and no 0")
    func blankTotalBesideAmbiguousCells() throws {
        var ambiguous = 0
        for seed in UInt64(1)...12 {
            var rng = SplitMix64(seed: seed &* 15_485_863)
            let edition: Edition = seed % 2 == 0 ? .y2019 : .y2021
            var g = Self.consistent(edition, rng: &rng)
            let spec = FormatSpec.spec(edition)
            let parts = spec.table3TotalRowIdentity.parts
            let r = rng.pick(parts), c = rng.int(0...5)
            // the same error in two rows of one column: the column's total is off by two figures
            var other = rng.pick(parts)
            while other == r { other = rng.pick(parts) }
            g.table3[r][c] += 3
            g.table3[other][c] += 4
            g.blank = [[3, r, 6], [3, other, 6]]
            let result = Self.check(g, layout: .tabSeparated, seed: seed)
            // (when one of the two could not hold its share, the arithmetic names the other alone)
            guard !result.diagnostics.contains(where: { $0.code == .table3WrongCell }) else { continue }
            ambiguous += 1
            for d in result.diagnostics where d.code == .cellBlank {
                #expect(d.expected.flatMap(Int.init) == nil, "seed \(seed): \(d.message.zh)")
                #expect(!d.help.zh.contains("没有发生") && d.help.zh.contains("先改正"), "\(d.help.zh)")
            }
            #expect(!result.note(fileName: "t.txt", language: .zh).contains("没有发生"), "seed \(seed)")
        }
        #expect(ambiguous >= 6, "\(ambiguous) of 12 were ambiguous")
    }

    @Test("seed 003: the blank 行政复议 total is asked for the sum of its results, not 0")
    func seed003() throws {
        let name = Fixtures.seeds[3]
        let r = Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "")
        let total = try #require(r.diagnostics.first { $0.code == .cellBlank && $0.columnKey == "review_total" })
        #expect(total.expected == "所列各数之和" && !total.help.zh.contains("没有发生"), "\(total.help.zh)")
        let upheld = try #require(r.diagnostics.first { $0.code == .cellBlank && $0.columnKey == "review_upheld" })
        #expect(upheld.help.zh.contains("没有发生的情况填 0"))
        let note = r.note(fileName: name, language: .zh)
        #expect(note.contains("总计填所列各数之和") && note.contains("其余没有发生的填 0"), "\(note)")
    }

    @Test("a blank cell of section 四 whose group total is written is given by the total")
    func table4Part() throws {
        var rng = SplitMix64(seed: 42)
        var g = Self.consistent(.y2021, rng: &rng)
        g.table4[5...9] = [3, 1, 0, 2, 6]
        g.blank = [[4, 0, 6]]
        let r = Self.check(g, layout: .tabSeparated, seed: 42)
        let d = try #require(r.diagnostics.first { $0.code == .cellBlank })
        #expect(d.expected == "1" && d.message.zh.hasSuffix("按该组总计减去其余三项结果应填 1"), "\(d.message.zh)")
    }
}
