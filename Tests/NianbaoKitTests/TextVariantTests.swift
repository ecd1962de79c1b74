import Foundation
import Testing
import NianbaoText
import NianbaoModel
import NianbaoExtract
import NianbaoReaders
import NianbaoKit
import NianbaoTestSupport

/// The seeds and the 2021 template's text rewritten as Markdown, box-drawing and ASCII-grid
/// tables (scripts/make-text-variants, output in Tests/Fixtures/text-variants/) read to exactly
/// the cells of the originals, whose every cell the golden tests assert.
@Suite("Pipe-table versions of the fixtures")
struct TextVariantTests {
    static let styles = ["md", "box.txt", "grid.txt"]
    static let originals = Fixtures.seeds.map { String($0.dropLast(4)) } + ["template-2021"]

    static func variant(_ name: String) -> String { "text-variants/" + name }

    /// The original of a variant: the seed itself, or the template's reader text.
    static func original(_ base: String) -> String {
        base == "template-2021" ? variant("template-2021.txt") : base + ".txt"
    }

    /// What was read, without positions: every row's key, label as written, cells, count and extras.
    static func reading(_ r: AnnualReport) -> [String] {
        var out = ["title \(r.title ?? "-")", "year \(r.year.map(String.init) ?? "-")",
                   "editions \(String(describing: r.tableEdition)) \(String(describing: r.table2Edition)) \(String(describing: r.table3Edition))",
                   "sections " + r.sections.map { "\($0.number):\($0.heading)" }.joined(separator: " ")]
        func row(_ key: String, _ written: WrittenLabel?, _ cells: RowCells) -> String {
            "\(key) [\(written?.text ?? "-")] \(transcribe(cells.cells)) found \(cells.found) extra \(transcribe(cells.extra))"
        }
        if let t2 = r.table2 {
            out += t2.rows.map { row("二 " + $0.key, $0.written, $0.row) }
            out.append("二 unit \(t2.amountHeaderUnit ?? "-")")
        }
        if let t3 = r.table3 { out += t3.rows.map { row("三 " + $0.key, $0.written, $0.row) } }
        if let t4 = r.table4 { out.append(row("四", nil, t4.row)) }
        return out
    }

    /// Records each line of `r`'s reading that differs from the original's.
    static func expectSameReading(_ r: AnnualReport, as original: AnnualReport, _ name: String) {
        let expected = reading(original)
        let got = reading(r)
        #expect(got.count == expected.count, "\(name)")
        for (g, e) in zip(got, expected) where g != e {
            Issue.record("\(name): \(g)\n  expected \(e)")
        }
    }

    @Test("each version reads to the original's cells", arguments: originals, styles)
    func sameCells(base: String, style: String) throws {
        let original = try Fixtures.report(Self.original(base))
        let name = Self.variant(base + "." + style)
        let text = try Fixtures.text(name)
        let doc = TextDocument(text)
        let r = Extractor.extract(doc)
        Self.expectSameReading(r, as: original, name)
        // no separator ever ends up in a label
        let labels = (r.table2?.rows.compactMap(\.written) ?? []) + (r.table3?.rows.compactMap(\.written) ?? [])
        #expect(!labels.contains { $0.text.contains { "|│┃".contains($0) } })
        // every cell's position points at its text in the file as written
        let cells = (r.table2?.rows.flatMap(\.row.cells) ?? []) + (r.table3?.rows.flatMap(\.row.cells) ?? [])
            + (r.table4?.row.cells ?? [])
        for c in cells where c.state == .number {
            guard let p = c.position else {
                Issue.record("\(name): a number without a position")
                continue
            }
            let line = doc.originalLines[p.line - 1]
            let shown = TextDocument.string(line.all.dropFirst(p.column - 1).prefix(c.text.unicodeScalars.count))
            #expect(shown == c.text, "\(name) line \(p.line) column \(p.column)")
        }
    }

    /// Versions the checker reads as documents: tables written as HTML, and ruled tables whose
    /// rows wrap over several lines.
    static let documentStyles = ["html.md", "wrap.txt"]

