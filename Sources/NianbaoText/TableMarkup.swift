/// Plain-text tables found from their separators (Markdown pipe tables, ASCII and box-drawing
/// tables, TAB-separated lines) as the cells of their rows, and markup (rules, heading marks,
/// bold marks) blanked out, one character for one character so that every column still maps to
/// the original line:
///
/// * a cell separator (`|`, `│`, `┃`, …) between two cells ends one cell and starts the next;
///   a separator at the start or end of the row does not open an empty cell, and a TAB inside
///   a pipe row is padding, not a cell boundary (in the line, a bar between two cells becomes
///   a TAB, other bars and padding TABs spaces);
/// * a rule line (`|---|:---:|`, `+----+----+`, `├──┼──┤`) becomes spaces: it is no row;
/// * the `#` marks of a Markdown heading become spaces, and so do the `**` (or `__`) around a
///   line or a cell that is bold as a whole.
enum TableMarkup {
    private static let tab: UInt32 = 0x09
    private static let space: UInt32 = 0x20
    private static let pipe: UInt32 = 0x7C
    private static let hash: UInt32 = 0x23

    /// Characters that separate cells: ASCII and full-width bars (the latter is normalised to
    /// ASCII before this runs), box-drawing verticals.
    @inline(__always) static func isSeparator(_ v: UInt32) -> Bool {
        switch v {
        case 0x7C, 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551, 0xFFE8: return true
        default: return false
        }
    }

    @inline(__always) static func isBoxDrawing(_ v: UInt32) -> Bool { v >= 0x2500 && v <= 0x257F }

    enum Kind {
        case plain
        /// A line holding only rule characters.
        case rule
        /// Cells separated by bars: a bar at either end or two bars or more.
        case row
        /// One bar inside the text: a row only next to another row or a rule.
        case maybeRow
    }

    /// Whether a (normalised) character may be table markup: a line without any holds none
    /// (most lines do not; `LineTraits` notes it as the text is decoded).
    @inline(__always) static func isMarkup(_ v: UInt32) -> Bool {
        if v == pipe || v == hash || v == 0x2D || v == 0x3D || v == 0x2B || v == 0x2A || v == 0x5F { return true }
        return v >= 0x2500 && v <= 0x257F || v == 0xFFE8
    }

    static func kind<Line: RandomAccessCollection<UInt32>>(_ line: Line) -> Kind where Line.Index == Int {
        var separators = 0
        var first = -1, last = -1
        var allRule = true
        var box = false
        var hasTab = false
        for (i, v) in line.enumerated() {
            if v == space { continue }
            if v == tab {
                hasTab = true
                continue
            }
            if first < 0 { first = i }
            last = i
            if isSeparator(v) {
                // an escaped bar (`\|`) is text
                if v == pipe, i > 0, line[i - 1] == 0x5C { allRule = false; continue }
                separators += 1
            } else if isBoxDrawing(v) {
                box = true
            } else if !(v == 0x2D || v == 0x3D || v == 0x3A || v == 0x2B) {
                allRule = false
            }
        }
        if first < 0 { return .plain }
        if allRule && isRule(line, box: box, separators: separators, hasTab: hasTab) { return .rule }
        if separators == 0 { return .plain }
        if isSeparator(line[first]) || isSeparator(line[last]) || separators >= 2 { return .row }
        return .maybeRow
    }

