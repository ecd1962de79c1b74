import NianbaoKit
import Testing

/// What a clerk reads in the note, on edited real reports: one cause is one finding, the value
/// asked for is the right one, a blank is called blank.
@Suite("Notes a clerk can act on")
struct NoteTests {
    static func check(_ text: String, name: String = "t.txt") -> CheckResult {
        Checker.check(CheckInput(fileName: name, bytes: Array(text.utf8)), checkedAt: "")
    }

    /// The consistent 2024 city report with one line changed.
    static func huaian(line: Int, _ from: String, _ to: String) throws -> String {
        var lines = try Fixtures.text(Fixtures.huaian).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[line - 1].contains(from), "fixture text changed on line \(line)")
        lines[line - 1] = lines[line - 1].replacingOccurrences(of: from, with: to)
        return lines.joined(separator: "\n")
    }

    /// Findings of a note: the lines that start one.
    static func findings(_ note: String) -> [Substring] {
        note.split(separator: "\n").filter { $0.hasPrefix("错误[") || $0.hasPrefix("警告[") || $0.hasPrefix("error[") || $0.hasPrefix("warning[") }
    }

    @Test("one wrong cell: one finding naming the cell, the value written and the value implied, the broken identities under it")
    func oneWrongCell() throws {
        // 5.属于三类内部事务信息 / 自然人: 7 written as 10
        let r = Self.check(try Self.huaian(line: 147, "       7          1", "      10          1"))
        #expect(r.verdict == .rejected)
        let note = r.note(fileName: "t.txt", language: .zh)
        let found = Self.findings(note)
        #expect(found == ["错误[table3-wrong-cell]：“5.属于三类内部事务信息”行“自然人”列填 10，按本行总计与本列（七）总计推算应为 7"], "\(note)")
        #expect(note.contains("= 由此不成立：“5.属于三类内部事务信息”行：总计 8，六类申请人之和 11，相差 3"))
        #expect(note.contains("= 由此不成立：“自然人”列：（七）总计 2932，各办理结果之和 2935，相差 3"))
        #expect(note.contains("= 应为：7；实际：10"))
        // the correct （七）总计 is not asked to change
        #expect(!note.contains("应为 2935") && !note.contains("应为：2935"))
        let d = try #require(r.diagnostics.first)
        #expect(d.code == .table3WrongCell && d.row == "deny_internal" && d.columnKey == "natural")
        #expect(d.expected == "7" && d.actual == "10")
        let en = r.note(fileName: "t.txt", language: .en)
        #expect(en.contains("error[table3-wrong-cell]: row \"5. Internal affairs information (three kinds)\", column \"Natural persons\" holds 10; the row's total and the column's (7) Total imply 7"))
    }

    @Test("a wrong （七）总计 cell is named itself, from its row and its column")
    func wrongTotal() throws {
        let r = Self.check(try Self.huaian(line: 194, "2932", "2930"))
        let errors = r.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [.table3WrongCell])
        #expect(errors.first?.row == "total" && errors.first?.expected == "2932" && errors.first?.actual == "2930")
        #expect(errors.first?.notes.count == 3)
    }

    @Test("two wrong cells that hide each other: the identities that disagree, by how much, and no fix")
    func ambiguous() throws {
        var t = try Self.huaian(line: 147, "       7          1", "      10          1")
        t = t.replacingOccurrences(of: "（七）总计                           2932", with: "（七）总计                           2935")
        let r = Self.check(t)
        let note = r.note(fileName: "t.txt", language: .zh)
        #expect(!r.diagnostics.contains { $0.code == .table3WrongCell })
        #expect(note.contains("相差 3；无法判断是哪一格填错"))
        #expect(!note.contains("应为"), "\(note)")
        #expect(!note.contains("-3") && !note.contains("应为：-"))
    }

    @Test("a blank total is called blank, with the value its row implies; never 0")
    func blankTotal() throws {
        let r = Self.check(try Self.huaian(line: 127, "3   1362", "3       "))
        let note = r.note(fileName: "t.txt", language: .zh)
        #expect(r.diagnostics.map(\.code) == [.cellBlank])
        #expect(note.contains("错误[cell-blank]：“（一）予以公开”行“总计”列为空，按六类申请人之和应填 1362"))
        #expect(note.contains("= 应为：1362；实际：空白"))
        #expect(!note.contains("总计为 0") && !note.contains("（）"))
    }

    @Test("seed 001: the twenty short rows are one finding, and the note is under 120 lines")
    func seed001() throws {
        let name = Fixtures.seeds[1]
        let r = Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "")
        let note = r.note(fileName: name, language: .zh)
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lines < 120, "\(lines) lines")
        let found = Self.findings(note)
        #expect(found.filter { $0.hasPrefix("错误[row-cell-count]") }.count == 3)
        #expect(found.contains("错误[row-cell-count]：第三部分有 20 行只有 5 个数值，格式为 7 个；无法判断缺的是哪几列，这些行的勾稽关系无法核对"))
        #expect(note.contains("发现：错误 3 项（共 23 处），警告 6 项"))
        // the blank of a row whose columns cannot be told is not placed in a column
        #expect(!note.contains("“（六）其他处理”行“法律服务机构”列"))
        // the JSON still lists every row
        #expect(r.diagnostics.filter { $0.code == .rowCellCount }.count == 22)
        #expect(!note.contains("同一行还有"))
    }

    /// The repaired seed 002 with its 总计 column left blank in every row of section 三.
    static func blankColumn() throws -> String {
        try RuleTests.clean002().split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\t0\t0\t0\t0\t0\t0\t0") && !line.hasPrefix("0") ? String(line.dropLast()) : String(line)
        }.joined(separator: "\n")
    }

    @Test("a column blank down the whole table is one finding in the note; the JSON lists every cell")
    func blankColumnIsOneFinding() throws {
        let r = Self.check(try Self.blankColumn())
        let blanks = r.diagnostics.filter { $0.code == .cellBlank }
        #expect(blanks.count == 23 && blanks.allSatisfy { $0.section == 3 && $0.columnKey == "total" })
        #expect(r.diagnostics.count == 23)
        let note = r.note(fileName: "t.txt", language: .zh)
        #expect(Self.findings(note) == ["错误[cell-blank]：第三部分“总计”列有 23 格为空（整列）"], "\(note)")
        #expect(note.contains("发现：错误 1 项（共 23 处），警告 0 项"))
        // each row with the number its six applicant columns give (all 0 here)
        #expect(note.contains("一、本年新收政府信息公开申请数量（应填 0）、二、上年结转政府信息公开申请数量（应填 0）"))
        let en = r.note(fileName: "t.txt", language: .en)
        #expect(Self.findings(en) == ["error[cell-blank]: Section 3: column \"Total\" is blank in 23 rows (the whole column)"])
        // no arithmetic finding calls the blanks 0
        #expect(!r.diagnostics.contains { $0.code.rawValue.hasPrefix("table3-") })
    }

    @Test("a truncated table's missing rows are one finding listing them, not “on the same line”")
    func truncated() throws {
        let name = Fixtures.seeds[4]
        let r = Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "")
        let note = r.note(fileName: name, language: .zh)
        #expect(r.diagnostics.filter { $0.code == .rowMissing }.count == 17)
        #expect(Self.findings(note).filter { $0.hasPrefix("错误[row-missing]") }
            == ["错误[row-missing]：第三部分表格缺少 17 行（从“3.危及“三安全一稳定””到“四、结转下年度继续办理”）"])
        #expect(note.contains("  = 涉及 17 行："))
        #expect(!note.contains("同一行还有 16"))
    }

    @Test("the text's received count may be new + carried over (3119 + 34 = 3153), as many reports write it")
    func receivedWithCarried() throws {
        for figure in ["3119", "3153"] {
            let r = Self.check(try Self.huaian(line: 31, "申请 3119 件", "申请 \(figure) 件"))
            #expect(!r.diagnostics.contains { $0.code == .narrativeRequests }, "\(figure)")
        }
    }

    @Test("a real mismatch is still reported, the figure and its sentence quoted")
    func receivedMismatch() throws {
        let r = Self.check(try Self.huaian(line: 31, "申请 3119 件", "申请 3150 件"))
        let d = try #require(r.diagnostics.first { $0.code == .narrativeRequests })
        #expect(d.message.zh == "正文“2024年，全市共受理政府信息公开申请3150件，答复3050件（含上年度结转申请34件，另有…”称收到申请 3150 件，表格本年新收 3119 件、上年结转 34 件，合计 3153 件")
        #expect(d.expected == "3119" && d.actual == "3150" && d.severity == .warning)
        #expect(d.message.en.contains("gives 3150 requests received"))
    }

    @Test("办结 is （七）总计 and 上年结转 is row 二; each checked and quoted")
    func handledAndCarried() throws {
        let ok = Self.check(try Self.huaian(line: 32, "复 3050 件", "复 3050 件"))
        #expect(!ok.diagnostics.contains { $0.code == .narrativeRequests })
        let r = Self.check(try Self.huaian(line: 32, "复 3050 件（含上年度结转申请 34 件", "复 3051 件（含上年度结转申请 35 件"))
        let found = r.diagnostics.filter { $0.code == .narrativeRequests }
        #expect(found.map(\.row) == ["total", "carried"])
        #expect(found.map(\.expected) == ["3050", "34"])
        #expect(found.first?.message.zh.contains("称办结 3051 件，表格（七）总计为 3050 件") == true)
    }

    @Test("自然人 and 法人 splits: new alone or with those carried over")
    func splits() throws {
        let base = try RuleTests.clean002()
        var t = base.replacingOccurrences(of: "一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0", with: "一、本年新收政府信息公开申请数量\t5\t2\t0\t0\t0\t1\t8")
        t = t.replacingOccurrences(of: "(一) 予以公开\t0\t0\t0\t0\t0\t0\t0", with: "(一) 予以公开\t5\t2\t0\t0\t0\t1\t8")
        t = t.replacingOccurrences(of: "(七) 总计\t0\t0\t0\t0\t0\t0\t0", with: "(七) 总计\t5\t2\t0\t0\t0\t1\t8")
        let good = t.replacingOccurrences(of: "(二) 依申请公开情况。", with: "(二) 依申请公开情况。本年共收到申请 8 件，其中自然人申请 5 件，法人或其他组织申请 3 件，全部办结 8 件。")
        #expect(!Self.check(good).diagnostics.contains { $0.code.rawValue.hasPrefix("narrative") || $0.code.rawValue.hasPrefix("table3") }, "\(Self.check(good).diagnostics.map(\.code))")
        let bad = t.replacingOccurrences(of: "(二) 依申请公开情况。", with: "(二) 依申请公开情况。本年共收到申请 8 件，其中自然人申请 6 件，法人或其他组织申请 2 件。")
        let found = Self.check(bad).diagnostics.filter { $0.code == .narrativeRequests }
        #expect(found.map(\.expected) == ["5", "3"] && found.map(\.actual) == ["6", "2"])
    }

    @Test("a heading in the Regulation's own words is not a variant; a misnumbered heading is found and said to be misnumbered")
    func headings() throws {
        let base = try RuleTests.clean002()
        let regulation = base.replacingOccurrences(of: "\n五、存在的主要问题及改进情况", with: "\n五、政府信息公开工作存在的主要问题及改进情况")
            .replacingOccurrences(of: "\n四、政府信息公开行政复议、行政诉讼情况", with: "\n四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况")
        #expect(regulation != base)
        #expect(Self.check(regulation).diagnostics.map(\.code) == [])
        for (written, actual) in [("三、", "三、" as String?), ("", nil)] {
            let t = base.replacingOccurrences(of: "\n四、政府信息公开行政复议、行政诉讼情况", with: "\n\(written)政府信息公开行政复议、行政诉讼情况")
            let r = Self.check(t)
            #expect(r.diagnostics.map(\.code) == [.sectionMisnumbered], "\(written)")
            #expect(r.diagnostics.first?.section == 4 && r.diagnostics.first?.actual == actual)
            let note = r.note(fileName: "t.txt", language: .zh)
            #expect(!note.contains("全文未找到") && !note.contains("section-missing"))
        }
    }

    /// The repaired seed 002 with its title line replaced by `head` and a signature at the end.
    static func titled(_ head: String, signature: String = "顾县镇人民政府\n2021年1月20日") throws -> String {
        let body = try RuleTests.clean002().replacingOccurrences(of: "顾县镇人民政府2020年政府信息公开工作年度报告\n", with: "")
        return head + "\n" + body + "\n" + signature + "\n"
    }

    @Test("organ, title and year from the title line (page markup, a leading year, a 正文 line) and the signature",
          arguments: [
            ("正文\n顾县镇人民政府2020年政府信息公开工作年度报告", "顾县镇人民政府"),
            ("# 沐阳县人民政府2020年政府信息公开工作年度报告", "沐阳县人民政府"),
            ("2020年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅"),
            ("顾县镇人民政府\n2020年政府信息公开工作年度报告", "顾县镇人民政府"),
          ])
    func organ(_ head: String, _ organ: String) throws {
        let r = Self.check(try Self.titled(head))
        #expect(r.report?.organ == organ && r.report?.year == 2020)
        #expect(r.report?.title?.hasSuffix("政府信息公开工作年度报告") == true && r.report?.title?.hasPrefix("#") == false)
        #expect(!r.diagnostics.contains { $0.code == .titleMissing })
    }

    @Test("a report opening with a sentence of its preface has no title: title-missing, the organ from the signature")
    func noTitle() throws {
        let r = Self.check(try Self.titled("根据《条例》要求，现公布本镇2020年政府信息公开工作年度报告。"))
        #expect(r.report?.title == nil && r.report?.organ == "顾县镇人民政府")
        #expect(r.diagnostics.map(\.code) == [.titleMissing])
        #expect(r.diagnostics.first?.message.zh == "未找到报告标题")
        let bare = Self.check(try Self.titled("2020年政府信息公开工作年度报告"))
        #expect(bare.report?.organ == "顾县镇人民政府")
        let d = try #require(bare.diagnostics.first { $0.code == .titleMissing })
        #expect(d.message.zh == "标题中未写明机关名称" && d.help.zh.contains("顾县镇人民政府2020年政府信息公开工作年度报告"))
    }

    @Test("rows left blank end to end are one finding listing the rows")
    func blankRows() throws {
        var t = try RuleTests.clean002()
        for label in ["2.重复申请", "3.要求提供公开出版物"] {
            t = t.replacingOccurrences(of: "\(label)\t0\t0\t0\t0\t0\t0\t0", with: "\(label)\t\t\t\t\t\t\t")
        }
        let r = Self.check(t)
        #expect(r.diagnostics.filter { $0.code == .cellBlank }.count == 14)
        let note = r.note(fileName: "t.txt", language: .zh)
        #expect(Self.findings(note) == ["错误[cell-blank]：第三部分有 2 行整行为空（共 14 格）"], "\(note)")
        #expect(note.contains("  = 涉及 2 行：\n    2.重复申请、3.要求提供公开出版物\n"))
    }

    @Test("two missing sections are one finding naming both, not “on the same line”")
    func missingSections() throws {
        let t = try RuleTests.clean002().replacingOccurrences(of: "\n五、存在的主要问题及改进情况", with: "\n")
            .replacingOccurrences(of: "\n六、其他需要报告的事项", with: "\n")
        let r = Self.check(t)
        #expect(r.diagnostics.filter { $0.code == .sectionMissing }.count == 2)
        let note = r.note(fileName: "t.txt", language: .zh)
        #expect(Self.findings(note).contains("错误[section-missing]：缺少 2 个部分：“五、存在的主要问题及改进情况”、“六、其他需要报告的事项”"), "\(note)")
        #expect(!note.contains("同一行"))
    }

    @Test("every single wrong cell of section 三 in the 2024 report is named with its true value, and nothing else is asked to change")
    func everyWrongCell() throws {
        let (base, cells) = try MutationTests.mutants(Fixtures.huaian)
        var checked = 0
        for m in cells where m.section == 3 {
            let v = Int(m.cell.value!)
            for wrong in [v + 3] {
                let text = MutationTests.replace(base, at: m.cell.position!, width: m.cell.width, with: String(wrong))
                let r = Self.check(text)
                let errors = r.diagnostics.filter { $0.severity == .error }
                #expect(errors.count == 1 && errors.first?.code == .table3WrongCell, "\(m.row ?? "") \(m.column) → \(wrong): \(errors.map(\.code))")
                #expect(errors.first?.row == m.row && errors.first?.columnKey == m.column)
                #expect(errors.first?.expected == String(v) && errors.first?.actual == String(wrong))
                checked += 1
            }
        }
        #expect(checked > 150)
    }
}
