import NianbaoKit
import Testing
import NianbaoCore
import NianbaoText
import NianbaoModel
import NianbaoExtract
import NianbaoRules
import NianbaoTestSupport

/// Reading table cells by where they are: separators drawn with bars, blank cells the
/// separators show, values under the columns of space-aligned text, and the edition the rows of
/// section 三 follow.
@Suite("Table layouts")
struct TableLayoutTests {
    static let headings = FormatSpec.sections.map { $0.numeral + "、" + $0.heading }

    static func check(_ text: String) -> CheckResult {
        Checker.check(CheckInput(fileName: "t.txt", bytes: Array(text.utf8)), checkedAt: "")
    }

    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    /// The cascade a misread edition used to cause.
    static let cascade: Set<Code> = [.rowMissing, .rowCellCount, .table3Identity, .table3RowTotal, .table3TotalRow, .table3WrongCell]

    @Test("section 四 as a converter's simple table: figures under their fifteen headers, a blank under each header with none")
    func section4UnderHeaders() throws {
        // seed 003 with its section 四 as pandoc writes a Word table in Markdown (a blank review part)
        let seed = try Fixtures.text("003_37e901e8ac7f78da.txt")
        let start = try #require(seed.range(of: "四、政府信息公开行政复议、行政诉讼情况\n"))
        let end = try #require(seed.range(of: "五、存在的主要问题及改进情况"))
        let table = """
              ------------------------------------------------------------------------------------------------------------------
              行政复议                                           行政诉讼
              ---------- ---------- ---------- ---------- ------ ------------------ ---------- ---------- ---------- ------ ------------ ---------- ---------- ---------- ------
              结果维持   结果纠正   其他结果   尚未审结   总计   未经复议直接起诉                                           复议后起诉

                                                                 结果维持           结果纠正   其他结果   尚未审结   总计   结果维持     结果纠正   其他结果   尚未审结   总计

                                                                 1                  0          0          1          2      0            0          1          1          2
              ------------------------------------------------------------------------------------------------------------------

            """
        let text = String(seed[..<start.upperBound]) + "\n" + table + String(seed[end.lowerBound...])
        let r = Self.check(text)
        let t4 = try #require(r.report?.table4)
        #expect(t4.row.cells.map(\.state) == Array(repeating: .blank, count: 5) + Array(repeating: .number, count: 10))
        #expect(t4.row.cells.suffix(10).map { $0.value ?? -1 } == [1, 0, 0, 1, 2, 0, 0, 1, 1, 2])
        let blanks = r.diagnostics.filter { $0.code == .cellBlank && $0.section == 4 }
        #expect(blanks.count == 5, "\(r.diagnostics.map { $0.code.rawValue + " " + $0.message.zh })")
        #expect(!r.diagnostics.contains { $0.code == .rowCellCount && $0.section == 4 })
        // a header without its fifteen column headers: no column can be told, the count is reported
        let fourteen = text.replacingOccurrences(of: "尚未审结   总计   未经复议直接起诉", with: "尚未审结          未经复议直接起诉")
        let short = Self.check(fourteen)
        #expect(short.diagnostics.contains { $0.code == .rowCellCount && $0.section == 4 }, "\(short.diagnostics.map(\.code))")
        #expect(!short.diagnostics.contains { $0.code == .cellBlank && $0.section == 4 })
    }

    // MARK: - 1. Separators

    @Test("bars between cells become cell boundaries; bars at the ends open no cell; positions stay")
    func bars() {
        let doc = TextDocument("| a | b |\n| a |  | c |\n│ 1 ┃ 2 │\n")
        #expect(doc.lines[0].array == Self.scalars("  a \t b  "))
        #expect(doc.lines[1].array == Self.scalars("  a \t  \t c  "))
        #expect(doc.lines[2].array == Self.scalars("  1 \t 2  "))
        // one bar in prose is text
        let prose = TextDocument("本年度工作情况如下。\n政务公开 | 某某镇\n")
        #expect(prose.lines[1].array == Self.scalars("政务公开 | 某某镇"))
        #expect(doc.originalText(line: 0) == "| a | b |")
        #expect(doc.compact.prefix(4) == Self.scalars("abac")[...])
        #expect((0..<4).map { doc.compactPlace($0).column } == [2, 6, 2, 9])
        #expect((0..<4).map { doc.compactPlace($0).line } == [0, 0, 1, 1])
        // one bar inside the text, next to a row: a row too; an escaped bar is text
        let table = TextDocument("| x | y |\na | b\n| p \\| q | r |\n")
        #expect(table.lines[1].array == Self.scalars("a \t b"))
        #expect(table.lines[2].array == Self.scalars("  p \\| q \t r  "))
    }

