import Testing
@testable import NianbaoExtract
import NianbaoKit
import NianbaoModel

// Generated reports in the layouts conversion tools and PDFs give real reports: section 四 as
// three Markdown tables under their own headings, a row label with a typo, a title wrapped
// inside 报告. Each report is made valid (every identity holds) with varied figures, then once
// more with one wrong cell; the clerk's view is asserted: the verdict, the finding and its place.

enum ValidReport {
    /// A generated report whose sections 三 and 四 satisfy every identity of the format.
    static func make(_ edition: Edition, rng: inout SplitMix64) -> GeneratedReport {
        var g = ReportGenerator.values(edition: edition, rng: &rng)
        let rows = FormatSpec.spec(edition).table3Rows
        let index = { (key: String) in rows.firstIndex { $0.key == key }! }
        let results = (index("granted")..<index("total")).map { $0 }
        var t3 = rows.map { _ in Array(repeating: 0, count: 7) }
        for c in 0..<6 {
            let new = rng.int(0...25), carried = rng.int(0...3)
            let next = rng.int(0...(new + carried) / 3)
            t3[index("new")][c] = new
            t3[index("carried")][c] = carried
            t3[index("carry_next")][c] = next
            let handled = new + carried - next
            t3[index("total")][c] = handled
            // the handled requests spread over the result rows
            for _ in 0..<handled { t3[rng.pick(results)][c] += 1 }
        }
        for r in t3.indices { t3[r][6] = t3[r][0..<6].reduce(0, +) }
        g.table3 = t3
        g.table4 = (0..<3).flatMap { _ -> [Int] in
            let parts = (0..<4).map { _ in rng.chance(0.5) ? 0 : rng.int(1...9) }
            return parts + [parts.reduce(0, +)]
        }
        // amounts written with their unit: no warning about units
        for (bi, b) in FormatSpec.spec(edition).table2.enumerated() {
            guard let a = b.amountColumn else { continue }
            for ri in g.table2[bi].indices {
                let v = rng.int(1...9000)
                g.table2[bi][ri][a] = GenCell(text: "\(v)万元", value: Double(v), unit: "万元")
            }
        }
        return g
    }

    /// The report as Markdown (tables as pipe tables, headings `##`).
    static func markdown(_ g: GeneratedReport, rng: inout SplitMix64) -> String {
        let text = ReportGenerator.document(g, layout: .tabSeparated, rng: &rng).replacingOccurrences(of: "\r\n", with: "\n")
        return TableRewriter.rewrite(text, .markdown)
    }

    /// Section 四 replaced by three tables of five cells, each under its own `###` heading.
    static func fourInParts(_ text: String, _ values: [String]) -> String {
        var lines = text.components(separatedBy: "\n")
        let four = lines.firstIndex { $0.hasPrefix("## 四、") }!
        let five = lines.firstIndex { $0.hasPrefix("## 五、") }!
        var parts: [String] = [""]
        for (k, heading) in ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"].enumerated() {
            parts += ["### " + heading, "",
                      "| " + FormatSpec.table4ResultLabels.joined(separator: " | ") + " |",
                      "|---|---|---|---|---|",
                      "| " + values[(5 * k)..<(5 * k + 5)].joined(separator: " | ") + " |", ""]
        }
        lines.replaceSubrange((four + 1)..<five, with: parts)
        return lines.joined(separator: "\n")
    }

    static func check(_ text: String, name: String = "t.md") -> CheckResult {
        Checker.check(CheckInput(fileName: name, bytes: Array(text.utf8)), checkedAt: "")
    }

    /// The 1-based line holding `needle` (first occurrence after `after`).
    static func line(of needle: String, in text: String, after: Int = 0) -> Int? {
        let lines = text.components(separatedBy: "\n")
        return lines.indices.first { $0 >= after && lines[$0].contains(needle) }.map { $0 + 1 }
    }
}

@Suite("Tables in parts, labels with typos, wrapped titles")
struct TablePartsTests {
    static let cases = 40

