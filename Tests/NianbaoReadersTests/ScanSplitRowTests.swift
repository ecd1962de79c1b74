import Testing

@testable import NianbaoReaders

/// A table row broken by a page break, as the OCR reader cuts it: the first half the last row of
/// the table on one page, the second half on the next page, after the header that page repeats.
struct ScanSplitRowTests {
    /// A cell of a constructed table: columns 100 px wide from x = 0 (column 0 a little wider on
    /// the next page: a scan is never cut at the same pixels twice), rows 50 px high.
    static func cell(_ row: Int, _ column: Int, _ text: String, rowSpan: Int = 1, columnSpan: Int = 1, shift: Int = 0)
        -> ScannedCell
    {
        let numeric = !text.isEmpty && text.allSatisfy(\.isNumber)
        return ScannedCell(row: row, column: column, rowSpan: rowSpan, columnSpan: columnSpan,
                           box: PixelBox(x: column * 100 + (column == 0 ? 0 : shift), y: 100 + row * 50,
                                         width: columnSpan * 100 - (column == 0 ? -shift : 0), height: rowSpan * 50),
                           text: text, confidence: numeric ? 90 : 80, numeric: numeric)
    }

    static func page(_ number: Int, _ cells: [ScannedCell]) -> ScannedPage {
        let rows = (cells.map { $0.row + $0.rowSpan }.max() ?? 0)
        return ScannedPage(number: number, width: 1000, height: 1400, dpi: 300, skew: 0,
                           blocks: [.table(ScannedTable(box: PixelBox(x: 0, y: 100, width: 600, height: rows * 50),
                                                        rowCount: rows, columnCount: 6, cells: cells))])
    }

    /// The header of the constructed table 三: a label column pair, then 自然人, 商业企业, 总计.
    static func header(shift: Int = 0) -> [ScannedCell] {
        [cell(0, 0, "（本列数据的勾稽关系为）", rowSpan: 2, columnSpan: 3, shift: shift),
         cell(0, 3, "申请人情况", columnSpan: 3, shift: shift),
         cell(1, 3, "自然人", shift: shift), cell(1, 4, "商业企业", shift: shift), cell(1, 5, "总计", shift: shift)]
    }

    static func table(_ page: ScannedPage) -> [[String]] {
        guard case .table(let t)? = page.blocks.first else { return [] }
        return Set(t.cells.map(\.row)).sorted().map { r in
            t.cells.filter { $0.row == r }.sorted { $0.column < $1.column }.map(\.text)
        }
    }

    @Test("the second half, after the repeated header, is joined to the first, cell by cell across")
    func halvesAfterARepeatedHeader() {
        let upper = Self.page(1, Self.header() + [
            Self.cell(2, 0, "三、本年度办理结果", rowSpan: 2),
            Self.cell(2, 1, "（五）不予处理"), Self.cell(2, 2, "2.重复申请"),
            Self.cell(2, 3, "2"), Self.cell(2, 4, "0"), Self.cell(2, 5, "2"),
            Self.cell(3, 1, "（六）"), Self.cell(3, 2, "1.申请人无正当理"),
            Self.cell(3, 3, "2"), Self.cell(3, 4, "0"), Self.cell(3, 5, "2"),
        ])
        let lower = Self.page(2, Self.header(shift: 7) + [
            // the merged cells of the group go on below the second half
            Self.cell(2, 0, "", rowSpan: 3, shift: 7), Self.cell(2, 1, "其他处理", rowSpan: 2, shift: 7),
            Self.cell(2, 2, "由逾期不补正", shift: 7),
            Self.cell(2, 3, "", shift: 7), Self.cell(2, 4, "", shift: 7), Self.cell(2, 5, "", shift: 7),
            Self.cell(3, 2, "2.申请人逾期未缴费", shift: 7),
            Self.cell(3, 3, "1", shift: 7), Self.cell(3, 4, "0", shift: 7), Self.cell(3, 5, "1", shift: 7),
            Self.cell(4, 1, "（七）总计", columnSpan: 2, shift: 7),
            Self.cell(4, 3, "5", shift: 7), Self.cell(4, 4, "0", shift: 7), Self.cell(4, 5, "5", shift: 7),
        ])
        let joined = ScannedDocument.joiningSplitRows([upper, lower])
        let up = Self.table(joined[0]), down = Self.table(joined[1])
        #expect(up.last == ["（六）其他处理", "1.申请人无正当理由逾期不补正", "2", "0", "2"])
        #expect(up.dropLast().last == ["三、本年度办理结果", "（五）不予处理", "2.重复申请", "2", "0", "2"], "the row above is left alone")
        // the header stays; the second half is gone from the next page; the rows after it keep theirs
        #expect(down.count == 4)
        #expect(down.first == ["（本列数据的勾稽关系为）", "申请人情况"])
        #expect(down[2] == ["2.申请人逾期未缴费", "1", "0", "1"])
        #expect(down[3] == ["（七）总计", "5", "0", "5"])
        guard case .table(let t)? = joined[0].blocks.last else {
            Issue.record("no table")
            return
        }
        let figure = t.cells.first { $0.row == 3 && $0.column == 3 }
        #expect(figure?.numeric == true && figure?.confidence == 90, "a figure of the first half keeps its confidence")
    }