    @Test("rule lines are no rows; a dash cell is not a rule", arguments: [
        ("|---|:---:|", true), ("| --- | --- |", true), ("+----+----+", true), ("+====+====+", true), ("├──┼──┤", true),
        ("┌──┬──┐", true), ("└──┴──┘", true), ("|:-|-:|", true), ("|-|-|", true), ("+-+-+", true), ("-------  ------", true), ("----", true),
        ("| - | - |", false), ("| — | / |", false), ("---", false), ("--", false), ("- - -", false), ("\t---", false),
        ("---\t---", false), ("2020-01-01", false),
    ])
    func ruleLines(line: String, isRule: Bool) {
        let doc = TextDocument(line + "\n")
        let blank = doc.lines[0].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        #expect(blank == isRule, "\(line)")
        #expect(doc.originalText(line: 0) == line)
    }

    @Test("Markdown headings and bold headings are headings")
    func headings() {
        let text = """
            # 某某镇人民政府2023年政府信息公开工作年度报告
            # 一、总体情况
            **本年度**工作平稳。
            ## 二、主动公开政府信息情况
            ### **三、收到和处理政府信息公开申请情况**
            ####四、政府信息公开行政复议、行政诉讼情况
            ###### 五、存在的主要问题及改进情况 ##
            __六、其他需要报告的事项__
            ####### 不是标题
            """
        let doc = TextDocument(text)
        let r = Extractor.extract(doc)
        #expect(r.title == "某某镇人民政府2023年政府信息公开工作年度报告")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(!r.sections.contains { $0.isVariant })
        #expect(r.sections.map(\.heading).allSatisfy { !$0.contains("#") && !$0.contains("*") && !$0.contains("_") })
        // bold inside a line stays; seven marks are no heading
        #expect(doc.lines[2].array == Self.scalars("**本年度**工作平稳。"))
        #expect(doc.lines[8].first == 0x23)
    }

    @Test("a Markdown table: rows, blank cells in their columns, labels without bars, exact positions")
    func markdownTable() throws {
        let text = """
            # 某某镇人民政府2023年政府信息公开工作年度报告
            ## 三、收到和处理政府信息公开申请情况
            | （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |
            |---|:---:|---|---|---|---|---|---|
            | 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
            | 二、上年结转政府信息公开申请数量 | 0 |  | 0 | 0 | 0 | 0 | 0 |
            | 三、本年度办理结果 | （一）予以公开 | 1 | - | 0 | 0 | 0 | 0 | 1 |
            | | （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 2 |  |  |  |  |  | 2 |
            ## 四、政府信息公开行政复议、行政诉讼情况
            """
        let doc = TextDocument(text)
        let r = Extractor.extract(doc)
        let t3 = try #require(r.table3)
        #expect(transcribe(t3.row("new")!.row.cells) == "3 0 0 0 0 0 3")
        #expect(transcribe(t3.row("carried")!.row.cells) == "0 □ 0 0 0 0 0")
        #expect(transcribe(t3.row("granted")!.row.cells) == "1 — 0 0 0 0 1")
        #expect(transcribe(t3.row("partial")!.row.cells) == "2 □ □ □ □ □ 2")
        #expect(["new", "carried", "granted", "partial"].allSatisfy { t3.row($0)!.row.aligned })
        #expect(t3.row("carried")!.written?.text == "二、上年结转政府信息公开申请数量")
        #expect(t3.row("partial")!.written?.text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
        // positions: the 3 in 一、 at its column of the original line; the blank cell between its bars
        let three = try #require(t3.row("new")!.row.cells[0].position)
        #expect(three == SourcePosition(line: 5, column: 22))
        #expect(Array(doc.originalText(line: 4).unicodeScalars)[three.column - 1] == "3")
        // the blank cell: between the two bars that make it
        let blank = try #require(t3.row("carried")!.row.cells[1].position)
        #expect(blank.line == 6)
        let original = Array(doc.originalText(line: 5).unicodeScalars)
        #expect(original[blank.column - 2] == "|" && original[(blank.column - 1)...].first { $0 != " " } == "|")
    }

