import NianbaoModel
import NianbaoRules
import NianbaoText
import NianbaoCore

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

/// Bytes grown in place: an append is a capacity check and a copy, with none of an array's
/// uniqueness checks (a page is a few thousand small appends).
final class ByteSink {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if count + n > capacity { grow(count + n) }
        (base + count).update(from: p, count: n)
        count += n
    }

    @inline(__always)
    func append(_ b: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = b
        count += 1
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = c
    }

    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// A page being written, in a `ByteSink`.
struct HTMLOut {
    let sink: ByteSink

    init(capacity: Int = 4096) { sink = ByteSink(capacity: capacity) }

    var bytes: [UInt8] { sink.bytes }

    @inline(__always)
    func append(_ u: UnsafeBufferPointer<UInt8>) {
        if let p = u.baseAddress { sink.append(p, u.count) }
    }

    static func += (out: inout HTMLOut, s: String) {
        var s = s
        s.withUTF8 { out.append($0) }
    }

    static func += (out: inout HTMLOut, s: Substring) {
        var s = s
        s.withUTF8 { out.append($0) }
    }

    static func += (out: inout HTMLOut, other: HTMLOut) {
        out.sink.append(other.sink.base, other.sink.count)
    }

    /// Markup made beforehand (see `Pieces`): copied as it is.
    @inline(__always)
    func raw(_ b: [UInt8]) { b.withUnsafeBufferPointer { append($0) } }

    static func + (out: HTMLOut, s: String) -> HTMLOut {
        var out = out
        out += s
        return out
    }

    @inline(__always)
    func append(_ s: StaticString) {
        sink.append(s.utf8Start, s.utf8CodeUnitCount)
    }

    /// `text(s)` without copying the string.
    @inline(__always)
    func text(utf8Of s: String) {
        let done: Bool? = s.utf8.withContiguousStorageIfAvailable { u in
            if HTMLOut.needsEscape(u) { return false }
            append(u)
            return true
        }
        if done != true { text(s) }
    }

    @inline(__always)
    static func needsEscape(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        u.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
    }

    /// `s` as text: escaped as `htmlEscape` does, in one pass.
    func text(_ s: String) {
        var s = s
        s.withUTF8 { u in
            // most text needs nothing: one copy
            if !HTMLOut.needsEscape(u) {
                append(u)
                return
            }
            for b in u {
                switch b {
                case 0x26: append("&amp;")
                case 0x3C: append("&lt;")
                case 0x3E: append("&gt;")
                case 0x22: append("&quot;")
                case 0x27: append("&#39;")
                case 0x09, 0x0A, 0x0D: sink.append(b)
                case ..<0x20: append("\u{FFFD}")
                default: sink.append(b)
                }
            }
        }
    }
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
    /// A resubmission's opening text (what changed since the earlier report), above the findings.
    public var preface: String

    public init(language: Language = .zh, layout: PositionedDocument? = nil, format: FormatSpec? = nil, preface: String = "") {
        self.language = language
        self.layout = layout
        self.format = format
        self.preface = preface
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
        String(decoding: renderBytes(header: header, report: report, diagnostics: diagnostics, document: document), as: UTF8.self)
    }

