import NianbaoModel
import NianbaoRules
import NianbaoCore

/// Findings the note shows as one, counted once: a column (or a row) of blank cells, the rows a
/// truncated table lacks, rows short by the same count, findings of one kind on one line of
/// prose. The JSON still lists every finding on its own.
struct NoteGroup: Sendable {
    var members: [Diagnostic]
    /// What the group is about, in place of the first finding's message; nil for findings of one
    /// kind on one line of prose (shown as the first one, then the others' messages).
    var title: Localized?
    /// The help when the members' helps differ.
    var help: Localized?
    /// Each member's place (a row, a column), in order.
    var places: [Localized]
    /// Findings the lead's message already tells (counted, not shown).
    var absorbed: [Diagnostic] = []
    /// What the places are: rows (true) or cells of one row (false).
    var placesAreRows = true
    var lead: Diagnostic { members[0] }

    static func single(_ d: Diagnostic) -> NoteGroup { NoteGroup(members: [d], title: nil, help: nil, places: []) }

    init(members: [Diagnostic], title: Localized?, help: Localized?, places: [Localized], absorbed: [Diagnostic] = [], placesAreRows: Bool = true) {
        self.members = members
        self.title = title
        self.help = help
        self.places = places
        self.absorbed = absorbed
        self.placesAreRows = placesAreRows
    }

