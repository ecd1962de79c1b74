import NianbaoModel
import NianbaoRules
import NianbaoCore

/// One checked report as the overview page lists it.
public struct OverviewEntry: Sendable, Equatable {
    /// `accepted` or `rejected`: the folder the report lies in.
    public var folder: String
    /// The name it was published under.
    public var file: String
    public var organ: String?
    public var year: Int?
    public var accepted: Bool
    public var errors: Int
    public var warnings: Int
    /// Rule codes of its findings, once each.
    public var rules: [String]
    /// The note's address relative to the data folder (`rejected/x.docx.审核意见.html`), when
    /// there is a note.
    public var note: String?

    public init(folder: String, file: String, organ: String?, year: Int?, accepted: Bool, errors: Int, warnings: Int,
                rules: [String], note: String?) {
        self.folder = folder
        self.file = file
        self.organ = organ
        self.year = year
        self.accepted = accepted
        self.errors = errors
        self.warnings = warnings
        self.rules = rules
        self.note = note
    }
}

/// The data folder's overview, `index.html`: every checked report by organ and year with its
/// verdict, counts and a link to its note; the most common problems as a bar chart (inline SVG);
/// the organs of the expected list that have not reported; when it was written. A static page:
/// inline CSS, no script, nothing fetched.
public enum OverviewPage {
    /// A relative address made of a folder and a file name, each part percent-encoded.
    public static func href(_ parts: [String]) -> String {
        parts.map { part in
            var out = ""
            for b in part.utf8 {
                let c = Character(Unicode.Scalar(b))
                if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~".contains(c) {
                    out.append(c)
                } else {
                    let hex = Array("0123456789ABCDEF")
                    out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
                }
            }
            return out
        }.joined(separator: "/")
    }

    public static func render(entries: [OverviewEntry], expectedOrgans: [String]?, writtenAt: String, language: Language) -> String {
        let sorted = entries.sorted {
            (OrganName.normalised($0.organ ?? "\u{10FFFF}"), -($0.year ?? 0), $0.file) < (OrganName.normalised($1.organ ?? "\u{10FFFF}"), -($1.year ?? 0), $1.file)
        }
        // the most common problems, by the reports they occur in
        var counts: [String: Int] = [:]
        for e in entries { for code in Set(e.rules) { counts[code, default: 0] += 1 } }
        let present = Set(entries.compactMap { $0.organ.map(OrganName.normalised) })
        let missing = (expectedOrgans ?? []).filter { !present.contains(OrganName.normalised($0)) }
        var h = head(total: entries.count, accepted: entries.filter(\.accepted).count, ruleCounts: counts,
                     expectedOrgans: expectedOrgans, missing: missing, writtenAt: writtenAt, language: language)
        for e in sorted { h += row(e, language: language) }
        return h + tail
    }

    /// The page up to the table's rows (a page written a row at a time: ``row(_:language:)``
    /// for each report, by organ, newest year first, then ``tail``). `ruleCounts`: how many
    /// reports each rule occurs in; `missing`: the expected organs that have not reported.
    public static func head(total: Int, accepted: Int, ruleCounts: [String: Int], expectedOrgans: [String]?, missing: [String],
                            writtenAt: String, language: Language) -> String {
        let zh = language == .zh
        func t(_ a: String, _ b: String) -> String { zh ? a : b }
        var h = "<!DOCTYPE html>\n<html lang=\"\(zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\">"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        h += "<title>\(t("年报审核总览", "Annual reports: overview"))</title><style>\(css)</style></head><body>\n"
        h += "<header><h1>\(t("政府信息公开工作年度报告 审核总览", "Annual reports on open government information: overview"))</h1>"
        h += "<p class=\"stamp\" data-written=\"\(htmlEscape(writtenAt))\">\(htmlEscape(t("更新时间：", "Written: ") + writtenAt))</p>"
        h += "<p class=\"totals\">\(htmlEscape(zh ? "报告 \(total) 份：通过 \(accepted) 份，退回 \(total - accepted) 份" : "\(total) report(s): \(accepted) accepted, \(total - accepted) rejected"))</p></header>\n<main>\n"
        let top = ruleCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
        h += "<section><h2>\(t("最常见的问题", "Most common problems"))</h2>"
        if top.isEmpty {
            h += "<p>\(t("没有发现问题。", "No problems found."))</p>"
        } else {
            let maxCount = top.map(\.value).max() ?? 1
            let rowH = 24, labelW = 230, barW = 360
            h += "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelW + barW + 60)\" height=\"\(rowH * top.count + 8)\" role=\"img\" aria-label=\"\(t("最常见的问题", "Most common problems"))\">"
            for (i, item) in top.enumerated() {
                let y = i * rowH + 4
                let w = max(2, barW * item.value / maxCount)
                h += "<g data-rule=\"\(htmlEscape(item.key))\" data-count=\"\(item.value)\"><title>\(htmlEscape(item.key)): \(item.value)</title>"
                h += "<text x=\"\(labelW - 6)\" y=\"\(y + 16)\" text-anchor=\"end\">\(htmlEscape(item.key))</text>"
                h += "<rect x=\"\(labelW)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowH - 8)\" fill=\"#c62828\"/>"
                h += "<text x=\"\(labelW + w + 6)\" y=\"\(y + 16)\">\(item.value)</text></g>"
            }
            h += "</svg>"
        }
        h += "</section>\n"
        if let expectedOrgans {
            h += "<section class=\"missing\"><h2>\(htmlEscape(zh ? "尚未提交（名单 \(expectedOrgans.count) 个，缺 \(missing.count) 个）" : "Not reported (\(missing.count) of \(expectedOrgans.count) on the list)"))</h2>"
            h += missing.isEmpty ? "<p>\(t("名单上的机关都已提交。", "Every organ on the list has reported."))</p>"
                : "<ul>" + missing.map { "<li data-organ=\"\(htmlEscape($0))\">\(htmlEscape($0))</li>" }.joined() + "</ul>"
            h += "</section>\n"
        }
        h += "<section><h2>\(t("各机关报告", "Reports by organ"))</h2><table class=\"reports\"><thead><tr>"
        for head in [t("机关", "Organ"), t("年度", "Year"), t("结论", "Verdict"), t("错误", "Errors"), t("警告", "Warnings"), t("文件", "File"), t("审核意见", "Note")] {
            h += "<th>\(htmlEscape(head))</th>"
        }
        h += "</tr></thead><tbody>"
        return h
    }

    /// One report's row of the table.
    public static func row(_ e: OverviewEntry, language: Language) -> String {
        let zh = language == .zh
        func t(_ a: String, _ b: String) -> String { zh ? a : b }
        var h = "<tr class=\"\(e.accepted ? "ok" : "bad")\" data-file=\"\(htmlEscape(e.file))\" data-verdict=\"\(e.accepted ? "accepted" : "rejected")\">"
        h += "<td>\(htmlEscape(e.organ ?? t("（未能识别）", "(not found)")))</td><td>\(e.year.map(String.init) ?? "—")</td>"
        h += "<td class=\"verdict\">\(htmlEscape(e.accepted ? t("通过", "accepted") : t("退回", "rejected")))</td>"
        h += "<td class=\"n\">\(e.errors)</td><td class=\"n\">\(e.warnings)</td>"
        h += "<td><a href=\"\(href([e.folder, e.file]))\">\(htmlEscape(e.file))</a></td>"
        h += "<td>" + (e.note.map { "<a class=\"note\" href=\"\(htmlEscape($0))\">\(t("查看", "open"))</a>" } ?? "—") + "</td></tr>"
        return h
    }

    /// The page after the table's rows.
    public static let tail = "</tbody></table></section>\n</main></body></html>\n"

    static let css = """
    body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#fafafa;font-size:14px}
    header{background:#1f3a5f;color:#fff;padding:10px 24px}header h1{font-size:20px;margin:4px 0}header p{margin:2px 0}
    main{padding:8px 24px}h2{font-size:16px;border-bottom:1px solid #ccc;padding-bottom:4px}
    .chart text{font-size:12px;fill:#333}
    table.reports{border-collapse:collapse;background:#fff}
    .reports th,.reports td{border:1px solid #bbb;padding:3px 8px}.reports th{background:#eef1f5}
    .reports td.n{text-align:right}.reports tr.bad td.verdict{color:#c62828;font-weight:bold}.reports tr.ok td.verdict{color:#2e7d32}
    .missing li{color:#b26a00}
    """
}
