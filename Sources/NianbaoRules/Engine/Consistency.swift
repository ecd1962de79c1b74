import NianbaoModel
import NianbaoCore

/// One fix per row and per cell: findings whose fixes cannot all be followed are merged into
/// the one the rest of the evidence supports.
///
/// - A missing row next to a row holding twice its values: the missing row is there, under a
///   label the format does not know (or with none), and its values were read into its
///   neighbour. One finding names the row and the label to write; the neighbour's “too many
///   values” and “rename your label” findings go (following them would break the table).
/// - A blank cell the arithmetic gives a number: the blank's finding asks for that number, not 0.
enum Consistency {
    static func resolve(_ out: inout [Diagnostic], _ input: RuleInput) {
        var drop = Set<Int>()
        let rows = input.rows
        func index(_ code: Code, section: Int?, row: String?) -> Int? {
            out.indices.first { i in
                out[i].code == code && out[i].section == section && out[i].row == row && !drop.contains(i)
            }
        }
        for i in out.indices where out[i].code == .rowMissing {
            guard let y = rows.firstIndex(where: { $0.section == out[i].section && $0.key == out[i].row }) else { continue }
            // the neighbours are told by index: the rows are copied only for a finding rewritten
            let section = rows[y].section
            let n = rows[y].columns.count
            let nextIndex = y + 1 < rows.count && rows[y + 1].section == section ? y + 1 : nil
            let prevIndex = y > 0 && rows[y - 1].section == section ? y - 1 : nil
            func doubled(_ k: Int?) -> Bool { k.map { rows[$0].written != nil && rows[$0].row.found == 2 * n } ?? false }
            let nextDoubled = doubled(nextIndex), prevDoubled = doubled(prevIndex)
            let deviates = nextDoubled ? index(.labelDeviation, section: rows[nextIndex!].section, row: rows[nextIndex!].key) : nil
            if nextDoubled, deviates != nil || !prevDoubled {
                let d = out[i]
                let missing = rows[y], next = rows[nextIndex!], w = next.written!
                // the row in the missing row's place carries the next row's label: its values,
                // then the next row's own, were read into the next row
                let nextName = Label.row(next.key, label: next.label)
                let name = Label.row(missing.key, label: missing.label)
                var m = d
                m.message = comparable(w.text) == comparable(next.label)
                    ? Localized(zh: "\(missing.tableName)表格缺少“\(missing.label)”行：其位置上的行与下一行同样写作“\(w.text)”",
                                en: "Section \(missing.section)'s table lacks the row \"\(name.en)\": the row in its place is labelled \"\(w.text)\" like the next one")
                    : Localized(zh: "\(missing.tableName)表格缺少“\(missing.label)”行：其位置上的行写作“\(w.text)”，致使“\(next.label)”行读到 \(next.row.found) 个数值",
                                en: "Section \(missing.section)'s table lacks the row \"\(name.en)\": the row in its place is labelled \"\(w.text)\", so the row \"\(nextName.en)\" holds \(next.row.found) values")
                m.help = Localized(zh: "把该行的行名“\(w.text)”改为“\(missing.label)”（行名按格式原文填写）；“\(next.label)”行照原样保留。",
                                   en: "Label that row \"\(missing.label)\" instead of \"\(w.text)\" (the format's words); leave the row \"\(nextName.en)\" as it is.")
                m.position = w.position
                m.width = w.text.unicodeScalars.count
                m.label = Localized(zh: "应为“\(missing.label)”", en: "format: \"\(missing.label)\"")
                m.expected = missing.label
                m.actual = w.text
                m.expectedText = .quoted(missing.label)
                m.actualText = .quoted(w.text)
                out[i] = m
                if let j = deviates { drop.insert(j) }
                if let j = index(.rowCellCount, section: next.section, row: next.key) { drop.insert(j) }
            } else if prevDoubled {
                // the missing row's values follow the row before it, under no label the format knows
                let d = out[i]
                let missing = rows[y], prev = rows[prevIndex!]
                let prevName = Label.row(prev.key, label: prev.label)
                let name = Label.row(missing.key, label: missing.label)
                var m = d
                m.message = Localized(zh: "\(missing.tableName)表格缺少“\(missing.label)”行的行名：“\(prev.label)”行之后的一行 \(n) 个数值没有可识别的行名，被读进了“\(prev.label)”行（\(prev.row.found) 个数值）",
                                      en: "Section \(missing.section)'s table lacks the label of row \"\(name.en)\": a row of \(n) values after the row \"\(prevName.en)\" has no label the format knows and was read into it (\(prev.row.found) values)")
                m.help = Localized(zh: "在这一行数值前写上行名“\(missing.label)”（按格式原文）。",
                                   en: "Write the label \"\(missing.label)\" before that row's values, in the format's words.")
                if let cell = prev.row.extra.first(where: { $0.position != nil }), let p = cell.position {
                    m.position = p
                    m.width = max(cell.width, 1)
                    m.label = Localized(zh: "此行应为“\(missing.label)”", en: "row \"\(name.en)\"")
                }
                m.expectedText = .quoted(missing.label)
                m.actualText = Localized(zh: "无行名", en: "no label")
                m.expected = missing.label
                m.actual = m.actualText?.zh
                out[i] = m
                if let j = index(.rowCellCount, section: prev.section, row: prev.key) { drop.insert(j) }
            }
        }
        // a cell: a number the arithmetic gives is the fix, whichever finding names the cell
        var numeric: [CellKey: (value: String, help: Localized)] = [:]
        for i in out.indices where out[i].isFix && out[i].expected != nil && out[i].code != .cellBlank && out[i].code != .cellDash {
            guard let key = CellKey(out[i]), let e = out[i].expected, Double(e) != nil else { continue }
            numeric[key] = numeric[key] ?? (e, out[i].help)
        }
        if !numeric.isEmpty {
            for i in out.indices where out[i].code == .cellBlank || out[i].code == .cellDash {
                guard let key = CellKey(out[i]), let fix = numeric[key], out[i].expected != fix.value else { continue }
                out[i].expected = fix.value
                out[i].expectedText = nil
                out[i].help = Localized(zh: "填上 \(fix.value)。", en: "Write \(fix.value).") + fix.help
                out[i].label = Localized(zh: "应填 \(fix.value)", en: "must be \(fix.value)")
            }
        }
        if !drop.isEmpty { out = out.indices.filter { !drop.contains($0) }.map { out[$0] } }
    }

    private struct CellKey: Hashable {
        var section: Int
        var row: String?
        var column: String
        init?(_ d: Diagnostic) {
            guard let s = d.section, let c = d.columnKey else { return nil }
            section = s
            row = d.row
            column = c
        }
    }
}
