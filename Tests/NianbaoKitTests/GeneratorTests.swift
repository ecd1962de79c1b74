import Testing
@testable import NianbaoExtract
import NianbaoText
import NianbaoModel

// Property test: random but valid reports of both editions, rendered in the three plain-text
// layouts real reports come in, must give back exactly the figures they were made from.

// MARK: - Deterministic randomness

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, reproducible on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ r: ClosedRange<Int>) -> Int {
        let span = UInt64(r.upperBound - r.lowerBound) + 1
        return r.lowerBound + Int(next() % span)
    }
    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
}

// MARK: - What was generated

enum GenLayout: String, CaseIterable, Sendable, CustomStringConvertible {
    /// One row per line, cells separated by tabs (like fixture 002).
    case tabSeparated
    /// One cell per line, each line tab-prefixed, blank line between rows (like fixture 001).
    case tabPrefixed
    /// PDF text: labels broken into 1–3 character lines, values on a line of their own placed
    /// somewhere inside their label, headers one character per line (like fixture 000).
    case pdf
    var description: String { rawValue }
}

struct GenCell {
    var text: String
    var value: Double
    var unit: String?
}

/// One abstract table line, rendered differently per layout.
enum GenItem {
    case caption(String)
    /// Header rows of cells; nil is a merged (empty) cell.
    case header([[String?]])
    /// A data row: `leading` empty cells for merged labels above, group labels (first row of a
    /// group) then the row's own label, `span` label columns, then the values.
    case row(leading: Int, groups: [String], label: String, anchors: [String], span: Int, values: [GenCell], gridWidth: Int)
    /// Section 四's data row (no label).
    case bareRow([GenCell])
}

struct GeneratedReport {
    var edition: Edition
    var year: Int
    var organ: String
    /// block → row → cells
    var table2: [[[GenCell]]]
    var table3: [[Int]]
    var table4: [Int]
    /// Cells written blank: [3, row, column] in section 三, [4, 0, column] in section 四.
    var blank: Set<[Int]> = []
}

// MARK: - Generator

/// How hostile the PDF-like rendering is.
struct PDFStyle: Sendable, Hashable, CustomStringConvertible {
    /// The values line may fall anywhere inside its label, even inside the label's anchor text
    /// ("1.属于 / 0 0 0 / 国家秘密"); otherwise only after the label's first anchor is complete.
    var valuesAnywhere: Bool
    /// Header characters strictly one per line, so 本年增/减 gives a line holding only "/".
    var slashAlone: Bool
    static let realistic = PDFStyle(valuesAnywhere: false, slashAlone: false)
    var description: String { "valuesAnywhere=\(valuesAnywhere) slashAlone=\(slashAlone)" }
}

enum ReportGenerator {
    static let organChars = Array("东西南北中河湖山川桥林城安宁和平新丰永兴福顺华阳青石白龙凤梅柳溪沙港")

