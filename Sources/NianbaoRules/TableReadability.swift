import NianbaoModel

/// Whether the values of a table could be placed in its cells with confidence.
///
/// An office's own mistakes leave a recognisable shape: a row short by the same columns, a blank
/// cell, a wrong sum. A reader's mistakes leave another: a row with no values next to a row with
/// two rows' worth (values far from their labels, as in text copied out of a PDF in drawing
/// order). In that shape no row, column or sum can be trusted, so the table gets one finding,
/// `table-unreadable`, and none of the row, cell and arithmetic findings that would blame the
/// office for the reader's mistake.
public enum TableReadability {
    public struct Unreadable: Sendable, Equatable {
        /// The report section the table belongs to (2, 3 or 4).
        public var section: Int
        public var reason: Localized
        public var position: SourcePosition?
    }

    /// The tables of `report` whose values cannot be placed with confidence.
    public static func unreadable(_ report: AnnualReport) -> [Unreadable] {
        unreadable(report, rows: allRows(report))
    }

    static func unreadable(_ report: AnnualReport, rows: [AnyRow]) -> [Unreadable] {
        var out: [Unreadable] = []
        for section in [2, 3] {
            let present = rows.filter { $0.section == section && $0.written != nil }
            guard let width = present.first?.columns.count else { continue }
            // the same row shape can hold one or two of each; counts that fit no row are the sign
            let empty = present.filter { $0.row.found == 0 }
            let overfull = present.filter { $0.row.found >= 2 * $0.columns.count }
            guard !overfull.isEmpty, !empty.isEmpty || overfull.count >= 2 else { continue }
            let examples = (overfull.prefix(2) + empty.prefix(2)).sorted {
                ($0.written?.position ?? SourcePosition(line: 0, column: 0)) < ($1.written?.position ?? SourcePosition(line: 0, column: 0))
            }
            let zh = examples.map { "“\(short($0.label))”行读到 \($0.row.found) 个" }.joined(separator: "，")
            let en = examples.map { "row \"\(Label.row($0.key, label: $0.label).en)\" holds \($0.row.found)" }.joined(separator: ", ")
            out.append(Unreadable(
                section: section,
                reason: Localized(zh: "\(zh)（格式每行 \(width) 个）", en: "\(en) (the format has \(width) per row)"),
                position: present.first?.written?.position))
        }
        // Section 四 is one row: a misread shows as two rows' worth, or as a short row in a
        // document whose table 三 could not be read either (its values went there).
        if let t4 = report.table4 {
            let n = t4.row.cells.count
            if t4.row.found >= 2 * n || (out.contains { $0.section == 3 } && !t4.row.aligned && t4.row.found > 0) {
                out.append(Unreadable(
                    section: 4,
                    reason: Localized(zh: "读到 \(t4.row.found) 个数值（格式为 \(n) 个），且数值的先后顺序与表格对不上",
                                      en: "\(t4.row.found) values where the format has \(n), in an order that does not match the table"),
                    position: t4.headerPosition))
            }
        }
        return out
    }

    static func short(_ label: String) -> String {
        let scalars = Array(label.unicodeScalars)
        return scalars.count <= 14 ? label : String(String.UnicodeScalarView(scalars.prefix(12))) + "…"
    }

    /// Codes whose findings on an unreadable table would be the reader's mistakes.
    static func isSuppressed(_ d: Diagnostic, unreadable sections: Set<Int>) -> Bool {
        if d.code.hasPrefix("narrative-") { return sections.contains(3) || sections.contains(4) }
        guard let section = d.section, sections.contains(section) else { return false }
        return d.code.hasPrefix("cell-") || d.code.hasPrefix("table3-") || d.code.hasPrefix("table4-")
            || ["row-cell-count", "row-missing", "label-deviation", "amount-unit"].contains(d.code)
    }
}

/// One finding per table whose values could not be placed in cells with confidence.
struct TableUnreadable: Rule {
    let code = "table-unreadable"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "表格的数值无法可靠地对应到行和列（文字顺序被打乱），本表未核对",
                            en: "A table's values cannot be placed in rows and columns with confidence; it was not checked")
    let help = Localized(zh: "请提交原始 .docx 文件，或由 Word/WPS 直接导出的 PDF，不要提交从 PDF 或网页复制出来的文字。",
                         en: "Submit the original .docx, or a PDF exported directly from Word/WPS, not text copied out of a PDF or web page.")
    let example = Localized(zh: "error[table-unreadable]: 第三部分表格的数值无法可靠地对应到行和列：“（一）予以公开”行读到 0 个，“二、上年结转…”行读到 84 个",
                            en: "error[table-unreadable]: Section 3's table cannot be read with confidence: row \"(1) Disclosed\" holds 0, row \"II. Requests carried over from last year\" holds 84 (the format has 7 per row)")

    func check(_ input: RuleInput) -> [Diagnostic] {
        TableReadability.unreadable(input.report, rows: input.rows).map { u in
            let name = ["", "", "第二部分", "第三部分", "第四部分"][u.section]
            let nameEN = ["", "", "Section 2", "Section 3", "Section 4"][u.section]
            return finding(
                Localized(zh: "\(name)表格的数值无法可靠地对应到行和列：\(u.reason.zh)。可能是从 PDF 或网页复制文字时顺序被打乱，本表未核对",
                          en: "\(nameEN)'s table cannot be read with confidence: \(u.reason.en). The text's order was probably scrambled when it was copied out of a PDF or web page; the table was not checked"),
                help: Localized(zh: "请提交原始 .docx 文件，或由 Word/WPS 直接导出的 PDF，不要提交从 PDF 或网页复制出来的文字。",
                                en: "Submit the original .docx, or a PDF exported directly from Word/WPS, not text copied out of a PDF or web page."),
                at: u.position, section: u.section)
        }
    }
}

/// A file with none of a report's parts — no title, no section heading, no table — is not an
/// annual report (a wrong attachment, a cover letter): one finding says so, instead of eleven
/// "missing" ones.
struct NotAReport: Rule {
    let code = "not-a-report"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "文件不是政府信息公开工作年度报告（没有标题、各部分标题和统计表）",
                            en: "The file is not an annual report (no title, no section headings, no tables)")
    let help = Localized(zh: "请确认提交的是年度报告本身（不是通知、说明或其他附件）。",
                         en: "Check that the file is the annual report itself, not a notice or another attachment.")
    let example = Localized(zh: "error[not-a-report]: 这个文件不像政府信息公开工作年度报告：没有报告标题，没有“一、总体情况”等六个部分，也没有统计表",
                            en: "error[not-a-report]: This file does not look like an annual report on open government information: no title, none of the six sections, no tables")

    static func applies(_ r: AnnualReport) -> Bool {
        r.title == nil && r.sections.isEmpty && r.table2 == nil && r.table3 == nil && r.table4 == nil
    }

    func check(_ input: RuleInput) -> [Diagnostic] {
        guard Self.applies(input.report) else { return [] }
        return [finding(
            Localized(zh: "这个文件不像政府信息公开工作年度报告：没有报告标题，没有“一、总体情况”等六个部分，也没有统计表",
                      en: "This file does not look like an annual report on open government information: no title, none of the six sections, no tables"),
            help: Localized(zh: "请确认提交的是年度报告本身（不是通知、说明或其他附件）；报告应按国务院办公厅规定的格式编写。",
                            en: "Check that the file is the annual report itself (not a notice or another attachment), written in the national format."))]
    }
}
