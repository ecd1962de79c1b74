import NianbaoModel
import NianbaoRules
import NianbaoText

/// Text made safe for HTML: everything that comes from a report goes through this, so a label or
/// paragraph holding `<script>` or a quote is shown as text, never read as markup.
public func htmlEscape(_ s: String) -> String {
    // most of what a page shows needs nothing: returned as it is
    var clean = true
    for b in s.utf8 where b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
        clean = false
        break
    }
    if clean { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 32)
    for b in s.utf8 {
        switch b {
        case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
        case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
        case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
        case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
        case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
        case 0x09, 0x0A, 0x0D: out.append(b)
        // other controls are not text
        case ..<0x20: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        default: out.append(b)
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// A page being written: bytes, appended to without the bookkeeping of a `String` (a page is
/// a few thousand small appends).
struct HTMLOut {
    var bytes: [UInt8] = []

    static func += (out: inout HTMLOut, s: String) {
        var s = s
        s.withUTF8 { out.bytes.append(contentsOf: $0) }
    }

    static func += (out: inout HTMLOut, other: HTMLOut) {
        out.bytes.append(contentsOf: other.bytes)
    }

    static func + (out: HTMLOut, s: String) -> HTMLOut {
        var out = out
        out += s
        return out
    }

    /// `s` as text: escaped as `htmlEscape` does, in one pass.
    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { u in
            // most text needs nothing: one copy
            if !u.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
                bytes.append(contentsOf: u)
                return
            }
            for b in u {
                switch b {
                case 0x26: bytes.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])
                case 0x3C: bytes.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])
                case 0x3E: bytes.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])
                case 0x22: bytes.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])
                case 0x27: bytes.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])
                case 0x09, 0x0A, 0x0D: bytes.append(b)
                case ..<0x20: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
                default: bytes.append(b)
                }
            }
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// The note as one self-contained web page (`<name>.审核意见.html`): a banner with the verdict,
/// the findings grouped as in the text note, and the report's tables 二, 三 and 四 drawn as grids
/// in the format's layout with the report's own figures, each finding's cells marked (error red,
/// warning amber, blank hatched) and linked to the finding and back. Inline CSS only: no script,
/// nothing fetched, so it opens from the share in any browser.
///
/// Every table cell carries `data-table`, `data-row` (the format's row key) and `data-col` (the
/// column key), and a marked one `data-findings` (the ids of its findings, `f1 f2`) and
/// `data-severity`, so a test can check a rendered page cell by cell.
public struct HTMLNoteRenderer: Sendable {
    public var language: Language
    public var layout: PositionedDocument?
    public var format: FormatSpec?

    public init(language: Language = .zh, layout: PositionedDocument? = nil, format: FormatSpec? = nil) {
        self.language = language
        self.layout = layout
        self.format = format
    }

    /// What a finding marks in the tables.
    struct Mark {
        var id: String
        var severity: Severity
        var message: String
        /// `10 → 7`, `空 → 1362`: the implied value, when the finding names one.
        var change: String?
    }