    static func values(edition: Edition, rng: inout SplitMix64) -> GeneratedReport {
        let spec = FormatSpec.spec(edition)
        let organ = String((0..<rng.int(2...3)).map { _ in rng.pick(organChars) }) + "镇人民政府"
        func count() -> Int {
            switch rng.int(0...9) {
            case 0...4: return 0
            case 5...7: return rng.int(1...20)
            case 8: return rng.int(21...999)
            default: return rng.int(1000...99999)
            }
        }
        var t2: [[[GenCell]]] = []
        for b in spec.table2 {
            var rows: [[GenCell]] = []
            for _ in b.rows {
                var cells: [GenCell] = []
                for c in 0..<b.columns.count {
                    if b.amountColumn == c {
                        let whole = rng.chance(0.2) ? 0 : rng.int(0...3_000_000)
                        let decimals = rng.int(0...2)
                        var text = "\(whole)"
                        var value = Double(whole)
                        if decimals > 0 {
                            let frac = rng.int(0...(decimals == 1 ? 9 : 99))
                            let fracText = decimals == 2 && frac < 10 ? "0\(frac)" : "\(frac)"
                            text += "." + fracText
                            value = Double(text)!
                        }
                        var unit: String?
                        if rng.chance(0.3) {
                            unit = rng.pick(["元", "万元"])
                            text += (rng.chance(0.5) ? " " : "") + unit!
                        }
                        cells.append(GenCell(text: text, value: value, unit: unit))
                    } else if b.signedColumns.contains(c) {
                        let v = rng.chance(0.4) ? 0 : rng.int(-30...30)
                        let text = v > 0 && rng.chance(0.6) ? "+\(v)" : "\(v)"
                        cells.append(GenCell(text: text, value: Double(v), unit: nil))
                    } else {
                        let v = count()
                        cells.append(GenCell(text: "\(v)", value: Double(v), unit: nil))
                    }
                }
                rows.append(cells)
            }
            t2.append(rows)
        }
        let t3 = spec.table3Rows.map { _ in (0..<7).map { _ in count() } }
        let t4 = (0..<15).map { _ in rng.chance(0.6) ? 0 : rng.int(1...40) }
        return GeneratedReport(edition: edition, year: edition == .y2019 ? 2020 : 2023, organ: organ,
                               table2: t2, table3: t3, table4: t4)
    }

    /// Full-width or half-width brackets, chosen per label.
    static func parens(_ s: String, rng: inout SplitMix64) -> String {
        guard rng.chance(0.5) else { return s }
        return String(s.map { $0 == "（" ? "(" : ($0 == "）" ? ")" : $0) })
    }

    /// "1." → "1、" (PDF layout only).
    static func enumerator(_ s: String, rng: inout SplitMix64) -> String {
        guard let f = s.first, f.isASCII, f.isNumber, s.dropFirst().first == ".", rng.chance(0.5) else { return s }
        return String(f) + "、" + s.dropFirst(2)
    }

    /// The abstract tables, with the layout-independent random choices made.
    /// `labels`: section 三 labels written otherwise than the format (by row key), e.g. with a typo.
    static func items(_ g: GeneratedReport, layout: GenLayout, labels: [String: String] = [:], rng: inout SplitMix64)
        -> (two: [GenItem], three: [GenItem], four: [GenItem])
    {
        let spec = FormatSpec.spec(g.edition)
        func label(_ s: String) -> String {
            var s = parens(s, rng: &rng)
            if layout == .pdf { s = enumerator(s, rng: &rng) }
            return s
        }
        // 二
        var two: [GenItem] = []
        for (bi, b) in spec.table2.enumerated() {
            two.append(.caption(parens(b.caption, rng: &rng)))
            two.append(.header([["信息内容"] + b.columns.map { Optional($0) }]))
            for (ri, r) in b.rows.enumerated() {
                two.append(.row(leading: 0, groups: [], label: r.label, anchors: r.anchors, span: 1, values: g.table2[bi][ri], gridWidth: 3))
            }
        }
        // 三
        var three: [GenItem] = []
        let cols = FormatSpec.table3ColumnLabels
        three.append(.header([
            [FormatSpec.table3CornerNote, nil, nil, "申请人情况", nil, nil, nil, nil, nil, nil],
            [nil, nil, nil, cols[0], "法人或其他组织", nil, nil, nil, nil, cols[6]],
            [nil, nil, nil, nil, cols[1], cols[2], cols[3], cols[4], cols[5], nil],
        ]))
        // which group label (if any) opens on each row
        var groupAt: [String: String] = [:]
        for gspec in spec.table3Groups {
            if let first = gspec.rowKeys.first { groupAt[first] = gspec.label }
        }
        for (i, r) in spec.table3Rows.enumerated() {
            var groups: [String] = []
            if r.key == "granted" { groups.append(label("三、本年度办理结果")) }
            if let gl = groupAt[r.key] { groups.append(label(gl)) }
            // leading empty cells: one per merged label column above this row's labels
            let leading = r.depth - groups.count
            let values = g.table3[i].enumerated().map { c, v in
                GenCell(text: g.blank.contains([3, i, c]) ? "" : "\(v)", value: Double(v), unit: nil)
            }
            three.append(.row(leading: max(0, leading), groups: groups, label: label(labels[r.key] ?? r.label), anchors: r.anchors, span: r.labelSpan,
                              values: values, gridWidth: 7))
        }
        // 四
        var four: [GenItem] = []
        let res = FormatSpec.table4ResultLabels
        four.append(.header([
            ["行政复议", nil, nil, nil, nil, "行政诉讼", nil, nil, nil, nil, nil, nil, nil, nil, nil],
            res.map { Optional($0) } + ["未经复议直接起诉", nil, nil, nil, nil, "复议后起诉", nil, nil, nil, nil],
            [nil, nil, nil, nil, nil] + (res + res).map { Optional($0) },
        ]))
        four.append(.bareRow(g.table4.enumerated().map { c, v in
            GenCell(text: g.blank.contains([4, 0, c]) ? "" : "\(v)", value: Double(v), unit: nil)
        }))
        return (two, three, four)
    }

