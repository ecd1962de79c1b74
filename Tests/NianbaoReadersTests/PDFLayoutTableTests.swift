import Testing

@testable import NianbaoReaders

/// Pages of word boxes placed by hand, the way pdftotext reports a Word table exported to PDF.
struct Sheet {
    var pages: [PDFPage] = []

    init(width: Double = 842, height: Double = 595) {
        newPage(width: width, height: height)
    }

    mutating func newPage(width: Double = 842, height: Double = 595) {
        pages.append(PDFPage(width: width, height: height, words: []))
    }

    static func width(_ s: String, size: Double) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? size : 0.55 * size) }
    }

    /// A word starting at `x`, its box `size` × 1.2 high from `y`.
    mutating func put(_ s: String, x: Double, y: Double, size: Double = 10) {
        let w = Self.width(s, size: size)
        pages[pages.count - 1].words.append(PDFWord(x0: x, y0: y, x1: x + w, y1: y + 1.2 * size, text: s))
    }

    /// A word centred on `cx`.
    mutating func centre(_ s: String, cx: Double, y: Double, size: Double = 10) {
        put(s, x: cx - Self.width(s, size: size) / 2, y: y, size: size)
    }

    /// A row of values centred in their columns; nil leaves the cell blank.
    mutating func values(_ values: [String?], columns: [Double], y: Double, size: Double = 10) {
        for (v, cx) in zip(values, columns) {
            if let v { centre(v, cx: cx, y: y, size: size) }
        }
    }

    var lines: [String] { PDFLayout.text(pages: pages).split(separator: "\n").map(String.init) }
}

@Suite struct PDFLayoutTableTests {
    /// Columns 自然人 | 商业企业 (under 法人或其他组织) | 总计.
    static let columns: [Double] = [300, 380, 460]

    /// The heading and the header of a small section 三 table, from `y`.
    static func header(_ s: inout Sheet, y: Double, heading: Bool = true) {
        if heading { s.put("三、收到和处理政府信息公开申请情况", x: 60, y: y - 30, size: 12) }
        s.centre("申请人情况", cx: 380, y: y)
        s.put("（本列数据的勾稽关系为：第一项加第二", x: 60, y: y, size: 8)
        s.put("项之和，等于第三项加第四项之和）", x: 60, y: y + 11, size: 8)
        s.centre("自然人", cx: 300, y: y + 18)
        s.centre("法人或其他组织", cx: 380, y: y + 14)
        s.centre("商业企业", cx: 380, y: y + 28)
        s.centre("总计", cx: 460, y: y + 18)
    }