    func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    public func render(header: NoteHeader, report: AnnualReport, diagnostics: [Diagnostic], document: TextDocument?) -> String {
        let format = self.format ?? report.format
        let zh = language == .zh
        let groups = NoteGroup.group(diagnostics, report: report)
        // ids in the order of the findings as listed (groups keep their members together)
        var ids: [Int: String] = [:]  // index into `ordered`
        var ordered: [Diagnostic] = []
        var groupMembers: [[Int]] = []
        for g in groups {
            var members: [Int] = []
            for d in g.members + g.absorbed {
                ordered.append(d)
                let i = ordered.count - 1
                ids[i] = "f\(i + 1)"
                members.append(i)
            }
            groupMembers.append(members)
        }
        // marks by place: table cells, rows, columns, whole tables, sections, prose lines
        var cellMarks: [String: [Mark]] = [:]     // "3|granted|natural"
        var rowMarks: [String: [Mark]] = [:]      // "3|granted"
        var columnMarks: [String: [Mark]] = [:]   // "3|natural"
        var tableMarks: [Int: [Mark]] = [:]
        var sectionMarks: [Int: [Mark]] = [:]
        var prose: [(Int, Diagnostic)] = []
        for (i, d) in ordered.enumerated() {
            let change: String?
            if d.isFix, let e = d.expected(language), let a = d.actual(language), d.columnKey != nil, d.row != nil || d.section == 4 {
                let blank = d.code.grouping == .blankCells || a == "空白" || a.lowercased() == "blank"
                change = "\(blank ? t("空", "blank") : a) → \(e)"
            } else {
                change = nil
            }
            let mark = Mark(id: ids[i]!, severity: d.severity, message: d.message.text(language), change: change)
            // a missing section (or table) is shown where it belongs
            if let s = d.section, d.code.grouping == .missingSections || (d.position == nil && !(2...4).contains(s)) {
                sectionMarks[s, default: []].append(mark)
                continue
            }
            guard let section = d.section, (2...4).contains(section) else {
                if d.position != nil { prose.append((i, d)) }
                continue
            }
            let row = d.row ?? (section == 4 ? "row" : nil)
            switch (row, d.columnKey) {
            case let (r?, c?):
                cellMarks["\(section)|\(r)|\(c)", default: []].append(mark)
                // an identity that does not hold is shown on the row or column it breaks
                let code = d.code.rawValue
                if !d.isFix || code.hasSuffix("identity") {
                    if code.contains("row-total") { rowMarks["\(section)|\(r)", default: []].append(mark) }
                    else if code.contains("total-row") || code.contains("balance") || code.contains("identity") {
                        columnMarks["\(section)|\(c)", default: []].append(mark)
                    }
                }
                if section == 4, !d.isFix { columnMarks["4|\(c)", default: []].append(mark) }
            case let (r?, nil):
                rowMarks["\(section)|\(r)", default: []].append(mark)
            case let (nil, c?):
                columnMarks["\(section)|\(c)", default: []].append(mark)
            case (nil, nil):
                tableMarks[section, default: []].append(mark)
            }
        }
        var h = HTMLOut()
        h.bytes.reserveCapacity(64 << 10)
        h += "<!DOCTYPE html>\n<html lang=\"\(zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\">"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        h += "<title>\(htmlEscape(t("审核意见：", "Review note: ") + header.fileName))</title><style>\(Self.css)</style></head><body>\n"
        // banner
        let accepted = header.verdict == .accepted
        let verdictText = accepted ? t("通过", "Accepted") : t("不通过，退回修改", "Rejected")
        let edition = (report.tableEdition ?? report.edition).map { zh ? "\($0.rawValue)（\($0.document)）" : "\($0.rawValue) (\($0.documentEN))" }
            ?? t("（未能识别）", "(unknown)")
        let errors = groups.filter { $0.lead.severity == .error }.count
        let warnings = groups.filter { $0.lead.severity == .warning }.count
        h += "<header class=\"banner \(accepted ? "ok" : "bad")\" data-verdict=\"\(header.verdict.rawValue)\">"
        h += "<div class=\"verdict\">\(htmlEscape(verdictText))</div><dl>"
        func field(_ k: String, _ v: String) { h += "<dt>\(htmlEscape(k))</dt><dd>\(htmlEscape(v))</dd>" }
        field(t("机关", "Organ"), report.organ ?? t("（未能识别）", "(not found)"))
        field(t("年度", "Year"), report.year.map(String.init) ?? t("（未能识别）", "(not found)"))
        field(t("格式版本", "Edition"), edition)
        field(t("文件", "File"), header.fileName)
        field(t("发现", "Found"), zh ? "错误 \(errors) 项，警告 \(warnings) 项" : "\(errors) error(s), \(warnings) warning(s)")
        field("SHA-256", header.sha256)
        h += "</dl></header>\n<main>\n"
        // findings, as the text note groups them
        h += "<section class=\"findings\"><h2>\(t("审核发现", "Findings"))</h2>"
        if groups.isEmpty { h += "<p class=\"none\">\(t("未发现问题。", "Nothing to report."))</p>" }
        h += "<ol>"
        for (g, members) in zip(groups, groupMembers) {
            let lead = ordered[members[0]]
            let sev = lead.severity == .error ? "error" : "warning"
            let title = (members.count > 1 ? g.title : nil) ?? lead.message
            h += "<li class=\"finding \(sev)\" id=\"\(ids[members[0]]!)\" data-code=\"\(htmlEscape(lead.code.rawValue))\">"
            // every member of a group is a target of its cells' links back
            for m in members.dropFirst() { h += "<span class=\"anchor\" id=\"\(ids[m]!)\"></span>" }
            h += "<div class=\"head\"><span class=\"sev\">\(htmlEscape(lead.severity == .error ? t("错误", "error") : t("警告", "warning")))</span>"
            h += "<code>\(htmlEscape(lead.code.rawValue))</code> \(htmlEscape(title.text(language)))</div>"
            if let place = FindingPlace(lead, layout: layout, format: format) {
                h += "<div class=\"place\">\(htmlEscape(header.fileName + (zh ? "：" : ": ") + place.describe(language)))</div>"
            }
            if members.count == 1 {
                for n in lead.notes { h += "<div class=\"note\">\(htmlEscape(n.text(language)))</div>" }
                if lead.isFix, lead.expected != nil || lead.actual != nil {
                    h += "<div class=\"fix\">\(htmlEscape(zh ? "应为：\(lead.expected(language) ?? "—")；实际：\(lead.actual(language) ?? "—")" : "expected: \(lead.expected(language) ?? "—"); found: \(lead.actual(language) ?? "—")"))</div>"
                }
            }
            // links to the marked places (one per member)
            let links = members.filter { hasPlace(ordered[$0]) }
            if !links.isEmpty {
                h += "<div class=\"links\">\(t("见表中", "In the table")): "
                for (k, m) in links.enumerated() {
                    let d = ordered[m]
                    let label = members.count > 1 && k < g.places.count ? g.places[k].text(language) : placeName(d, format: format)
                    h += "<a href=\"#c-\(ids[m]!)\">\(htmlEscape(label.isEmpty ? "↓" : label))</a> "
                }
                h += "</div>"
            }
            if let i = prose.firstIndex(where: { members.contains($0.0) }), let document {
                h += quote(prose[i].1, document: document)
            }
            let help = (members.count > 1 ? g.help : nil) ?? lead.help
            h += "<div class=\"help\">\(htmlEscape(t("帮助：", "Help: ") + help.text(language)))</div></li>\n"
        }
        h += "</ol></section>\n"
        // sections: where the missing ones belong
        h += "<section class=\"sections\"><h2>\(t("六个部分", "The six sections"))</h2><ol class=\"outline\">"
        for s in format.sections {
            let found = report.sections.contains { $0.number == s.number }
            let marks = sectionMarks[s.number] ?? []
            let cls = found ? "present" : "absent"
            h += "<li class=\"\(cls)\(markClass(marks))\" data-section=\"\(s.number)\"\(markAttributes(marks, anchor: true))>"
            h += htmlEscape(zh ? "\(s.numeral)、\(s.heading)" : "\(s.number). \(s.headingEN)")
            if !found { h += " <span class=\"tag\">\(t("缺失", "missing"))</span>" }
            h += backLinks(marks) + "</li>"
        }
        h += "</ol></section>\n"
        // the tables
        h += table2(report, format: format, cellMarks: cellMarks, rowMarks: rowMarks, columnMarks: columnMarks, tableMarks: tableMarks[2] ?? [])
        h += table3(report, format: format, cellMarks: cellMarks, rowMarks: rowMarks, columnMarks: columnMarks, tableMarks: tableMarks[3] ?? [])
        h += table4(report, cellMarks: cellMarks, columnMarks: columnMarks, tableMarks: tableMarks[4] ?? [])
        let legend = t("红色：错误；琥珀色：警告；斜线：空白格（不是 0）。把鼠标停在标记的格上可看说明，点击可回到该项发现。",
                       "Red: error; amber: warning; hatched: a blank cell (not 0). Hover a marked cell for the message; click it to go back to the finding.")
        h += "</main><footer>\(htmlEscape(legend))</footer>"
        h += "</body></html>\n"
        return h.string
    }