    // MARK: Rendering

    /// Breaks a label into PDF-like lines of 1–3 characters, never separating an enumerator
    /// from its punctuation, an opening bracket from what follows, or closing punctuation from
    /// what precedes it.
    static func chunks(_ s: String, rng: inout SplitMix64) -> [String] {
        let closing: Set<Character> = ["）", ")", "，", ",", "、", ".", "．", "”", "：", ":", "》", "。", "；"]
        let opening: Set<Character> = ["（", "(", "“", "《"]
        var units: [String] = []
        var glueNext = false
        for ch in s where ch != " " {
            if let last = units.last, glueNext || closing.contains(ch) {
                units[units.count - 1] = last + String(ch)
            } else {
                units.append(String(ch))
            }
            glueNext = opening.contains(ch)
        }
        var out: [String] = []
        var cur = ""
        var target = rng.int(1...3)
        for u in units {
            cur += u
            if cur.count >= target {
                out.append(cur)
                cur = ""
                target = rng.int(1...3)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func render(_ items: [GenItem], layout: GenLayout, style: PDFStyle, padSpans: Bool, rng: inout SplitMix64) -> [String] {
        var lines: [String] = []
        func sp() -> String { rng.chance(0.2) ? " " : "" }
        switch layout {
        case .tabSeparated:
            for item in items {
                switch item {
                case .caption(let c):
                    lines.append(c + (rng.chance(0.5) ? "\t\t\t" : ""))
                case .header(let rows):
                    for r in rows { lines.append(r.map { $0 ?? "" }.joined(separator: "\t")) }
                case .row(let leading, let groups, let label, _, let span, let values, let gridWidth):
                    var cells = Array(repeating: "", count: leading) + groups + [label]
                    if padSpans { cells += Array(repeating: "", count: span - 1) }
                    cells += values.map(\.text)
                    if values.count == 1 && rng.chance(0.5) { cells += Array(repeating: "", count: gridWidth - 1) }
                    lines.append(cells.joined(separator: "\t"))
                case .bareRow(let values):
                    lines.append(values.map(\.text).joined(separator: "\t"))
                }
            }
        case .tabPrefixed:
            for item in items {
                switch item {
                case .caption(let c):
                    lines.append("\t" + c + sp())
                    lines.append("")
                case .header(let rows):
                    for r in rows {
                        for c in r { lines.append("\t" + (c ?? "")) }
                        lines.append("")
                    }
                case .row(let leading, let groups, let label, _, _, let values, _):
                    for _ in 0..<leading { lines.append("\t") }
                    for gl in groups { lines.append("\t" + gl + sp()) }
                    lines.append("\t" + label + sp())
                    for v in values { lines.append("\t" + v.text + sp()) }
                    lines.append("")
                case .bareRow(let values):
                    for v in values { lines.append("\t" + v.text + sp()) }
                    lines.append("")
                }
            }
        case .pdf:
            // group-label characters held back, printed after the next values line (vertical centring)
            var pending: [String] = []
            for item in items {
                switch item {
                case .caption(let c):
                    lines.append(c)
                case .header(let rows):
                    for r in rows {
                        for c in r.compactMap({ $0 }) {
                            if c.count > 12 {
                                // the corner note: wrapped at 8–11 characters
                                var rest = Substring(c)
                                while !rest.isEmpty {
                                    let n = min(rest.count, rng.int(8...11))
                                    lines.append(String(rest.prefix(n)))
                                    rest = rest.dropFirst(n)
                                }
                            } else if c.count > 5 && rng.chance(0.5) {
                                lines += chunks(c, rng: &rng)
                            } else if style.slashAlone {
                                for ch in c { lines.append(String(ch)) }
                            } else {
                                // one character per line, but "增/减" stays together
                                var glue = false
                                for ch in c {
                                    if glue || ch == "/", let last = lines.popLast() {
                                        lines.append(last + String(ch))
                                    } else {
                                        lines.append(String(ch))
                                    }
                                    glue = ch == "/"
                                }
                            }
                        }
                    }
                case .row(_, let groups, let label, let anchors, _, let values, _):
                    for gl in groups {
                        let parts = chunks(gl, rng: &rng)
                        let keep = rng.chance(0.5) ? parts.count : rng.int(1...parts.count)
                        lines += parts[..<keep]
                        pending += parts[keep...]
                    }
                    let parts = chunks(label, rng: &rng)
                    // label chunks before the values
                    var first = 1
                    if !style.valuesAnywhere {
                        let keys = anchors.map(TextDocument.normalizedScalars)
                        while first < parts.count {
                            let prefix = TextDocument.normalizedScalars(parts[..<first].joined())
                            if keys.contains(where: { RowAssembler.firstIndex(of: $0, in: prefix) != nil }) { break }
                            first += 1
                        }
                    }
                    let k = rng.int(first...parts.count)
                    let valueLine = values.map(\.text).joined(separator: " ")
                    lines += parts[..<(k - 1)]
                    if rng.chance(0.3) {
                        lines.append(parts[k - 1] + " " + valueLine)
                    } else {
                        lines.append(parts[k - 1])
                        lines.append(valueLine)
                    }
                    lines += pending
                    pending = []
                    lines += parts[k...]
                case .bareRow(let values):
                    lines.append(values.map(\.text).joined(separator: " "))
                }
            }
            lines += pending
        }
        return lines
    }

    static func document(_ g: GeneratedReport, layout: GenLayout, style: PDFStyle = .realistic, labels: [String: String] = [:],
                         rng: inout SplitMix64) -> String {
        let (two, three, four) = items(g, layout: layout, labels: labels, rng: &rng)
        let padSpans = rng.chance(0.5)
        var lines: [String] = []
        let title = "\(g.organ)\(g.year)年政府信息公开工作年度报告"
        if layout == .pdf && rng.chance(0.5) {
            let cut = rng.int(3...(title.count - 3))
            lines += [String(title.prefix(cut)), String(title.dropFirst(cut))]
        } else {
            lines.append(title)
        }
        lines.append("")
        func heading(_ n: Int) -> String {
            let s = FormatSpec.sections[n - 1]
            return s.numeral + "、" + s.heading
        }
        lines.append(heading(1))
        lines.append("本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自\(g.year)年1月1日起至\(g.year)年12月31日止。"
                     + "本年度，\(g.organ)认真贯彻落实政务公开各项要求，持续做好政府信息公开工作。")
        lines.append(heading(2))
        lines += render(two, layout: layout, style: style, padSpans: padSpans, rng: &rng)
        lines.append(heading(3))
        lines += render(three, layout: layout, style: style, padSpans: padSpans, rng: &rng)
        lines.append(heading(4))
        lines += render(four, layout: layout, style: style, padSpans: padSpans, rng: &rng)
        lines.append(heading(5))
        lines.append("主动公开的深度和广度还需进一步拓展，下一步将加强培训，提升公开质量。")
        lines.append(heading(6))
        lines.append(rng.chance(0.5) ? "无。" : "本年度未收取信息处理费。")
        return lines.joined(separator: rng.chance(0.2) ? "\r\n" : "\n") + "\n"
    }
}

// MARK: - Comparison

enum GenCheck {
    static func same(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(b))
    }

    static func compare(_ row: RowCells, _ expected: [GenCell], _ what: String, into out: inout [String]) {
        if row.found != expected.count || !row.extra.isEmpty || row.cells.count != expected.count {
            out.append("\(what): found \(row.found) cells (extra \(row.extra.map(\.text))), expected \(expected.count)")
        }
        for (i, e) in expected.enumerated() where i < row.cells.count {
            let c = row.cells[i]
            if c.state != .number || !same(c.value, e.value) || c.unit != e.unit {
                out.append("\(what)[\(i)]: got \(c.state) \(c.value.map { "\($0)" } ?? "nil") '\(c.text)' unit \(c.unit ?? "-"), expected \(e.text)")
            }
        }
    }

    static func mismatches(_ r: AnnualReport, _ g: GeneratedReport) -> [String] {
        var out: [String] = []
        let spec = FormatSpec.spec(g.edition)
        if r.year != g.year { out.append("year \(String(describing: r.year)) != \(g.year)") }
        if r.tableEdition != g.edition { out.append("tableEdition \(String(describing: r.tableEdition)) != \(g.edition)") }
        if r.sections.map(\.number) != [1, 2, 3, 4, 5, 6] || r.sections.contains(where: \.isVariant) {
            out.append("sections \(r.sections.map { "\($0.number):\($0.heading)" })")
        }
        if let t2 = r.table2 {
            var i = 0
            for (bi, b) in spec.table2.enumerated() {
                for (ri, row) in b.rows.enumerated() {
                    if i < t2.rows.count {
                        compare(t2.rows[i].row, g.table2[bi][ri], "二 \(b.item) \(row.key)", into: &out)
                    } else {
                        out.append("二 \(b.item) \(row.key) missing")
                    }
                    i += 1
                }
            }
        } else {
            out.append("table2 nil")
        }
        if let t3 = r.table3 {
            for (i, rs) in spec.table3Rows.enumerated() {
                guard let row = t3.row(rs.key) else { out.append("三 \(rs.key) absent"); continue }
                if !row.present { out.append("三 \(rs.key) not found") }
                compare(row.row, g.table3[i].map { GenCell(text: "\($0)", value: Double($0), unit: nil) }, "三 \(rs.key)", into: &out)
            }
        } else {
            out.append("table3 nil")
        }
        if let t4 = r.table4 {
            compare(t4.row, g.table4.map { GenCell(text: "\($0)", value: Double($0), unit: nil) }, "四", into: &out)
        } else {
            out.append("table4 nil")
        }
        return out
    }
}

// MARK: - Tests

@Suite("Generated reports round-trip through the extractor")
struct GeneratorTests {
    static let casesPerCombination = 300

    struct Failure {
        var seed: UInt64
        var text: String
        var mismatches: [String]
    }

    static func run(edition: Edition, layout: GenLayout, style: PDFStyle, cases: Int, seedBase: UInt64) -> [Failure] {
        var failed: [Failure] = []
        for n in 0..<cases {
            let seed = seedBase &+ UInt64(n) &* 7919
            var rng = SplitMix64(seed: seed)
            let g = ReportGenerator.values(edition: edition, rng: &rng)
            let text = ReportGenerator.document(g, layout: layout, style: style, rng: &rng)
            let report = Extractor.extract(TextDocument(text))
            let m = GenCheck.mismatches(report, g)
            if !m.isEmpty { failed.append(Failure(seed: seed, text: text, mismatches: m)) }
        }
        return failed
    }

    static func seedBase(_ edition: Edition, _ layout: GenLayout, _ salt: UInt64 = 0) -> UInt64 {
        0x4E49_414E_4241_4F00 &+ (edition == .y2019 ? 0 : 1_000_000)
            &+ UInt64(GenLayout.allCases.firstIndex(of: layout)!) &* 10_000_000 &+ salt &* 100_000_000
    }

    static func report(_ name: String, _ failed: [Failure], cases: Int) -> String {
        var s = "GeneratorTests: \(name): \(cases) cases, \(cases - failed.count) passed, \(failed.count) failed"
        for f in failed.prefix(2) {
            s += "\n  seed \(f.seed): " + f.mismatches.prefix(4).joined(separator: "; ")
        }
        return s
    }

    @Test("every cell of 二, 三 and 四 comes back", arguments: Edition.allCases, GenLayout.allCases)
    func roundTrip(edition: Edition, layout: GenLayout) {
        let cases = Self.casesPerCombination
        let failed = Self.run(edition: edition, layout: layout, style: .realistic, cases: cases,
                              seedBase: Self.seedBase(edition, layout))
        let summary = Self.report("\(edition.rawValue)/\(layout)", failed, cases: cases)
        print(summary)
        let failures = failed.count
        #expect(failures == 0, "\(summary)")
    }

    // MARK: PDF text at its most broken

    /// PDF text where the values line falls anywhere inside its label, even inside the text that
    /// identifies the row ("1.属于 / 0 0 0 0 0 0 0 / 国家秘密").
    @Test("PDF: values line anywhere inside its label", arguments: Edition.allCases)
    func pdfValuesInsideAnchor(edition: Edition) {
        let cases = 200
        let failed = Self.run(edition: edition, layout: .pdf, style: PDFStyle(valuesAnywhere: true, slashAlone: false),
                              cases: cases, seedBase: Self.seedBase(edition, .pdf, 1))
        let summary = Self.report("\(edition.rawValue)/pdf valuesAnywhere", failed, cases: cases)
        print(summary)
        let failures = failed.count
        #expect(failures == 0, "\(summary)")
    }

    /// PDF text where the header 本年增/减 comes out strictly one character per line, "/" alone.
    @Test("PDF: a header '/' alone on its line")
    func pdfSlashAlone() {
        let cases = 50
        let failed = Self.run(edition: .y2019, layout: .pdf, style: PDFStyle(valuesAnywhere: false, slashAlone: true),
                              cases: cases, seedBase: Self.seedBase(.y2019, .pdf, 2))
        let summary = Self.report("2019/pdf slashAlone", failed, cases: cases)
        print(summary)
        let failures = failed.count
        #expect(failures == 0, "\(summary)")
    }

    /// A values line that splits the text identifying its row.
    @Test("minimal: values line inside the anchor 上年结转")
    func minimalValuesInsideAnchor() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 1 1 1 1 1 1\n二、上年\n2 2 2 2 2 2 2\n结转政府信息公开申请数量\n"
        let t3 = Extractor.extract(TextDocument(text)).table3
        #expect(t3?.row("new")?.row.found == 7)
        let carried = t3?.row("carried")
        #expect(carried?.present == true)
        #expect(carried?.row.cells.map(\.value) == Array(repeating: 2.0, count: 7))
    }

    /// A lone "/" from a header broken one character per line is not a cell.
    @Test("minimal: a lone '/' header line after a row")
    func minimalLoneSlash() {
        let text = "二、主动公开政府信息情况\n规章 1 2 3\n规范性文件 4 5 6\n本年增\n/\n减\n行政许可 7 8 9\n"
        let t2 = Extractor.extract(TextDocument(text)).table2
        let normative = t2?.rows.first { $0.key == "normative" }?.row
        #expect(normative?.cells.map(\.value) == [4, 5, 6])
        #expect(normative?.found == 3)
        #expect(normative?.extra.isEmpty == true)
    }

    @Test("the generator is deterministic")
    func deterministic() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        let ga = ReportGenerator.values(edition: .y2021, rng: &a)
        let gb = ReportGenerator.values(edition: .y2021, rng: &b)
        #expect(ReportGenerator.document(ga, layout: .pdf, rng: &a) == ReportGenerator.document(gb, layout: .pdf, rng: &b))
        var c = SplitMix64(seed: 0)
        #expect(c.next() == 0xE220_A839_7B1D_CDAF)  // SplitMix64 reference value for seed 0
    }
}