    /// A line of rule characters only is a rule when it draws one: box-drawing lines always;
    /// ASCII lines when every piece is a run of three or more `-` or `=` (or holds a `:` as in
    /// `:---:`, or is packed between bars as in `|-|-|`), and the line has a bar or a `+`, or
    /// several pieces, or a single long run. A lone `-` or `--`, and `| - | - |`, stay dash cells.
    static func isRule<Line: RandomAccessCollection<UInt32>>(_ line: Line, box: Bool, separators: Int, hasTab: Bool) -> Bool
        where Line.Index == Int
    {
        if box { return true }
        // "|-|-|", "+-+-+": no space between the bars
        var packed = separators > 0 || line.contains(0x2B)
        if packed, let f = line.firstIndex(where: { $0 != space && $0 != tab }),
           let l = line.lastIndex(where: { $0 != space && $0 != tab }) {
            packed = !line[f...l].contains { $0 == space || $0 == tab }
        }
        var pieces = 0, longest = 0, plus = 0
        var i = 0
        while i < line.count {
            let v = line[i]
            if v == space || v == tab || isSeparator(v) || v == 0x2B {
                if v == 0x2B { plus += 1 }
                i += 1
                continue
            }
            var dashes = 0, equals = 0, colons = 0
            while i < line.count, line[i] == 0x2D || line[i] == 0x3D || line[i] == 0x3A {
                switch line[i] {
                case 0x2D: dashes += 1
                case 0x3D: equals += 1
                default: colons += 1
                }
                i += 1
            }
            let run = max(dashes, equals)
            if (dashes > 0 && equals > 0) || run == 0 { return false }
            if run < 3 && colons == 0 && !packed { return false }
            pieces += 1
            longest = max(longest, run)
        }
        if pieces == 0 { return false }
        if separators > 0 || plus > 0 { return true }
        // tab-separated text is other markup: a row of dash cells there is data
        if hasTab { return false }
        return pieces >= 2 || longest >= 4
    }

    static func isPlain(_ k: Kind) -> Bool {
        if case .plain = k { return true }
        return false
    }

    /// Rewrites markup in place, character for character, and gives each row of two cells or
    /// more its cells; `cells` already set for a line (a reader's table row) are kept, and the
    /// line is left as it is.
    /// `traits` are the lines' (`LineTraits`): only lines that may hold markup are examined for
    /// it, and only lines holding a TAB (rows of TAB-separated text take no new TABs) for TABs.
    static func neutralize(_ lines: inout TextLines, cells: inout LineCells, traits: [LineTraits]) {
        defer {
            // rows of TAB-separated text (Word or a spreadsheet saved as text), read in place
            let starts = lines.starts
            lines.scalars.withUnsafeBufferPointer { text in
                for l in 0..<(starts.count - 1) where traits[l].hasTab && !cells.isRow(l) {
                    let line = UnsafeBufferPointer(rebasing: text[starts[l]..<starts[l + 1]])
                    if line.contains(tab) { tabCells(line, line: l, into: &cells) }
                }
            }
        }
        var kinds: [Kind]?
        for l in lines.indices where traits[l].mayHoldMarkup && !cells.isRow(l) {
            let k = kind(lines[l])
            if isPlain(k) { continue }
            if kinds == nil { kinds = Array(repeating: .plain, count: lines.count) }
            kinds![l] = k
        }
        for l in lines.indices where traits[l].mayHoldMarkup {
            guard let f = lines[l].first(where: { $0 != space && $0 != tab }), f == hash || f == 0x2A || f == 0x5F else { continue }
            if let kinds, !isPlain(kinds[l]) { continue }
            if cells.isRow(l) { continue }
            lines.update(l) { unmarkHeading(&$0) }
        }
        guard let kinds else { return }
        func isTableLine(_ l: Int) -> Bool {
            switch kinds[l] {
            case .row, .rule: return true
            default: return false
            }
        }
        /// The nearest non-blank line before (step −1) or after (step 1) `l`.
        func neighbour(_ l: Int, _ step: Int) -> Int? {
            var i = l + step
            while i >= 0 && i < lines.count {
                if lines[i].contains(where: { $0 != space && $0 != tab }) { return i }
                i += step
            }
            return nil
        }
        for l in lines.indices {
            switch kinds[l] {
            case .plain:
                continue
            case .rule:
                lines.update(l) { line in
                    for i in line.indices where line[i] != tab { line[i] = space }
                }
            case .row:
                lines.update(l) { splitRow(&$0, line: l, into: &cells) }
            case .maybeRow:
                if neighbour(l, -1).map(isTableLine) == true || neighbour(l, 1).map(isTableLine) == true {
                    lines.update(l) { splitRow(&$0, line: l, into: &cells) }
                }
            }
        }
    }