    @Test("section 四 as three Markdown tables: 15 cells read; a valid report is accepted", arguments: Edition.allCases)
    func fourInPartsValid(edition: Edition) throws {
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5041_5254_5300 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            let text = ValidReport.fourInParts(ValidReport.markdown(g, rng: &rng), g.table4.map(String.init))
            let r = ValidReport.check(text)
            let t4 = try #require(r.report?.table4, "seed \(n)")
            #expect(t4.row.aligned && t4.row.found == 15, "seed \(n): \(t4.row.found) cells")
            #expect(t4.row.cells.map(\.value) == g.table4.map { Optional(Double($0)) }, "seed \(n)")
            let errors = r.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.section ?? 0) \($0.row ?? "")" }
            #expect(r.verdict == .accepted && errors.isEmpty, "seed \(n): \(errors)")
        }
    }

    @Test("section 四 in parts with one wrong cell: one error, on its part's total, in its part's row", arguments: Edition.allCases)
    func fourInPartsWrongCell(edition: Edition) throws {
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5041_5254_5301 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            let part = rng.int(0...2), cell = rng.int(0...3)
            var values = g.table4.map(String.init)
            values[5 * part + cell] = String(g.table4[5 * part + cell] + rng.int(1...5))
            let text = ValidReport.fourInParts(ValidReport.markdown(g, rng: &rng), values)
            let r = ValidReport.check(text)
            #expect(r.verdict == .rejected, "seed \(n)")
            let errors = r.diagnostics.filter { $0.severity == .error }
            #expect(errors.count == 1 && errors.first?.code == .table4Total && errors.first?.section == 4,
                    "seed \(n): \(errors.map { "\($0.code) \($0.columnKey ?? "")" })")
            #expect(errors.first?.columnKey == FormatSpec.table4ColumnKeys[5 * part + 4], "seed \(n)")
            // the part's own data row: after its heading
            let heading = ValidReport.line(of: ["### 行政复议", "### 行政诉讼（未经复议直接起诉）", "### 行政诉讼（复议后起诉）"][part], in: text)!
            #expect(errors.first?.position?.line == heading + 4, "seed \(n)")
        }
    }

    static let typos: [(key: String, written: String)] = [
        ("deny_law", "2.其他法律行政止公开"),
        ("unable_create", "2.没有现存信息需要另形制作"),
        ("deny_enforcement", "7.属于行政执法案券"),
        ("reject_publication", "3.要求提供公开出板物"),
    ]

    /// The report with `typo`'s label written wrong in section 三 (Markdown or TAB text).
    static func withTypo(_ text: String, _ typo: (key: String, written: String), edition: Edition) -> String? {
        guard let spec = FormatSpec.spec(edition).table3Rows.first(where: { $0.key == typo.key }),
              let at = text.range(of: spec.label) else { return nil }
        return text.replacingCharacters(in: at, with: typo.written)
    }

    @Test("a row label with a typo is that row: its values stay its own, one label-deviation at the label",
          arguments: Edition.allCases, ["tab", "cell-per-line", "markdown"])
    func typoLabel(edition: Edition, layout: String) throws {
        var tried = 0
        let markdown = layout == "markdown"
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5459_504F_0000 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000) &+ UInt64(layout.count))
            let g = ValidReport.make(edition, rng: &rng)
            let typo = rng.pick(Self.typos)
            var base = ReportGenerator.document(g, layout: layout == "cell-per-line" ? .tabPrefixed : .tabSeparated, rng: &rng)
                .replacingOccurrences(of: "\r\n", with: "\n")
            if markdown { base = TableRewriter.rewrite(base, .markdown) }
            guard let text = Self.withTypo(base, typo, edition: edition) else { continue }
            tried += 1
            let r = ValidReport.check(text, name: markdown ? "t.md" : "t.txt")
            let rowIndex = FormatSpec.spec(edition).table3Rows.firstIndex { $0.key == typo.key }!
            let row = try #require(r.report?.table3?.row(typo.key), "seed \(n)")
            #expect(row.present && row.row.aligned, "seed \(n) \(typo.key): \(row.row.found) cells")
            #expect(row.row.cells.map(\.value) == g.table3[rowIndex].map { Optional(Double($0)) }, "seed \(n) \(typo.key)")
            let errors = r.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.row ?? "")" }
            #expect(r.verdict == .accepted && errors.isEmpty, "seed \(n) \(typo.key): \(errors)")
            let deviations = r.diagnostics.filter { $0.code == .labelDeviation && $0.row == typo.key }
            #expect(deviations.count == 1, "seed \(n) \(typo.key)")
            #expect(deviations.first?.actual?.contains(typo.written) == true, "seed \(n): \(deviations.first?.actual ?? "-")")
            #expect(deviations.first?.position?.line == ValidReport.line(of: typo.written, in: text), "seed \(n) \(typo.key)")
        }
        #expect(tried >= Self.cases / 2)
    }

    @Test("a row label with a typo and a wrong cell in that row: the error names that row", arguments: Edition.allCases)
    func typoLabelWrongCell(edition: Edition) throws {
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5459_504F_0001 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            var g = ValidReport.make(edition, rng: &rng)
            let typo = Self.typos[0]
            let rowIndex = FormatSpec.spec(edition).table3Rows.firstIndex { $0.key == typo.key }!
            let column = rng.int(0...5)
            g.table3[rowIndex][column] += rng.int(1...4)
            let text = try #require(Self.withTypo(ValidReport.markdown(g, rng: &rng), typo, edition: edition))
            let r = ValidReport.check(text)
            #expect(r.verdict == .rejected, "seed \(n)")
            let errors = r.diagnostics.filter { $0.severity == .error }
            #expect(!errors.isEmpty && errors.allSatisfy { $0.section == 3 && [typo.key, "total"].contains($0.row ?? "") },
                    "seed \(n): \(errors.map { "\($0.code) \($0.row ?? "") \($0.columnKey ?? "")" })")
            #expect(errors.contains { $0.row == typo.key }, "seed \(n)")
            #expect(!r.diagnostics.contains { $0.code == .rowMissing || $0.code == .rowCellCount }, "seed \(n)")
        }
    }

    @Test("a title wrapped inside 报告 is one title: organ and year read from it")
    func wrappedTitle() throws {
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5449_544C_4500 &+ UInt64(n) &* 7919)
            let edition: Edition = n % 2 == 0 ? .y2021 : .y2019
            let g = ValidReport.make(edition, rng: &rng)
            var lines = ReportGenerator.document(g, layout: .tabSeparated, rng: &rng)
                .replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
            let title = lines[0]
            #expect(title.hasSuffix("报告"))
            lines.replaceSubrange(0..<1, with: [String(title.dropLast()), String(title.suffix(1))])
            let r = ValidReport.check(lines.joined(separator: "\n"), name: "t.txt")
            #expect(r.report?.title == title, "seed \(n)")
            #expect(r.report?.organ == g.organ && r.report?.year == g.year, "seed \(n)")
            #expect(!r.diagnostics.contains { $0.code == .titleMissing }, "seed \(n)")
            #expect(r.verdict == .accepted, "seed \(n): \(r.diagnostics.filter { $0.severity == .error }.map(\.code))")
        }
    }
}