    /// The page as UTF-8 bytes, as the service writes it. `groups` are the findings as the text
    /// note grouped them, when it did (they are the same for both).
    public func renderBytes(header: NoteHeader, report: AnnualReport, diagnostics: [Diagnostic], document: TextDocument?,
                            groups: NoteGroups? = nil) -> [UInt8] {
        let format = self.format ?? report.format
        let zh = language == .zh
        let groups = groups?.groups ?? NoteGroup.group(diagnostics, report: report)
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
        var cellMarks: [String: [String: [Mark]]] = [:]     // "3|granted" → "natural"
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
                cellMarks["\(section)|\(r)", default: [:]][c, default: []].append(mark)
                // an identity that does not hold is shown on the row or column it breaks
                if !d.isFix || d.code == .table3Identity {
                    if d.code == .table3RowTotal { rowMarks["\(section)|\(r)", default: []].append(mark) }
                    else if d.code == .table3TotalRow || d.code == .table3Identity {
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
        var h = HTMLOut(capacity: 64 << 10)
        h += "<!DOCTYPE html>\n<html lang=\"\(zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\">"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        h += "<title>"
        h.text(t("审核意见：", "Review note: ") + header.fileName)
        h += "</title><style>"
        h.raw(Self.cssBytes)
        h += "</style></head><body>\n"
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
        if !preface.isEmpty {
            h += "<pre class=\"preface\">"
            h.text(preface)
            h += "</pre>\n"
        }
        // findings, as the text note groups them
        h += "<section class=\"findings\"><h2>\(t("审核发现", "Findings"))</h2>"
        if groups.isEmpty { h += "<p class=\"none\">\(t("未发现问题。", "Nothing to report."))</p>" }
        h += "<ol>"
        for (g, members) in zip(groups, groupMembers) {
            let lead = ordered[members[0]]
            let sev = lead.severity == .error ? "error" : "warning"
            let title = (members.count > 1 ? g.title : nil) ?? lead.message
            h += "<li class=\"finding "
            h += sev
            h += "\" id=\""
            h += ids[members[0]]!
            h += "\" data-code=\""
            h.text(lead.code.rawValue)
            h += "\">"
            // every member of a group is a target of its cells' links back
            for m in members.dropFirst() {
                h += "<span class=\"anchor\" id=\""
                h += ids[m]!
                h += "\"></span>"
            }
            h += "<div class=\"head\"><span class=\"sev\">"
            h += lead.severity == .error ? t("错误", "error") : t("警告", "warning")
            h += "</span><code>"
            h.text(lead.code.rawValue)
            h += "</code> "
            h.text(title.text(language))
            h += "</div>"
            if let place = FindingPlace(lead, layout: layout, format: format) {
                h += "<div class=\"place\">"
                h.text(header.fileName)
                h += zh ? "：" : ": "
                h.text(place.describe(language))
                h += "</div>"
            }
            if members.count == 1 {
                for n in lead.notes {
                    h += "<div class=\"note\">"
                    h.text(n.text(language))
                    h += "</div>"
                }
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
                    h += "<a href=\"#c-"
                    h += ids[m]!
                    h += "\">"
                    h.text(label.isEmpty ? "↓" : label)
                    h += "</a> "
                }
                h += "</div>"
            }
            if let i = prose.firstIndex(where: { members.contains($0.0) }), let document {
                h += quote(prose[i].1, document: document)
            }
            let help = (members.count > 1 ? g.help : nil) ?? lead.help
            h += "<div class=\"help\">"
            h += t("帮助：", "Help: ")
            h.text(help.text(language))
            h += "</div></li>\n"
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
        table2(into: h, report, format: format, cellMarks: cellMarks, rowMarks: rowMarks, columnMarks: columnMarks, tableMarks: tableMarks[2] ?? [])
        table3(into: h, report, format: format, cellMarks: cellMarks, rowMarks: rowMarks, columnMarks: columnMarks, tableMarks: tableMarks[3] ?? [])
        table4(into: h, report, cellMarks: cellMarks, columnMarks: columnMarks, tableMarks: tableMarks[4] ?? [])
        let legend = t("红色：错误；琥珀色：警告；斜线：空白格（不是 0）。把鼠标停在标记的格上可看说明，点击可回到该项发现。",
                       "Red: error; amber: warning; hatched: a blank cell (not 0). Hover a marked cell for the message; click it to go back to the finding.")
        h += "</main><footer>\(htmlEscape(legend))</footer>"
        h += "</body></html>\n"
        return h.bytes
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
        var h = HTMLOut(capacity: 256)
        writeMarkAttributes(into: &h, marks)
        if anchor { h += " id=\"\(idPrefix)\(marks[0].id)\"" }
        return String(decoding: h.bytes, as: UTF8.self)
    }

    /// `markAttributes(marks, anchor: false)`, written straight into the page.
    func writeMarkAttributes(into h: inout HTMLOut, _ marks: [Mark]) {
        h += " data-findings=\""
        for (i, m) in marks.enumerated() {
            if i > 0 { h += " " }
            h += m.id
        }
        h += marks.contains { $0.severity == .error } ? "\" data-severity=\"error\" title=\"" : "\" data-severity=\"warning\" title=\""
        for (i, m) in marks.enumerated() {
            if i > 0 { h += "\n" }
            h.text(m.message)
        }
        h += "\""
    }

    /// `backLinks(marks)`, written straight into the page.
    func writeBackLinks(into h: inout HTMLOut, _ marks: [Mark]) {
        for m in marks {
            h += "<a class=\"back\" href=\"#"
            h += m.id
            h += "\">"
            h += m.id.dropFirst()
            h += "</a>"
        }
    }

    /// Links from a marked place back to its findings.
    func backLinks(_ marks: [Mark]) -> String {
        guard !marks.isEmpty else { return "" }
        var h = HTMLOut(capacity: 64)
        writeBackLinks(into: &h, marks)
        return String(decoding: h.bytes, as: UTF8.self)
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
        h.append(Self.cellOpen(state))
        if columnMarked { h += " colmark" }
        h += markClass(marks)
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
            writeMarkAttributes(into: &h, marks)
            if let first = fresh.first {
                h += " id=\"c-"
                h += first.id
                h += "\""
            }
        }
        h += ">"
        if let change = marks.lazy.compactMap(\.change).first {
            h += "<span class=\"change\">"
            h.text(change)
            h += "</span>"
        } else if state != .blank && state != .missing, let c {
            h.text(c.text)
        }
        writeBackLinks(into: &h, fresh)
        h += "</td>"
    }

    func caption(_ text: String, marks: [Mark], table: Int, anchors: Anchors) -> String {
        let fresh = anchors.take(marks)
        return "<caption class=\"\(markClass(marks))\" data-table=\"\(table)\"\(marks.isEmpty ? "" : markAttributes(marks, anchor: false))\(fresh.first.map { " id=\"c-\($0.id)\"" } ?? "")>\(htmlEscape(text))\(backLinks(fresh))</caption>"
    }

    /// The row's label cell, with the row's own marks (a missing row, an identity it breaks).
    func writeLabel(into h: inout HTMLOut, _ text: String, depth: Int, present: Bool, table: Int, row: String, marks: [Mark],
                    anchors: Anchors, span: Int = 1) {
        let fresh = anchors.take(marks)
        h += "<th scope=\"row\" class=\"label d"
        h += String(depth)
        if !present { h += " absent" }
        h += markClass(marks)
        h += "\" data-table=\""
        h += String(table)
        h += "\" data-row=\""
        h.text(row)
        h += "\""
        if span > 1 { h += " colspan=\"\(span)\"" }
        if !marks.isEmpty { writeMarkAttributes(into: &h, marks) }
        if let first = fresh.first {
            h += " id=\"c-"
            h += first.id
            h += "\""
        }
        h += ">"
        h.text(text)
        if !present {
            h += " <span class=\"tag\">"
            h += t("缺此行", "row missing")
            h += "</span>"
        }
        writeBackLinks(into: &h, fresh)
        h += "</th>"
    }

    @discardableResult
    func table2(into out: HTMLOut, _ report: AnnualReport, format: FormatSpec, cellMarks: [String: [String: [Mark]]], rowMarks: [String: [Mark]],
                columnMarks: [String: [Mark]], tableMarks: [Mark]) -> HTMLOut {
        let anchors = Anchors()
        var h = out
        h += "<section class=\"table\" id=\"table-2\"><h2>\(t("二、主动公开政府信息情况", "Section 2: Information disclosed proactively"))</h2>"
        guard let table = report.table2 else {
            return h + "<table class=\"grid absent-table\" data-table=\"2\">" + caption(t("未找到本部分表格", "This table was not found"), marks: tableMarks, table: 2, anchors: anchors) + "</table></section>\n"
        }
        h += "<table class=\"grid\" data-table=\"2\">"
        h += caption(t("第二部分表格", "Section 2 table"), marks: tableMarks, table: 2, anchors: anchors)
        var lastBlock: String?
        let headMarked = columnMarks.keys.contains { $0.hasPrefix("2|") }
        let blocks = format.table2
        var keys: [String] = []
        var blockIndex: Int?
        for r in table.rows {
            // the row's block: usually the previous row's
            if let bi = blockIndex, blocks[bi].rows.contains(where: { $0.key == r.key }) {
                // the same block, the same columns
            } else {
                blockIndex = blocks.indices.first { b in blocks[b].rows.contains { $0.key == r.key } }
                keys = blockIndex.map { blocks[$0].columnKeys } ?? r.columns.indices.map { "c\($0)" }
            }
            if r.block != lastBlock {
                lastBlock = r.block
                let head = headMarked ? nil : (language == .zh ? Pieces.shared.table2HeadsZH : Pieces.shared.table2HeadsEN)[r.block]
                if let head, head.columnKeys == keys, let bi = blockIndex, blocks[bi].caption == r.block {
                    h.raw(head.bytes)
                } else {
                    let block = blockIndex.map { blocks[$0] }
                    let names = language == .zh ? (block?.columns ?? r.columns) : (block?.columnsEN ?? r.columns)
                    table2BlockHead(into: &h, caption: r.block, keys: keys, names: names, columnMarks: columnMarks, anchors: anchors)
                }
            }
            let labelText = language == .zh ? (r.written?.text ?? r.label) : (format.rowLabel(r.key)?.en ?? r.label)
            let rowOwn = rowMarks.isEmpty ? [] : rowMarks["2|\(r.key)"] ?? []
            let pieces = Pieces.shared.table2Rows[r.key].flatMap { $0.columnKeys == keys ? $0 : nil }
            if let pieces, rowOwn.isEmpty, r.written != nil {
                h.raw(pieces.rowOpen)
                h.raw(pieces.labelOpen)
                h.text(labelText)
                h += "</th>"
            } else {
                h += "<tr data-row=\""
                h.text(r.key)
                h += "\">"
                writeLabel(into: &h, labelText, depth: 1, present: r.written != nil, table: 2, row: r.key, marks: rowOwn, anchors: anchors)
            }
            let rowCellMarks = cellMarks.isEmpty ? nil : cellMarks["2|\(r.key)"]
            let rowHasMarks = rowCellMarks != nil
            if !rowHasMarks, let pieces, r.row.cells.count == keys.count {
                plainCells(into: &h, r.row.cells, attributes: pieces.cellAttributes, columnMarked: [])
            } else {
                let cells = r.row.cells
                for (i, k) in keys.enumerated() {
                    let c = i < cells.count ? cells[i] : nil
                    let marks = rowCellMarks?[k] ?? []
                    if marks.isEmpty, let pieces {
                        plainCell(into: &h, c, attributes: pieces.cellAttributes[i], columnMarked: false)
                    } else {
                        cell(into: &h, c, table: 2, row: r.key, col: k, marks: marks, columnMarked: false, anchors: anchors)
                    }
                }
            }
            h += "</tr>"
        }
        return h + "</table></section>\n"
    }

    @discardableResult
    func table3(into out: HTMLOut, _ report: AnnualReport, format: FormatSpec, cellMarks: [String: [String: [Mark]]], rowMarks: [String: [Mark]],
                columnMarks: [String: [Mark]], tableMarks: [Mark]) -> HTMLOut {
        let anchors = Anchors()
        let keys = FormatSpec.table3ColumnKeys
        let columnMarked = keys.map { !columnMarks.isEmpty && columnMarks["3|\($0)"] != nil }
        var h = out
        h += "<section class=\"table\" id=\"table-3\"><h2>\(t("三、收到和处理政府信息公开申请情况", "Section 3: Requests received and handled"))</h2>"
        guard let table = report.table3 else {
            return h + "<table class=\"grid absent-table\" data-table=\"3\">" + caption(t("未找到本部分表格", "This table was not found"), marks: tableMarks, table: 3, anchors: anchors) + "</table></section>\n"
        }
        h += "<table class=\"grid\" data-table=\"3\">"
        h += caption(t("第三部分表格", "Section 3 table"), marks: tableMarks, table: 3, anchors: anchors)
        func colHead(_ i: Int, _ rowspan: Int) -> String {
            let name = language == .zh ? FormatSpec.table3ColumnLabels[i] : FormatSpec.table3ColumnLabelsEN[i]
            return columnHead(name, table: 3, col: keys[i], marks: columnMarks["3|\(keys[i])"] ?? [], anchors: anchors,
                              attributes: rowspan > 1 ? " rowspan=\"\(rowspan)\"" : "")
        }
        let headMarked = columnMarks.keys.contains { $0.hasPrefix("3|") }
        if !headMarked {
            // the usual case: no identity broken on a column, the head made once per language
            h.raw(language == .zh ? Pieces.shared.table3HeadZH : Pieces.shared.table3HeadEN)
        } else {
            h += table3Head(colHead)
        }
        // rows and groups are looked up by index (the report's rows come in the format's order),
        // not by copying the format's rows and groups for every row
        let specs = format.table3Rows
        let groups = format.table3Groups
        var groupShown = [Bool](repeating: false, count: groups.count)
        var resultsShown = false
        var nextSpec = 0
        var nextGroup = 0
        for r in table.rows {
            var si: Int?
            if nextSpec < specs.count && specs[nextSpec].key == r.key {
                si = nextSpec
            } else {
                si = specs.indices.first { specs[$0].key == r.key }
            }
            if let si { nextSpec = si + 1 }
            // group labels above their first row
            if !resultsShown, r.key == "granted" {
                resultsShown = true
                h += "<tr class=\"group\"><th class=\"label d0\" colspan=\"8\">"
                h.text(t("三、本年度办理结果", "III. Results this year"))
                h += "</th></tr>"
            }
            var gi: Int?
            if nextGroup < groups.count && groups[nextGroup].rowKeys.contains(r.key) {
                gi = nextGroup
            } else {
                gi = groups.indices.first { groups[$0].rowKeys.contains(r.key) }
            }
            if let gi {
                nextGroup = gi
                if !groupShown[gi] {
                    // a group shown once, whichever of its labels (two groups may share one)
                    for j in groups.indices where groups[j].label == groups[gi].label { groupShown[j] = true }
                    h += "<tr class=\"group\"><th class=\"label d1\" colspan=\"8\">"
                    h.text(language == .zh ? groups[gi].label : groups[gi].labelEN)
                    h += "</th></tr>"
                }
            }
            let labelText = language == .zh ? (r.written?.text ?? r.label) : (si.map { specs[$0].labelEN } ?? r.label)
            let rowOwn = rowMarks.isEmpty ? [] : rowMarks["3|\(r.key)"] ?? []
            let rowMarked = !rowOwn.isEmpty
            let depth = si.map { specs[$0].depth } ?? 1
            let pieces = Pieces.shared.table3Rows[r.key]
            if let pieces, !rowMarked, r.present, depth == pieces.depth {
                h.raw(pieces.rowOpen)
                h.raw(pieces.labelOpen)
                h.text(labelText)
                h += "</th>"
            } else {
                h += "<tr data-row=\"\(htmlEscape(r.key))\"\(rowMarked ? " class=\"rowmark\"" : "")>"
                writeLabel(into: &h, labelText, depth: depth, present: r.present, table: 3, row: r.key, marks: rowOwn, anchors: anchors)
            }
            let rowCellMarks = cellMarks.isEmpty ? nil : cellMarks["3|\(r.key)"]
            let rowHasMarks = rowCellMarks != nil
            if !rowHasMarks, let pieces, r.row.cells.count == keys.count {
                // the usual row: no cell marked
                plainCells(into: &h, r.row.cells, attributes: pieces.cellAttributes, columnMarked: columnMarked)
            } else {
                let cells = r.row.cells
                for (i, k) in keys.enumerated() {
                    let c = i < cells.count ? cells[i] : nil
                    let marks = rowCellMarks?[k] ?? []
                    if marks.isEmpty, let pieces {
                        plainCell(into: &h, c, attributes: pieces.cellAttributes[i], columnMarked: columnMarked[i])
                    } else {
                        cell(into: &h, c, table: 3, row: r.key, col: k, marks: marks, columnMarked: columnMarked[i], anchors: anchors)
                    }
                }
            }
            h += "</tr>"
        }
        return h + "</tbody></table></section>\n"
    }

    /// A block of table 二: its caption and its columns' names.
    func table2BlockHead(into h: inout HTMLOut, caption: String, keys: [String], names: [String],
                         columnMarks: [String: [Mark]], anchors: Anchors) {
        h += "<tr class=\"block\"><th colspan=\"\(keys.count + 1)\">\(htmlEscape(caption))</th></tr>"
        h += "<tr class=\"colhead\"><th></th>"
        for (k, name) in zip(keys, names) {
            h += columnHead(name, table: 2, col: k, marks: columnMarks["2|\(k)"] ?? [], anchors: anchors)
        }
        h += "</tr>"
    }

    /// Table 三's head: the corner, the applicant groups and the seven columns.
    func table3Head(_ colHead: (Int, Int) -> String) -> String {
        var s = "<thead><tr><th class=\"corner\" rowspan=\"3\">\(htmlEscape(t("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "Column identity: I + II = III (7) + IV")))</th>"
        s += "<th colspan=\"7\">\(htmlEscape(t("申请人情况", "Applicants")))</th></tr>"
        s += "<tr>" + colHead(0, 2) + "<th colspan=\"5\">\(htmlEscape(t("法人或其他组织", "Legal persons and other organisations")))</th>" + colHead(6, 2) + "</tr>"
        s += "<tr>" + (1...5).map { colHead($0, 1) }.joined() + "</tr></thead><tbody>"
        return s
    }

    /// A row's cells when none is marked: the same markup as `plainCell` for each, written
    /// through pointers (no copy of a cell, no reference counting per cell).
    func plainCells(into h: inout HTMLOut, _ cells: [Cell], attributes: [[UInt8]], columnMarked: [Bool]) {
        cells.withUnsafeBufferPointer { cells in
            attributes.withUnsafeBufferPointer { attributes in
                for i in 0..<min(cells.count, attributes.count) {
                    let state = cells[i].state
                    h.append(Self.cellOpen(state))
                    if i < columnMarked.count && columnMarked[i] { h.append(" colmark") }
                    attributes[i].withUnsafeBufferPointer { h.append($0) }
                    if state != .blank && state != .missing {
                        h.text(utf8Of: cells[i].text)
                    }
                    h.append("</td>")
                }
            }
        }
    }

    /// A cell's opening tag up to its first class, which says what the cell holds.
    @inline(__always)
    static func cellOpen(_ state: CellState) -> StaticString {
        switch state {
        case .blank: return "<td class=\"blank"
        case .missing: return "<td class=\"missing"
        case .dash: return "<td class=\"dash"
        case .invalid: return "<td class=\"invalid"
        case .number: return "<td class=\"num"
        }
    }

    /// A cell no finding marks, its attributes made beforehand: the same markup as `cell`.
    @inline(__always)
    func plainCell(into h: inout HTMLOut, _ c: Cell?, attributes: [UInt8], columnMarked: Bool) {
        let state = c?.state ?? .missing
        h.append(Self.cellOpen(state))
        if columnMarked { h += " colmark" }
        h.raw(attributes)
        if state != .blank && state != .missing, let c {
            h.text(c.text)
        }
        h += "</td>"
    }

    @discardableResult
    func table4(into out: HTMLOut, _ report: AnnualReport, cellMarks: [String: [String: [Mark]]], columnMarks: [String: [Mark]], tableMarks: [Mark]) -> HTMLOut {
        let anchors = Anchors()
        let keys = FormatSpec.table4ColumnKeys
        var h = out
        h += "<section class=\"table\" id=\"table-4\"><h2>\(t("四、政府信息公开行政复议、行政诉讼情况", "Section 4: Administrative reconsideration and litigation"))</h2>"
        guard let table = report.table4 else {
            return h + "<table class=\"grid absent-table\" data-table=\"4\">" + caption(t("未找到本部分表格", "This table was not found"), marks: tableMarks, table: 4, anchors: anchors) + "</table></section>\n"
        }
        h += "<table class=\"grid\" data-table=\"4\">"
        h += caption(t("第四部分表格", "Section 4 table"), marks: tableMarks, table: 4, anchors: anchors)
        let headMarked = columnMarks.keys.contains { $0.hasPrefix("4|") }
        if headMarked {
            table4Head(into: &h, columnMarks: columnMarks, anchors: anchors)
        } else {
            h.raw(language == .zh ? Pieces.shared.table4HeadZH : Pieces.shared.table4HeadEN)
        }
        h += "<tbody><tr data-row=\"row\">"
        let cells = table.row.cells
        let rowCellMarks = cellMarks["4|row"]
        for (i, k) in keys.enumerated() {
            let c = i < cells.count ? cells[i] : nil
            let marks = rowCellMarks?[k] ?? []
            let columnMarked = headMarked && columnMarks["4|\(k)"] != nil
            if marks.isEmpty {
                plainCell(into: &h, c, attributes: Pieces.shared.table4Cells[i], columnMarked: columnMarked)
            } else {
                cell(into: &h, c, table: 4, row: "row", col: k, marks: marks, columnMarked: columnMarked, anchors: anchors)
            }
        }
        return h + "</tr></tbody></table></section>\n"
    }

    /// Table 四's head: the three groups and the fifteen result columns.
    func table4Head(into h: inout HTMLOut, columnMarks: [String: [Mark]], anchors: Anchors) {
        let groups = language == .zh ? FormatSpec.table4Groups : FormatSpec.table4GroupsEN
        h += "<thead><tr><th colspan=\"5\" rowspan=\"2\">\(htmlEscape(groups[0]))</th><th colspan=\"10\">\(htmlEscape(t("行政诉讼", "Litigation")))</th></tr>"
        h += "<tr><th colspan=\"5\">\(htmlEscape(groups[1]))</th><th colspan=\"5\">\(htmlEscape(groups[2]))</th></tr><tr>"
        for (i, k) in FormatSpec.table4ColumnKeys.enumerated() {
            let name = language == .zh ? FormatSpec.table4ResultLabels[i % 5] : FormatSpec.table4ResultLabelsEN[i % 5]
            h += columnHead(name, table: 4, col: k, marks: columnMarks["4|\(k)"] ?? [], anchors: anchors)
        }
        h += "</tr></thead>"
    }

    /// The paragraph a prose finding is about, quoted, with the finding's span highlighted.
    func quote(_ d: Diagnostic, document: TextDocument) -> String {
        guard let p = d.position, p.line >= 1, p.line - 1 < document.originalLines.count else { return "" }
        let line = document.originalLines[p.line - 1]
        let start = min(max(p.column - 1, 0), line.count)
        let end = min(line.count, start + max(d.width, 1))
        // a long paragraph is shown as a window around the span
        let from = max(0, start - 120), to = min(line.count, end + 120)
        func text(_ s: ArraySlice<UInt32>) -> String { htmlEscape(TextDocument.string(s)) }
        let sev = d.severity == .error ? "error" : "warning"
        return "<blockquote class=\"prose\" data-line=\"\(p.line)\">\(from > 0 ? "…" : "")\(text(line.scalars(from..<start)))<mark class=\"\(sev)\">\(text(line.scalars(start..<end)))</mark>\(text(line.scalars(end..<to)))\(to < line.count ? "…" : "")</blockquote>"
    }

    static let cssBytes = Array(css.utf8)

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