    /// The findings in note order, grouped. A group stands where its first finding stood.
    static func group(_ ds: [Diagnostic], report: AnnualReport) -> [NoteGroup] {
        var taken = Array(repeating: false, count: ds.count)
        var groups: [Int: NoteGroup] = [:]
        let names = Names(report: report)
        // blank or dash cells, which the note gathers by table, row or column
        func isCell(_ d: Diagnostic) -> Bool { d.code.grouping == .blankCells || d.code.grouping == .dashCells }

        func buckets<K: Hashable>(_ include: (Diagnostic) -> Bool, _ key: (Diagnostic) -> K) -> [[Int]] {
            var order: [K] = []
            var out: [K: [Int]] = [:]
            for (i, d) in ds.enumerated() where !taken[i] && include(d) {
                let k = key(d)
                if out[k] == nil { order.append(k) }
                out[k, default: []].append(i)
            }
            return order.map { out[$0]! }
        }
        func claim(_ idx: [Int], _ make: ([Diagnostic]) -> NoteGroup) {
            for i in idx { taken[i] = true }
            groups[idx[0]] = make(idx.map { ds[$0] })
        }
        struct Key: Hashable { var code: Code; var severity: Severity; var section: Int?; var a: String?; var b: String? }

        // 0. the blank cells of a row that holds too few or too many cells: the row's finding
        // already counts them, and which columns they sit in cannot be told
        for (i, d) in ds.enumerated() where d.code.grouping == .rowCounts && d.row != nil {
            let inside = ds.indices.filter { j in
                !taken[j] && isCell(ds[j]) && ds[j].section == d.section && ds[j].row == d.row
            }
            guard !inside.isEmpty else { continue }
            for j in inside { taken[j] = true }
            taken[i] = true
            groups[i] = NoteGroup(members: [d], title: nil, help: nil, places: [], absorbed: inside.map { ds[$0] })
        }
        // 1a. a table left blank altogether
        for idx in buckets({ $0.code.grouping == .blankCells }, { Key(code: $0.code, severity: $0.severity, section: $0.section) })
            where idx.count >= 4 && idx.count == names.cellCount(section: ds[idx[0]].section ?? 0) {
            claim(idx) { ms in
                let section = ms[0].section ?? 0
                return NoteGroup(
                    members: ms,
                    title: Localized(zh: "\(names.table(section).zh)表格整表空白（\(ms.count) 格都没有填）",
                                     en: "\(names.table(section).en)'s table is blank throughout (none of its \(ms.count) cells is filled)"),
                    help: Localized(zh: "按实际情况逐格填写：没有发生的填 0，总计填所列各数之和。", en: "Fill every cell: 0 where nothing happened, a total with the sum of its parts."),
                    places: [])
            }
        }
        // 1b. rows left blank from end to end
        for idx in buckets({ $0.code.grouping == .blankCells && $0.row != nil }, { Key(code: $0.code, severity: $0.severity, section: $0.section) }) {
            let section = ds[idx[0]].section ?? 0
            var byRow: [String: [Int]] = [:]
            for i in idx { byRow[ds[i].row!, default: []].append(i) }
            // a row whose cells the identities give (the （七）总计 row under filled columns) is
            // listed cell by cell, each with its number
            let implied = Set(idx.filter { !Self.value(ds[$0]).zh.isEmpty }.map { ds[$0].row! })
            let whole = idx.filter { i in
                let (found, format) = names.cellCount(section: section, key: ds[i].row)
                return found == format && byRow[ds[i].row!]!.count == format && !implied.contains(ds[i].row!)
            }
            let rows = Set(whole.map { ds[$0].row! })
            guard rows.count >= 2 else { continue }
            claim(whole) { ms in
                var order: [String] = []
                for m in ms where !order.contains(m.row!) { order.append(m.row!) }
                return NoteGroup(
                    members: ms,
                    title: Localized(zh: "\(names.table(section).zh)有 \(order.count) 行整行为空（共 \(ms.count) 格）",
                                     en: "\(names.table(section).en): \(order.count) rows are blank from end to end (\(ms.count) cells)"),
                    help: Localized(zh: "逐行填上各格：没有发生的填 0，总计填本行各数之和。", en: "Fill each row: 0 where nothing happened, the total with the row's sum."),
                    places: order.map { names.row(section: section, key: $0) })
            }
        }
        // 1. a column of blank (or dash) cells down a table
        for idx in buckets({ isCell($0) && $0.row != nil }, { Key(code: $0.code, severity: $0.severity, section: $0.section, a: $0.columnKey) })
            where idx.count >= 3 {
            claim(idx) { ms in
                let d = ms[0], section = d.section ?? 0
                let column = names.column(section: section, row: d.row, key: d.columnKey)
                let whole = ms.count == names.rowCount(section: section)
                let what = d.code.grouping == .blankCells ? Localized(zh: "为空", en: "blank") : Localized(zh: "填了“-”“/”或“无”而不是数字", en: "a dash instead of a number")
                return NoteGroup(
                    members: ms,
                    title: Localized(zh: "\(names.table(section).zh)“\(column.zh)”列有 \(ms.count) 格\(what.zh)" + (whole ? "（整列）" : ""),
                                     en: "\(names.table(section).en): column \"\(column.en)\" is \(what.en) in \(ms.count) rows" + (whole ? " (the whole column)" : "")),
                    help: Self.fillHelp(ms),
                    places: ms.map { m in names.row(section: section, key: m.row) + Self.value(m) })
            }
        }
        // 2. blank (or dash) cells of one row, or of section 四's one row
        for idx in buckets({ isCell($0) }, { Key(code: $0.code, severity: $0.severity, section: $0.section, a: $0.row) })
            where idx.count >= 2 {
            claim(idx) { ms in
                let d = ms[0], section = d.section ?? 0
                let place = d.row.map { names.row(section: section, key: $0) }.map { Localized(zh: "“\($0.zh)”行", en: "row \"\($0.en)\"") }
                    ?? Localized(zh: "\(names.table(section).zh)表格", en: "\(names.table(section).en)'s table")
                let what = d.code.grouping == .blankCells ? Localized(zh: "为空", en: "blank") : Localized(zh: "填了“-”“/”或“无”而不是数字", en: "a dash instead of a number")
                return NoteGroup(
                    members: ms,
                    title: Localized(zh: "\(place.zh)有 \(ms.count) 格\(what.zh)", en: "\(place.en): \(ms.count) cells \(d.code.grouping == .blankCells ? "are" : "hold") \(what.en)"),
                    help: Self.fillHelp(ms),
                    places: ms.map { m in names.column(section: section, row: m.row, key: m.columnKey) + Self.value(m) },
                    placesAreRows: false)
            }
        }
        // 3. the rows a table lacks
        for idx in buckets({ $0.code.grouping == .missingRows && $0.actualText == .noSuchRow }, { Key(code: $0.code, severity: $0.severity, section: $0.section) }) where idx.count >= 2 {
            claim(idx) { ms in
                let section = ms[0].section ?? 0
                let labels = ms.map { names.row(section: section, key: $0.row) }
                return NoteGroup(
                    members: ms,
                    title: Localized(zh: "\(names.table(section).zh)表格缺少 \(ms.count) 行（从“\(labels[0].zh)”到“\(labels[labels.count - 1].zh)”）",
                                     en: "\(names.table(section).en)'s table lacks \(ms.count) rows (from \"\(labels[0].en)\" to \"\(labels[labels.count - 1].en)\")"),
                    help: Localized(zh: "补上缺少的各行及其数值（总计填所列各数之和，没有发生的填 0）；表格可能被截断，请核对原表。",
                                    en: "Add the missing rows with their values (a total with the sum of its parts, 0 where nothing happened); the table may have been cut off."),
                    places: labels)
            }
        }
        // 4. rows holding the same wrong number of values
        for idx in buckets({ $0.code.grouping == .rowCounts && $0.row != nil },
                           { Key(code: $0.code, severity: $0.severity, section: $0.section, a: $0.expected, b: $0.actual) }) where idx.count >= 2 {
            claim(idx) { ms in
                let section = ms[0].section ?? 0
                let (found, format) = names.cellCount(section: section, key: ms[0].row)
                let blanks = ms[0].actual?.contains("、") == true
                let title = found < format
                    ? Localized(zh: "\(names.table(section).zh)有 \(ms.count) 行只有 \(found) \(blanks ? "个单元格" : "个数值")，格式为 \(format) 个；无法判断缺的是哪几列，这些行的勾稽关系无法核对",
                                en: "\(names.table(section).en): \(ms.count) rows hold \(found) of \(format) \(blanks ? "cells" : "values"); which columns are missing cannot be told, so their sums cannot be verified")
                    : Localized(zh: "\(names.table(section).zh)有 \(ms.count) 行各有 \(found) 个数值，格式为 \(format) 个",
                                en: "\(names.table(section).en): \(ms.count) rows hold \(found) values where the format has \(format)")
                return NoteGroup(members: ms, title: title, help: nil, places: ms.map { names.row(section: section, key: $0.row) })
            }
        }
        // 4b. the sections a report lacks
        for idx in buckets({ $0.code.grouping == .missingSections }, { Key(code: $0.code, severity: $0.severity) }) where idx.count >= 2 {
            claim(idx) { ms in
                let headings = ms.compactMap { m in m.section.map { FormatSpec.sections[$0 - 1] } }
                return NoteGroup(
                    members: ms,
                    title: Localized(zh: "缺少 \(ms.count) 个部分：" + headings.map { "“\($0.numeral)、\($0.heading)”" }.joined(separator: "、"),
                                     en: "\(ms.count) sections are missing: " + headings.map { "\($0.number) (\($0.headingEN))" }.joined(separator: ", ")),
                    help: Localized(zh: "按国家格式补上这些部分及其内容；六个部分须按一至六的顺序排列。",
                                    en: "Add these sections with their content; the six sections go in order."),
                    places: [])
            }
        }
        // 5. findings of one kind on one line of prose (the title's, a sentence's)
        var i = 0
        while i < ds.count {
            guard !taken[i], ds[i].row == nil, ds[i].columnKey == nil, let line = ds[i].position?.line,
                  ds[i].code.grouping == .proseLine else { i += 1; continue }
            var j = i + 1
            while j < ds.count, !taken[j], ds[j].code == ds[i].code, ds[j].severity == ds[i].severity, ds[j].row == nil,
                  ds[j].columnKey == nil, ds[j].position?.line == line {
                j += 1
            }
            if j - i > 1 {
                claim(Array(i..<j)) { ms in NoteGroup(members: ms, title: nil, help: nil, places: ms.map(\.message)) }
            }
            i = j
        }
        return ds.indices.compactMap { i in groups[i] ?? (taken[i] ? nil : single(ds[i])) }
    }

