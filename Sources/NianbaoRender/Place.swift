import NianbaoModel
import NianbaoRules
import NianbaoCore

/// Where a finding is, in the terms a person finds it by in the file they have open: a line and
/// column of a text file; the table's number, the row and the column of a Word or web table (with
/// the row's label and the column's name); the paragraph of a Word document's prose; the page of
/// a PDF, with the row and column when the finding is a table's.
public struct FindingPlace: Sendable, Equatable {
    public var origin: DocumentOrigin
    /// The format's label of the finding's row, when it names one.
    public var rowLabel: Localized?
    /// The format's name of the finding's column, when it names one.
    public var columnLabel: Localized?

    /// The place of `d` in the document `layout` describes (plain text when nil); nil when the
    /// finding has no position. (`d` is borrowed: an initializer's arguments are otherwise
    /// passed owned, which copies the finding for each place made and destroys the copy.)
    public init?(_ d: borrowing Diagnostic, layout: PositionedDocument?, format: FormatSpec? = nil) {
        guard let p = d.position else { return nil }
        origin = layout?.origin(line: p.line, column: p.column) ?? .text(line: p.line, column: p.column)
        // without the report's format, the edition whose section 二 block has this row and column
        // (looked for only then: the search's closure would copy the finding into its context)
        let spec = if let format { format } else { Self.edition(of: d) }
        if let key = d.row, let names = spec.rowLabel(key) {
            rowLabel = Localized(zh: names.zh, en: names.en)
        }
        if let key = d.columnKey, let section = d.section,
           let names = spec.columnLabel(section: section, row: d.row, key: key) {
            columnLabel = Localized(zh: names.zh, en: names.en)
        }
    }

    /// The edition whose section 二 block has the row and column of `d`; 2021's when neither has.
    static func edition(of d: Diagnostic) -> FormatSpec {
        [FormatSpec.y2021, .y2019].first { spec in
            spec.table2.contains { b in b.rows.contains { $0.key == d.row } && d.columnKey.map(b.columnKeys.contains) == true }
        } ?? .y2021
    }

    /// Whether the place is the text's own line and column (a plain-text file).
    public var isText: Bool {
        if case .text = origin { return true }
        return false
    }

    /// How a clerk finds the place, after the file's name: `第 2 个表格，第 10 行（“3.危及…”），
    /// 第 4 列（“自然人”）`, `第 3 页，“（一）予以公开”行，“自然人”列`, `正文第 5 段`.
    public func describe(_ language: Language) -> String {
        let zh = language == .zh
        func named(_ l: Localized?) -> String {
            guard let l else { return "" }
            return zh ? "（“\(l.zh)”）" : " (\"\(l.en)\")"
        }
        switch origin {
        case .text(let l, let c):
            return "\(l):\(c)"
        case .table(let t, let r, let c):
            return zh ? "第 \(t) 个表格，第 \(r) 行\(named(rowLabel))，第 \(c) 列\(named(columnLabel))"
                : "table \(t), row \(r)\(named(rowLabel)), column \(c)\(named(columnLabel))"
        case .page:
            var parts = [origin.describe(language)]
            if let rowLabel { parts.append(zh ? "“\(rowLabel.zh)”行" : "row \"\(rowLabel.en)\"") }
            if let columnLabel { parts.append(zh ? "“\(columnLabel.zh)”列" : "column \"\(columnLabel.en)\"") }
            return parts.joined(separator: zh ? "，" : ", ")
        case .paragraph, .pageTitle:
            return origin.describe(language)
        }
    }

    /// The place in `nianbao.report/2`: `{"line", "column"}` in a text file, `{"table", "row",
    /// "column"}` in a Word or web table, `{"page", "box"}` in a PDF, OFD or scan (the box, `[x0, y0, x1, y1]` in points from the
    /// page's top left corner, where the reader knows it), `{"paragraph"}` in a Word
    /// document's prose; with `row_label` and `column_label` (the format's Chinese labels, as the
    /// document shows them) when the finding names its row or column.
    public var json: JSON {
        var fields: [(String, JSON)]
        switch origin {
        case .text(let l, let c): fields = [("line", .int(l)), ("column", .int(c))]
        case .table(let t, let r, let c): fields = [("table", .int(t)), ("row", .int(r)), ("column", .int(c))]
        case .page(let p, let box):
            fields = [("page", .int(p))]
            if let box { fields.append(("box", .array(Self.points(box).map { JSON.number($0) }))) }
        case .paragraph(let n): fields = [("paragraph", .int(n))]
        case .pageTitle: fields = [("page_title", .bool(true))]
        }
        if let rowLabel { fields.append(("row_label", .string(rowLabel.zh))) }
        if let columnLabel { fields.append(("column_label", .string(columnLabel.zh))) }
        return .object(fields)
    }

    /// A box's corners `[x0, y0, x1, y1]` in points from the page's top left corner, to a tenth
    /// of a point.
    public static func points(_ box: Document.Box) -> [Double] {
        [box.x0, box.y0, box.x1, box.y1].map { (Double($0) * 10).rounded() / 10 }
    }

    /// Writes `json` as the value at the writer's current place, member by member, with no
    /// `JSON` value built first (one per finding of every document).
    public func write(into w: JSONWriter) {
        w.beginObject()
        switch origin {
        case .text(let l, let c):
            w.key("line"); w.int(l)
            w.key("column"); w.int(c)
        case .table(let t, let r, let c):
            w.key("table"); w.int(t)
            w.key("row"); w.int(r)
            w.key("column"); w.int(c)
        case .page(let p, let box):
            w.key("page"); w.int(p)
            if let box {
                w.key("box")
                w.beginArray(inline: true)
                for v in Self.points(box) { w.number(v) }
                w.endArray()
            }
        case .paragraph(let n):
            w.key("paragraph"); w.int(n)
        case .pageTitle:
            w.key("page_title"); w.bool(true)
        }
        if let rowLabel { w.key("row_label"); w.string(rowLabel.zh) }
        if let columnLabel { w.key("column_label"); w.string(columnLabel.zh) }
        w.endObject()
    }
}