    @Test func wrappedLabelsBlankCellsGroupLabelsAndAPageBreak() {
        var s = Sheet()
        s.put("本年度，我县共收到政府信息公开申请。", x: 60, y: 20)
        Self.header(&s, y: 80)
        // one line
        s.put("一、本年新收政府信息公开申请数量", x: 60, y: 130)
        s.values(["5", "1", "6"], columns: Self.columns, y: 130)
        // two lines, values centred between them, 商业企业 blank
        s.put("（二）部分公开（区分处理的，只计这一情", x: 60, y: 150)
        s.put("形，不计其他情形）", x: 60, y: 163)
        s.values(["7", nil, "7"], columns: Self.columns, y: 156.5)
        // a group label written one character per line beside its rows, centred on them
        s.put("（三）", x: 60, y: 186)
        s.put("不予", x: 60, y: 199)
        s.put("公开", x: 60, y: 212)
        // values above the label's first line
        s.put("1.属于国家秘密", x: 110, y: 193)
        s.values(["2", "0", "2"], columns: Self.columns, y: 181)
        s.put("2.其他法律行政法规禁止公开", x: 110, y: 212)
        s.values(["3", "0", "3"], columns: Self.columns, y: 212)
        // a row with no value at all: every cell blank
        s.put("3.危及“三安全一稳定”", x: 110, y: 232)
        // page number
        s.centre("-1-", cx: 421, y: 560)
        // the table goes on on the next page, without its header
        s.newPage()
        s.put("4.保护第三方合法权益", x: 110, y: 40)
        s.values(["1", "0", "1"], columns: Self.columns, y: 40)
        s.put("（七）总计", x: 60, y: 60)
        s.values(["12", "1", "13"], columns: Self.columns, y: 60)
        s.put("四、政府信息公开行政复议、行政诉讼情况", x: 60, y: 100, size: 12)
        s.centre("2", cx: 421, y: 560)

        let lines = s.lines
        #expect(lines.first == "本年度，我县共收到政府信息公开申请。")
        #expect(lines[1] == "三、收到和处理政府信息公开申请情况")
        let rows = Array(lines.drop { !$0.hasPrefix("一、") }.prefix(7))
        #expect(rows == [
            "一、本年新收政府信息公开申请数量\t5\t1\t6",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t7\t\t7",
            "1.属于国家秘密\t2\t0\t2",
            "2.其他法律行政法规禁止公开\t3\t0\t3",
            "3.危及“三安全一稳定”\t\t\t",
            "4.保护第三方合法权益\t1\t0\t1",
            "（七）总计\t12\t1\t13",
        ])
        #expect(lines.last == "四、政府信息公开行政复议、行政诉讼情况")
        // the header: cells, the corner note's lines joined
        #expect(lines.contains { $0.hasPrefix("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）") })
        // no page numbers, no group label
        #expect(!lines.contains("-1-") && !lines.contains("2"))
        #expect(!lines.contains { $0.contains("不予") })
    }

    @Test func aHeaderRepeatedOnTheNextPageIsWrittenOnceAndARowBrokenByTheBreakIsOneRow() {
        var s = Sheet()
        Self.header(&s, y: 400)
        s.put("一、本年新收政府信息公开申请数量", x: 60, y: 450)
        s.values(["5", "1", "6"], columns: Self.columns, y: 450)
        // a row broken by the page break: its first label line and its values on this page
        s.put("（二）部分公开（区分处理的，只计这一情", x: 60, y: 540)
        s.values(["7", "0", "7"], columns: Self.columns, y: 540)
        s.newPage()
        Self.header(&s, y: 40, heading: false)
        s.put("形，不计其他情形）", x: 60, y: 90)
        s.put("（七）总计", x: 60, y: 110)
        s.values(["12", "1", "13"], columns: Self.columns, y: 110)
        s.put("四、政府信息公开行政复议、行政诉讼情况", x: 60, y: 150, size: 12)

        let lines = s.lines
        #expect(lines.filter { $0.hasPrefix("（本列数据") }.count == 1)
        #expect(lines.filter { $0.contains("申请人情况") }.count == 1)
        let rows = Array(lines.drop { !$0.hasPrefix("一、") }.prefix(3))
        #expect(rows == [
            "一、本年新收政府信息公开申请数量\t5\t1\t6",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t7\t0\t7",
            "（七）总计\t12\t1\t13",
        ])
    }

    /// Section 四 with its five 行政复议 cells blank: the columns come from the header cells.
    @Test func blankColumnsFromTheHeader() {
        var s = Sheet()
        let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        let xs = (0..<15).map { 90 + Double($0) * 46 }
        s.put("四、政府信息公开行政复议、行政诉讼情况", x: 60, y: 40, size: 12)
        s.centre("行政复议", cx: xs[2], y: 80)
        s.centre("行政诉讼", cx: xs[10], y: 80)
        s.centre("未经复议直接起诉", cx: xs[7], y: 96)
        s.centre("复议后起诉", cx: xs[12], y: 96)
        for (k, cx) in xs.enumerated() {
            // narrow cells: two characters a line
            let label = results[k % 5]
            let y: Double = k < 5 ? 100 : 112
            if label == "总计" {
                s.centre(label, cx: cx, y: y + 6)
            } else {
                s.centre(String(label.prefix(2)), cx: cx, y: y)
                s.centre(String(label.suffix(2)), cx: cx, y: y + 12)
            }
        }
        s.values(Array(repeating: nil, count: 5) + (6...15).map { String($0) }, columns: xs, y: 145)
        s.put("五、存在的主要问题及改进情况", x: 60, y: 180, size: 12)

        let lines = s.lines
        #expect(lines.contains("\t\t\t\t\t6\t7\t8\t9\t10\t11\t12\t13\t14\t15"))
        // header cells read whole
        #expect(lines.contains { $0.contains("结果维持\t结果纠正\t其他结果\t尚未审结") })
    }

    /// A number wrapped in a narrow cell is one value.
    @Test func aNumberWrappedInItsCell() {
        var s = Sheet()
        s.put("四、政府信息公开行政复议、行政诉讼情况", x: 60, y: 40, size: 12)
        let xs = (0..<15).map { 90 + Double($0) * 46 }
        s.centre("行政复议", cx: xs[2], y: 80)
        s.centre("行政诉讼", cx: xs[10], y: 80)
        for cx in xs { s.centre("总计", cx: cx, y: 100) }
        s.values(xs.indices.map { $0 == 3 ? "1234" : "1" }, columns: xs, y: 130)
        s.centre("56", cx: xs[3], y: 142)
        s.put("五、存在的主要问题及改进情况", x: 60, y: 180, size: 12)
        #expect(s.lines.contains("1\t1\t1\t123456\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1"))
    }

    /// Section 二: each block has its own columns; a merged value cell is one cell; captions are
    /// lines of their own; rows without values keep their blank cells.
    @Test func sectionTwoBlocks() {
        var s = Sheet(width: 595, height: 842)
        s.put("二、主动公开政府信息情况", x: 60, y: 40, size: 12)
        s.put("第二十条第（一）项", x: 60, y: 70)
        s.put("信息内容", x: 80, y: 90)
        for (t, cx) in zip(["本年制发件数", "本年废止件数", "现行有效件数"], [260.0, 360, 460]) { s.centre(t, cx: cx, y: 90) }
        s.put("规章", x: 90, y: 110)
        s.put("行政规范性文件", x: 70, y: 130)
        s.values(["8", "26", "66"], columns: [260, 360, 460], y: 130)
        s.put("第二十条第（五）项", x: 60, y: 150)
        s.put("信息内容", x: 80, y: 170)
        s.centre("本年处理决定数量", cx: 360, y: 170)
        s.put("行政许可", x: 80, y: 190)
        s.values(["447228"], columns: [360], y: 190)
        s.put("第二十条第（八）项", x: 60, y: 210)
        s.put("信息内容", x: 80, y: 230)
        s.centre("本年收费金额（单位：万元）", cx: 360, y: 230)
        s.put("行政事业性收费", x: 70, y: 250)
        s.values(["12.5"], columns: [360], y: 250)
        s.put("三、收到和处理政府信息公开申请情况", x: 60, y: 290, size: 12)
        #expect(s.lines == [
            "二、主动公开政府信息情况",
            "第二十条第（一）项",
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "规章\t\t\t",
            "行政规范性文件\t8\t26\t66",
            "第二十条第（五）项",
            "信息内容\t本年处理决定数量",
            "行政许可\t447228",
            "第二十条第（八）项",
            "信息内容\t本年收费金额（单位：万元）",
            "行政事业性收费\t12.5",
            "三、收到和处理政府信息公开申请情况",
        ])
    }

    /// More lines of values than labels: the geometry makes no sense, the table is written the way
    /// a layout-preserving extraction writes it, not as invented cells.
    @Test func fallbackToLayoutText() {
        var s = Sheet(width: 595, height: 842)
        s.put("二、主动公开政府信息情况", x: 60, y: 40, size: 12)
        s.put("第二十条第（五）项", x: 60, y: 150)
        s.put("信息内容", x: 80, y: 170)
        s.centre("本年处理决定数量", cx: 360, y: 170)
        s.put("行政许可", x: 80, y: 190)
        s.values(["5"], columns: [360], y: 190)
        s.values(["6"], columns: [360], y: 215)
        s.put("三、收到和处理政府信息公开申请情况", x: 60, y: 290, size: 12)
        let lines = s.lines
        #expect(!lines.contains { $0.contains("\t") })
        #expect(lines.count == 6, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("             行政许可") && $0.hasSuffix("                    5") })
        #expect(lines.contains { $0.drop { $0 == " " } == "6" })
    }

    /// Large tables, in and over the size rebuilt from geometry, and many margin lines: read in
    /// well under a second each.
    @Test(arguments: [30, 120, 200])
    func largeInputsStayCheap(rows: Int) {
        var s = Sheet(width: 2000, height: 4000)
        // many short lines in the top margin
        for k in 0..<600 { s.put("第\(k)", x: Double(k % 40) * 45, y: Double(k / 40) * 13) }
        s.newPage(width: 2000, height: 4000)
        Self.header(&s, y: 80)
        let columns = (0..<30).map { 300 + Double($0) * 50 }
        for r in 0..<rows {
            s.put("\(r + 1).属于国家秘密", x: 60, y: 130 + Double(r) * 20)
            s.values(columns.indices.map { String($0 + r) }, columns: columns, y: 130 + Double(r) * 20)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let lines = s.lines
        #expect(clock.now - start < .seconds(5))
        // rebuilt up to `PDFLayoutTable.maximumWords` words, written as layout text beyond
        #expect(lines.contains { $0.hasPrefix(rows < 130 ? "1.属于国家秘密\t" : " ") && $0.contains("1.属于国家秘密") })
    }

    @Test func prose() {
        var s = Sheet(width: 595, height: 842)
        s.put("淮安市人民政府", x: 219, y: 156, size: 22)
        s.put("2024", x: 128, y: 184, size: 22)
        s.put("年政府信息公开工作年度报告", x: 178, y: 184, size: 22)
        s.put("全年组织", x: 74, y: 283)
        s.put("4", x: 120, y: 281, size: 12)
        s.put("次检查。Windows", x: 130, y: 283)
        s.put("10", x: 219, y: 283)
        s.put("签发人", x: 74, y: 320)
        s.put("张三", x: 300, y: 320)
        s.centre("— 1 —", cx: 297, y: 800)
        #expect(s.lines == ["淮安市人民政府", "2024年政府信息公开工作年度报告", "全年组织4次检查。Windows 10", "签发人 张三"])
    }

    @Test func textClasses() {
        for v in ["0", "12", "3,119", "+8", "-3", "96171.6", "2060387.04元", "308.7万元", "5件", "—", "/", "无", "１２"] {
            #expect(PDFLayout.isValueText(v), "\(v)")
        }
        for v in ["1.", "1.属于", "第4页", "12.", "abc", "", "1,2,3a", "无法"] {
            #expect(!PDFLayout.isValueText(v), "\(v)")
        }
        for v in ["一、本年", "（二）部分", "(三)不予", "1.属于", "2、申请", "十一、", "①其他", "3．"] {
            #expect(PDFLayout.startsWithEnumerator(v), "\(v)")
        }
        for v in ["形，不计", "正、行政", "三", "（", "2024年", "规章"] {
            #expect(!PDFLayout.startsWithEnumerator(v), "\(v)")
        }
        for v in ["-3-", "— 3 —", "3", "第3页", "第 3 页 共 6 页", "3/6", "Page 3"] {
            #expect(PDFLayout.isPageNumber(PDFLayout.compact(v)), "\(v)")
        }
        for v in ["3-", "2024年", "三", "第三章", "-3-4-5-"] {
            #expect(!PDFLayout.isPageNumber(PDFLayout.compact(v)), "\(v)")
        }
    }

    /// Rows three lines high whose 总计 is drawn at the top of its cell and the other values in
    /// the middle of theirs (a Word table with cells aligned differently): each value belongs to
    /// the row whose label it stands beside, wherever in the cell it is drawn.
    @Test(arguments: 0..<12) func aTotalAtTheTopOfATallRow(seed: Int) {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var s = Sheet()
        Self.header(&s, y: 80)
        func row() -> [String] {
            let a = next(30), b = next(5)
            return ["\(a)", "\(b)", "\(a + b)"]
        }
        let first = row(), tall1 = row(), tall2 = row(), total = row()
        s.put("（一）予以公开", x: 60, y: 130)
        s.values(first.map { Optional($0) }, columns: Self.columns, y: 130)
        // the group label beside both tall rows
        s.put("（六）", x: 60, y: 165)
        s.put("其他", x: 60, y: 178)
        s.put("处理", x: 60, y: 191)
        let labels = [["1.申请人无正当理由逾期不", "补正、行政机关不再处理其", "政府信息公开申请"],
                      ["2.申请人逾期未按收费通知", "要求缴纳费用、行政机关不", "再处理其政府信息公开申请"]]
        for (k, cells) in [tall1, tall2].enumerated() {
            let y = 150 + Double(k) * 42
            for (n, line) in labels[k].enumerated() { s.put(line, x: 110, y: y + Double(n) * 13) }
            // 总计 at the top of its cell, the others in the middle
            s.values([nil, nil, cells[2]], columns: Self.columns, y: y)
            s.values([cells[0], cells[1], nil], columns: Self.columns, y: y + 13)
        }
        s.put("（七）总计", x: 60, y: 240)
        s.values(total.map { Optional($0) }, columns: Self.columns, y: 240)
        s.put("四、政府信息公开行政复议、行政诉讼情况", x: 60, y: 280, size: 12)

        let rows = Array(s.lines.drop { !$0.hasPrefix("（一）") }.prefix(4))
        #expect(rows == [
            "（一）予以公开\t" + first.joined(separator: "\t"),
            labels[0].joined() + "\t" + tall1.joined(separator: "\t"),
            labels[1].joined() + "\t" + tall2.joined(separator: "\t"),
            "（七）总计\t" + total.joined(separator: "\t"),
        ])
    }
}