    @Test("each version with HTML tables or wrapped rows reads to the original's cells, each figure placed where the file shows it",
          arguments: originals, documentStyles)
    func documentVersions(base: String, style: String) throws {
        let original = try Fixtures.report(Self.original(base))
        let name = Self.variant(base + "." + style)
        let bytes = try Fixtures.bytes(name)
        let result = Checker.check(CheckInput(fileName: name, bytes: bytes), checkedAt: "2026-01-01T00:00:00+08:00")
        let r = try #require(result.report)
        Self.expectSameReading(r, as: original, name)
        // no markup ever ends up in a label
        let labels = (r.table2?.rows.compactMap(\.written) ?? []) + (r.table3?.rows.compactMap(\.written) ?? [])
        #expect(!labels.contains { $0.text.contains { "<>|│┃".contains($0) } })
        // the verdict and findings are the original's
        let plain = Checker.check(CheckInput(fileName: name, bytes: try Fixtures.bytes(Self.original(base))),
                                  checkedAt: "2026-01-01T00:00:00+08:00")
        #expect(result.verdict == plain.verdict, "\(name)")
        #expect(Set(result.diagnostics.map(\.code)) == Set(plain.diagnostics.map(\.code)), "\(name)")
        // a figure is placed on its table's row and column, or on the file's line and column
        // that show it
        let layout = try #require(result.layout)
        let file = TextDocument(try Fixtures.text(name))
        let cells = (r.table3?.rows.flatMap(\.row.cells) ?? []) + (r.table4?.row.cells ?? [])
        for c in cells where c.state == .number {
            let p = try #require(c.position)
            switch layout.origin(line: p.line, column: p.column) {
            case .table(let t, let row, _):
                #expect(style == "html.md" && t >= 1 && row >= 1, "\(name)")
                #expect(layout.lines[p.line - 1].contains(c.text), "\(name)")
            case .text(let line, let column):
                let shown = TextDocument.string(file.originalLines[line - 1].all.dropFirst(column - 1).prefix(c.text.unicodeScalars.count))
                #expect(shown == c.text, "\(name) \(line):\(column)")
            default:
                Issue.record("\(name): \(c.text) is placed neither in a table nor on a line")
            }
        }
    }

    @Test("a wrong figure in a table written as HTML is named on its table, row and column, with what it should be")
    func htmlTablesWrongCell() throws {
        // seed 000 (valid): 予以公开's 自然人 changed from 0 to 3 in the HTML of table 三
        var text = try Fixtures.text(Self.variant("000_6d5291d632ae3dd2.html.md"))
        let row = try #require(text.range(of: "<td>（一）予以公开</td><td>0</td>") ?? text.range(of: "<td>(一)予以公开</td><td>0</td>"))
        text.replaceSubrange(row, with: String(text[row]).replacingOccurrences(of: "<td>0</td>", with: "<td>3</td>"))
        let result = Checker.check(CheckInput(fileName: "r.md", bytes: Array(text.utf8)), checkedAt: "2026-01-01T00:00:00+08:00")
        #expect(result.verdict == .rejected)
        let note = result.note(fileName: "r.md", language: .zh)
        #expect(note.contains("应为 0"), "\(note)")
        #expect(note.contains("个表格，第"), "\(note)")
        #expect(note.contains("（“自然人”）"), "\(note)")
    }

    @Test("the golden cells, read from the Markdown versions")
    func golden() throws {
        let r001 = try Fixtures.report(Self.variant("001_b5d853e23248f75b.md"))
        #expect(transcribe(r001.table3!.row("granted")!.row.cells) == "1 0 0 0 0 ∅ ∅")
        #expect(transcribe(r001.table3!.row("other")!.row.cells) == "0 0 0 0 □ ∅ ∅")
        #expect(r001.table4!.row.found == 16)
        let r002 = try Fixtures.report(Self.variant("002_baa9f92cd75d3d34.md"))
        #expect(r002.table3!.rows.filter { !$0.row.aligned }.map(\.key) == ["granted", "partial", "deny_secret"])
        #expect(r002.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        let r003 = try Fixtures.report(Self.variant("003_37e901e8ac7f78da.md"))
        #expect(transcribe(r003.table4!.row.cells) == "□ □ □ □ □ 0 0 0 0 0 0 0 0 0 0")
        #expect(r003.table2!.rows[7].row.cells[1].unit == "元")
        let r000 = try Fixtures.report(Self.variant("000_6d5291d632ae3dd2.box.txt"))
        #expect(r000.title == "相山区渠沟镇政府2020年政府信息公开工作年度报告")
        #expect(r000.table3!.rows.allSatisfy { transcribe($0.row.cells) == "0 0 0 0 0 0 0" })
    }

    @Test("the 2021 template as pipe tables: every cell of 三 blank in its own column")
    func template() throws {
        // the committed reader text is still what the .docx reader makes of the template
        let docx = try DocxReader.text(from: Fixtures.bytes("template-2021.docx"))
        #expect(Self.reading(Extractor.extract(TextDocument(docx))) == Self.reading(try Fixtures.report(Self.variant("template-2021.txt"))))
        for style in Self.styles {
            let r = try Fixtures.report(Self.variant("template-2021." + style))
            let t3 = try #require(r.table3)
            #expect(t3.rows.count == 25)
            #expect(t3.rows.allSatisfy { $0.row.aligned && $0.row.cells.allSatisfy { $0.state == .blank } }, "\(style)")
            #expect(r.table2?.rows.allSatisfy { $0.row.aligned && $0.row.cells.allSatisfy { $0.state == .blank } } == true)
        }
    }
}
