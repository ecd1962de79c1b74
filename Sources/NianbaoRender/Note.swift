import NianbaoModel
import NianbaoRules
import NianbaoText
import NianbaoCore

/// Everything a note's header shows.
public struct NoteHeader: Sendable {
    public var fileName: String
    public var sha256: String
    public var verdict: Verdict
    /// For a scan read by OCR: its page count (the header says the report was read by OCR).
    public var ocrPages: Int?
    /// The report has text, but part of it is a picture (a table pasted as an image, a scanned
    /// page), so it was read by OCR as a whole.
    public var picturesRead: Bool
    public init(fileName: String, sha256: String, verdict: Verdict, ocrPages: Int? = nil, picturesRead: Bool = false) {
        self.fileName = fileName
        self.sha256 = sha256
        self.verdict = verdict
        self.ocrPages = ocrPages
        self.picturesRead = picturesRead
    }
}

/// Renders findings the way a compiler explains an error: message, where, the source line with
/// the offending cells underlined, expected and found, and what to do.
public struct NoteRenderer: Sendable {
    public var language: Language
    public var color: Bool
    /// Where the reader's lines came from: with it, a finding in a Word or web table is placed
    /// by table, row and column, and one in a PDF by page, as the clerk finds them.
    public var layout: PositionedDocument?
    /// The report's format, for the row and column names of a place (both editions when nil).
    public var format: FormatSpec?

