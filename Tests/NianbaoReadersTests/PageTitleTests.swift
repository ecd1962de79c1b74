import Foundation
import NianbaoKit
import Testing

@testable import NianbaoReaders
import NianbaoText
import NianbaoRules

/// A web page whose article starts with its preamble: the report's title is only in the page's
/// `<title>`, which stands in for it, and the note says so.
@Suite struct PageTitleTests {
    /// A seed report as a web page: its TAB rows as table rows, its other lines as paragraphs;
    /// the title line in the article, or only in `<title>` (with the site's name after it).
    static func page(_ seed: String, titleInArticle: Bool) throws -> (html: String, title: String) {
        let text = try TextDecoder.decode(Fixtures.bytes(seed)).text
        var lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines.subtracting(.init(charactersIn: "\t"))) }
        let t = lines.firstIndex { $0.contains("年度报告") }!
        let title = lines[t]
        if !titleInArticle { lines.remove(at: t) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var body = ""
        var inTable = false
        for l in lines {
            if l.contains("\t") {
                if !inTable { body += "<table>\n"; inTable = true }
                body += "<tr>" + l.components(separatedBy: "\t").map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n"
            } else {
                if inTable { body += "</table>\n"; inTable = false }
                if !l.isEmpty { body += "<p>\(esc(l))</p>\n" }
            }
        }
        if inTable { body += "</table>\n" }
        let html = """
            <html><head><meta charset="utf-8"><title>\(esc(title))_某某市人民政府门户网站</title></head>
            <body><div class="nav">首页 政务公开 政府信息公开年报</div>
            <div class="article">\(body)</div></body></html>
            """
        return (html, title)
    }

    static func check(_ html: String) throws -> CheckResult {
        let doc = try HTMLReader.document(from: Array(html.utf8))
        var input = CheckInput(fileName: "report.html", bytes: Array(html.utf8), format: "html", encoding: doc.encoding)
        input.content = .document(doc)
        return Checker.check(input, checkedAt: "")
    }

    @Test("the page's <title> stands in for the article's missing title; the seed's other findings stay",
          arguments: ["002_baa9f92cd75d3d34.txt", "003_37e901e8ac7f78da.txt"])
    func titleFromPage(seed: String) throws {
        let (without, title) = try Self.page(seed, titleInArticle: false)
        let (with, _) = try Self.page(seed, titleInArticle: true)
        let r = try Self.check(without), reference = try Self.check(with)
        #expect(reference.report?.title != nil && !reference.diagnostics.contains { $0.code == .titleMissing })
        #expect(r.report?.title == reference.report?.title)
        #expect(r.report?.organ == reference.report?.organ && r.report?.year == 2020)
        #expect(r.report?.title.map { title.filter { !$0.isWhitespace } == $0.filter { !$0.isWhitespace } } == true)
        // no title-missing error; one warning saying where the title came from
        let said = r.diagnostics.filter { $0.code == .titleMissing }
        #expect(said.count == 1 && said.first?.severity == .warning)
        let p = try #require(said.first?.position)
        #expect(r.layout?.origin(line: p.line, column: p.column) == .pageTitle)
        #expect(r.verdict == reference.verdict)
        // every other finding as with the title in the article
        func key(_ d: Diagnostic) -> String { "\(d.code) \(d.section ?? 0) \(d.row ?? "") \(d.columnKey ?? "")" }
        #expect(r.diagnostics.filter { $0.code != .titleMissing }.map(key) == reference.diagnostics.map(key))
    }
}
