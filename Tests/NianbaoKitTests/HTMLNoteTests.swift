import Foundation
import NianbaoKit
import Testing
import NianbaoText
import NianbaoExtract
import NianbaoRender

/// The note as a web page: what a clerk checks on it, without a browser (the browser test in
/// NianbaoIntegrationTests renders the same pages).
@Suite("HTMLNote")
struct HTMLNoteTests {
    /// The 淮安 report with 5.属于三类内部事务信息 · 自然人 changed from 7 to 10.
    static func wrongCell() throws -> CheckResult {
        let base = try Fixtures.text(Fixtures.huaian)
        let report = Extractor.extract(TextDocument(base))
        let cell = report.table3!.row("deny_internal")!.row.cells[0]
        #expect(cell.text == "7")
        let text = MutationTests.replace(base, at: cell.position!, width: cell.width, with: "10")
        return Checker.check(CheckInput(fileName: "淮安.txt", bytes: Array(text.utf8)), checkedAt: "")
    }

    /// `<td …>` tags of a page, as attribute dictionaries with the cell's inner text.
    static func cells(_ html: String) -> [(attributes: [String: String], inner: String)] {
        var out: [([String: String], String)] = []
        var rest = html[...]
        while let open = rest.range(of: "<td ") {
            guard let close = rest[open.upperBound...].firstIndex(of: ">"),
                  let end = rest[close...].range(of: "</td>") else { break }
            out.append((attributes(String(rest[open.upperBound..<close])), String(rest[rest.index(after: close)..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return out
    }

    static func attributes(_ s: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = s[...]
        while let eq = rest.range(of: "=\"") {
            let name = rest[..<eq.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let q = rest[eq.upperBound...].firstIndex(of: "\"") else { break }
            out[name] = String(rest[eq.upperBound..<q])
            rest = rest[rest.index(after: q)...]
        }
        return out
    }

    @Test("the wrong cell is marked red and shows 10 → 7, linked to its finding and back")
    func wrongCellShowsTheChange() throws {
        let result = try Self.wrongCell()
        #expect(result.verdict == .rejected)
        let d = try #require(result.diagnostics.first { $0.code.rawValue == "table3-wrong-cell" })
        #expect(d.row == "deny_internal" && d.columnKey == "natural")
        let html = result.htmlNote(fileName: "淮安.txt", language: .zh)
        let marked = Self.cells(html).filter { $0.attributes["data-findings"] != nil }
        let cell = try #require(marked.first { $0.attributes["data-row"] == "deny_internal" && $0.attributes["data-col"] == "natural" })
        #expect(cell.attributes["data-table"] == "3")
        #expect(cell.attributes["data-severity"] == "error")
        #expect(cell.inner.contains("10 → 7"))
        #expect(cell.attributes["title"]?.contains("应为 7") == true)
        let id = try #require(cell.attributes["data-findings"]?.split(separator: " ").first.map(String.init))
        #expect(cell.attributes["id"] == "c-\(id)")
        #expect(html.contains("id=\"\(id)\""))
        #expect(html.contains("href=\"#c-\(id)\""))
        #expect(cell.inner.contains("href=\"#\(id)\""))
        // the banner
        #expect(html.contains("data-verdict=\"rejected\""))
        #expect(html.contains("淮安市人民政府"))
        // English with the configured language
        let en = result.htmlNote(fileName: "淮安.txt", language: .en)
        #expect(en.contains("Rejected") && en.contains("10 → 7") && en.contains("lang=\"en\""))
    }

    @Test("a blank cell is hatched, never shown as 0")
    func blankCellIsHatched() throws {
        let base = try Fixtures.text(Fixtures.huaian)
        let report = Extractor.extract(TextDocument(base))
        let cell = report.table3!.row("deny_secret")!.row.cells[1]
        #expect(cell.text == "0")
        let text = MutationTests.replace(base, at: cell.position!, width: cell.width, with: " ")
        let result = Checker.check(CheckInput(fileName: "b.txt", bytes: Array(text.utf8)), checkedAt: "")
        let html = result.htmlNote(fileName: "b.txt", language: .zh)
        let blank = try #require(Self.cells(html).first { $0.attributes["data-row"] == "deny_secret" && $0.attributes["data-col"] == "commercial" })
        #expect(blank.attributes["class"]?.contains("blank") == true)
        #expect(!blank.inner.hasPrefix("0"))
        if result.diagnostics.contains(where: { $0.row == "deny_secret" && $0.columnKey == "commercial" }) {
            #expect(blank.attributes["data-findings"] != nil)
        }
    }

    @Test("every finding with a cell place marks exactly that cell", arguments: Fixtures.seeds + [Fixtures.huaian])
    func everyCellFindingIsMarked(_ name: String) throws {
        let result = Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "")
        let html = result.htmlNote(fileName: name, language: .zh)
        let cells = Self.cells(html)
        for d in result.diagnostics {
            guard let section = d.section, (2...4).contains(section), let column = d.columnKey, d.row != nil || section == 4 else { continue }
            let row = d.row ?? "row"
            let matches = cells.filter { $0.attributes["data-table"] == "\(section)" && $0.attributes["data-row"] == row && $0.attributes["data-col"] == column }
            #expect(matches.count == 1, "\(name): \(d.code.rawValue) \(row)/\(column)")
            #expect(matches.first?.attributes["data-findings"] != nil, "\(name): \(d.code.rawValue) \(row)/\(column) not marked")
        }
        // nothing marked that no finding names
        let named = Set(result.diagnostics.compactMap { d in d.columnKey.map { "\(d.section ?? 0)|\(d.row ?? "row")|\($0)" } })
        for c in cells where c.attributes["data-findings"] != nil {
            #expect(named.contains("\(c.attributes["data-table"]!)|\(c.attributes["data-row"]!)|\(c.attributes["data-col"]!)"))
        }
        #expect(html.utf8.count < 200_000, "\(name): \(html.utf8.count) bytes")
    }

    @Test("everything from the report is text, never markup")
    func reportTextIsEscaped() throws {
        var text = try Fixtures.text(Fixtures.seeds[2])
        let evil = "<script>alert(\"x\")</script><img src=x onerror=\"alert(1)\">"
        // in the organ's name (the banner), in a row label (the table) and in the file's name
        text = text.replacingOccurrences(of: "顾县镇人民政府", with: "顾县镇人民政府" + evil)
        text = text.replacingOccurrences(of: "4.无正当理由由大量反复申请", with: "4.无正当理由由大量反复申请\"" + evil)
        let name = "a\"b<script>.txt"
        let result = Checker.check(CheckInput(fileName: name, bytes: Array(text.utf8)), checkedAt: "")
        let html = result.htmlNote(fileName: name, language: .zh)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(!html.contains("a\"b"))
        // the overview page too
        let page = OverviewPage.render(
            entries: [OverviewEntry(folder: "rejected", file: name, organ: "机关" + evil, year: 2020, accepted: false, errors: 1,
                                    warnings: 0, rules: ["x" + evil], note: OverviewPage.href(["rejected", name + ".审核意见.html"]))],
            expectedOrgans: ["名单" + evil], writtenAt: "2026-12-04T20:00:00+08:00", language: .zh)
        #expect(!page.contains("<script") && !page.contains("<img"))
        #expect(page.contains("href=\"rejected/a%22b%3Cscript%3E.txt.%E5%AE%A1%E6%A0%B8%E6%84%8F%E8%A7%81.html\""))
    }

    @Test("a missing section is shown where it belongs")
    func missingSection() throws {
        let text = try Fixtures.text(Fixtures.seeds[0])
        // drop section 五's heading
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let cut = lines.filter { !$0.contains("五、") }.joined(separator: "\n")
        let result = Checker.check(CheckInput(fileName: "m.txt", bytes: Array(cut.utf8)), checkedAt: "")
        let html = result.htmlNote(fileName: "m.txt", language: .zh)
        if result.diagnostics.contains(where: { $0.code.rawValue == "section-missing" && $0.section == 5 }) {
            #expect(html.contains("class=\"absent mark error\" data-section=\"5\"") || html.contains("class=\"absent mark warning\" data-section=\"5\""))
        }
    }
}
