import NianbaoModel
import NianbaoReaders
import NianbaoCore
import NianbaoRules

/// What the checker does differently for a scan read by OCR: a finding that stands on a figure
/// read with low confidence becomes `ocr-uncertain` (the misread is not the office's), wording
/// findings are left out (the wording of a scan is the OCR's), and a page whose ruled table could
/// not be cut is named.
enum OCRHonesty {
    /// Below this confidence (0…100) a figure may be misread.
    static let threshold = 80.0

    /// Findings about figures that a misread could cause.
    static let figureCodes: Set<Code> = [
        .table3Identity, .table3RowTotal, .table3TotalRow, .table4Total, .table3WrongCell, .table3CarryoverMismatch,
        .cellInvalid, .cellNegative, .cellFractional, .narrativeRequests, .narrativePartsSum, .narrativePartExceedsWhole,
    ]
    /// Findings about wording, which a scan's OCR cannot settle.
    static let wordingCodes: Set<Code> = [.labelDeviation, .sectionHeadingVariant]

    static func apply(_ diagnostics: [Diagnostic], ocr: OCRConfidence, layout: PositionedDocument?,
                      severities: [String: Severity]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var named: Set<String> = []
        let uncertainSeverity = severities[Code.ocrUncertain.rawValue] ?? .warning
        for d in diagnostics {
            if wordingCodes.contains(d.code) { continue }
            guard figureCodes.contains(d.code), let position = d.position, let layout,
                  let cells = ocr.cells[position.line - 1], position.line - 1 < layout.lines.count
            else {
                out.append(d)
                continue
            }
            // the cell the finding points at, or else a figure of its row read with very little
            // confidence (a sum is blamed on its total cell)
            let field = fieldIndex(layout.lines[position.line - 1], column: position.column)
            var suspect = cells[field].flatMap { $0.confidence < threshold ? $0 : nil }
            var suspectField = field
            if suspect == nil, let worst = cells.min(by: { $0.value.confidence < $1.value.confidence }),
               worst.value.confidence < threshold / 2 {
                suspect = worst.value
                suspectField = worst.key
            }
            guard let cell = suspect else {
                out.append(d)
                continue
            }
            if uncertainSeverity == .off { continue }
            let row = d.row.map { FormatSpec.rowLabel($0)?.zh ?? $0 } ?? ""
            let rowEN = d.row.map { FormatSpec.rowLabel($0)?.en ?? $0 } ?? ""
            let key = "\(cell.page)|\(row)|\(cell.text)|\(suspectField)"
            if named.contains(key) { continue }
            named.insert(key)
            // the column: the finding's, or for another cell of a row of 三 (its last seven fields
            // are the seven columns) that cell's
            var columnKey = d.columnKey
            if suspectField != field {
                let fields = layout.lines[position.line - 1].unicodeScalars.filter { $0 == "\t" }.count + 1
                let index = suspectField - (fields - FormatSpec.table3ColumnKeys.count)
                columnKey = d.section == 3 && index >= 0 && index < FormatSpec.table3ColumnKeys.count
                    ? FormatSpec.table3ColumnKeys[index] : nil
            }
            let column = columnKey.map { columnName($0) } ?? Localized(zh: "", en: "")
            var u = Diagnostic(
                code: .ocrUncertain, severity: uncertainSeverity,
                message: Localized(
                    zh: "第 \(cell.page) 页“\(row)”行" + (column.zh.isEmpty ? "" : "“\(column.zh)”列") + "识别为 \(cell.text)，请核对",
                    en: "page \(cell.page), row \"\(rowEN)\"" + (column.en.isEmpty ? "" : ", column \"\(column.en)\"")
                        + " was read as \(cell.text): please check"),
                help: OCRUncertain().help, position: d.position, width: d.width, section: d.section, row: d.row,
                columnKey: columnKey, actual: cell.text)
            // it asks for a look at the scan, not for a figure: no “应为” line
            u.isFix = false
            u.notes = [Localized(zh: "识别把握 \(Int(cell.confidence))%；若按识别结果计算：" + d.message.zh,
                                 en: "read with \(Int(cell.confidence))% confidence; taken as read: " + d.message.en)]
            out.append(u)
        }
        for page in ocr.unreadableTablePages {
            out.append(Diagnostic(
                code: .tableUnreadable, severity: severities[Code.tableUnreadable.rawValue] ?? .error,
                message: Localized(zh: "第 \(page) 页有表格线，但无法识别出表格的单元格", en: "Page \(page) has ruling lines, but no table could be cut from them"),
                help: Localized(zh: "请提交清晰的扫描件（300 dpi，不倾斜），或由 Word 直接导出的 PDF。",
                                en: "Submit a clearer scan (300 dpi, straight), or a PDF exported from Word.")))
        }
        return out
    }

