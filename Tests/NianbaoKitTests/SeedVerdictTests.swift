import NianbaoKit
import Testing
import NianbaoCore
import NianbaoModel

func check(_ name: String, language: Language = .zh) throws -> CheckResult {
    Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(name)), options: CheckOptions(language: language),
                  checkedAt: "2026-11-23T12:00:00+08:00")
}

func codes(_ r: CheckResult, _ severity: Severity) -> [String] {
    r.diagnostics.filter { $0.severity == severity }.map(\.code.rawValue)
}

/// The verdicts and findings of EXPECTED.md, asserted by rule code, row and column.
@Suite("Seed verdicts")
struct SeedVerdictTests {
    @Test("000 is accepted with no findings on its figures")
    func seed000() throws {
        let r = try check(Fixtures.seeds[0])
        #expect(r.verdict == .accepted)
        #expect(r.errors == 0)
        #expect(r.diagnostics.allSatisfy { $0.section != 3 && $0.section != 4 })
    }

    @Test("001: short result rows, 16 numbers in 四, label warnings, amount without unit")
    func seed001() throws {
        let r = try check(Fixtures.seeds[1])
        #expect(r.verdict == .rejected)
        let short = r.diagnostics.filter { $0.code == .rowCellCount && $0.section == 3 }
        let keys = FormatSpec.y2019.table3Rows.map(\.key)
        #expect(short.map(\.row) == Array(keys[2...]).map(Optional.some))
        #expect(short.allSatisfy { $0.severity == .error })
        #expect(short.filter { $0.row != "other" }.allSatisfy { $0.actual == "5 个数值" })
        // （六）其他处理: four numbers and an empty cell
        #expect(short.first { $0.row == "other" }?.actual == "4 个数值、1 个空白")
        #expect(r.diagnostics.contains { $0.code == .rowCellCount && $0.section == 4 && $0.actual == "16 个数值" })
        // identities over rows whose columns cannot be told are not guessed at
        #expect(!r.diagnostics.contains { $0.code.rawValue.hasPrefix("table3-") })
        let labels = r.diagnostics.filter { $0.code == .labelDeviation }
        #expect(labels.allSatisfy { $0.severity == .warning })
        #expect(Set(labels.compactMap(\.actual)).isSuperset(of: ["合计", "结果维护", "1.信访投诉举报类申请", "规范性文件（本单位制发的）"]))
        #expect(labels.contains { $0.row == "partial" && $0.actual!.contains("只记") })
        #expect(r.diagnostics.contains { $0.code == .amountUnit && $0.row == "procurement" && $0.severity == .warning })
        // rows 一 and 二 are consistent: no finding names them
        #expect(!r.diagnostics.contains { $0.row == "new" || $0.row == "carried" })
    }

    @Test("002: three rows with 5 of 7 values; doubled character in a label")
    func seed002() throws {
        let r = try check(Fixtures.seeds[2])
        #expect(r.verdict == .rejected)
        #expect(r.diagnostics.filter { $0.severity == .error }.map(\.row) == ["granted", "partial", "deny_secret"])
        #expect(codes(r, .error) == ["row-cell-count", "row-cell-count", "row-cell-count"])
        #expect(r.diagnostics.contains { $0.code == .labelDeviation && $0.row == "reject_mass" && $0.severity == .warning })
    }

    @Test("003: five blank 行政复议 cells; amount in 元 converted to 万元")
    func seed003() throws {
        let r = try check(Fixtures.seeds[3])
        #expect(r.verdict == .rejected)
        let blanks = r.diagnostics.filter { $0.code == .cellBlank }
        #expect(blanks.map(\.columnKey) == Array(FormatSpec.table4ColumnKeys[0..<5]).map(Optional.some))
        #expect(codes(r, .error) == Array(repeating: "cell-blank", count: 5))
        let unit = r.diagnostics.first { $0.code == .amountUnit }
        #expect(unit?.severity == .warning && unit?.expected == "206.0387 万元")
        #expect(!r.diagnostics.contains { $0.code.rawValue.hasPrefix("table3-") || $0.code.rawValue.hasPrefix("narrative") })
    }

    @Test("004: truncated table, missing section 四, narrative contradictions")
    func seed004() throws {
        let r = try check(Fixtures.seeds[4])
        #expect(r.verdict == .rejected)
        let missing = r.diagnostics.filter { $0.code == .rowMissing }.compactMap(\.row)
        #expect(missing == Array(FormatSpec.y2019.table3Rows.map(\.key)[6...]))
        #expect(r.diagnostics.contains { $0.code == .sectionMissing && $0.section == 4 && $0.severity == .error })
        #expect(r.diagnostics.contains { $0.code == .tableMissing && $0.section == 4 })
        #expect(r.diagnostics.contains { $0.code == .sectionHeadingVariant && $0.section == 5 && $0.severity == .warning })
        let sum = r.diagnostics.first { $0.code == .narrativePartsSum }
        #expect(sum?.expected == "36" && sum?.actual == "38")
        #expect(r.diagnostics.contains { $0.code == .narrativePercentage && $0.actual == "1.9%" })
        #expect(r.diagnostics.contains { $0.code == .narrativePartExceedsWhole && $0.actual == "21" })
        #expect(!r.diagnostics.contains { $0.code == .amountUnit })
    }

    @Test("淮安 2024 (2021 edition) is consistent and accepted")
    func huaian() throws {
        let r = try check(Fixtures.huaian)
        #expect(r.verdict == .accepted)
        #expect(r.errors == 0)
    }

    @Test("severities are configurable per rule")
    func severities() throws {
        let bytes = try Fixtures.bytes(Fixtures.seeds[3])
        let r = Checker.check(CheckInput(fileName: "x.txt", bytes: bytes),
                              options: CheckOptions(severities: ["cell-blank": .warning, "amount-unit": .off]),
                              checkedAt: "")
        #expect(r.verdict == .accepted)
        #expect(!r.diagnostics.contains { $0.code == .amountUnit })
        #expect(r.diagnostics.filter { $0.code == .cellBlank }.allSatisfy { $0.severity == .warning })
    }
}