extension ValidReport {
    /// Section 三 replaced by one small Markdown table per row group, each under its own `###`
    /// heading (the group's label) with a generic header (`数据1 … 数据6 | 总计`).
    /// With `wrongLastHeader`, the last group's table has another table's header (four cells).
    static func threeInParts(_ text: String, _ g: GeneratedReport, values: [[String]]? = nil, wrongLastHeader: Bool = false) -> String {
        let spec = FormatSpec.spec(g.edition)
        var lines = text.components(separatedBy: "\n")
        let three = lines.firstIndex { $0.hasPrefix("## 三、") }!
        let four = lines.firstIndex { $0.hasPrefix("## 四、") }!
        var firstOf: [String: String] = ["new": "申请人情况", "granted": "三、本年度办理结果", "total": "合计"]
        for gs in spec.table3Groups { if let f = gs.rowKeys.first { firstOf[f] = gs.label } }
        var out: [String] = [""]
        let header = "| 项目 | " + (1...6).map { "数据\($0)" }.joined(separator: " | ") + " | 总计 |"
        for (i, r) in spec.table3Rows.enumerated() {
            if let heading = firstOf[r.key] {
                if wrongLastHeader && r.key == "total" {
                    out += ["", "### " + heading, "", "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |", "|---|---|---|---|"]
                } else {
                    out += ["", "### " + heading, "", header, "|" + String(repeating: "---|", count: 8)]
                }
            }
            let cells = values?[i] ?? g.table3[i].map(String.init)
            out.append("| " + r.label + " | " + cells.joined(separator: " | ") + " |")
        }
        out.append("")
        lines.replaceSubrange((three + 1)..<four, with: out)
        return lines.joined(separator: "\n")
    }
}