    /// The 0-based TAB-separated field of `line` at 1-based `column`.
    static func fieldIndex(_ line: String, column: Int) -> Int {
        var field = 0
        for (i, u) in line.unicodeScalars.enumerated() {
            if i >= column - 1 { break }
            if u == "\t" { field += 1 }
        }
        return field
    }

    /// The column's name as the format writes it.
    static func columnName(_ key: String) -> Localized {
        let names: [String: Localized] = [
            "natural": Localized(zh: "自然人", en: "Natural persons"),
            "commercial": Localized(zh: "商业企业", en: "Commercial enterprises"),
            "research": Localized(zh: "科研机构", en: "Research institutions"),
            "nonprofit": Localized(zh: "社会公益组织", en: "Non-profit organisations"),
            "legal": Localized(zh: "法律服务机构", en: "Legal service agencies"),
            "other": Localized(zh: "其他", en: "Others"),
            "total": Localized(zh: "总计", en: "Total"),
        ]
        return names[key] ?? Localized(zh: key, en: key)
    }
}

/// The text of a scan, made to read as the format writes it where OCR mangles what matters most:
/// a section heading whose numeral or mark was misread (`入、其他需要报告的事项`,
/// `“三、收到和…`) is the format's heading.
enum OCRText {
    /// Lines of prose (not table rows) that are, up to a character or two, a section heading
    /// (a numeral, a mark, the heading's words) become that heading.
    static func snapHeadings(_ document: inout Document) {
        for (i, block) in document.blocks.enumerated() {
            guard case .paragraph(let paragraph) = block else { continue }
            let line = paragraph.text
            var scalars = Array(line.unicodeScalars)
            guard scalars.count >= 4, scalars.count <= 40, !scalars.contains("\t") else { continue }
            // specks read as quotes or points before the numeral, punctuation after the words
            while let f = scalars.first, !isCJK(f) { scalars.removeFirst() }
            while let l = scalars.last, !isCJK(l) { scalars.removeLast() }
            guard scalars.count >= 4 else { continue }
            // the numeral and its mark, or (both lost) the words alone
            let body = "、，,.．。".unicodeScalars.contains(scalars[1]) ? Array(scalars[2...]) : scalars
            for section in FormatSpec.sections {
                let matched = section.variants.contains { variant in
                    let v = Array(variant.unicodeScalars)
                    let limit = max(1, v.count / 4)
                    return distance(body, v, limit: limit) <= limit
                }
                if matched {
                    let heading = section.numeral + "、" + section.heading
                    if heading != line { document.blocks[i] = .paragraph(Document.Paragraph(heading, origin: paragraph.origin)) }
                    break
                }
            }
        }
    }

    static func isCJK(_ u: Unicode.Scalar) -> Bool { u.value >= 0x3400 && u.value <= 0x9FFF }

    /// Levenshtein distance of two scalar arrays, giving up (limit + 1) past `limit`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var best = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                best = min(best, current[j])
            }
            if best > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
