import NianbaoCore
import NianbaoModel
import NianbaoReaders
import NianbaoRules
import Testing

@testable import NianbaoKit

/// A scan's figure cell read as words: the reader's doing far more often than the office's.
struct OCRFigureCellTests {
    /// A row of table 三 as a scan's text view writes it: the label, then seven figures, TABs between.
    static let layout = PositionedDocument(lines: ["三、收到和处理政府信息公开申请情况", "（一）予以公开\t12\t了\t0\t0\t0\t1\t20"], format: .pdf)

    static func finding(_ code: Code) -> Diagnostic {
        Diagnostic(code: code, severity: .error, message: Localized(zh: "“（一）予以公开”行“商业企业”列应填数字，实际为“了”", en: "a word where a figure belongs"),
                   help: Localized(zh: "填数字", en: "write a figure"), position: SourcePosition(line: 2, column: 12), width: 1,
                   section: 3, row: "granted", columnKey: "commercial")
    }

    static func ocr(confidence: Double) -> OCRConfidence {
        OCRConfidence(cells: [1: [1: .init(page: 3, text: "12", confidence: 96), 2: .init(page: 3, text: "了", confidence: confidence)]], pageCount: 4)
    }

    @Test("read surely as a word where a figure belongs: a warning asking to look at the scan, not an error against the office")
    func wordInAFigureCell() {
        let out = OCRHonesty.apply([Self.finding(.cellInvalid)], ocr: Self.ocr(confidence: 93), layout: Self.layout, severities: [:])
        #expect(out.count == 1)
        #expect(out.first?.code == .ocrUncertain && out.first?.severity == .warning)
        #expect(out.first?.message.zh == "第 3 页“（一）予以公开”行“商业企业”列识别为 了，请核对", "\(out.first?.message.zh ?? "")")
    }

    @Test("a figure read surely that breaks a rule keeps its error")
    func sureFigureKeepsItsError() {
        var negative = Self.finding(.cellNegative)
        negative.position = SourcePosition(line: 2, column: 9)
        let out = OCRHonesty.apply([negative], ocr: Self.ocr(confidence: 93), layout: Self.layout, severities: [:])
        #expect(out.map(\.code) == [.cellNegative])
    }

    @Test("a row read with fewer cells than the format: its grid was not cut, a warning to look at the scan")
    func rowNotCut() {
        let d = Diagnostic(code: .rowCellCount, severity: .error,
                           message: Localized(zh: "“（一）予以公开”行只有 6 个数值，格式为 7 个", en: "row holds 6 of 7 values"),
                           help: Localized(zh: "填齐", en: "fill"), position: SourcePosition(line: 2, column: 9), width: 20,
                           section: 3, row: "granted")
        let out = OCRHonesty.apply([d], ocr: Self.ocr(confidence: 93), layout: Self.layout, severities: [:])
        #expect(out.map(\.code) == [.ocrUncertain])
        #expect(out.first?.message.zh == "第 3 页“（一）予以公开”行的单元格未能逐一识别，请核对", "\(out.first?.message.zh ?? "")")
        #expect(out.first?.notes.first?.zh.contains("只有 6 个数值") == true)
        #expect(out.first?.help.zh.hasPrefix("请对照扫描件核对该行各单元格的数字") == true, "the row, not one cell")
    }

    @Test("a row left with no figure beside a row read with too many: its figures went there, a warning; blanks elsewhere stay errors")
    func rowEmptiedByItsNeighbour() {
        let spec = FormatSpec.y2021
        let blank = Cell(value: nil, text: "", unit: nil, state: .blank, position: nil, width: 0)
        let zero = Cell(value: 0, text: "0", unit: nil, state: .number, position: nil, width: 1)
        var rows = spec.table3Rows.map { Table3Row(key: $0.key, label: $0.label, written: nil, row: RowCells(cells: Array(repeating: zero, count: 7), found: 7)) }
        let overfull = rows.firstIndex { $0.key == "reject_confirm" }!
        rows[overfull].row = RowCells(cells: Array(repeating: zero, count: 7), found: 14, extra: Array(repeating: zero, count: 7))
        rows[overfull + 1].row = RowCells(cells: Array(repeating: blank, count: 7), found: 7)
        rows[overfull + 3].row = RowCells(cells: Array(repeating: blank, count: 7), found: 7)
        var report = AnnualReport()
        report.table3 = Table3(rows: rows, headerText: "", headerPosition: nil, headerRange: 0..<0)
        func blanks(_ key: String) -> Diagnostic {
            Diagnostic(code: .cellBlank, severity: .error, message: Localized(zh: "行有 7 格为空", en: "7 blank cells"),
                       help: Localized(zh: "填", en: "fill"), position: SourcePosition(line: 2, column: 1), section: 3, row: key)
        }
        let next = rows[overfull + 1].key, later = rows[overfull + 3].key
        // a finding a blank cell: one warning for the row
        let out = OCRHonesty.apply([blanks(next), blanks(next), blanks(later)], ocr: Self.ocr(confidence: 93), layout: Self.layout,
                                   report: report, severities: [:])
        #expect(out.map(\.code) == [.ocrUncertain, .cellBlank])
        #expect(out.first?.message.zh.contains("的数字未能识别（可能被读入了相邻一行），请核对") == true, "\(out.first?.message.zh ?? "")")
    }
}
