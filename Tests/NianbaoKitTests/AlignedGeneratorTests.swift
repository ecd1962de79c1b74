import Testing
import NianbaoText
import NianbaoModel
import NianbaoExtract

// Property test: the generated tab-separated reports of GeneratorTests, rewritten as Markdown
// tables and as columns aligned with spaces (counted in display cells, as an editor shows them,
// or in characters, as pdftotext places them), give back every cell; cells left empty in the
// aligned text come back as blank cells of their own columns.

enum TableRewriter {
    enum Style: String, CaseIterable, CustomStringConvertible {
        case markdown, alignedDisplay, alignedChars
        var description: String { rawValue }
    }

    static func width(_ s: String, _ style: Style) -> Int {
        style == .alignedChars ? s.unicodeScalars.count : s.unicodeScalars.reduce(0) { $0 + TextDocument.displayWidth($1.value) }
    }

    static func isNumber(_ s: String) -> Bool {
        s.first.map { $0.isNumber || $0 == "+" || $0 == "-" } ?? false
    }

    /// Each run of TAB lines becomes one table.
    static func rewrite(_ text: String, _ style: Style) -> String {
        let lines = text.components(separatedBy: "\n")
        var out: [String] = []
        var i = 0
        while i < lines.count {
            guard lines[i].contains("\t") else {
                let isHeading = FormatSpec.sections.contains { lines[i].hasPrefix($0.numeral + "、" + $0.heading) }
                out.append((style == .markdown && isHeading ? "## " : "") + lines[i])
                i += 1
                continue
            }
            var rows: [[String]] = []
            while i < lines.count && lines[i].contains("\t") {
                rows.append(lines[i].components(separatedBy: "\t"))
                i += 1
            }
            if style == .markdown {
                for (k, r) in rows.enumerated() {
                    out.append("| " + r.joined(separator: " | ") + " |")
                    if k == 0 { out.append("|" + String(repeating: "---|", count: r.count)) }
                }
                continue
            }
            // a grid anchored at the right: values are always a row's last cells
            let w = rows.map(\.count).max()!
            var widths = Array(repeating: 0, count: w)
            for r in rows {
                for (j, c) in r.enumerated() { widths[w - r.count + j] = max(widths[w - r.count + j], width(c, style)) }
            }
            for r in rows {
                var line = ""
                var x = 0
                for (j, c) in r.enumerated() {
                    let col = w - r.count + j
                    let left = widths[..<col].reduce(0, +) + 3 * col
                    // numbers flush right, words flush left
                    let at = isNumber(c) ? left + widths[col] - width(c, style) : left
                    if c.isEmpty { continue }
                    let pad = x == 0 ? at : max(at - x, 1)
                    line += String(repeating: " ", count: pad) + c
                    x += pad + width(c, style)
                }
                out.append(line)
            }
        }
        return out.joined(separator: "\n")
    }

    /// Empties some value cells of table 三's rows (not its header) in TAB text; returns the text
    /// and the emptied cells as (row index, column).
    static func blankSome(_ text: String, edition: Edition, rng: inout SplitMix64) -> (String, Set<[Int]>) {
        var lines = text.components(separatedBy: "\n")
        guard let three = lines.firstIndex(where: { $0.hasPrefix(FormatSpec.sections[2].numeral + "、") }),
              let four = lines.firstIndex(where: { $0.hasPrefix(FormatSpec.sections[3].numeral + "、") }) else { return (text, []) }
        var blanks = Set<[Int]>()
        var row = 0
        for l in (three + 1)..<four {
            var cells = lines[l].components(separatedBy: "\t")
            guard cells.count >= 8, cells.suffix(7).allSatisfy({ Int($0) != nil }) else { continue }
            if rng.chance(0.3) {
                for c in 0..<7 where rng.chance(0.35) {
                    cells[cells.count - 7 + c] = ""
                    blanks.insert([row, c])
                }
                lines[l] = cells.joined(separator: "\t")
            }
            row += 1
        }
        return (lines.joined(separator: "\n"), blanks)
    }
}

@Suite("Generated reports as Markdown and space-aligned tables")
struct AlignedGeneratorTests {
    @Test("every cell comes back", arguments: Edition.allCases, TableRewriter.Style.allCases)
    func roundTrip(edition: Edition, style: TableRewriter.Style) {
        let cases = 150
        var failed: [(UInt64, [String])] = []
        for n in 0..<cases {
            let seed = 0x414C_4947_4E00 &+ UInt64(n) &* 7919 &+ (edition == .y2019 ? 0 : 1_000_000)
            var rng = SplitMix64(seed: seed)
            let g = ReportGenerator.values(edition: edition, rng: &rng)
            var text = ReportGenerator.document(g, layout: .tabSeparated, rng: &rng)
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
            var blanks = Set<[Int]>()
            if style != .markdown { (text, blanks) = TableRewriter.blankSome(text, edition: edition, rng: &rng) }
            let r = Extractor.extract(TextDocument(TableRewriter.rewrite(text, style)))
            var m = GenCheck.mismatches(r, g).filter { !$0.hasPrefix("三 ") }
            let spec = FormatSpec.spec(edition)
            for (i, rs) in spec.table3Rows.enumerated() {
                guard let row = r.table3?.row(rs.key) else { m.append("三 \(rs.key) absent"); continue }
                if !row.row.aligned { m.append("三 \(rs.key): \(row.row.found) cells") }
                for c in 0..<7 {
                    let cell = row.row.cells[c]
                    let ok = blanks.contains([i, c]) ? cell.state == .blank
                        : cell.state == .number && cell.value == Double(g.table3[i][c])
                    if !ok { m.append("三 \(rs.key)[\(c)]: \(cell.state) \(cell.text), expected \(blanks.contains([i, c]) ? "blank" : "\(g.table3[i][c])")") }
                }
            }
            if !m.isEmpty { failed.append((seed, m)) }
        }
        let summary = "AlignedGeneratorTests: \(edition.rawValue)/\(style): \(cases) cases, \(cases - failed.count) passed"
            + failed.prefix(2).map { "\n  seed \($0.0): " + $0.1.prefix(4).joined(separator: "; ") }.joined()
        print(summary)
        #expect(failed.isEmpty, "\(summary)")
    }
}