extension TablePartsTests {
    @Test("section 三 as one small table per row group with generic headers: every row read, a valid report accepted", arguments: Edition.allCases)
    func threeInPartsValid(edition: Edition) throws {
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5448_5245_4500 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            let text = ValidReport.threeInParts(ValidReport.markdown(g, rng: &rng), g, wrongLastHeader: n % 2 == 1)
            let r = ValidReport.check(text)
            let t3 = try #require(r.report?.table3, "seed \(n)")
            for (i, rs) in FormatSpec.spec(edition).table3Rows.enumerated() {
                let row = try #require(t3.row(rs.key))
                #expect(row.present && row.row.aligned && row.row.cells.map(\.value) == g.table3[i].map { Optional(Double($0)) },
                        "seed \(n) \(rs.key): \(row.row.cells.map(\.text)) written \(row.written?.text ?? "-")")
            }
            let errors = r.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.row ?? "")" }
            #expect(r.verdict == .accepted && errors.isEmpty, "seed \(n): \(errors)")
            let deviations = r.diagnostics.filter { $0.code == .labelDeviation }.map { $0.actual ?? "" }
            #expect(deviations.isEmpty, "seed \(n): \(deviations)")
        }
    }

    @Test("section 三 in parts with one wrong cell: the error names its row and column", arguments: Edition.allCases)
    func threeInPartsWrongCell(edition: Edition) throws {
        let spec = FormatSpec.spec(edition)
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5448_5245_4501 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            // a result row's applicant cell one more or less than it should be
            let first = spec.table3Rows.firstIndex { $0.key == "granted" }!, total = spec.table3Rows.firstIndex { $0.key == "total" }!
            let row = rng.int(first...(total - 1)), column = rng.int(0...5)
            var values = g.table3.map { $0.map(String.init) }
            values[row][column] = String(g.table3[row][column] + rng.int(1...3))
            let text = ValidReport.threeInParts(ValidReport.markdown(g, rng: &rng), g, values: values, wrongLastHeader: n % 2 == 1)
            let r = ValidReport.check(text)
            #expect(r.verdict == .rejected, "seed \(n)")
            let errors = r.diagnostics.filter { $0.severity == .error }
            let key = spec.table3Rows[row].key
            #expect(errors.count == 1 && errors.first?.code == .table3WrongCell && errors.first?.row == key
                        && errors.first?.columnKey == FormatSpec.table3ColumnKeys[column],
                    "seed \(n) \(key)[\(column)]: \(errors.map { "\($0.code) \($0.row ?? "") \($0.columnKey ?? "")" })")
            #expect(errors.first?.position?.line == ValidReport.line(of: "| " + spec.table3Rows[row].label + " |", in: text), "seed \(n)")
        }
    }

    /// Section 二 of the 2021 edition with its one-column blocks written as plain lines
    /// (`行政许可 97`) between Markdown tables.
    static func twoAsLines(_ text: String, _ g: GeneratedReport, values: [[[String]]]) -> String {
        let spec = FormatSpec.spec(g.edition)
        var lines = text.components(separatedBy: "\n")
        let two = lines.firstIndex { $0.hasPrefix("## 二、") }!
        let three = lines.firstIndex { $0.hasPrefix("## 三、") }!
        var out: [String] = [""]
        for (bi, b) in spec.table2.enumerated() {
            out.append(b.caption)
            if b.amountColumn == nil {
                for (ri, r) in b.rows.enumerated() { out.append(r.label + " " + values[bi][ri].joined(separator: " ")) }
            } else {
                out += ["", "| 信息内容 | " + b.columns.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: b.columns.count + 1)]
                for (ri, r) in b.rows.enumerated() { out.append("| " + r.label + " | " + values[bi][ri].joined(separator: " | ") + " |") }
                out.append("")
            }
        }
        lines.replaceSubrange((two + 1)..<three, with: out)
        return lines.joined(separator: "\n")
    }

    @Test("section 二 with rows as plain lines before a Markdown table: every row read", arguments: Edition.allCases)
    func twoAsLinesValid(edition: Edition) throws {
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5457_4F00 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            let values = g.table2.map { $0.map { $0.map(\.text) } }
            let text = Self.twoAsLines(ValidReport.markdown(g, rng: &rng), g, values: values)
            let r = ValidReport.check(text)
            let t2 = try #require(r.report?.table2, "seed \(n)")
            var i = 0
            for (bi, b) in FormatSpec.spec(edition).table2.enumerated() {
                for ri in b.rows.indices {
                    let row = t2.rows[i].row
                    #expect(row.aligned && row.cells.map(\.value) == g.table2[bi][ri].map { Optional($0.value) },
                            "seed \(n) \(t2.rows[i].key): \(row.cells.map(\.text)) \(row.found)")
                    i += 1
                }
            }
            let errors = r.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.row ?? "")" }
            #expect(r.verdict == .accepted && errors.isEmpty, "seed \(n): \(errors)")
        }
    }

    /// Section 三 cut in two Markdown tables at a random row (a page break), the second
    /// repeating the header; and section 四's header in one table, its values in the next.
    static func splitAcrossPages(_ text: String, _ g: GeneratedReport, cut: Int, values: [[String]]) -> String {
        let spec = FormatSpec.spec(g.edition)
        var lines = text.components(separatedBy: "\n")
        let three = lines.firstIndex { $0.hasPrefix("## 三、") }!
        let five = lines.firstIndex { $0.hasPrefix("## 五、") }!
        let header = "| 申请人情况 | " + FormatSpec.table3ColumnLabels.joined(separator: " | ") + " |"
        var out: [String] = ["", header, "|" + String(repeating: "---|", count: 8)]
        for (i, r) in spec.table3Rows.enumerated() {
            if i == cut { out += ["", "— \(i) —", "", header, "|" + String(repeating: "---|", count: 8)] }
            out.append("| " + r.label + " | " + values[i].joined(separator: " | ") + " |")
        }
        out += ["", "## " + FormatSpec.sections[3].numeral + "、" + FormatSpec.sections[3].heading, ""]
        out += ["| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |", "|" + String(repeating: "---|", count: 15),
                "| " + FormatSpec.table4ResultLabels.joined(separator: " | ") + " | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
                "| | | | | | " + (FormatSpec.table4ResultLabels + FormatSpec.table4ResultLabels).joined(separator: " | ") + " |", "",
                "| " + g.table4.map(String.init).joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: 15), ""]
        lines.replaceSubrange((three + 1)..<five, with: out)
        return lines.joined(separator: "\n")
    }

    @Test("section 三 across two tables (a page break), 四's header and values in two tables: valid accepted, one wrong cell found", arguments: Edition.allCases)
    func acrossPages(edition: Edition) throws {
        let spec = FormatSpec.spec(edition)
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5041_4745_5300 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            let cut = rng.int(1...(spec.table3Rows.count - 1))
            var values = g.table3.map { $0.map(String.init) }
            let text = Self.splitAcrossPages(ValidReport.markdown(g, rng: &rng), g, cut: cut, values: values)
            let r = ValidReport.check(text)
            let errors = r.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.row ?? "")" }
            #expect(r.verdict == .accepted && errors.isEmpty, "seed \(n) cut \(cut): \(errors)")
            #expect(r.report?.table4?.row.cells.map(\.value) == g.table4.map { Optional(Double($0)) }, "seed \(n)")
            // one wrong cell in the row just after the break
            let column = rng.int(0...5)
            values[cut][column] = String(g.table3[cut][column] + 1)
            let wrong = ValidReport.check(Self.splitAcrossPages(ValidReport.markdown(g, rng: &rng), g, cut: cut, values: values))
            let werrors = wrong.diagnostics.filter { $0.severity == .error }
            #expect(wrong.verdict == .rejected && werrors.contains { $0.row == spec.table3Rows[cut].key },
                    "seed \(n) cut \(cut): \(werrors.map { "\($0.code) \($0.row ?? "") \($0.columnKey ?? "")" })")
        }
    }

    @Test("PDF text: a label with a typo broken over lines around its values is that row", arguments: Edition.allCases)
    func typoLabelPDF(edition: Edition) throws {
        let spec = FormatSpec.spec(edition)
        for n in 0..<Self.cases {
            var rng = SplitMix64(seed: 0x5459_504F_5044 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000))
            let g = ValidReport.make(edition, rng: &rng)
            let typo = rng.pick(Self.typos)
            guard let rowIndex = spec.table3Rows.firstIndex(where: { $0.key == typo.key }) else { continue }
            let text = ReportGenerator.document(g, layout: .pdf, labels: [typo.key: typo.written], rng: &rng)
            let r = ValidReport.check(text, name: "t.txt")
            let row = try #require(r.report?.table3?.row(typo.key), "seed \(n)")
            #expect(row.present && row.row.aligned, "seed \(n) \(typo.key): \(row.row.found) cells")
            #expect(row.row.cells.map(\.value) == g.table3[rowIndex].map { Optional(Double($0)) }, "seed \(n) \(typo.key)")
            let errors = r.diagnostics.filter { $0.severity == .error }.map { "\($0.code) \($0.row ?? "")" }
            #expect(r.verdict == .accepted && errors.isEmpty, "seed \(n) \(typo.key): \(errors)")
            let deviations = r.diagnostics.filter { $0.code == .labelDeviation && $0.row == typo.key }
            // the enumerator as the PDF writes it (2. or 2、), then the label with its typo
            #expect(deviations.count == 1 && deviations.first?.actual?.contains(String(typo.written.dropFirst(2))) == true,
                    "seed \(n): \(deviations.map { $0.actual ?? "-" }) for \(typo.written)")
        }
    }
}