    @Test("bars, rules and headings leave no finding of their own on a clean report")
    func cleanPipeReport() throws {
        let r = Self.check(try Fixtures.text("text-variants/003_37e901e8ac7f78da.md"))
        let original = Self.check(try Fixtures.text(Fixtures.seeds[3]))
        #expect(r.diagnostics.map(\.code) == original.diagnostics.map(\.code))
    }

    @Test("a label cell whose characters are spaced apart is one label, its number included; a figure with its unit apart is a figure")
    func spacedLabels() throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2],
            "|  | （五）不予处理 | 1 . 信 访 举 报 投 诉 类 申 请 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |",
            "|  |  | 2 . 重 复 申 请 | 1 | 2 | 0 | 0 | 0 | 1 | 4 |",
            "|  |  | 3.要求提供公开出版物 | 0 件 | 0 | 0 | 0 | 0 | 0 | 0 |",
            Self.headings[3],
        ].joined(separator: "\n")
        let t3 = try #require(Extractor.extract(TextDocument(text)).table3)
        let repeatRow = try #require(t3.row("reject_repeat"))
        #expect(transcribe(repeatRow.row.cells) == "1 2 0 0 0 1 4")
        #expect(repeatRow.row.found == 7 && repeatRow.row.extra.isEmpty)
        #expect(transcribe(t3.row("reject_petition")!.row.cells) == "0 1 0 0 0 0 1")
        // "0 件": a figure, its unit written apart
        let publication = t3.row("reject_publication")!.row
        #expect(publication.cells.allSatisfy { $0.state == .number && $0.value == 0 } && publication.found == 7)
    }

    // MARK: - 2. Blank cells shown by separators

    @Test("a row whose last cells are empty keeps them as blank cells of their columns", arguments: [
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t3\t\t\t\t\t\t",
        "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t3\t\t\t\t\t\t",
        "|  | （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 3 |  |  |  |  |  |  |",
        "│ （二）部分公开（区分处理的，只计这一情形，不计其他情形） │ 3 │  │  │  │  │  │  │",
    ])
    func trailingBlanks(row: String) throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2],
            "三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1",
            row,
            "\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
            "\t\t2.其他法律行政法规禁止公开\t\t\t\t\t\t\t5",
            "\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0",
            Self.headings[3],
        ].joined(separator: "\n")
        let t3 = try #require(Extractor.extract(TextDocument(text)).table3)
        let partial = t3.row("partial")!.row
        #expect(transcribe(partial.cells) == "3 □ □ □ □ □ □")
        #expect(partial.aligned && partial.found == 7)
        #expect(transcribe(t3.row("deny_secret")!.row.cells) == "0 0 0 0 0 0 0")
        #expect(transcribe(t3.row("deny_law")!.row.cells) == "□ □ □ □ □ □ 5")
        #expect(t3.row("deny_law")!.row.aligned)
    }

    @Test("the Word template with one figure per row: every row is read whole, no row is short")
    func templatePartlyFilled() throws {
        let lines = try Fixtures.text("text-variants/template-2021.txt").components(separatedBy: "\n")
        let labels = Set(FormatSpec.y2021.table3Rows.map { TextDocument.normalizedScalars($0.label) })
        var filled = 0
        let text = lines.map { line -> String in
            var cells = line.components(separatedBy: "\t")
            // the data rows of 三: 7 empty cells after the row's own label
            guard cells.count >= 8, cells.suffix(7).allSatisfy(\.isEmpty),
                  labels.contains(TextDocument.normalizedScalars(cells[cells.count - 8])) else { return line }
            cells[cells.count - 7] = "1"
            filled += 1
            return cells.joined(separator: "\t")
        }.joined(separator: "\n")
        #expect(filled == 25)
        let r = Self.check(text)
        let t3 = try #require(r.report?.table3)
        #expect(t3.rows.allSatisfy { transcribe($0.row.cells) == "1 □ □ □ □ □ □" })
        #expect(!r.diagnostics.contains { $0.code == .rowCellCount && $0.section == 3 })
        #expect(r.diagnostics.filter { $0.code == .cellBlank && $0.section == 3 }.count == 25 * 6)
    }

    @Test("one cell per line: empty cells in the row's own stretch are its blank cells")
    func cellPerLine() throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2], "",
            "\t三、本年度办理结果", "\t（一）予以公开", "\t1", "\t0", "\t0", "\t0", "\t0", "\t0", "\t1", "",
            "\t", "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "\t3", "\t", "\t", "\t", "\t", "\t", "\t", "",
            "\t", "\t（三）不予公开", "\t1.属于国家秘密", "\t0", "\t0", "\t0", "\t0", "\t0", "\t0", "\t0", "",
            Self.headings[3],
        ].joined(separator: "\n")
        let t3 = try #require(Extractor.extract(TextDocument(text)).table3)
        #expect(transcribe(t3.row("partial")!.row.cells) == "3 □ □ □ □ □ □")
        #expect(transcribe(t3.row("deny_secret")!.row.cells) == "0 0 0 0 0 0 0")
    }

    // MARK: - 3. Space-aligned columns

    /// A line with each text placed at a display column (CJK two wide), as typed in an editor.
    static func placed(_ items: [(String, Int)]) -> String {
        var line = ""
        var width = 0
        for (text, x) in items {
            let pad = max(x - width, width == 0 ? 0 : 1)
            line += String(repeating: " ", count: pad) + text
            width += pad + text.unicodeScalars.reduce(0) { $0 + TextDocument.displayWidth($1.value) }
        }
        return line
    }

    /// Values right-aligned to end at the columns' right edges.
    static func values(_ v: [String?], label: String = "") -> String {
        let rights = [40, 48, 56, 64, 72, 80, 88]
        var items: [(String, Int)] = label.isEmpty ? [] : [(label, 0)]
        for (i, s) in v.enumerated() {
            if let s { items.append((s, rights[i] - s.count)) }
        }
        return placed(items)
    }

    @Test("hand-aligned text: wrapped labels own the values on any of their lines; a missing value is a blank cell")
    func handAligned() throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2],
            Self.placed([("自然人", 34), ("商业企业", 41), ("科研机构", 49), ("社会公益", 57), ("法律服务", 65), ("其他", 76), ("总计", 84)]),
            Self.values(["3", "1", "0", "0", "0", "0", "4"], label: "一、本年新收政府信息公开"),
            "申请数量",
            Self.values(["0", "0", "0", "0", "0", "0", "0"], label: "二、上年结转政府信息公开申请数量"),
            Self.values(["1", "1", "0", "0", "0", "0", "2"], label: "（一）予以公开"),
            // the 总计 centred on the first label line, the others on the next
            Self.values([nil, nil, nil, nil, nil, nil, "2"], label: "（二）部分公开（区分处理的，"),
            Self.values(["2", "0", "0", "0", "0", "0", nil]),
            "只计这一情形，不计其他情形）",
            // one column left empty
            Self.values(["0", nil, "0", "0", "0", "0", "0"], label: "1.属于国家秘密"),
            Self.headings[3],
        ].joined(separator: "\n")
        let t3 = try #require(Extractor.extract(TextDocument(text)).table3)
        #expect(transcribe(t3.row("new")!.row.cells) == "3 1 0 0 0 0 4")
        #expect(transcribe(t3.row("partial")!.row.cells) == "2 0 0 0 0 0 2")
        #expect(t3.row("partial")!.row.aligned)
        #expect(t3.row("partial")!.row.cells[6].position?.line == 8)
        let secret = t3.row("deny_secret")!.row
        #expect(transcribe(secret.cells) == "0 □ 0 0 0 0 0")
        #expect(secret.aligned)
        // the blank is shown where its column is on the row's line
        #expect(secret.cells[1].position?.line == 11)
    }

    @Test("hand-aligned text where no row is whole: the header's column labels place the values")
    func headerColumns() throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2],
            Self.placed([("申请人情况", 60)]),
            Self.placed([("自然人", 34), ("法人或其他组织", 53), ("总计", 84)]),
            Self.placed([("商业企业", 41), ("科研机构", 49), ("社会公益", 57), ("法律服务", 65), ("其他", 76)]),
            Self.values(["3", "1", "0", nil, "0", "0", "4"], label: "一、本年新收政府信息公开申请数量"),
            Self.values([nil, "0", "0", "0", "0", "0", "0"], label: "二、上年结转政府信息公开申请数量"),
            Self.values(["1", "1", "0", "0", "0", "0", nil], label: "（一）予以公开"),
            Self.headings[3],
        ].joined(separator: "\n")
        let t3 = try #require(Extractor.extract(TextDocument(text)).table3)
        #expect(transcribe(t3.row("new")!.row.cells) == "3 1 0 □ 0 0 4")
        #expect(transcribe(t3.row("carried")!.row.cells) == "□ 0 0 0 0 0 0")
        #expect(transcribe(t3.row("granted")!.row.cells) == "1 1 0 0 0 0 □")
    }

    @Test("hand-aligned text with a single whole row: the other rows are measured the way it lines up")
    func singleWholeRow() throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2],
            Self.values(["3", "1", "0", "0", "0", "0", "4"], label: "一、本年新收政府信息公开申请数量"),
            Self.values([nil, "0", "0", "0", "0", "0", "0"], label: "二、上年结转政府信息公开申请数量"),
            Self.values(["1", "1", "0", "0", "0", nil, "2"], label: "（一）予以公开"),
            Self.headings[3],
        ].joined(separator: "\n")
        let t3 = try #require(Extractor.extract(TextDocument(text)).table3)
        #expect(transcribe(t3.row("carried")!.row.cells) == "□ 0 0 0 0 0 0")
        #expect(transcribe(t3.row("granted")!.row.cells) == "1 1 0 0 0 □ 2")
    }

    static func huaianLines() throws -> [String] {
        try Fixtures.text(Fixtures.huaian).components(separatedBy: "\n")
    }

    /// Replaces the `n`th whitespace-separated piece of `line` with spaces.
    static func erase(_ line: String, piece n: Int) -> String {
        var chars = Array(line)
        var k = -1, i = 0
        while i < chars.count {
            if chars[i] == " " { i += 1; continue }
            k += 1
            let s = i
            while i < chars.count && chars[i] != " " { i += 1 }
            if k == n { for j in s..<i { chars[j] = " " } }
        }
        return String(chars)
    }

    @Test("pdftotext -layout: a 总计 a line above its row's other values, and a value missing, are placed by column")
    func layoutText() throws {
        var lines = try Self.huaianLines()
        // line 130 holds （二）部分公开's values; move its 总计 (454) up to the label's first line
        let values = Array(lines[129])
        let at = try #require(lines[129].range(of: "454")).lowerBound.utf16Offset(in: lines[129])
        #expect(values.count == at + 3)
        lines[129] = String(values[..<at]).replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        let first = Array(lines[128])
        lines[128] = String(first) + String(repeating: " ", count: at - first.count) + "454"
        // 6.属于四类过程性信息 (line 150): 商业企业 left empty
        lines[149] = Self.erase(lines[149], piece: 3)
        // 规章 in section 二 (line 72): 本年废止件数 left empty
        lines[71] = Self.erase(lines[71], piece: 2)
        let r = Extractor.extract(TextDocument(lines.joined(separator: "\n")))
        let t3 = try #require(r.table3)
        #expect(transcribe(t3.row("partial")!.row.cells) == "447 7 0 0 0 0 454")
        #expect(t3.row("partial")!.row.cells[6].position == SourcePosition(line: 129, column: at + 1))
        let process = t3.row("deny_process")!.row
        #expect(transcribe(process.cells) == "12 □ 0 0 0 0 12")
        #expect(process.aligned && process.cells[1].position?.line == 150)
        #expect(transcribe(r.table2!.rows[0].row.cells) == "1 □ 11")
        // everything else as in the golden test
        #expect(transcribe(t3.row("total")!.row.cells) == "2932 53 0 0 61 4 3050")
        #expect(transcribe(t3.row("other_fee")!.row.cells) == "6 0 0 0 0 0 6")
    }

    @Test("text without layout (single spaces): a short row still says it cannot tell the columns")
    func noLayout() throws {
        var text = try Fixtures.text(Fixtures.seeds[0])
        text = text.replacingOccurrences(of: "（一）予以公开 0 0 0 0 0 0 0", with: "（一）予以公开 0 0 0 0 0")
        let row = try #require(Extractor.extract(TextDocument(text)).table3?.row("granted")?.row)
        #expect(row.found == 5 && !row.aligned)
        #expect(transcribe(row.cells) == "0 0 0 0 0 ∅ ∅")
    }

    // MARK: - 4. Edition by the rows present

    /// 淮安 2024 with its three （六） sub-items replaced by the 2019 edition's single row.
    static func huaianWith2019Table3(year: Int = 2024) throws -> String {
        var lines = try huaianLines()
        // lines 180–192: the three sub-items and the group label
        let other = placedChars("     （六）其他处理", values: ["181", "5", "0", "0", "1", "0", "187"],
                                at: [37, 50, 59, 69, 78, 88, 93])
        lines.replaceSubrange(179..<192, with: [other])
        var text = lines.joined(separator: "\n")
        if year != 2024 { text = text.replacingOccurrences(of: "2024 年", with: "\(year) 年") }
        return text
    }

    /// A line with values starting at character columns (pdftotext counts every character as one).
    static func placedChars(_ label: String, values: [String], at columns: [Int]) -> String {
        var line = label
        for (v, c) in zip(values, columns) {
            line += String(repeating: " ", count: max(1, c - line.count)) + v
        }
        return line
    }

    @Test("a 2019-layout table 三 in a 2024 report: all its cells read, one finding, no cascade")
    func table3In2019Layout() throws {
        let r = Self.check(try Self.huaianWith2019Table3())
        let report = try #require(r.report)
        #expect(report.table3Edition == .y2019)
        #expect(report.table2Edition == .y2021 && report.tableEdition == .y2021 && report.edition == .y2021)
        let t3 = try #require(report.table3)
        #expect(t3.rows.map(\.key) == FormatSpec.y2019.table3Rows.map(\.key))
        #expect(t3.rows.allSatisfy { $0.present && $0.row.aligned })
        #expect(transcribe(t3.row("other")!.row.cells) == "181 5 0 0 1 0 187")
        #expect(transcribe(t3.row("reject_confirm")!.row.cells) == "1 0 0 0 0 0 1")
        #expect(transcribe(t3.row("total")!.row.cells) == "2932 53 0 0 61 4 3050")
        let d = try #require(r.diagnostics.first { $0.code == .tableEditionMismatch })
        #expect(d.severity == .error && d.expected == "2021" && d.actual == "2019" && d.row == "other")
        #expect(d.message.zh.contains("逾期不补正") && d.message.zh.contains("收费通知") && d.message.zh.contains("3.其他"))
        #expect(r.diagnostics.map(\.code) == [.tableEditionMismatch])
    }

    @Test("a 2023 report on 2019 tables throughout: both tables read as 2019, no cascade")
    func whole2019TablesIn2023() throws {
        var t = try RuleTests.clean002()
        t = t.replacingOccurrences(of: "2020年", with: "2023年")
        let r = Self.check(t)
        let report = try #require(r.report)
        #expect(report.edition == .y2021 && report.tableEdition == .y2019)
        #expect(report.table2Edition == .y2019 && report.table3Edition == .y2019)
        #expect(report.table3!.rows.allSatisfy { $0.row.aligned })
        let codes = Set(r.diagnostics.map(\.code))
        #expect(codes.contains(.tableEditionMismatch) && !codes.contains(.editionMismatch), "one finding for one cause")
        #expect(codes.isDisjoint(with: Self.cascade))
    }

    @Test("a 2020 report on the 2021 table 三: read as 2021, flagged with the rows only 2021 has")
    func table3In2021LayoutFor2020() throws {
        var text = try Fixtures.text(Fixtures.huaian)
        text = text.replacingOccurrences(of: "2024 年", with: "2020 年")
        let r = Self.check(text)
        let report = try #require(r.report)
        #expect(report.edition == .y2019 && report.table3Edition == .y2021)
        #expect(report.table3!.rows.count == 25 && report.table3!.rows.allSatisfy { $0.row.aligned })
        let d = try #require(r.diagnostics.first { $0.code == .tableEditionMismatch })
        #expect(d.expected == "2019" && d.actual == "2021" && d.row == "other_overdue")
        #expect(Set(r.diagnostics.map(\.code)).isDisjoint(with: Self.cascade))
    }

    @Test("a table cut off before （六）: its rows cannot tell, the year decides, nothing is flagged")
    func truncatedTable() throws {
        let text = [
            "某某镇人民政府2023年政府信息公开工作年度报告", Self.headings[2],
            "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            Self.headings[3],
        ].joined(separator: "\n")
        let r = Self.check(text)
        #expect(r.report?.table3Edition == .y2021)
        #expect(!r.diagnostics.contains { $0.code == .tableEditionMismatch })
    }

    @Test("the rule is in the catalog")
    func catalog() {
        let rule = RuleCatalog.rule("table-edition-mismatch")
        #expect(rule?.defaultSeverity == .error)
        #expect(rule?.example.zh.hasPrefix("error[table-edition-mismatch]") == true)
        #expect(rule?.example.en.hasPrefix("error[table-edition-mismatch]") == true)
    }
}
