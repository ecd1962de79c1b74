import Foundation
import Testing
import NianbaoReaders

/// The Word reports of the office corpus as document converters write them in Markdown, and as a
/// clerk's copy out of a web browser gives them (`scripts/make-converted-text`: Docling's grid
/// with merged cells copied into every cell they cover, Marker's pipe tables with `<br>` in
/// cells, MinerU's HTML tables, Chromium's text of the page with each cell on a line of its own
/// and TAB lines between, LibreOffice's text export with each cell on a line of its own and an
/// empty line for an empty cell), checked by the real binary: every cell is the .docx's, the verdicts
/// are the .docx's, and the wrong figure is named with what it should be.
@Suite("Text from document converters and browsers (the real binary)")
struct ConvertedTextTests {
    /// Each style and its file's extension.
    static let styles = ["docling.md", "marker.md", "mineru.md", "browser.txt", "browser-mammoth.txt", "office.txt"]
    static let reports = ["r01-2019-portrait-serif", "r05-2021-portrait-serif", "r05-wrong", "r11-2024-portrait-sans-blanks-split"]

    /// Every figure cell of tables 二, 三 and 四, by row key and column, as the JSON gives them.
    static func cells(_ json: String) throws -> [String: String] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]).first
        let report = try #require(root?["report"] as? [String: Any])
        var out: [String: String] = [:]
        func text(_ cell: Any) -> String { ((cell as? [String: Any])?["text"] as? String) ?? "" }
        for row in report["table2"] as? [[String: Any]] ?? [] {
            for (k, c) in (row["cells"] as? [Any] ?? []).enumerated() { out["二 \(row["key"] ?? "") \(k)"] = text(c) }
        }
        let t3 = report["table3"] as? [String: Any]
        for row in t3?["rows"] as? [[String: Any]] ?? [] {
            for (k, c) in (row["cells"] as? [Any] ?? []).enumerated() { out["三 \(row["key"] ?? "") \(k)"] = text(c) }
        }
        for (k, c) in ((report["table4"] as? [String: Any])?["cells"] as? [Any] ?? []).enumerated() { out["四 \(k)"] = text(c) }
        return out
    }

    /// Checks `fixture` and its report's .docx with the real binary: the same verdict, every
    /// figure cell the .docx's, and the same findings by code.
    static func expectSameAsWord(report: String, fixture: String) throws {
        let word = try CheckCommandTests.run(["check", "--format", "json", CheckCommandTests.fixture("office-corpus/\(report).docx")])
        let other = try CheckCommandTests.run(["check", "--format", "json", CheckCommandTests.fixture(fixture)])
        #expect(other.status == word.status, "\(other.stdout.prefix(2000))")
        let expected = try cells(word.stdout)
        let got = try cells(other.stdout)
        #expect(expected.count >= 190)
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) where got[key] != value {
            Issue.record("\(fixture): \(key) is \(got[key] ?? "missing"), the .docx has \(value)")
        }
        func codes(_ json: String) -> [String] {
            json.split(separator: "\n").filter { $0.contains("\"code\":") }.map { String($0.trimmingCharacters(in: .whitespaces)) }.sorted()
        }
        #expect(codes(other.stdout) == codes(word.stdout))
    }

    @Test("every cell and the verdict are the .docx's", arguments: reports, styles)
    func sameAsWord(report: String, style: String) throws {
        try Self.expectSameAsWord(report: report, fixture: "converted-text/\(report).\(style)")
    }

    @Test("the wrong figure is named on its row and column, with the figure it should be", arguments: styles)
    func wrongFigure(style: String) throws {
        let r = try CheckCommandTests.run(["check", CheckCommandTests.fixture("converted-text/r05-wrong.\(style)")])
        #expect(r.status == 1)
        #expect(r.stdout.contains("错误[table3-wrong-cell]：“（一）予以公开”行“自然人”列填 15，按本行总计与本列（七）总计推算应为 12"), "\(r.stdout)")
        #expect(r.stdout.contains("应为 12"), "\(r.stdout)")
        // a place given as line:column is the file's own, where the wrong figure stands
        let name = "r05-wrong.\(style)"
        if let arrow = r.stdout.split(separator: "\n").first(where: { $0.contains("--> \(name):") }) {
            let numbers = arrow.split(separator: ":").suffix(2).compactMap { Int($0) }
            #expect(numbers.count == 2, "\(arrow)")
            let file = try String(contentsOfFile: CheckCommandTests.fixture("converted-text/\(name)"), encoding: .utf8)
            let lines = file.split(separator: "\n", omittingEmptySubsequences: false)
            if numbers.count == 2, numbers[0] >= 1, numbers[0] <= lines.count {
                let shown = String(lines[numbers[0] - 1].unicodeScalars.dropFirst(numbers[1] - 1).prefix(2))
                #expect(shown == "15", "\(arrow): the file shows \(shown) there")
            }
        }
    }

    @Test("Markdown whose tables are HTML is parsed in the reader child, as web pages are")
    func htmlTablesInTheChild() throws {
        let read = try CheckCommandTests.run(["read-document", "--format", "txt"],
                                             input: CheckCommandTests.fixture("converted-text/r05-wrong.mineru.md"))
        #expect(read.status == 0, "\(read.stderr)")
        let header = Array("nianbao-read/3 ok\n".utf8)
        #expect(read.stdoutBytes.starts(with: header), "\(read.stdout.prefix(200))")
        let document = try DocumentCoding.decode(Array(read.stdoutBytes.dropFirst(header.count)))
        let cells = try #require(document.tables.flatMap(\.rows).first { $0.cells.contains { $0.text == "（一）予以公开" } }?.cells)
        let k = try #require(cells.firstIndex { $0.text == "（一）予以公开" })
        #expect(k + 1 < cells.count && cells[k + 1].text == "15", "\(cells.map(\.text))")
        // placed by table, row and column, as a web page's cells are
        guard case .cell(_, _, let column)? = cells[k + 1].origin else {
            Issue.record("\(String(describing: cells[k + 1].origin))")
            return
        }
        #expect(column == 4)
    }

    @Test("a web page printed to PDF by a browser (word boxes as tall as their lines): every cell, the findings and the verdict are the .docx's",
          arguments: ["r01-2019-portrait-serif.mammoth", "r05-wrong.mammoth", "r11-2024-portrait-sans-blanks-split.libreoffice"])
    func browserPDF(file: String) throws {
        try Self.expectSameAsWord(report: String(file.prefix { $0 != "." }), fixture: "browser-pdf/\(file).pdf")
    }

    /// Each figure of tables 二, 三 and 四 the JSON gives, by the corpus's keys
    /// (`pdf-corpus/*.expected.json`): a number, or nil for a blank cell.
    static func figures(_ json: String) throws -> [String: Double?] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]).first
        let report = try #require(root?["report"] as? [String: Any])
        var out: [String: Double?] = [:]
        func value(_ cell: Any) -> Double? { (cell as? [String: Any])?["value"] as? Double }
        let t3 = try #require(report["table3"] as? [String: Any])
        let columns = t3["columns"] as? [String] ?? []
        for row in t3["rows"] as? [[String: Any]] ?? [] {
            for (column, c) in zip(columns, row["cells"] as? [Any] ?? []) { out["t3/\(row["key"] ?? "")/\(column)"] = value(c) }
        }
        let t4 = try #require(report["table4"] as? [String: Any])
        for (column, c) in zip(t4["columns"] as? [String] ?? [], t4["cells"] as? [Any] ?? []) { out["t4/\(column)"] = value(c) }
        return out
    }

    @Test("a PDF made Markdown by markitdown, its tables on a grid with made-up empty columns: every figure read, a blank where one is, no sum against the office",
          arguments: ["r01-2019-portrait-serif", "r03-2020-portrait-sans-blanks-split", "r09-2023-portrait-serif-tight"])
    func markitdown(report: String) throws {
        let r = try CheckCommandTests.run(["check", "--format", "json", CheckCommandTests.fixture("converted-text/\(report).markitdown.md")])
        let expectedData = try Data(contentsOf: URL(fileURLWithPath: CheckCommandTests.fixture("pdf-corpus/\(report).expected.json")))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let got = try Self.figures(r.stdout)
        var blanks = false
        for (table, key) in [("table3", "t3"), ("table4", "t4")] {
            let cells: [String: Any?]
            if table == "table3" {
                cells = Dictionary(uniqueKeysWithValues: (expected[table] as? [String: [String: Any]] ?? [:]).flatMap { row, columns in
                    columns.map { ("\(key)/\(row)/\($0.key)", $0.value is NSNull ? nil : $0.value) }
                })
            } else {
                cells = Dictionary(uniqueKeysWithValues: (expected[table] as? [String: Any] ?? [:]).map { ("\(key)/\($0.key)", $0.value is NSNull ? nil : $0.value) })
            }
            blanks = blanks || cells.values.contains { $0 == nil }
            // a report without blanks: every figure as the PDF has it (one with blanks, its grid
            // shifted around them, is rejected on its blanks or its rows' cell counts)
            for (k, want) in cells where !blanks {
                let number = (want as? NSNumber)?.doubleValue
                #expect(got[k] == .some(number), "\(report): \(k) is \(String(describing: got[k] ?? nil)), the PDF has \(String(describing: number))")
            }
        }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]).first
        let codes = Set((root?["diagnostics"] as? [[String: Any]] ?? []).filter { $0["severity"] as? String == "error" }.compactMap { $0["code"] as? String })
        if blanks {
            #expect(r.status == 1 && (codes.contains("cell-blank") || codes.contains("row-cell-count")), "\(codes)")
            // no sum is worked out through a row whose blanks' columns were guessed
            #expect(!codes.contains { $0.hasPrefix("table3-") || $0.hasPrefix("table4-") }, "\(codes)")
        } else {
            #expect(r.status == 0, "\(report): \(codes)")
        }
    }

    @Test("pandoc's reStructuredText: grid tables whose rows wrap inside their rules, a figure too wide for its column broken over two lines (6 over 65): every figure and blank read, the verdict the report's",
          arguments: ["r07-2022-portrait-sans-blanks-split", "r10-2023-landscape-serif-split"])
    func pandocRST(report: String) throws {
        let r = try CheckCommandTests.run(["check", "--format", "json", CheckCommandTests.fixture("converted-text/\(report).pandoc.rst")])
        let expectedData = try Data(contentsOf: URL(fileURLWithPath: CheckCommandTests.fixture("pdf-corpus/\(report).expected.json")))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let got = try Self.figures(r.stdout)
        var want: [String: Double?] = [:]
        // (`updateValue`: a blank is kept as nil, where assigning nil would take the key out)
        for (row, columns) in expected["table3"] as? [String: [String: Any]] ?? [:] {
            for (column, v) in columns { want.updateValue((v as? NSNumber)?.doubleValue, forKey: "t3/\(row)/\(column)") }
        }
        for (column, v) in expected["table4"] as? [String: Any] ?? [:] {
            want.updateValue((v as? NSNumber)?.doubleValue, forKey: "t4/\(column)")
        }
        #expect(want.count == 190)
        for (k, figure) in want.sorted(by: { $0.key < $1.key }) where got[k] != .some(figure) {
            Issue.record("\(report): \(k) is \(String(describing: got[k] ?? nil)), the report has \(String(describing: figure))")
        }
        // accepted, or for a report with blank cells rejected on its blanks alone
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]).first
        let codes = Set((root?["diagnostics"] as? [[String: Any]] ?? []).filter { $0["severity"] as? String == "error" }.compactMap { $0["code"] as? String })
        if want.values.contains(where: { $0 == nil }) {
            #expect(r.status == 1 && codes == ["cell-blank"], "\(report): \(codes)")
        } else {
            #expect(r.status == 0, "\(report): \(codes)")
        }
    }
}