    /// Whether the finding is drawn somewhere below the list (a table, a row, a cell, a
    /// section's place); a prose finding is quoted in the list itself.
    func hasPlace(_ d: Diagnostic) -> Bool {
        if let s = d.section, d.code.grouping == .missingSections || (d.position == nil && !(2...4).contains(s)) { return s > 0 }
        if let s = d.section, (2...4).contains(s) { return true }
        return false
    }

    /// A column's header cell, with the marks of an identity the column breaks.
    func columnHead(_ name: String, table: Int, col: String, marks: [Mark], anchors: Anchors, attributes: String = "") -> String {
        let fresh = anchors.take(marks)
        var s = "<th class=\"col\(markClass(marks))\" data-table=\"\(table)\" data-col=\"\(htmlEscape(col))\"\(attributes)"
        if !marks.isEmpty { s += markAttributes(marks, anchor: false) }
        if let first = fresh.first { s += " id=\"c-\(first.id)\"" }
        return s + ">" + htmlEscape(name) + backLinks(fresh) + "</th>"
    }

    func placeName(_ d: Diagnostic, format: FormatSpec) -> String {
        guard let s = d.section else { return t("原文", "text") }
        let zh = language == .zh
        var parts: [String] = []
        if let key = d.row, let names = format.rowLabel(key) { parts.append(zh ? names.zh : names.en) }
        if let key = d.columnKey, let names = format.columnLabel(section: s, row: d.row, key: key) { parts.append(zh ? names.zh : names.en) }
        if parts.isEmpty {
            let numeral = format.sections.first { $0.number == s }?.numeral ?? String(s)
            return zh ? "第\(numeral)部分" : "Section \(s)"
        }
        return parts.joined(separator: " · ")
    }