    public init(language: Language = .zh, color: Bool = false, layout: PositionedDocument? = nil, format: FormatSpec? = nil) {
        self.language = language
        self.color = color
        self.layout = layout
        self.format = format
    }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// Display width of a scalar in a monospaced font (CJK and full-width forms take two cells).
    static func width(_ v: UInt32) -> Int {
        if v == 0x09 { return 2 }
        if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0xA4CF) || (v >= 0xAC00 && v <= 0xD7A3)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F) || (v >= 0xFF00 && v <= 0xFF60)
            || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x20000 && v <= 0x3FFFD) || v == 0x201C || v == 0x201D {
            return 2
        }
        return 1
    }

    /// The note; `groups` are the findings already grouped (for the web page too), when they are.
    public func render(header: NoteHeader, report: AnnualReport, diagnostics: [Diagnostic], document: TextDocument?,
                       groups: NoteGroups? = nil) -> String {
        if format == nil {
            var withFormat = self
            withFormat.format = report.format
            return withFormat.render(header: header, report: report, diagnostics: diagnostics, document: document, groups: groups)
        }
        let zh = language == .zh
        let groups = groups?.groups ?? NoteGroup.group(diagnostics, report: report)
        let errors = groups.filter { $0.lead.severity == .error }
        let warnings = groups.filter { $0.lead.severity == .warning }
        func count(_ gs: [NoteGroup], _ zhWord: String, _ enWord: String) -> String {
            let places = gs.reduce(0) { $0 + $1.members.count + $1.absorbed.count }
            return places > gs.count ? (zh ? "\(zhWord) \(gs.count) 项（共 \(places) 处）" : "\(gs.count) \(enWord)(s) (\(places) places)")
                : (zh ? "\(zhWord) \(gs.count) 项" : "\(gs.count) \(enWord)(s)")
        }
        var out: [String] = []
        let verdictText = header.verdict == .accepted
            ? (zh ? "通过" : "accepted") : (zh ? "不通过，退回修改" : "rejected")
        out.append(zh ? "政府信息公开工作年度报告 审核意见" : "nianbao review note")
        out.append((zh ? "结论：" : "Verdict: ") + paint(verdictText, header.verdict == .accepted ? "1;32" : "1;31"))
        out.append((zh ? "文件：" : "File: ") + header.fileName)
        out.append((zh ? "机关：" : "Organ: ") + (report.organ ?? (zh ? "（未能识别）" : "(not found)")))
        out.append((zh ? "年度：" : "Year: ") + (report.year.map(String.init) ?? (zh ? "（未能识别）" : "(not found)")))
        let edition = (report.tableEdition ?? report.edition).map { zh ? "\($0.rawValue)（\($0.document)）" : "\($0.rawValue) (\($0.documentEN))" }
            ?? (zh ? "（未能识别）" : "(unknown)")
        out.append((zh ? "格式版本：" : "Edition: ") + edition)
        out.append((zh ? "SHA-256：" : "SHA-256: ") + header.sha256)
        if let pages = header.ocrPages, header.picturesRead {
            out.append(zh ? "读取方式：报告中有部分内容是图片（如以图片粘贴的表格或扫描页），全文共 \(pages) 页由文字识别（OCR）读取；识别把握不大的数字已标出，请对照原件核对"
                          : "Read by: OCR of the whole report (\(pages) pages), since part of it (a table pasted as a picture, a scanned page) is a picture; figures read with low confidence are marked for checking")
        } else if let pages = header.ocrPages {
            out.append(zh ? "读取方式：扫描件，共 \(pages) 页，由文字识别（OCR）读取；识别把握不大的数字已标出，请对照原件核对"
                          : "Read by: OCR of a scan (\(pages) pages); figures read with low confidence are marked for checking")
        }
        out.append(zh ? "发现：\(count(errors, "错误", "error"))，\(count(warnings, "警告", "warning"))"
                      : "Found: \(count(errors, "error", "error")), \(count(warnings, "warning", "warning"))")
        if header.verdict == .accepted && !warnings.isEmpty {
            out.append(zh ? "（警告不影响通过，但建议在发布前改正。）" : "(Warnings do not reject the report, but should be fixed before publication.)")
        }
        for g in groups {
            out.append("")
            out += render(g, fileName: header.fileName, document: document)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A group: its title in place of the first finding's message, the first finding's place,
    /// then the list of the places it covers, counted once.
    func render(_ g: NoteGroup, fileName: String, document: TextDocument?) -> [String] {
        guard g.members.count > 1 else { return render(g.lead, fileName: fileName, document: document) }
        var lead = g.lead
        if let title = g.title { lead.message = title }
        let helps = Set(g.members.map(\.help))
        if helps.count > 1, let help = g.help { lead.help = help }
        // one expected/actual for all, or none (the list says each)
        if Set(g.members.map(\.expected)).count > 1 || Set(g.members.map(\.actual)).count > 1 {
            lead.expected = nil
            lead.actual = nil
        }
        lead.notes = []
        var out = render(lead, fileName: fileName, document: document)
        let zh = language == .zh
        let items = g.places.map { $0.text(language) }
        let head = g.title == nil
            ? (zh ? "  = 同一行还有 \(g.members.count - 1) 项同类问题：" : "  = \(g.members.count - 1) more of the same kind on this line:")
            : g.placesAreRows ? (zh ? "  = 涉及 \(items.count) 行：" : "  = \(items.count) rows:")
            : (zh ? "  = 涉及 \(items.count) 格：" : "  = \(items.count) cells:")
        // the list goes before the help, so the help reads last
        let at = out.lastIndex { $0.hasPrefix(zh ? "  = 帮助：" : "  = help: ") } ?? out.count
        var list = items.isEmpty ? [] : [head]
        if g.title == nil {
            list += items.dropFirst().map { "    · " + $0 }
        } else {
            // several to a line: a list of 20 rows is a paragraph, not a page
            var line = ""
            for item in items {
                let piece = line.isEmpty ? item : (zh ? "、" : ", ") + item
                if !line.isEmpty && (line + piece).unicodeScalars.reduce(0, { $0 + NoteRenderer.width($1.value) }) > 96 {
                    list.append("    " + line + (zh ? "、" : ","))
                    line = item
                } else {
                    line += piece
                }
            }
            if !line.isEmpty { list.append("    " + line) }
        }
        out.insert(contentsOf: list, at: at)
        return out
    }

    public func render(_ d: Diagnostic, fileName: String, document: TextDocument?) -> [String] {
        let zh = language == .zh
        let sev = d.severity == .error ? (zh ? "错误" : "error") : (zh ? "警告" : "warning")
        var out: [String] = []
        out.append(paint("\(sev)[\(d.code.rawValue)]", d.severity == .error ? "1;31" : "1;33") + (zh ? "：" : ": ") + paint(d.message.text(language), "1"))
        if let p = d.position, let place = FindingPlace(d, layout: layout, format: format) {
            // a Word, web or PDF document is placed by table, row and column, paragraph or page:
            // the reader's line numbers mean nothing to the clerk, so the gutter shows none
            // a text file's place is its own line and column, which for a text read as a
            // document (HTML tables, wrapped rows, a browser's copy) is not the line shown below
            var (line, column) = (p.line, p.column)
            if case .text(let l, let c) = place.origin { (line, column) = (l, c) }
            let number = place.isText ? String(line) : ""
            let pad = String(repeating: " ", count: max(number.count, 1))
            if place.isText {
                out.append("\(pad)--> \(fileName):\(line):\(column)")
            } else {
                out.append("\(pad)--> \(fileName)\(language == .zh ? "：" : ": ")\(place.describe(language))")
            }
            if let document, p.line - 1 < document.originalLines.count {
                let whole = document.originalLines[p.line - 1]
                // a very long line is shown as a window around the finding
                let window = 160
                let from = whole.count > window ? max(0, min(p.column - 1 - 40, whole.count - window)) : 0
                let to = min(whole.count, from + window)
                let line = whole[from..<to]
                var shown = from > 0 ? "…" : ""
                var before = from > 0 ? 1 : 0
                var under = 0
                for (i, v) in zip(from..<to, line) {
                    let w = NoteRenderer.width(v)
                    if v == 0x09 { shown += "  " } else if let u = Unicode.Scalar(v) { shown.unicodeScalars.append(u) }
                    if i < p.column - 1 { before += w } else if i < p.column - 1 + max(d.width, 1) { under += w }
                }
                if to < whole.count { shown += "…" }
                // trailing whitespace is noise in a note
                while shown.last == " " { shown.removeLast() }
                out.append("\(pad) " + paint("|", "1;34"))
                out.append((number.isEmpty ? pad : paint(number, "1;34")) + " " + paint("|", "1;34") + " " + shown)
                let carets = String(repeating: "^", count: max(under, 1))
                let label = d.label.map { " " + $0.text(language) } ?? ""
                out.append("\(pad) " + paint("|", "1;34") + " " + String(repeating: " ", count: before)
                           + paint(carets + label, d.severity == .error ? "1;31" : "1;33"))
                out.append("\(pad) " + paint("|", "1;34"))
            }
        } else if d.section != nil || d.row != nil {
            out.append(zh ? "  --> \(fileName)（全文未找到）" : "  --> \(fileName) (not found anywhere)")
        } else {
            out.append("  --> \(fileName)")
        }
        for note in d.notes {
            out.append((zh ? "  = " : "  = note: ") + note.text(language))
        }
        // a disagreement whose culprit is unknown shows no “应为”: it asks for a check, not a fix
        if d.isFix && (d.expected != nil || d.actual != nil) {
            let expected = d.expected(language) ?? "—", actual = d.actual(language) ?? "—"
            out.append(zh ? "  = 应为：\(expected)；实际：\(actual)" : "  = expected: \(expected); found: \(actual)")
        }
        out.append((zh ? "  = 帮助：" : "  = help: ") + d.help.text(language))
        return out
    }
}

/// How a note file is written for its readers.
public enum NoteEncoding: String, Sendable, Codable, CaseIterable {
    /// UTF-8 with a byte-order mark and CRLF line ends: opens correctly in Notepad on a
    /// Chinese-locale Windows PC.
    case windows = "utf-8-bom-crlf"
    /// Plain UTF-8 with LF line ends.
    case utf8 = "utf-8"

    public func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8: return Array(text.utf8)
        case .windows:
            var out: [UInt8] = [0xEF, 0xBB, 0xBF]
            for b in text.utf8 {
                if b == 0x0A && out.last != 0x0D { out.append(0x0D) }
                out.append(b)
            }
            return out
        }
    }
}