/// The markup of the tables that depends only on the format (the rows' keys, the columns, the
/// heads), made once for every row either edition has: a page copies it and fills in the
/// figures, so that writing a page costs little beside checking the report.
struct Pieces: Sendable {
    struct Row: Sendable {
        /// `<tr data-row="KEY">`
        var rowOpen: [UInt8]
        /// The label cell up to its text, for a row that is present and unmarked.
        var labelOpen: [UInt8]
        var depth: Int
        /// `" data-table="N" data-row="KEY" data-col="COL">`: what follows a cell's classes, by
        /// column.
        var cellAttributes: [[UInt8]]
        var columnKeys: [String]
    }

    var table2Rows: [String: Row] = [:]
    var table3Rows: [String: Row] = [:]
    var table4Cells: [[UInt8]] = []
    var table3HeadZH: [UInt8] = []
    var table3HeadEN: [UInt8] = []
    var table4HeadZH: [UInt8] = []
    var table4HeadEN: [UInt8] = []
    /// Table 二's block heads by caption, with the column keys they were made for.
    var table2HeadsZH: [String: (columnKeys: [String], bytes: [UInt8])] = [:]
    var table2HeadsEN: [String: (columnKeys: [String], bytes: [UInt8])] = [:]

    static let shared = Pieces()

