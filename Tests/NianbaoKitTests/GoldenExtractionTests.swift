import Testing
import NianbaoCore
import NianbaoModel
import NianbaoTestSupport

/// Every cell of sections 二, 三 and 四 of the real fixtures, transcribed by hand from the source text.
@Suite("Golden extraction of the real reports")
struct GoldenExtractionTests {
    static let zeros7 = "0 0 0 0 0 0 0"
    static let five = "0 0 0 0 0 ∅ ∅"

    static let keys2019 = FormatSpec.y2019.table3Rows.map(\.key)

    func assertTable3(_ report: AnnualReport, _ expected: [String: String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let t3 = report.table3 else {
            Issue.record("table 三 not found", sourceLocation: sourceLocation)
            return
        }
        #expect(t3.rows.map(\.key) == report.format.table3Rows.map(\.key), sourceLocation: sourceLocation)
        for row in t3.rows {
            #expect(transcribe(row.row.cells) == expected[row.key], "row \(row.key)", sourceLocation: sourceLocation)
        }
    }

    func assertTable2(_ report: AnnualReport, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let t2 = report.table2 else {
            Issue.record("table 二 not found", sourceLocation: sourceLocation)
            return
        }
        #expect(t2.rows.map { transcribe($0.row.cells) } == expected, sourceLocation: sourceLocation)
    }

    @Test("000: PDF text, cells broken one to three characters per line")
    func seed000() throws {
        let r = try Fixtures.report(Fixtures.seeds[0])
        #expect(r.title == "相山区渠沟镇政府2020年政府信息公开工作年度报告")
        #expect(r.organ == "相山区渠沟镇政府")
        #expect(r.year == 2020)
        #expect(r.edition == .y2019 && r.tableEdition == .y2019)
        #expect(r.period?.fromISO == "2020-01-01" && r.period?.toISO == "2020-12-31")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        assertTable2(r, ["0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "0 0"])
        assertTable3(r, Dictionary(uniqueKeysWithValues: Self.keys2019.map { ($0, Self.zeros7) }))
        #expect(transcribe(r.table4!.row.cells) == Array(repeating: "0", count: 15).joined(separator: " "))
        #expect(r.table4!.row.aligned)
        // labels broken around their numbers keep their own row
        #expect(r.table3!.row("reject_confirm")!.written?.text.hasPrefix("5.要求行政机关确认或重新出具已获取信") == true)
        #expect(r.table3!.row("unable_unclear")!.row.cells[0].position?.line == 488)
    }

    @Test("001: one cell per line; result rows with 5 of 7 values; 16 numbers in section 四")
    func seed001() throws {
        let r = try Fixtures.report(Fixtures.seeds[1])
        #expect(r.organ == "相城镇人民政府")
        #expect(r.year == 2020 && r.tableEdition == .y2019)
        assertTable2(r, ["0 0 0", "228 228 975", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "50 8.2"])
        #expect(r.table2!.rows[1].written?.text == "规范性文件（本单位制发的）")
        var expected: [String: String] = [:]
        for key in Self.keys2019 { expected[key] = Self.five }
        expected["new"] = "1 0 0 0 0 0 1"
        expected["carried"] = Self.zeros7
        expected["granted"] = "1 0 0 0 0 ∅ ∅"
        expected["other"] = "0 0 0 0 □ ∅ ∅"
        expected["total"] = "0 0 0 0 1 ∅ ∅"
        assertTable3(r, expected)
        let short = r.table3!.rows.filter { !$0.row.aligned }.map(\.key)
        #expect(short == Array(Self.keys2019[2...]))
        #expect(r.table3!.row("granted")!.row.found == 5)
        let t4 = r.table4!.row
        #expect(t4.found == 16 && !t4.aligned && t4.extra.count == 1)
        #expect(r.table3!.row("reject_petition")!.written?.text == "1.信访投诉举报类申请")
        #expect(r.table3!.headerText.contains("合计"))
    }

    @Test("002: tab-separated; three rows with 5 of 7 values")
    func seed002() throws {
        let r = try Fixtures.report(Fixtures.seeds[2])
        #expect(r.organ == "顾县镇人民政府" && r.year == 2020 && r.tableEdition == .y2019)
        #expect(r.period == nil)
        assertTable2(r, ["0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "0 0"])
        #expect(r.table2!.amountHeaderUnit == "万元")
        var expected = Dictionary(uniqueKeysWithValues: Self.keys2019.map { ($0, Self.zeros7) })
        for key in ["granted", "partial", "deny_secret"] { expected[key] = Self.five }
        assertTable3(r, expected)
        #expect(r.table3!.row("reject_mass")!.written?.text == "4.无正当理由由大量反复申请")
        #expect(r.table4!.row.aligned && r.table4!.row.cells.allSatisfy { $0.value == 0 })
    }

    @Test("003: tab-separated; five blank 行政复议 cells; amount in 元")
    func seed003() throws {
        let r = try Fixtures.report(Fixtures.seeds[3])
        #expect(r.organ == "海盐县沈荡镇人民政府" && r.year == 2020)
        assertTable2(r, ["0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "59 2060387.04 元"])
        let amount = r.table2!.rows[7].row.cells[1]
        #expect(amount.value == 2060387.04 && amount.unit == "元")
        var expected = Dictionary(uniqueKeysWithValues: Self.keys2019.map { ($0, Self.zeros7) })
        expected["new"] = "1 0 0 0 0 0 1"
        expected["granted"] = "1 0 0 0 0 0 1"
        expected["total"] = "1 0 0 0 0 0 1"
        assertTable3(r, expected)
        #expect(transcribe(r.table4!.row.cells) == "□ □ □ □ □ 0 0 0 0 0 0 0 0 0 0")
        #expect(r.table4!.row.aligned)
    }

    @Test("004: truncated section 三, no section 四")
    func seed004() throws {
        let r = try Fixtures.report(Fixtures.seeds[4])
        #expect(r.organ == "灵武市崇兴镇人民政府" && r.year == 2020)
        #expect(r.sections.map(\.number) == [1, 2, 3, 5, 6])
        #expect(r.sections.first { $0.number == 5 }?.isVariant == true)
        assertTable2(r, ["0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "1 308.7 万元"])
        var expected: [String: String] = [:]
        for (i, key) in Self.keys2019.enumerated() {
            expected[key] = i < 6 ? Self.zeros7 : "∅ ∅ ∅ ∅ ∅ ∅ ∅"
        }
        assertTable3(r, expected)
        #expect(r.table3!.rows[6...].allSatisfy { !$0.present })
        #expect(r.table4 == nil)
    }

    @Test("淮安 2024: pdftotext -layout, 2021 edition, vertical group labels, page number inside the table")
    func huaian() throws {
        let r = try Fixtures.report(Fixtures.huaian)
        #expect(r.title == "淮安市人民政府2024年政府信息公开工作年度报告")
        #expect(r.organ == "淮安市人民政府" && r.year == 2024)
        #expect(r.edition == .y2021 && r.tableEdition == .y2021)
        #expect(r.period?.fromISO == "2024-01-01" && r.period?.toISO == "2024-12-31")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        assertTable2(r, Huaian2024.table2)
        assertTable3(r, Huaian2024.table3)
        #expect(transcribe(r.table4!.row.cells) == Huaian2024.table4)
        // positions point into the original text
        #expect(r.table3!.row("total")!.row.cells[6].position == SourcePosition(line: 194, column: 93))
    }
}