    func markClass(_ marks: [Mark]) -> String {
        guard !marks.isEmpty else { return "" }
        return marks.contains { $0.severity == .error } ? " mark error" : " mark warning"
    }

    /// The marks' data attributes and title; `anchor` gives the element the first finding's
    /// back-link target id.
    func markAttributes(_ marks: [Mark], anchor: Bool, idPrefix: String = "c-") -> String {
        guard !marks.isEmpty else { return "" }
        let sev = marks.contains { $0.severity == .error } ? "error" : "warning"
        var s = " data-findings=\"\(marks.map(\.id).joined(separator: " "))\" data-severity=\"\(sev)\""
        s += " title=\"\(htmlEscape(marks.map(\.message).joined(separator: "\n")))\""
        if anchor { s += " id=\"\(idPrefix)\(marks[0].id)\"" }
        return s
    }

    /// Links from a marked place back to its findings.
    func backLinks(_ marks: [Mark]) -> String {
        marks.map { "<a class=\"back\" href=\"#\($0.id)\">\($0.id.dropFirst())</a>" }.joined()
    }

    /// Ids already used as anchors (a mark is the anchor of the first place it is drawn at).
    final class Anchors {
        var used: Set<String> = []
        func take(_ marks: [Mark]) -> [Mark] {
            marks.filter { used.insert($0.id).inserted }
        }
    }

