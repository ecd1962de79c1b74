import NianbaoKit
import Testing
import NianbaoCore
import NianbaoModel
import NianbaoRules

/// A note opens with what decides its verdict, most consequential first, and never asks for two
/// fixes that cannot both be followed.
@Suite("Note order and one fix per row")
struct NoteOrderTests {
    static func check(_ text: String) -> CheckResult {
        Checker.check(CheckInput(fileName: "t.txt", bytes: Array(text.utf8)), checkedAt: "")
    }

    /// How much a code weighs, as a reviewer ranks it: a missing or unreadable table, wrong
    /// cells, the edition, the rest.
    static func weight(_ code: String) -> Int {
        switch code {
        case "not-a-report": return 0
        case "table-missing", "table-unreadable": return 1
        case "edition-mismatch", "table-edition-mismatch": return 3
        default:
            return code.hasPrefix("table3-") || code.hasPrefix("table4-") || code.hasPrefix("cell-") || code.hasPrefix("row-") ? 2 : 4
        }
    }

    /// The codes of a note's findings, in the order the note shows them, with their severity.
    static func shown(_ note: String) -> [(error: Bool, code: String)] {
        NoteTests.findings(note).map { line in
            let error = line.hasPrefix("错误[") || line.hasPrefix("error[")
            let code = line.split(separator: "[", maxSplits: 1)[1].split(separator: "]")[0]
            return (error, String(code))
        }
    }

    /// The text with section 四's table cut out (its heading kept).
    static func withoutTable4(_ text: String) throws -> String {
        let four = try #require(text.range(of: "四、政府信息公开行政复议、行政诉讼情况"))
        let five = try #require(text.range(of: "五、", range: four.upperBound..<text.endIndex))
        let lineEnd = try #require(text[four.upperBound...].firstIndex { $0.isNewline })
        return String(text[..<text.index(after: lineEnd)]) + String(text[five.lowerBound...])
    }

    @Test("generated reports with a missing table, a wrong cell, the wrong edition and a blank cell, in any mix: errors first, most consequential first")
    func order() throws {
        var seen = Set<String>()
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed &* 65_537)
            let edition: Edition = rng.chance(0.5) ? .y2019 : .y2021
            var g = BlankTotalTests.consistent(edition, rng: &rng)
            let spec = FormatSpec.spec(edition)
            let results = spec.table3TotalRowIdentity.parts
            let dropFour = rng.chance(0.6), wrong = rng.chance(0.7), otherEdition = rng.chance(0.4), blank = rng.chance(0.5)
            if wrong {
                let r = rng.pick(results), c = rng.int(0...5)
                g.table3[r][c] += rng.int(1...9)
            }
            if otherEdition { g.year = edition == .y2019 ? 2022 : 2020 }
            if blank { g.blank.insert([3, rng.pick(results), rng.int(0...5)]) }
            var text = ReportGenerator.document(g, layout: .tabSeparated, rng: &rng)
            if dropFour { text = try Self.withoutTable4(text) }
            let r = Self.check(text)
            let note = r.note(fileName: "t.txt", language: .zh)
            let found = Self.shown(note)
            guard r.verdict == .rejected else { continue }
            let first = try #require(found.first)
            #expect(first.error, "seed \(seed): a rejection opens with an error\n\(note)")
            // errors before warnings, and within the errors never a lighter one before a heavier one
            let errors = found.prefix { $0.error }
            #expect(!found.dropFirst(errors.count).contains { $0.error }, "seed \(seed)")
            let weights = errors.map { Self.weight($0.code) }
            #expect(weights == weights.sorted(), "seed \(seed): \(errors.map(\.code))")
            if dropFour { #expect(first.code == "table-missing", "seed \(seed): \(found.map(\.code))") }
            seen.formUnion(errors.map(\.code))
        }
        // the mixes did mix
        #expect(seen.isSuperset(of: ["table-missing", "table3-wrong-cell", "table-edition-mismatch", "cell-blank"]), "\(seen)")
    }

    @Test("seed 004: the missing section 四 table opens the note, ahead of the rows section 三 lacks")
    func seed004() throws {
        let name = Fixtures.seeds[4]
        let r = Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "")
        let found = Self.shown(r.note(fileName: name, language: .zh))
        #expect(found.first?.code == "table-missing", "\(found.map(\.code))")
        #expect(r.diagnostics.first?.code == .tableMissing, "the JSON in the same order")
    }

    /// The consistent 2024 report with one text replaced.
    static func huaian(_ from: String, _ to: String) throws -> String {
        let t = try Fixtures.text(Fixtures.huaian)
        #expect(t.contains(from), "fixture text changed: \(from)")
        return t.replacingOccurrences(of: from, with: to)
    }

    /// Findings that ask to change the rows around a missing one.
    static func aboutRows(_ r: CheckResult) -> [Diagnostic] {
        r.diagnostics.filter { [Code.rowMissing, .rowCellCount, .labelDeviation].contains($0.code) && $0.section == 3 }
    }

    @Test("a row written under another edition's label, in a missing row's place: one finding to rename it, no “rename it to （七）总计”, no “too many values”")
    func misnamedRow() throws {
        let text = try Self.huaian("3、其他                  108", "（六）其他处理          108")
        let r = Self.check(text)
        let rows = Self.aboutRows(r)
        #expect(rows.map(\.code) == [.rowMissing], "\(rows.map(\.code))")
        let d = try #require(rows.first)
        #expect(d.row == "other_misc" && d.expected == "3.其他" && d.actual == "（六）其他处理")
        #expect(d.message.zh.contains("其位置上的行写作“（六）其他处理”"), "\(d.message.zh)")
        // following it gives back the consistent report
        let p = try #require(d.position)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[p.line - 1] = lines[p.line - 1].replacingOccurrences(of: try #require(d.actual), with: "3、其他")
        let again = Self.check(lines.joined(separator: "\n"))
        #expect(!again.diagnostics.contains { $0.severity == .error }, "\(again.diagnostics.map(\.code))")
    }

    @Test("a row whose label is gone: one finding asking for the label, not “the row before has 14 values”", arguments: ["", "另外情况"])
    func unlabelledRow(_ label: String) throws {
        let r = Self.check(try Self.huaian("3、其他                  108", label.padding(toLength: 23, withPad: " ", startingAt: 0) + "108"))
        let rows = Self.aboutRows(r)
        #expect(rows.map(\.code) == [.rowMissing], "\(rows.map(\.code))")
        #expect(rows.first?.message.zh.contains("没有可识别的行名") == true)
        #expect(rows.first?.help.zh.contains("写上行名“3.其他”") == true)
    }

    @Test("seed 002, a row labelled like the next one: rename it, and the tab-separated table is clean again")
    func duplicatedLabel() throws {
        let clean = try RuleTests.clean002()
        let text = clean.replacingOccurrences(of: "2.重复申请", with: "3.要求提供公开出版物")
        let r = Self.check(text)
        let rows = Self.aboutRows(r)
        #expect(rows.map(\.code) == [.rowMissing], "\(rows.map(\.code))")
        let d = try #require(rows.first)
        #expect(d.row == "reject_repeat" && d.expected == "2.重复申请")
        let p = try #require(d.position)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[p.line - 1] = lines[p.line - 1].replacingOccurrences(of: "3.要求提供公开出版物", with: "2.重复申请")
        #expect(Self.check(lines.joined(separator: "\n")).diagnostics.isEmpty)
    }
}