    static func attributes(table: Int, row: String, col: String) -> [UInt8] {
        Array("\" data-table=\"\(table)\" data-row=\"\(htmlEscape(row))\" data-col=\"\(htmlEscape(col))\">".utf8)
    }

    init() {
        for spec in [FormatSpec.y2019, FormatSpec.y2021] {
            for r in spec.table3Rows where table3Rows[r.key] == nil {
                let key = htmlEscape(r.key)
                table3Rows[r.key] = Row(
                    rowOpen: Array("<tr data-row=\"\(key)\">".utf8),
                    labelOpen: Array("<th scope=\"row\" class=\"label d\(r.depth)\" data-table=\"3\" data-row=\"\(key)\">".utf8),
                    depth: r.depth,
                    cellAttributes: FormatSpec.table3ColumnKeys.map { Self.attributes(table: 3, row: r.key, col: $0) },
                    columnKeys: FormatSpec.table3ColumnKeys)
            }
            for b in spec.table2 {
                for r in b.rows where table2Rows[r.key] == nil {
                    let key = htmlEscape(r.key)
                    table2Rows[r.key] = Row(
                        rowOpen: Array("<tr data-row=\"\(key)\">".utf8),
                        labelOpen: Array("<th scope=\"row\" class=\"label d1\" data-table=\"2\" data-row=\"\(key)\">".utf8),
                        depth: 1,
                        cellAttributes: b.columnKeys.map { Self.attributes(table: 2, row: r.key, col: $0) },
                        columnKeys: b.columnKeys)
                }
            }
        }
        table4Cells = FormatSpec.table4ColumnKeys.map { Self.attributes(table: 4, row: "row", col: $0) }
        // the heads as the renderer draws them with no column marked
        for language in [Language.zh, .en] {
            let renderer = HTMLNoteRenderer(language: language)
            let anchors = HTMLNoteRenderer.Anchors()
            let keys = FormatSpec.table3ColumnKeys
            let head3 = renderer.table3Head { i, rowspan in
                let name = language == .zh ? FormatSpec.table3ColumnLabels[i] : FormatSpec.table3ColumnLabelsEN[i]
                return renderer.columnHead(name, table: 3, col: keys[i], marks: [], anchors: anchors,
                                           attributes: rowspan > 1 ? " rowspan=\"\(rowspan)\"" : "")
            }
            for spec in [FormatSpec.y2019, FormatSpec.y2021] {
                for b in spec.table2 {
                    var head = HTMLOut()
                    renderer.table2BlockHead(into: &head, caption: b.caption, keys: b.columnKeys,
                                             names: language == .zh ? b.columns : b.columnsEN, columnMarks: [:], anchors: anchors)
                    if language == .zh {
                        if table2HeadsZH[b.caption] == nil { table2HeadsZH[b.caption] = (b.columnKeys, head.bytes) }
                    } else if table2HeadsEN[b.caption] == nil {
                        table2HeadsEN[b.caption] = (b.columnKeys, head.bytes)
                    }
                }
            }
            var head4 = HTMLOut()
            renderer.table4Head(into: &head4, columnMarks: [:], anchors: anchors)
            if language == .zh {
                table3HeadZH = Array(head3.utf8)
                table4HeadZH = head4.bytes
            } else {
                table3HeadEN = Array(head3.utf8)
                table4HeadEN = head4.bytes
            }
        }
    }
}
