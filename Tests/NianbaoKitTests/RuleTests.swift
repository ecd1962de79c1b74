import NianbaoKit
import Testing
import NianbaoCore
import NianbaoRules

/// Each rule on a small change to a real report (seed 002, tab-separated, otherwise all zeros
/// apart from its three short rows; and the consistent 2024 city report).
@Suite("Rules on edited reports")
struct RuleTests {
    static func check(_ text: String, severities: [String: Severity] = [:]) -> CheckResult {
        Checker.check(CheckInput(fileName: "t.txt", bytes: Array(text.utf8)), options: CheckOptions(severities: severities),
                      checkedAt: "")
    }

    /// Seed 002 with its three short rows repaired, so that it is clean.
    static func clean002() throws -> String {
        var t = try Fixtures.text(Fixtures.seeds[2])
        t = t.replacingOccurrences(of: "(一) 予以公开\t\t0\t0\t0\t0\t0", with: "(一) 予以公开\t0\t0\t0\t0\t0\t0\t0")
        t = t.replacingOccurrences(of: "不计其他情形)\t\t0\t0\t0\t0\t0", with: "不计其他情形)\t0\t0\t0\t0\t0\t0\t0")
        t = t.replacingOccurrences(of: "1.属于国家秘密\t0\t0\t0\t0\t0\n", with: "1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n")
        t = t.replacingOccurrences(of: "由由", with: "由")
        return t.replacingOccurrences(of: "政府信息公开工作年度报告\n", with: "政府信息公开工作年度报告\n统计期限为2020年1月1日至2020年12月31日。\n")
    }

    func replacing(_ t: String, _ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(t.contains(a), "fixture text changed: \(a)", sourceLocation: sourceLocation)
        return t.replacingOccurrences(of: a, with: b)
    }

    @Test("the repaired seed 002 is clean")
    func clean() throws {
        let r = Self.check(try Self.clean002())
        #expect(r.diagnostics.map(\.code) == [])
        #expect(r.verdict == .accepted)
    }

    @Test("dash, invalid, negative and fractional cells are errors naming their cell")
    func cellContent() throws {
        var t = try Self.clean002()
        t = replacing(t, "2.重复申请\t0\t0", "2.重复申请\t-\t0")
        t = replacing(t, "3.要求提供公开出版物\t0\t0", "3.要求提供公开出版物\t1O\t0")
        t = replacing(t, "7.属于行政执法案卷\t0\t0", "7.属于行政执法案卷\t-2\t0")
        t = replacing(t, "8.属于行政查询事项\t0\t0", "8.属于行政查询事项\t1.5\t0")
        let r = Self.check(t)
        func find(_ code: Code) -> Diagnostic? { r.diagnostics.first { $0.code == code } }
        #expect(find(.cellDash)?.row == "reject_repeat" && find(.cellDash)?.columnKey == "natural")
        #expect(find(.cellInvalid)?.row == "reject_publication" && find(.cellInvalid)?.actual == "1O")
        #expect(find(.cellNegative)?.row == "deny_enforcement")
        #expect(find(.cellFractional)?.row == "deny_inquiry")
        #expect(r.verdict == .rejected)
    }