    /// One table cell, with its marks.
    func cell(into h: inout HTMLOut, _ c: Cell?, table: Int, row: String, col: String, marks: [Mark], columnMarked: Bool, anchors: Anchors) {
        let state = c?.state ?? .missing
        h += "<td class=\""
        switch state {
        case .blank: h += "blank"
        case .missing: h += "missing"
        case .dash: h += "dash"
        case .invalid: h += "invalid"
        case .number: h += "num"
        }
        if columnMarked { h += " colmark" }
        if !marks.isEmpty { h += marks.contains { $0.severity == .error } ? " mark error" : " mark warning" }
        h += "\" data-table=\""
        h += String(table)
        h += "\" data-row=\""
        h.text(row)
        h += "\" data-col=\""
        h.text(col)
        h += "\""
        var fresh: [Mark] = []
        if !marks.isEmpty {
            // the first mark of a finding is where its link lands
            fresh = anchors.take(marks)
            h += markAttributes(marks, anchor: false)
            if let first = fresh.first { h += " id=\"c-\(first.id)\"" }
        }
        h += ">"
        if let change = marks.lazy.compactMap(\.change).first {
            h += "<span class=\"change\">"
            h.text(change)
            h += "</span>"
        } else if state != .blank && state != .missing, let c {
            h.text(c.text)
        }
        if !fresh.isEmpty { h += backLinks(fresh) }
        h += "</td>"
    }

