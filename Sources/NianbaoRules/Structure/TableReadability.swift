import NianbaoModel
import NianbaoCore

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
            // told by counting first: the rows are gathered only for a table in the misread shape
            var emptyCount = 0, overfullCount = 0
            for r in rows.indices where rows[r].section == section && rows[r].written != nil {
                let found = rows[r].row.found
                if found == 0 { emptyCount += 1 }
                if found >= 2 * rows[r].columns.count { overfullCount += 1 }
            }
            guard overfullCount > 0, emptyCount > 0 || overfullCount >= 2 else { continue }
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
        // rows whose labels are written in the table, but not in their place: the text is out of
        // the table's order, and what would be called missing rows is the reader's mistake
        if let t3 = report.table3, !t3.labelsOutOfPlace.isEmpty, !out.contains(where: { $0.section == 3 }) {
            let first = t3.rows.first { $0.key == t3.labelsOutOfPlace[0] }
            let n = t3.labelsOutOfPlace.count
            let zh = "“\(short(first?.label ?? ""))”\(n > 1 ? "等 \(n) 行" : "行")的行名写在表中，但不在该行的位置上"
            let en = "the label\(n > 1 ? "s of \(n) rows" : "") (row \"\(first.map { Label.row($0.key, label: $0.label).en } ?? "")\"\(n > 1 ? " first" : "")) stand\(n > 1 ? "" : "s") in the table, out of place"
            out.append(Unreadable(section: 3, reason: Localized(zh: zh, en: en), position: t3.rows.first { $0.written != nil }?.written?.position))
        }
        // Section 四 is one row: a misread shows as two rows' worth, or as a short row in a
        // document whose table 三 could not be read either (its values went there), or could
        // be read only by taking its values in the text's order (a text out of the tables' order).
        if let t4 = report.table4 {
            let n = t4.row.cells.count
            let outOfOrder = out.contains { $0.section == 3 } || report.table3?.valuesInOrder == true
            if t4.row.found >= 2 * n || (outOfOrder && !t4.row.aligned && t4.row.found > 0) {
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

    /// Whether a finding on an unreadable table would be the reader's mistake (its code says).
    static func isSuppressed(_ d: Diagnostic, unreadable sections: Set<Int>) -> Bool {
        switch d.code.onUnreadableTable {
        case .kept: return false
        case .droppedWithTable3Or4: return sections.contains(3) || sections.contains(4)
        case .droppedWithItsTable: return d.section.map(sections.contains) ?? false
        }
    }
}