    @Test("without a repeated header, the first row of the next page is the second half")
    func halvesWithoutAHeader() {
        let upper = Self.page(1, Self.header() + [
            Self.cell(2, 0, "（四）无法提供", rowSpan: 1), Self.cell(2, 1, "2.没有现成信息需要"),
            Self.cell(2, 3, "3"), Self.cell(2, 4, "0"), Self.cell(2, 5, "3"),
        ].map { var c = $0; if c.column == 1 { c.columnSpan = 2; c.box.width = 200 }; return c })
        let lower = Self.page(2, [
            Self.cell(0, 0, ""), Self.cell(0, 1, "另行制作", columnSpan: 2),
            Self.cell(0, 3, ""), Self.cell(0, 4, ""), Self.cell(0, 5, ""),
            Self.cell(1, 0, "（七）总计", columnSpan: 3), Self.cell(1, 3, "3"), Self.cell(1, 4, "0"), Self.cell(1, 5, "3"),
        ])
        let joined = ScannedDocument.joiningSplitRows([upper, lower])
        #expect(Self.table(joined[0]).last == ["（四）无法提供", "2.没有现成信息需要另行制作", "3", "0", "3"])
        #expect(Self.table(joined[1]) == [["（七）总计", "3", "0", "3"]])
    }

    @Test("a new row on the next page is not joined: its label starts with a row's mark, or both hold figures")
    func rowsThatAreNotHalves() {
        let upper = Self.page(1, Self.header() + [
            Self.cell(2, 0, "行政许可", columnSpan: 3), Self.cell(2, 3, "14"), Self.cell(2, 4, "0"), Self.cell(2, 5, "14"),
        ])
        // a row with a mark after a repeated header
        let marked = Self.page(2, Self.header() + [
            Self.cell(2, 0, "（七）总计", columnSpan: 3), Self.cell(2, 3, "3"), Self.cell(2, 4, "0"), Self.cell(2, 5, "3"),
        ])
        #expect(ScannedDocument.joiningSplitRows([upper, marked]) == [upper, marked])
        // a row without a mark (table 二's labels have none), with figures of its own
        let figures = Self.page(2, [
            Self.cell(0, 0, "行政处罚", columnSpan: 3), Self.cell(0, 3, "18"), Self.cell(0, 4, ""), Self.cell(0, 5, "18"),
        ])
        #expect(ScannedDocument.joiningSplitRows([upper, figures]) == [upper, figures])
        // a small table's header at the foot of a page, its two columns one cell (the line
        // between them not found), over the table's first row on the next
        let subHeader = Self.page(1, Self.header() + [
            Self.cell(2, 0, "行政许可", columnSpan: 3), Self.cell(2, 3, "14"), Self.cell(2, 4, "0"), Self.cell(2, 5, "14"),
            Self.cell(3, 0, "信息内容本年处理决定数量", columnSpan: 6),
        ])
        let firstRow = Self.page(2, [Self.cell(0, 0, "行政处罚", columnSpan: 3), Self.cell(0, 3, "98", columnSpan: 3)])
        #expect(ScannedDocument.joiningSplitRows([subHeader, firstRow]) == [subHeader, firstRow])
        // blank figures on both pages, and the next row's mark misread ("|." for "1."): the
        // group's label starting beside it makes it a new row
        let blanks = Self.page(1, Self.header() + [
            Self.cell(2, 0, "（四）无法提供", rowSpan: 2), Self.cell(2, 1, "2.没有现成信息"),
            Self.cell(2, 3, ""), Self.cell(2, 4, ""), Self.cell(2, 5, ""),
            Self.cell(3, 1, "3.补正后申请内容仍不明确"), Self.cell(3, 3, ""), Self.cell(3, 4, ""), Self.cell(3, 5, ""),
        ])
        let group = Self.page(2, [
            Self.cell(0, 0, "（五）不予处理"), Self.cell(0, 1, "|.信访举报投诉类申请"),
            Self.cell(0, 3, ""), Self.cell(0, 4, ""), Self.cell(0, 5, ""),
        ])
        #expect(ScannedDocument.joiningSplitRows([blanks, group]) == [blanks, group])
        let misread = Self.page(2, [Self.cell(0, 1, "|.信访举报投诉类申请"), Self.cell(0, 3, "3"), Self.cell(0, 5, "3")])
        #expect(ScannedDocument.joiningSplitRows([blanks, misread]) == [blanks, misread])
        // a table's header alone at the foot of a page is not half a row
        let headerOnly = Self.page(1, Self.header())
        let body = Self.page(2, [
            Self.cell(0, 0, "规章", columnSpan: 3), Self.cell(0, 3, ""), Self.cell(0, 4, ""), Self.cell(0, 5, ""),
        ])
        #expect(ScannedDocument.joiningSplitRows([headerOnly, body]) == [headerOnly, body])
    }
}