    /// “（应填 1362）” after a blank (or dash) cell whose value the identities tell.
    static func value(_ d: Diagnostic) -> Localized {
        guard d.code.grouping == .blankCells || d.code.grouping == .dashCells else { return Localized(zh: "", en: "") }
        if d.expectedText == .fromIdentities { return Localized(zh: "（须推算）", en: " (to work out)") }
        guard let e = d.expected, Double(e) != nil else { return Localized(zh: "", en: "") }
        return Localized(zh: "（应填 \(e)）", en: " (must be \(e))")
    }

    /// The help of a group of blank (or dash) cells: the numbers the identities give, the sums
    /// the totals take, and 0 only for the cells neither tells.
    static func fillHelp(_ ms: [Diagnostic]) -> Localized? {
        let pending = ms.filter { $0.expectedText == .fromIdentities }
        let told = ms.filter { !value($0).zh.isEmpty && $0.expectedText != .fromIdentities }
        let totals = ms.filter { $0.expectedText == .sumOfParts }
        let rest = ms.count - told.count - totals.count - pending.count
        let verb = ms[0].code.grouping == .blankCells ? Localized(zh: "不要留空", en: "leave none blank") : Localized(zh: "不要用“-”“/”“无”", en: "no dashes")
        if !told.isEmpty && totals.isEmpty && pending.isEmpty && rest == 0 {
            return Localized(zh: "逐格填上括号中的数（按勾稽关系推算），\(verb.zh)。",
                             en: "Write in each cell the number given (from the identities); \(verb.en).")
        }
        var zh: [String] = [], en: [String] = []
        if !told.isEmpty {
            zh.append("括号中的数按勾稽关系推算")
            en.append("the numbers given follow from the identities")
        }
        if !pending.isEmpty {
            zh.append("标“须推算”的格先改正其他错误，再按勾稽关系推算")
            en.append("those marked \"to work out\" follow from the identities once the other errors are corrected")
        }
        if !totals.isEmpty {
            zh.append("总计填所列各数之和")
            en.append("a total holds the sum of its parts")
        }
        if rest > 0 {
            let alone = told.isEmpty && totals.isEmpty && pending.isEmpty
            zh.append(alone ? "没有发生的填 0" : "其余没有发生的填 0")
            en.append(alone ? "0 where nothing happened" : "0 where nothing happened in the others")
        }
        return Localized(zh: "逐格填上：" + zh.joined(separator: "，") + "，\(verb.zh)。",
                         en: "Fill each cell: " + en.joined(separator: "; ") + "; \(verb.en).")
    }
}