    func caption(_ text: String, marks: [Mark], table: Int, anchors: Anchors) -> String {
        let fresh = anchors.take(marks)
        return "<caption class=\"\(markClass(marks))\" data-table=\"\(table)\"\(marks.isEmpty ? "" : markAttributes(marks, anchor: false))\(fresh.first.map { " id=\"c-\($0.id)\"" } ?? "")>\(htmlEscape(text))\(backLinks(fresh))</caption>"
    }

    /// The row's label cell, with the row's own marks (a missing row, an identity it breaks).
    func label(_ text: String, depth: Int, present: Bool, table: Int, row: String, marks: [Mark], anchors: Anchors, span: Int = 1) -> String {
        let fresh = anchors.take(marks)
        var s = "<th scope=\"row\" class=\"label d\(depth)\(present ? "" : " absent")\(markClass(marks))\" data-table=\"\(table)\" data-row=\"\(htmlEscape(row))\""
        if span > 1 { s += " colspan=\"\(span)\"" }
        if !marks.isEmpty { s += markAttributes(marks, anchor: false) }
        if let first = fresh.first { s += " id=\"c-\(first.id)\"" }
        s += ">" + htmlEscape(text)
        if !present { s += " <span class=\"tag\">\(t("缺此行", "row missing"))</span>" }
        return s + backLinks(fresh) + "</th>"
    }

    func table2(_ report: AnnualReport, format: FormatSpec, cellMarks: [String: [Mark]], rowMarks: [String: [Mark]],
                columnMarks: [String: [Mark]], tableMarks: [Mark]) -> HTMLOut {
        let anchors = Anchors()
        let markedRows = Set(cellMarks.keys.map { String($0[..<$0.lastIndex(of: "|")!]) })
        var h = HTMLOut()
        h += "<section class=\"table\" id=\"table-2\"><h2>\(t("二、主动公开政府信息情况", "Section 2: Information disclosed proactively"))</h2>"
        guard let table = report.table2 else {
            return h + "<table class=\"grid absent-table\" data-table=\"2\">" + caption(t("未找到本部分表格", "This table was not found"), marks: tableMarks, table: 2, anchors: anchors) + "</table></section>\n"
        }
        h += "<table class=\"grid\" data-table=\"2\">"
        h += caption(t("第二部分表格", "Section 2 table"), marks: tableMarks, table: 2, anchors: anchors)
        var lastBlock: String?
        for r in table.rows {
            let block = format.table2.first { b in b.rows.contains { $0.key == r.key } }
            let keys = block?.columnKeys ?? r.columns.indices.map { "c\($0)" }
            if r.block != lastBlock {
                lastBlock = r.block
                h += "<tr class=\"block\"><th colspan=\"\(keys.count + 1)\">\(htmlEscape(r.block))</th></tr>"
                h += "<tr class=\"colhead\"><th></th>"
                let names = language == .zh ? (block?.columns ?? r.columns) : (block?.columnsEN ?? r.columns)
                for (k, name) in zip(keys, names) {
                    h += columnHead(name, table: 2, col: k, marks: columnMarks["2|\(k)"] ?? [], anchors: anchors)
                }
                h += "</tr>"
            }
            let labelText = language == .zh ? (r.written?.text ?? r.label) : (format.rowLabel(r.key)?.en ?? r.label)
            h += "<tr data-row=\"\(htmlEscape(r.key))\">" + label(labelText, depth: 1, present: r.written != nil, table: 2, row: r.key,
                                                              marks: rowMarks["2|\(r.key)"] ?? [], anchors: anchors)
            let rowHasMarks = markedRows.contains("2|\(r.key)")
            for (i, k) in keys.enumerated() {
                cell(into: &h, i < r.row.cells.count ? r.row.cells[i] : nil, table: 2, row: r.key, col: k,
                          marks: rowHasMarks ? cellMarks["2|\(r.key)|\(k)"] ?? [] : [], columnMarked: false, anchors: anchors)
            }
            h += "</tr>"
        }
        return h + "</table></section>\n"
    }

    func table3(_ report: AnnualReport, format: FormatSpec, cellMarks: [String: [Mark]], rowMarks: [String: [Mark]],
                columnMarks: [String: [Mark]], tableMarks: [Mark]) -> HTMLOut {
        let anchors = Anchors()
        let keys = FormatSpec.table3ColumnKeys
        let markedRows = Set(cellMarks.keys.map { String($0[..<$0.lastIndex(of: "|")!]) })
        let columnMarked = keys.map { !columnMarks.isEmpty && columnMarks["3|\($0)"] != nil }
        var h = HTMLOut()
        h += "<section class=\"table\" id=\"table-3\"><h2>\(t("三、收到和处理政府信息公开申请情况", "Section 3: Requests received and handled"))</h2>"
        guard let table = report.table3 else {
            return h + "<table class=\"grid absent-table\" data-table=\"3\">" + caption(t("未找到本部分表格", "This table was not found"), marks: tableMarks, table: 3, anchors: anchors) + "</table></section>\n"
        }
        h += "<table class=\"grid\" data-table=\"3\">"
        h += caption(t("第三部分表格", "Section 3 table"), marks: tableMarks, table: 3, anchors: anchors)
        func colHead(_ i: Int, rowspan: Int) -> String {
            let name = language == .zh ? FormatSpec.table3ColumnLabels[i] : FormatSpec.table3ColumnLabelsEN[i]
            return columnHead(name, table: 3, col: keys[i], marks: columnMarks["3|\(keys[i])"] ?? [], anchors: anchors,
                              attributes: rowspan > 1 ? " rowspan=\"\(rowspan)\"" : "")
        }
        h += "<thead><tr><th class=\"corner\" rowspan=\"3\">\(htmlEscape(t("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "Column identity: I + II = III (7) + IV")))</th>"
        h += "<th colspan=\"7\">\(htmlEscape(t("申请人情况", "Applicants")))</th></tr>"
        h += "<tr>" + colHead(0, rowspan: 2) + "<th colspan=\"5\">\(htmlEscape(t("法人或其他组织", "Legal persons and other organisations")))</th>" + colHead(6, rowspan: 2) + "</tr>"
        h += "<tr>" + (1...5).map { colHead($0, rowspan: 1) }.joined() + "</tr></thead><tbody>"
        var groupShown: Set<String> = []
        for r in table.rows {
            let spec = format.table3Rows.first { $0.key == r.key }
            // group labels above their first row
            if r.key == "granted", !groupShown.contains("三") {
                groupShown.insert("三")
                h += "<tr class=\"group\"><th class=\"label d0\" colspan=\"8\">\(htmlEscape(t("三、本年度办理结果", "III. Results this year")))</th></tr>"
            }
            if let g = format.table3Groups.first(where: { $0.rowKeys.contains(r.key) }), !groupShown.contains(g.label) {
                groupShown.insert(g.label)
                h += "<tr class=\"group\"><th class=\"label d1\" colspan=\"8\">\(htmlEscape(language == .zh ? g.label : g.labelEN))</th></tr>"
            }
            let labelText = language == .zh ? (r.written?.text ?? r.label) : (spec?.labelEN ?? r.label)
            let rowOwn = rowMarks.isEmpty ? [] : rowMarks["3|\(r.key)"] ?? []
            let rowMarked = !rowOwn.isEmpty
            h += "<tr data-row=\"\(htmlEscape(r.key))\"\(rowMarked ? " class=\"rowmark\"" : "")>"
            h += label(labelText, depth: spec?.depth ?? 1, present: r.present, table: 3, row: r.key,
                       marks: rowOwn, anchors: anchors)
            let rowHasMarks = markedRows.contains("3|\(r.key)")
            for (i, k) in keys.enumerated() {
                cell(into: &h, i < r.row.cells.count ? r.row.cells[i] : nil, table: 3, row: r.key, col: k,
                          marks: rowHasMarks ? cellMarks["3|\(r.key)|\(k)"] ?? [] : [], columnMarked: columnMarked[i], anchors: anchors)
            }
            h += "</tr>"
        }
        return h + "</tbody></table></section>\n"
    }

    func table4(_ report: AnnualReport, cellMarks: [String: [Mark]], columnMarks: [String: [Mark]], tableMarks: [Mark]) -> HTMLOut {
        let anchors = Anchors()
        let keys = FormatSpec.table4ColumnKeys
        var h = HTMLOut()
        h += "<section class=\"table\" id=\"table-4\"><h2>\(t("四、政府信息公开行政复议、行政诉讼情况", "Section 4: Administrative reconsideration and litigation"))</h2>"
        guard let table = report.table4 else {
            return h + "<table class=\"grid absent-table\" data-table=\"4\">" + caption(t("未找到本部分表格", "This table was not found"), marks: tableMarks, table: 4, anchors: anchors) + "</table></section>\n"
        }
        h += "<table class=\"grid\" data-table=\"4\">"
        h += caption(t("第四部分表格", "Section 4 table"), marks: tableMarks, table: 4, anchors: anchors)
        let groups = language == .zh ? FormatSpec.table4Groups : FormatSpec.table4GroupsEN
        h += "<thead><tr><th colspan=\"5\" rowspan=\"2\">\(htmlEscape(groups[0]))</th><th colspan=\"10\">\(htmlEscape(t("行政诉讼", "Litigation")))</th></tr>"
        h += "<tr><th colspan=\"5\">\(htmlEscape(groups[1]))</th><th colspan=\"5\">\(htmlEscape(groups[2]))</th></tr><tr>"
        for (i, k) in keys.enumerated() {
            let name = language == .zh ? FormatSpec.table4ResultLabels[i % 5] : FormatSpec.table4ResultLabelsEN[i % 5]
            h += columnHead(name, table: 4, col: k, marks: columnMarks["4|\(k)"] ?? [], anchors: anchors)
        }
        h += "</tr></thead><tbody><tr data-row=\"row\">"
        for (i, k) in keys.enumerated() {
            cell(into: &h, i < table.row.cells.count ? table.row.cells[i] : nil, table: 4, row: "row", col: k,
                      marks: cellMarks.isEmpty ? [] : cellMarks["4|row|\(k)"] ?? [], columnMarked: !columnMarks.isEmpty && columnMarks["4|\(k)"] != nil, anchors: anchors)
        }
        return h + "</tr></tbody></table></section>\n"
    }

    /// The paragraph a prose finding is about, quoted, with the finding's span highlighted.
    func quote(_ d: Diagnostic, document: TextDocument) -> String {
        guard let p = d.position, p.line >= 1, p.line - 1 < document.originalLines.count else { return "" }
        let line = document.originalLines[p.line - 1]
        let start = min(max(p.column - 1, 0), line.count)
        let end = min(line.count, start + max(d.width, 1))
        // a long paragraph is shown as a window around the span
        let from = max(0, start - 120), to = min(line.count, end + 120)
        func text(_ s: ArraySlice<UInt32>) -> String {
            var out = ""
            for v in s { if let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) } }
            return htmlEscape(out)
        }
        let sev = d.severity == .error ? "error" : "warning"
        return "<blockquote class=\"prose\" data-line=\"\(p.line)\">\(from > 0 ? "…" : "")\(text(line[from..<start]))<mark class=\"\(sev)\">\(text(line[start..<end]))</mark>\(text(line[end..<to]))\(to < line.count ? "…" : "")</blockquote>"
    }

    static let css = """
    body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#fafafa;font-size:14px}
    .banner{padding:12px 24px;color:#fff;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
    .banner.ok{background:#2e7d32}.banner.bad{background:#c62828}
    .verdict{font-size:26px;font-weight:bold}
    .banner dl{display:grid;grid-template-columns:auto auto;gap:2px 10px;margin:0}.banner dt{opacity:.85}.banner dd{margin:0;word-break:break-all}
    main{padding:8px 24px}
    h2{font-size:17px;border-bottom:1px solid #ccc;padding-bottom:4px}
    .findings ol{padding-left:22px}
    .finding{margin:8px 0;padding:6px 10px;background:#fff;border-left:5px solid #999}
    .finding.error{border-color:#c62828}.finding.warning{border-color:#ef8f00}
    .finding:target{outline:2px solid #1565c0}
    .sev{font-weight:bold;margin-right:6px}.error .sev{color:#c62828}.warning .sev{color:#b26a00}
    code{background:#eee;padding:0 4px;margin-right:4px;font-size:12px}
    .place,.note,.fix,.links,.help{margin-top:3px;color:#444}.help{color:#1b5e20}
    .links a{margin-right:8px}
    blockquote.prose{margin:6px 0;padding:6px 10px;background:#f3f3f3;border-left:3px solid #bbb;white-space:pre-wrap}
    mark.error{background:#ffcdd2;border-bottom:2px solid #c62828}mark.warning{background:#ffe0b2;border-bottom:2px solid #ef8f00}
    .outline li.absent{color:#c62828}.tag{font-size:12px;background:#c62828;color:#fff;padding:0 4px;border-radius:3px}
    .outline li.mark.warning{color:#b26a00}
    table.grid{border-collapse:collapse;background:#fff;margin:6px 0 18px}
    .grid caption{text-align:left;font-weight:bold;padding:4px 0}
    .grid caption.mark{color:#c62828}
    .grid th,.grid td{border:1px solid #999;padding:3px 6px}
    .grid th{background:#eef1f5;font-weight:normal}
    .grid th.label{text-align:left;background:#f7f7f7}
    .grid th.d1{padding-left:18px}.grid th.d2{padding-left:34px}
    .grid th.absent{color:#c62828;font-style:italic;background:#fff0f0}
    .grid td{text-align:right;min-width:46px;font-variant-numeric:tabular-nums}
    .grid td.blank{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#d5d5d5 4px,#d5d5d5 6px)}
    .grid td.missing{background:repeating-linear-gradient(-45deg,#fff,#fff 4px,#e8c0c0 4px,#e8c0c0 6px)}
    .grid td.colmark,.grid tr.rowmark td{box-shadow:inset 0 0 0 9999px rgba(239,143,0,.10)}
    .grid .mark.error{outline:3px solid #c62828;outline-offset:-3px}
    .grid td.mark.error{background-color:#ffcdd2}
    .grid .mark.warning{outline:3px solid #ef8f00;outline-offset:-3px}
    .grid td.mark.warning{background-color:#ffe0b2}
    .grid td.blank.mark.error{background:repeating-linear-gradient(45deg,#ffcdd2,#ffcdd2 4px,#e57373 4px,#e57373 6px)}
    .grid td.blank.mark.warning{background:repeating-linear-gradient(45deg,#ffe0b2,#ffe0b2 4px,#ffb74d 4px,#ffb74d 6px)}
    .grid th.col.mark{font-weight:bold}
    .change{font-weight:bold;white-space:nowrap}
    a.back{font-size:10px;vertical-align:super;margin-left:2px;text-decoration:none;color:#1565c0}
    td:target,th:target,caption:target{outline:3px solid #1565c0 !important}
    footer{padding:8px 24px 24px;color:#666;font-size:12px}
    """
}
