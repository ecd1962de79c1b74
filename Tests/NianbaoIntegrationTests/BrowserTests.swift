import Foundation
import NianbaoKit
import Testing
import NianbaoRender

/// The HTML notes and the overview page, loaded in a real browser (headless Chromium,
/// `--dump-dom`): every finding the JSON places in a table cell has exactly that cell marked in
/// the rendered page, by table, row and column; nothing from the report became markup.
@Suite("Browser (headless Chromium)")
struct BrowserTests {
    static let chromium: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    static func skipMessage() -> Bool {
        if chromium == nil {
            print("BrowserTests: SKIPPED — no chromium binary on PATH (apt-get install chromium; .ci/run does)")
            return true
        }
        return false
    }

    /// The page as the browser built it.
    static func dumpDOM(_ html: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("page.html")
        try Data(html.utf8).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium!)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                       "--user-data-dir=\(dir.path)/profile", "--dump-dom", file.absoluteString]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The elements with a given tag in a serialised DOM: attributes and inner text.
    static func elements(_ tag: String, in dom: String) -> [(attributes: [String: String], inner: String)] {
        var out: [([String: String], String)] = []
        var rest = dom[...]
        while let open = rest.range(of: "<\(tag) ") {
            guard let close = rest[open.upperBound...].firstIndex(of: ">"),
                  let end = rest[close...].range(of: "</\(tag)>") else { break }
            var attrs: [String: String] = [:]
            var a = rest[open.upperBound..<close]
            while let eq = a.range(of: "=\"") {
                let name = a[..<eq.lowerBound].trimmingCharacters(in: .whitespaces)
                guard let q = a[eq.upperBound...].firstIndex(of: "\"") else { break }
                attrs[name] = String(a[eq.upperBound..<q])
                a = a[a.index(after: q)...]
            }
            out.append((attrs, String(rest[rest.index(after: close)..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return out
    }

    struct Placed: Hashable { var table: String; var row: String; var column: String }

    /// Checks a file with the real binary (`--format json` and `--format html`), renders the page
    /// and compares the marked cells with the JSON's findings.
    static func check(_ path: String, expectMarks: Bool = false) throws {
        let json = try CheckCommandTests.run(["check", "--format", "json", path])
        let html = try CheckCommandTests.run(["check", "--format", "html", path])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"), "\(path)")
        #expect(html.stdout.utf8.count < 200_000, "\(path): \(html.stdout.utf8.count) bytes")
        let docs = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let diagnostics = docs.first?["diagnostics"] as? [[String: Any]] ?? []
        var wanted: [Placed: Int] = [:]
        for d in diagnostics {
            guard let section = d["section"] as? Int, (2...4).contains(section), let column = d["column_key"] as? String else { continue }
            guard let row = (d["row"] as? String) ?? (section == 4 ? "row" : nil) else { continue }
            wanted[Placed(table: "\(section)", row: row, column: column), default: 0] += 1
        }
        let dom = try dumpDOM(html.stdout)
        #expect(dom.contains("data-verdict="), "\(path): the browser built no page")
        var marked: [Placed: [String]] = [:]
        var all: [Placed: Int] = [:]
        for td in elements("td", in: dom) {
            guard let t = td.attributes["data-table"], let r = td.attributes["data-row"], let c = td.attributes["data-col"] else { continue }
            let p = Placed(table: t, row: r, column: c)
            all[p, default: 0] += 1
            if let f = td.attributes["data-findings"] { marked[p] = f.split(separator: " ").map(String.init) }
        }
        // each cell drawn once
        #expect(all.values.allSatisfy { $0 == 1 }, "\(path): a cell drawn twice")
        // every finding with a cell place: exactly that cell marked, with as many findings
        for (p, n) in wanted {
            #expect(marked[p]?.count == n, "\(path): \(p) should carry \(n) finding(s), carries \(marked[p] ?? [])")
        }
        // and no other cell
        #expect(Set(marked.keys) == Set(wanted.keys), "\(path): marked \(Set(marked.keys).subtracting(wanted.keys))")
        if expectMarks { #expect(!marked.isEmpty, "\(path): nothing marked") }
        // a finding about a whole row (missing, too few values, a label) marks the row's label
        var rowsWanted: Set<Placed> = []
        for d in diagnostics {
            guard let section = d["section"] as? Int, (2...4).contains(section), d["column_key"] is NSNull, let row = d["row"] as? String else { continue }
            rowsWanted.insert(Placed(table: "\(section)", row: row, column: ""))
        }
        var rowsMarked: Set<Placed> = []
        for th in elements("th", in: dom) {
            guard th.attributes["data-findings"] != nil, let t = th.attributes["data-table"], let r = th.attributes["data-row"] else { continue }
            rowsMarked.insert(Placed(table: t, row: r, column: ""))
        }
        #expect(rowsWanted.isSubset(of: rowsMarked), "\(path): rows not marked \(rowsWanted.subtracting(rowsMarked))")
        // every mark links to a finding that exists in the page
        for ids in marked.values { for id in ids { #expect(dom.contains("id=\"\(id)\""), "\(path): \(id)") } }
        // nothing from the report became markup
        #expect(!dom.contains("<script"), "\(path)")
    }

    @Test("the seed reports' notes")
    func seeds() throws {
        guard !Self.skipMessage() else { return }
        for seed in ["000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt",
                     "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt"] {
            try Self.check(CheckCommandTests.fixture(seed), expectMarks: seed == "003_37e901e8ac7f78da.txt")
        }
    }

    @Test("a Word report and PDF reports")
    func wordAndPDF() throws {
        guard !Self.skipMessage() else { return }
        try Self.check(CheckCommandTests.fixture("template-2021.docx"))
        try Self.check(CheckCommandTests.fixture("huaian-2024.pdf"))
        // PDFs with blank cells: each blank hatched and marked
        try Self.check(CheckCommandTests.fixture("pdf-corpus/r03-2020-portrait-sans-blanks-split.pdf"), expectMarks: true)
        try Self.check(CheckCommandTests.fixture("pdf-corpus/r07-2022-portrait-sans-blanks-split.pdf"), expectMarks: true)
    }

    @Test("the wrong cell shows 10 → 7 in the rendered page; a report's <script> stays text")
    func wrongCellAndEscaping() throws {
        guard !Self.skipMessage() else { return }
        var text = try String(contentsOf: CheckCommandTests.fixtures.appendingPathComponent("huaian-2024.layout.txt"), encoding: .utf8)
        // 5.属于三类内部事务信息 · 自然人: 7 → 10
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(lines.firstIndex { $0.contains("5.属于三类内部事务信息") })
        var changed = lines
        changed[i] = lines[i].replacingOccurrences(of: "  7 ", with: " 10 ", options: [], range: lines[i].range(of: "5.属于三类内部事务信息").map { $0.upperBound..<lines[i].endIndex })
        // and the row above's label holds a script and quotes
        let j = try #require(lines.firstIndex { $0.contains("4.保护第三方合法权益") })
        changed[j] = changed[j].replacingOccurrences(of: "4.保护第三方合法权益", with: "4.保护第三方合法权益<script>document.title=\"x\"</script>")
        text = changed.joined(separator: "\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-wrong-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("淮安<script>\".txt")
        try Data(text.utf8).write(to: file)
        try Self.check(file.path, expectMarks: true)
        let dom = try Self.dumpDOM(try CheckCommandTests.run(["check", "--format", "html", file.path]).stdout)
        let cell = try #require(Self.elements("td", in: dom).first { $0.attributes["data-row"] == "deny_internal" && $0.attributes["data-col"] == "natural" })
        #expect(cell.attributes["data-severity"] == "error")
        #expect(cell.inner.contains("10 → 7"))
        #expect(dom.contains("4.保护第三方合法权益&lt;script&gt;document.title=\"x\"&lt;/script&gt;"))
        #expect(dom.contains("淮安&lt;script&gt;\".txt"))
        #expect(!dom.contains("<script"))
        #expect(dom.contains("<title>审核意见：淮安&lt;script&gt;\".txt</title>"), "the page's title is its own")
    }

    @Test("the overview page")
    func overview() throws {
        guard !Self.skipMessage() else { return }
        var entries: [OverviewEntry] = []
        for seed in ["000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt",
                     "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt"] {
            let path = CheckCommandTests.fixture(seed)
            let r = Checker.check(CheckInput(fileName: seed, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))), checkedAt: "")
            let folder = r.verdict == .accepted ? "accepted" : "rejected"
            entries.append(OverviewEntry(folder: folder, file: seed, organ: r.report?.organ, year: r.report?.year,
                                         accepted: r.verdict == .accepted, errors: r.errors, warnings: r.warnings, rules: r.rulesFired,
                                         note: r.diagnostics.isEmpty ? nil : OverviewPage.href([folder, seed + ".审核意见.html"])))
        }
        entries.append(OverviewEntry(folder: "rejected", file: "x<script>.txt", organ: "<b>机关</b>", year: 2021, accepted: false,
                                     errors: 1, warnings: 0, rules: ["table-missing"], note: nil))
        let page = OverviewPage.render(entries: entries, expectedOrgans: ["顾县镇人民政府", "未提交镇人民政府"],
                                       writtenAt: "2026-12-04T20:00:00+08:00", language: .zh)
        let dom = try Self.dumpDOM(page)
        let rows = Self.elements("tr", in: dom).filter { $0.attributes["data-file"] != nil }
        #expect(rows.count == 6)
        #expect(rows.filter { $0.attributes["data-verdict"] == "rejected" }.count == entries.filter { !$0.accepted }.count)
        #expect(dom.contains("<svg"))
        #expect(Self.elements("g", in: dom).count >= 3, "bars of the most common problems")
        #expect(dom.contains("data-organ=\"未提交镇人民政府\""))
        #expect(!dom.contains("data-organ=\"顾县镇人民政府\""))
        #expect(dom.contains("2026-12-04T20:00:00+08:00"))
        #expect(!dom.contains("<script") && !dom.contains("<b>"))
        #expect(dom.contains("&lt;b&gt;机关&lt;/b&gt;"))
    }
}