    @Test("one wrong cell is one finding naming the cell, the value written and the value implied; the identities it breaks are listed under it")
    func culprit() throws {
        let t = replacing(try Self.clean002(), "5.属于三类内部事务信息\t0\t0\t0", "5.属于三类内部事务信息\t0\t0\t3")
        let r = Self.check(t)
        let errors = r.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.table3WrongCell])
        let d = try #require(errors.first)
        #expect(d.row == "deny_internal" && d.columnKey == "research")
        #expect(d.expected == "0" && d.actual == "3")
        #expect(d.message.zh.contains("填 3") && d.message.zh.contains("应为 0"))
        #expect(d.notes.count == 2)
        #expect(d.notes.contains { $0.zh.contains("“5.属于三类内部事务信息”行") && $0.zh.contains("相差 3") })
        #expect(d.notes.contains { $0.zh.contains("“科研机构”列") && $0.zh.contains("（七）总计 0") })
    }

    @Test("T3-1: new + carried = total + carried forward, per column")
    func balance() throws {
        var t = try Self.clean002()
        t = replacing(t, "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0", "一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2")
        t = replacing(t, "(一) 予以公开\t0\t0\t0\t0\t0\t0\t0", "(一) 予以公开\t1\t0\t0\t0\t0\t0\t1")
        t = replacing(t, "(七) 总计\t0\t0\t0\t0\t0\t0\t0", "(七) 总计\t1\t0\t0\t0\t0\t0\t1")
        let r = Self.check(t)
        let d = r.diagnostics.filter { $0.code == .table3Identity }
        #expect(d.map(\.columnKey) == ["natural", "total"])
        #expect(d.first?.expected == "2" && d.first?.actual == "1")
        #expect(!r.diagnostics.contains { $0.code == .table3RowTotal || $0.code == .table3TotalRow })
    }

    @Test("section 四: each group's total is the sum of its four results")
    func table4() throws {
        let t = replacing(try Self.clean002(), "\n0\t0\t0\t0\t0\t0\t0", "\n1\t0\t0\t0\t0\t0\t0")
        let r = Self.check(t)
        let d = try #require(r.diagnostics.first { $0.code == .table4Total })
        #expect(d.columnKey == "review_total" && d.expected == "1" && d.actual == "0")
    }

    @Test("a 2021 report on 2019-edition tables is flagged; so is a period for the wrong year")
    func editionAndPeriod() throws {
        var t = try Self.clean002()
        t = replacing(t, "顾县镇人民政府2020年", "顾县镇人民政府2022年")
        let r = Self.check(t)
        // one cause, one finding: table 三's rows say 2019, and the help asks for 二 too
        let e = try #require(r.diagnostics.first { $0.code == .tableEditionMismatch })
        #expect(e.expected == "2021" && e.actual == "2019" && e.severity == .error)
        #expect(e.help.zh.contains("第二部分表格也请按"))
        #expect(!r.diagnostics.contains { $0.code == .editionMismatch })
        let p = try #require(r.diagnostics.first { $0.code == .periodMismatch })
        #expect(p.expected == "2022-01-01 至 2022-12-31")
    }

    @Test("a report without title, without tables, and with a requests count the table contradicts")
    func structure() throws {
        let text = """
            一、总体情况
            本年共收到政府信息公开申请 3 件。
            二、主动公开政府信息情况
            三、收到和处理政府信息公开申请情况
            四、政府信息公开行政复议、行政诉讼情况
            五、存在的主要问题及改进情况
            六、其他需要报告的事项
            """
        let r = Self.check(text)
        let codes = r.diagnostics.map(\.code)
        #expect(codes.contains(.titleMissing))
        #expect(r.diagnostics.filter { $0.code == .tableMissing }.compactMap(\.section) == [2, 3, 4])
        #expect(!codes.contains(.sectionMissing))
        let withTable = try Self.clean002().replacingOccurrences(of: "(二) 依申请公开情况。", with: "(二) 依申请公开情况。本年共收到政府信息公开申请 3 件。")
        let n = Self.check(withTable).diagnostics.first { $0.code == .narrativeRequests }
        #expect(n?.expected == "0" && n?.actual == "3" && n?.severity == .warning)
    }

    @Test("amounts: 元 is converted to 万元; a bare figure asks for its unit; 万元 is fine")
    func amounts() throws {
        #expect(roundTripUnit("2060387.04 元")?.expected == "206.0387 万元")
        #expect(roundTripUnit("12.5")?.actual == "无单位")
        #expect(roundTripUnit("308.7 万元") == nil)
        let joined = roundTripUnit("2060387.04元")
        #expect(joined?.expected == "206.0387 万元" && joined?.actual == "2060387.04 元")
    }

    @Test("a figure too long to be a count is invalid; an unfilled row is seven blank cells")
    func hugeAndBlank() throws {
        var t = try Self.clean002()
        t = replacing(t, "2.重复申请\t0\t0", "2.重复申请\t99999999999999999999\t0")
        t = replacing(t, "3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0", "3.要求提供公开出版物\t\t\t\t\t\t\t")
        let r = Self.check(t)
        #expect(r.diagnostics.first { $0.code == .cellInvalid }?.row == "reject_repeat")
        let blanks = r.diagnostics.filter { $0.code == .cellBlank }
        #expect(blanks.count == 7 && blanks.allSatisfy { $0.row == "reject_publication" })
        #expect(!r.diagnostics.contains { $0.code == .rowCellCount })
        let json = r.json.serialized()
        #expect(!json.contains("inf") && !json.contains("e+"))
    }

    func roundTripUnit(_ cell: String) -> Diagnostic? {
        guard var t = try? Fixtures.text(Fixtures.seeds[3]) else { return nil }
        t = t.replacingOccurrences(of: "政府集中采购\t59\t2060387.04 元", with: "政府集中采购\t59\t\(cell)")
        return Self.check(t).diagnostics.first { $0.code == .amountUnit }
    }

    @Test("sections out of order are found, read, and flagged")
    func order() throws {
        let t = try Self.clean002()
        let three = try #require(t.range(of: "三、收到和处理政府信息公开申请情况"))
        let four = try #require(t.range(of: "四、政府信息公开行政复议、行政诉讼情况"))
        let five = try #require(t.range(of: "五、存在的主要问题及改进情况"))
        let swapped = String(t[..<three.lowerBound]) + String(t[four.lowerBound..<five.lowerBound])
            + String(t[three.lowerBound..<four.lowerBound]) + String(t[five.lowerBound...])
        let r = Self.check(swapped)
        let d = try #require(r.diagnostics.first { $0.code == .sectionOrder })
        #expect(d.section == 3 && d.severity == .error)
        #expect(!r.diagnostics.contains { $0.code == .sectionMissing || $0.code == .tableMissing })
        #expect(r.report?.table3?.rows.allSatisfy(\.row.aligned) == true)
        #expect(r.report?.table4?.row.aligned == true)
    }
}
