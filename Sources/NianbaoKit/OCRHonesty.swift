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

    /// The arithmetic findings of table 三, which its identities settle (see ``Table3Doubt``).
    static let table3IdentityCodes: Set<Code> = [.table3Identity, .table3RowTotal, .table3TotalRow, .table3WrongCell]

    static func apply(_ diagnostics: [Diagnostic], ocr: OCRConfidence, layout: PositionedDocument?,
                      report: AnnualReport? = nil, severities: [String: Severity]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var named: Set<String> = []
        let uncertainSeverity = severities[Code.ocrUncertain.rawValue] ?? .warning
        let doubt = layout.flatMap { layout in report.flatMap { Table3Doubt($0, ocr: ocr, layout: layout) } }
        for d in diagnostics {
            if wordingCodes.contains(d.code) { continue }
            // table 三's arithmetic: excused only by a doubtful cell every identity it breaks passes through
            if table3IdentityCodes.contains(d.code), d.section == 3, let doubt {
                guard let suspect = doubt.suspect(for: d) else {
                    out.append(d)
                    continue
                }
                if uncertainSeverity == .off { continue }
                let key = "\(suspect.read.page)|\(suspect.ref.row)|\(suspect.ref.column)"
                if named.contains(key) { continue }
                named.insert(key)
                out.append(uncertain(d, cell: suspect.read, rowKey: doubt.rowKeys[suspect.ref.row],
                                     columnKey: FormatSpec.table3ColumnKeys[suspect.ref.column],
                                     position: suspect.position ?? d.position, severity: uncertainSeverity))
                continue
            }
            // a row of more or fewer cells than the format: in a ruled table every cell is there,
            // blank or not, so the grid's lines between some were not found (the reader's failing);
            // and a row of 三 left with no figure beside a row read with too many took its
            // figures there (a row broken by a page break joined to the wrong half)
            if d.code == .rowCellCount || (d.code == .cellBlank && emptiedByNeighbour(d, report: report)),
               let position = d.position, let page = page(of: position.line - 1, ocr: ocr, layout: layout) {
                if uncertainSeverity == .off { continue }
                // one warning a row (its blank cells come one finding each)
                let key = "\(page)|\(d.row ?? "")|\(d.code.rawValue)"
                if named.contains(key) { continue }
                named.insert(key)
                let row = d.row.map { FormatSpec.rowLabel($0)?.zh ?? $0 }.map { "“\($0)”行" } ?? "表格"
                let rowEN = d.row.map { "row \"\(FormatSpec.rowLabel($0)?.en ?? $0)\"" } ?? "the table"
                var u = Diagnostic(
                    code: .ocrUncertain, severity: uncertainSeverity,
                    message: d.code == .cellBlank
                        ? Localized(zh: "第 \(page) 页\(row)的数字未能识别（可能被读入了相邻一行），请核对",
                                    en: "page \(page), \(rowEN): its figures were not read (perhaps into the row beside it); please check")
                        : Localized(zh: "第 \(page) 页\(row)的单元格未能逐一识别，请核对", en: "page \(page), \(rowEN): its cells could not be told apart; please check"),
                    help: Localized(zh: "请对照扫描件核对该行各单元格的数字；如扫描件中确实少填或多填，请改正后重新提交，最好提交由 Word 直接导出的 PDF 或 .docx。",
                                    en: "Check the row's cells against the scan; if a cell is really missing or extra there, correct it and submit again, preferably a PDF exported from Word or the .docx."),
                    position: position, width: d.width, section: d.section, row: d.row)
                u.isFix = false
                u.notes = [Localized(zh: "若按识别结果：" + d.message.zh, en: "taken as read: " + d.message.en)]
                out.append(u)
                continue
            }
            guard figureCodes.contains(d.code), let position = d.position, let layout,
                  let cells = ocr.cells[position.line - 1], position.line - 1 < layout.lines.count
            else {
                out.append(d)
                continue
            }
            // the cell the finding points at, or else a figure of its row read with very little
            // confidence (a sum is blamed on its total cell)
            let field = fieldIndex(layout.lines[position.line - 1], column: position.column)
            // a figure's cell read as words is the reader's doing (a 7 read as 了, surely) far more
            // often than the office's: it is looked at on the scan whatever the confidence
            var suspect = cells[field].flatMap { $0.confidence < threshold || d.code == .cellInvalid ? $0 : nil }
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
            let key = "\(cell.page)|\(d.row ?? "")|\(cell.text)|\(suspectField)"
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
            out.append(uncertain(d, cell: cell, rowKey: d.row, columnKey: columnKey, position: d.position,
                                 severity: uncertainSeverity))
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

    /// Whether `d` (blank cells of one row of 三) is about a row with no figure at all next to a row
    /// of 三 holding more cells than the format.
    static func emptiedByNeighbour(_ d: Diagnostic, report: AnnualReport?) -> Bool {
        guard d.section == 3, let key = d.row, let rows = report?.table3?.rows,
              let i = rows.firstIndex(where: { $0.key == key }),
              !rows[i].row.cells.contains(where: { $0.state == .number }) else { return false }
        return [i - 1, i + 1].contains { j in rows.indices.contains(j) && rows[j].row.found > rows[j].row.cells.count }
    }

    /// The scan's page of a 0-based line of its text view.
    static func page(of line: Int, ocr: OCRConfidence, layout: PositionedDocument?) -> Int? {
        if let p = ocr.cells[line]?.values.first?.page { return p }
        if case .page(let p, _)? = layout?.origins[line] { return p }
        return nil
    }

    /// `ocr-uncertain` in place of `d`: the cell read as `cell.text` is to be checked on the scan.
    static func uncertain(_ d: Diagnostic, cell: OCRConfidence.Cell, rowKey: String?, columnKey: String?,
                          position: SourcePosition?, severity: Severity) -> Diagnostic {
        let row = rowKey.map { FormatSpec.rowLabel($0)?.zh ?? $0 } ?? ""
        let rowEN = rowKey.map { FormatSpec.rowLabel($0)?.en ?? $0 } ?? ""
        let column = columnKey.map { columnName($0) } ?? Localized(zh: "", en: "")
        var u = Diagnostic(
            code: .ocrUncertain, severity: severity,
            message: Localized(
                zh: "第 \(cell.page) 页“\(row)”行" + (column.zh.isEmpty ? "" : "“\(column.zh)”列") + "识别为 \(cell.text)，请核对",
                en: "page \(cell.page), row \"\(rowEN)\"" + (column.en.isEmpty ? "" : ", column \"\(column.en)\"")
                    + " was read as \(cell.text): please check"),
            help: OCRUncertain().help, position: position, width: position == d.position ? d.width : max(1, cell.text.unicodeScalars.count),
            section: d.section, row: rowKey, columnKey: columnKey, actual: cell.text)
        // it asks for a look at the scan, not for a figure: no “应为” line
        u.isFix = false
        u.notes = [Localized(zh: "识别把握 \(Int(cell.confidence))%；若按识别结果计算：" + d.message.zh,
                             en: "read with \(Int(cell.confidence))% confidence; taken as read: " + d.message.en)]
        return u
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

/// Table 三 of a scan seen through its identities (each column: 一 + 二 = （七）总计 + 四 and
/// （七）总计 = the result rows; each row: 总计 = the six applicant columns): which broken identities a
/// misread can explain.
///
/// A cell read with low confidence is *doubtful* unless an identity through it holds with every
/// cell a number (a misread figure breaks every identity it is in). A finding is excused — it
/// becomes `ocr-uncertain` on that cell — only when one doubtful cell lies on every identity the
/// finding stands on: a culprit (`table3-wrong-cell`) only by its own cell, a broken row or column
/// only by a doubtful cell of it. A figure changed on the paper, read surely, keeps its error,
/// whatever cell next to it was read unsurely.
struct Table3Doubt {
    struct Ref: Hashable {
        var row: Int
        var column: Int
    }
    struct Suspect {
        var ref: Ref
        var read: OCRConfidence.Cell
        var position: SourcePosition?
    }
    enum Identity: Hashable {
        case rowTotal(Int), balance(Int), totalRow(Int)
    }

    let rowKeys: [String]
    let members: [Identity: Set<Ref>]
    /// The identities that do not hold, every cell a number.
    let broken: Set<Identity>
    /// Cells read with low confidence that no identity clears.
    let doubtful: [Ref: Suspect]

    init?(_ report: AnnualReport, ocr: OCRConfidence, layout: PositionedDocument) {
        guard let t3 = report.table3 else { return nil }
        let spec = report.format
        guard t3.rows.count == spec.table3Rows.count else { return nil }
        rowKeys = t3.rows.map(\.key)
        let columns = FormatSpec.table3ColumnKeys.count
        func value(_ r: Ref) -> Double? {
            let row = t3.rows[r.row].row
            guard row.aligned, r.column < row.cells.count, row.cells[r.column].state == .number else { return nil }
            return row.cells[r.column].value
        }
        var sides: [Identity: (plus: [Ref], minus: [Ref])] = [:]
        for r in t3.rows.indices {
            sides[.rowTotal(r)] = ((0..<(columns - 1)).map { Ref(row: r, column: $0) }, [Ref(row: r, column: columns - 1)])
        }
        let (lhs, rhs) = spec.table3BalanceRows
        let ti = spec.table3TotalRowIdentity
        for c in 0..<columns {
            sides[.balance(c)] = (lhs.map { Ref(row: $0, column: c) }, rhs.map { Ref(row: $0, column: c) })
            sides[.totalRow(c)] = (ti.parts.map { Ref(row: $0, column: c) }, [Ref(row: ti.whole, column: c)])
        }
        var members: [Identity: Set<Ref>] = [:]
        var broken: Set<Identity> = [], holding: Set<Identity> = []
        for (id, side) in sides {
            members[id] = Set(side.plus + side.minus)
            let plus = side.plus.map(value), minus = side.minus.map(value)
            guard !plus.contains(nil), !minus.contains(nil) else { continue }
            let residual = plus.reduce(0) { $0 + $1! } - minus.reduce(0) { $0 + $1! }
            if abs(residual) > 1e-9 { broken.insert(id) } else { holding.insert(id) }
        }
        self.members = members
        self.broken = broken
        var doubtful: [Ref: Suspect] = [:]
        for (r, row) in t3.rows.enumerated() {
            for (c, cell) in row.row.cells.prefix(columns).enumerated() {
                guard let position = cell.position, position.line - 1 < layout.lines.count,
                      let read = ocr.cells[position.line - 1]?[OCRHonesty.fieldIndex(layout.lines[position.line - 1], column: position.column)],
                      read.confidence < OCRHonesty.threshold else { continue }
                let ref = Ref(row: r, column: c)
                if holding.contains(where: { members[$0]?.contains(ref) == true }) { continue }
                doubtful[ref] = Suspect(ref: ref, read: read, position: position)
            }
        }
        self.doubtful = doubtful
    }

    /// The identities a finding stands on.
    func identities(of d: Diagnostic) -> Set<Identity> {
        let r = d.row.flatMap { rowKeys.firstIndex(of: $0) }
        let c = d.columnKey.flatMap { FormatSpec.table3ColumnKeys.firstIndex(of: $0) }
        switch d.code {
        case .table3WrongCell:
            guard let r, let c else { return [] }
            return broken.filter { members[$0]?.contains(Ref(row: r, column: c)) == true }
        case .table3RowTotal:
            return r.map { [.rowTotal($0)] } ?? []
        case .table3Identity:
            return c.map { [.balance($0)] } ?? []
        case .table3TotalRow:
            return c.map { [.totalRow($0)] } ?? []
        default:
            return []
        }
    }

    /// The doubtful cell on every identity the finding stands on (the least sure if several).
    func suspect(for d: Diagnostic) -> Suspect? {
        let ids = identities(of: d)
        guard !ids.isEmpty else { return nil }
        return doubtful.values
            .filter { s in ids.allSatisfy { members[$0]?.contains(s.ref) == true } }
            .min { ($0.read.confidence, $0.ref.row, $0.ref.column) < ($1.read.confidence, $1.ref.row, $1.ref.column) }
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
            // the numeral and its mark, or (both lost) the words alone; a speck read as a
            // character before the numeral (`和六、其他需要报告的事项`) goes with them
            let marks = "、，,.．。".unicodeScalars
            let body = marks.contains(scalars[1]) ? Array(scalars[2...])
                : marks.contains(scalars[2]) && "一二三四五六".unicodeScalars.contains(scalars[1]) ? Array(scalars[3...])
                : scalars
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