/// Names of a report's tables, rows and columns as the note writes them.
struct Names {
    let report: AnnualReport

    func table(_ section: Int) -> Localized {
        section == 2 ? Localized(zh: "第二部分", en: "Section 2") : section == 3 ? Localized(zh: "第三部分", en: "Section 3")
            : section == 4 ? Localized(zh: "第四部分", en: "Section 4") : Localized(zh: "表格", en: "A table")
    }

    func row(section: Int, key: String?) -> Localized {
        guard let key else { return Localized(zh: "", en: "") }
        let label = section == 3 ? report.table3?.row(key)?.label : section == 2 ? report.table2?.rows.first { $0.key == key }?.label : nil
        let names = report.format.rowLabel(key)
        return Localized(zh: label ?? names?.zh ?? key, en: names?.en ?? key)
    }

    func column(section: Int, row: String?, key: String?) -> Localized {
        guard let key else { return Localized(zh: "", en: "") }
        switch section {
        case 3:
            if let i = FormatSpec.table3ColumnKeys.firstIndex(of: key) {
                return Localized(zh: FormatSpec.table3ColumnLabels[i], en: FormatSpec.table3ColumnLabelsEN[i])
            }
        case 4:
            if let i = FormatSpec.table4ColumnKeys.firstIndex(of: key) {
                return Localized(zh: FormatSpec.table4ColumnLabel(i), en: FormatSpec.table4ColumnLabelEN(i))
            }
        case 2:
            if let r = report.table2?.rows.first(where: { $0.key == row }),
               let block = report.format.table2.first(where: { $0.caption == r.block }), let c = block.columnKeys.firstIndex(of: key) {
                return Localized(zh: block.columns[c], en: block.columnsEN[c])
            }
        default: break
        }
        return Localized(zh: key, en: key)
    }

    /// Rows of a table that the text holds (for “the whole column”).
    func rowCount(section: Int) -> Int {
        switch section {
        case 2: return report.table2?.rows.filter { $0.written != nil }.count ?? 0
        case 3: return report.table3?.rows.filter(\.present).count ?? 0
        default: return 1
        }
    }

    /// Cells of a table's rows that the text holds, when each sits in its own column.
    func cellCount(section: Int) -> Int {
        switch section {
        case 2: return report.table2?.rows.filter { $0.written != nil && $0.row.aligned }.reduce(0) { $0 + $1.row.cells.count } ?? 0
        case 3: return report.table3?.rows.filter { $0.present && $0.row.aligned }.reduce(0) { $0 + $1.row.cells.count } ?? 0
        case 4: return report.table4.map { $0.row.aligned ? $0.row.cells.count : 0 } ?? 0
        default: return 0
        }
    }

    /// Cells a row holds and cells the format has.
    func cellCount(section: Int, key: String?) -> (Int, Int) {
        if section == 3, let r = report.table3?.rows.first(where: { $0.key == key }) { return (r.row.found, r.row.cells.count) }
        if section == 2, let r = report.table2?.rows.first(where: { $0.key == key }) { return (r.row.found, r.row.cells.count) }
        return (0, 0)
    }
}

extension Localized {
    static func + (a: Localized, b: Localized) -> Localized { Localized(zh: a.zh + b.zh, en: a.en + b.en) }
}

/// The findings grouped as a note shows them, made once for the text note and the web page.
public struct NoteGroups: Sendable {
    let groups: [NoteGroup]
    public init(_ diagnostics: [Diagnostic], report: AnnualReport) {
        groups = NoteGroup.group(diagnostics, report: report)
    }
}