    /// The row's cells, between its bars (the bars at its ends open no cell). In the line, a
    /// bar between two cells becomes a TAB, the bars at the ends and TABs (padding) spaces, and
    /// bold cells lose their marks. A row of one cell is no row.
    static func splitRow(_ line: inout [UInt32], line l: Int, into cells: inout LineCells) {
        var first = -1, last = -1
        for i in line.indices where line[i] != space && line[i] != tab {
            if first < 0 { first = i }
            last = i
        }
        guard first >= 0 else { return }
        cells.begin(l)
        var start = 0
        var previous = 0
        for i in line.indices {
            let v = line[i]
            if v == tab {
                line[i] = space
            } else if isSeparator(v) && !(v == pipe && i > 0 && line[i - 1] == 0x5C) {
                line[i] = space
                if i != first && i != last {
                    line[i] = tab
                    cells.append(start..<i)
                    start = i + 1
                }
            }
        }
        cells.append(start..<line.count)
        cells.end(l)
        // each cell: bold marks around its whole text
        while previous <= line.count {
            var end = previous
            while end < line.count && line[end] != tab { end += 1 }
            unbold(&line, previous..<end)
            previous = end + 1
        }
    }

    /// The cells of a line holding TABs: the text between them.
    static func tabCells(_ text: UnsafeBufferPointer<UInt32>, line l: Int, into cells: inout LineCells) {
        cells.begin(l)
        var start = 0
        for i in 0..<text.count where text[i] == tab {
            cells.append(start..<i)
            start = i + 1
        }
        cells.append(start..<text.count)
        cells.end(l)
    }

    /// A Markdown heading: up to three spaces, one to six `#`, then the text (a closing run of
    /// `#` after a space is dropped too); a heading that is bold as a whole loses those marks.
    static func unmarkHeading(_ line: inout [UInt32]) {
        var i = 0
        while i < line.count && (line[i] == space || line[i] == tab) { i += 1 }
        var n = 0
        while i + n < line.count && line[i + n] == hash { n += 1 }
        if n >= 1 && n <= 6 && (i + n == line.count || line[i + n] == space || line[i + n] == tab || line[i + n] >= 0x80) {
            for k in i..<(i + n) { line[k] = space }
            // closing sequence: " ###" at the end
            var e = line.count
            while e > 0 && (line[e - 1] == space || line[e - 1] == tab) { e -= 1 }
            var c = e
            while c > i + n && line[c - 1] == hash { c -= 1 }
            if c < e && c > i + n && (line[c - 1] == space || line[c - 1] == tab) {
                for k in c..<e { line[k] = space }
            }
        }
        unbold(&line, 0..<line.count)
    }

    /// `**text**` or `__text__` (the whole of `range`, spaces aside) loses its marks.
    static func unbold(_ line: inout [UInt32], _ range: Range<Int>) {
        var s = range.lowerBound, e = range.upperBound
        while s < e && (line[s] == space || line[s] == tab) { s += 1 }
        while e > s && (line[e - 1] == space || line[e - 1] == tab) { e -= 1 }
        guard e - s >= 5 else { return }
        let m = line[s]
        guard m == 0x2A || m == 0x5F, line[s + 1] == m, line[e - 1] == m, line[e - 2] == m else { return }
        // "**" or "***" on both sides
        var k = 2
        if e - s >= 7 && line[s + 2] == m && line[e - 3] == m { k = 3 }
        guard line[s + k] != m, line[e - k - 1] != m else { return }
        for i in 0..<k {
            line[s + i] = space
            line[e - 1 - i] = space
        }
    }
}
