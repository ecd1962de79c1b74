import NianbaoModel
import NianbaoText
import NianbaoCore

/// Places the values of a table laid out with spaces (pdftotext -layout, text aligned by hand)
/// in the columns they sit under.
///
/// The columns are found from the table itself: on each page, the lines that hold a whole row's
/// values give each column's extent across the page (the union of that column's values); where
/// no line does, the header's column labels do. A row's values, on whichever of its lines they
/// were placed (pdftotext centres values against a label wrapped over several lines, so a row's
/// 总计 may sit a line above its other values), then go to the columns they overlap, and a
/// column the row has no value in is a blank cell of that column (a row with no value at all is
/// all blank, unless another row holds more values than the table has columns: then the values
/// were moved, not left out). When a value fits no column, or two values fit one, the row keeps
/// its values in reading order and says how many it found: nothing is guessed.
///
/// Positions are measured two ways, and the one under which the whole rows line up better is
/// used: in characters (every character one column, as pdftotext places text) and in display
/// cells (CJK and full-width characters two, as an editor shows hand-aligned text).
enum ColumnPlacer {
    enum Metric: CaseIterable { case chars, display }

    struct Band {
        var lo: Int
        var hi: Int
        var center: Double { Double(lo + hi) / 2 }
    }

    /// The column bands of one page: from whole rows (`fromValues`), or from header labels.
    struct PageBands {
        var bands: [Band]
        var fromValues: Bool
    }

    @inline(__always) static func start(_ t: Token, _ m: Metric) -> Int {
        m == .chars ? t.span.charStart : t.span.displayStart
    }

    @inline(__always) static func end(_ t: Token, _ m: Metric) -> Int {
        max(m == .chars ? t.span.charEnd : t.span.displayEnd, start(t, m) + 1)
    }

    /// Whether the text between the tokens shows alignment by spaces: somewhere a value and its
    /// neighbour on the line are two or more spaces apart. Text copied out of a PDF without its
    /// layout separates everything by single spaces, so its columns cannot be seen.
    static func isSpaceAligned(_ tokens: [Token]) -> Bool {
        guard tokens.count > 1 else { return false }
        for i in 1..<tokens.count {
            let a = tokens[i - 1], b = tokens[i]
            guard a.line == b.line, a.kind == .value || b.kind == .value else { continue }
            if b.span.charStart - a.span.charEnd >= 2 { return true }
        }
        return false
    }

    /// The page each line of `lines` is on: a new page starts at a form feed, or after a
    /// page-number line.
    static func pages(_ doc: TextDocument, lines: Range<Int>) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(lines.count)
        var page = 0
        var afterNumber = false
        for l in lines {
            if doc.originalLines[l].contains(0x0C) || afterNumber { page += out.isEmpty ? 0 : 1 }
            afterNumber = Tokenizer.isPageNumber(doc.lines[l])
            out.append(page)
        }
        return out
    }

    /// A group of rows that share one set of columns (all of 三; one block of 二).
    struct Group {
        /// Indices into the found rows.
        var rows: [Int]
        var columns: Int
        /// Each column's label, normalised (a few accepted wordings each).
        var labels: [[[UInt32]]]
        /// Tokens of the header above the rows (for the labels' positions).
        var header: ArraySlice<Token>
    }

    /// Places the rows of `group` in their columns where the text allows.
    static func place(_ found: inout [FoundRow], group: Group, doc: TextDocument, lines: Range<Int>) {
        guard group.columns >= 1 else { return }
        let page = pages(doc, lines: lines)
        func pageOf(_ line: Int) -> Int { page[line - lines.lowerBound] }
        // the rows' cells (whitespace text holds no empty cells), with their page
        var rowPage: [Int: Int] = [:]
        for r in group.rows where found[r].anchor != nil {
            let ls = Set(found[r].cells.map { pageOf($0.line) })
            if ls.count > 1 { continue }  // a row across a page break is left as read
            if let p = ls.first ?? found[r].labelLine.map(pageOf) { rowPage[r] = p }
        }
        guard !rowPage.isEmpty else { return }

        // bands from whole rows, per metric and page; the metric under which most rows fit their
        // page's bands, then under which the bands are narrowest
        var best: (metric: Metric, bands: [Int: PageBands], fit: Int, score: Int)?
        for m in Metric.allCases {
            var whole: [Int: [[Token]]] = [:]  // page -> lines holding a whole row
            for (r, p) in rowPage {
                var byLine: [Int: [Token]] = [:]
                for t in found[r].cells { byLine[t.line, default: []].append(t) }
                for (_, ts) in byLine where ts.count == group.columns { whole[p, default: []].append(ts) }
            }
            var pageBands: [Int: PageBands] = [:]
            var score = 0
            var valid = true
            for (p, lines) in whole {
                var bands = lines[0].map { Band(lo: start($0, m), hi: end($0, m)) }
                for ts in lines.dropFirst() {
                    for (i, t) in ts.enumerated() {
                        bands[i].lo = min(bands[i].lo, start(t, m))
                        bands[i].hi = max(bands[i].hi, end(t, m))
                    }
                }
                for i in bands.indices.dropFirst() where bands[i - 1].hi > bands[i].lo { valid = false }
                score += bands.reduce(0) { $0 + $1.hi - $1.lo }
                pageBands[p] = PageBands(bands: bands, fromValues: true)
            }
            guard valid, !pageBands.isEmpty else { continue }
            var fit = 0
            for (r, p) in rowPage {
                if let pb = pageBands[p], assign(found[r].cells, pb, metric: m) != nil { fit += 1 }
            }
            if let b = best, b.fit > fit || (b.fit == fit && b.score <= score) { continue }
            best = (m, pageBands, fit, score)
        }
        var metric = best?.metric ?? .chars
        var bands = best?.bands ?? [:]
        // the header's page without a whole row: the header's labels
        if let headerPage = group.header.first.map({ pageOf($0.line) }), bands[headerPage] == nil,
           rowPage.values.contains(headerPage) {
            var choice: (metric: Metric, bands: [Band], cost: Int)?
            for m in (best.map { [$0.metric] } ?? Metric.allCases) {
                guard let hb = headerBands(group, metric: m, doc: doc) else { continue }
                // how well the rows' values fit them: rows that do not fit first, then distance
                var cost = 0
                for (r, p) in rowPage where p == headerPage {
                    if let placed = assign(found[r].cells, PageBands(bands: hb, fromValues: false), metric: m) {
                        cost += placed.distance
                    } else {
                        cost += 1_000_000
                    }
                }
                if choice == nil || cost < choice!.cost { choice = (m, hb, cost) }
            }
            if let choice {
                metric = choice.metric
                bands[headerPage] = PageBands(bands: choice.bands, fromValues: false)
            }
        }
        guard !bands.isEmpty else { return }

        // a row with two rows' worth of values means values were moved away from their labels: a
        // row without values is then no evidence of blank cells
        let moved = group.rows.contains { found[$0].cells.count > group.columns }
        for (r, p) in rowPage {
            guard let pb = bands[p] else { continue }
            let cells = found[r].cells
            if cells.isEmpty && moved { continue }
            guard cells.count <= group.columns, let placed = assign(cells, pb, metric: metric) else { continue }
            // where the blanks are shown: the line holding most of the row's values, or its label's
            var lineCounts: [Int: Int] = [:]
            for t in cells { lineCounts[t.line, default: 0] += 1 }
            let shownLine = lineCounts.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }?.key
                ?? found[r].labelLine
            guard let shownLine else { continue }
            var out: [Cell] = []
            for c in 0..<group.columns {
                if let i = placed.slots[c] {
                    out.append(cells[i].cell(doc))
                } else {
                    let column = scalarIndex(doc.originalLines[shownLine], at: pb.bands[c].lo, metric: metric)
                    out.append(Cell(value: nil, text: "", unit: nil, state: .blank,
                                    position: SourcePosition(line: shownLine + 1, column: column + 1), width: 0))
                }
            }
            found[r].row = RowCells(cells: out, found: group.columns)
        }
    }

    /// Which column each token goes to (`slots[column]` = token index), and how far the tokens
    /// are from their columns' centres; nil when a token fits no column or two fit one.
    static func assign(_ tokens: [Token], _ pb: PageBands, metric m: Metric) -> (slots: [Int?], distance: Int)? {
        var slots = [Int?](repeating: nil, count: pb.bands.count)
        var distance = 0
        for (i, t) in tokens.enumerated() {
            let s = start(t, m), e = end(t, m)
            var chosen: Int?
            if pb.fromValues {
                // the column it overlaps most; else one within two cells of it
                var bestOverlap = 0
                for (c, b) in pb.bands.enumerated() {
                    let overlap = min(e, b.hi) - max(s, b.lo)
                    if overlap > bestOverlap { bestOverlap = overlap; chosen = c }
                }
                if chosen == nil {
                    let gaps = pb.bands.map { b in s >= b.hi ? s - b.hi + 1 : b.lo - e + 1 }
                    if let g = gaps.min(), g <= 2, gaps.filter({ $0 == g }).count == 1 { chosen = gaps.firstIndex(of: g) }
                }
            } else {
                // the header label whose centre is nearest
                let mid = Double(s + e) / 2
                let d = pb.bands.map { abs($0.center - mid) }
                if let dm = d.min(), d.filter({ $0 == dm }).count == 1 { chosen = d.firstIndex(of: dm) }
            }
            guard let c = chosen, slots[c] == nil else { return nil }
            slots[c] = i
            distance += Int(abs(pb.bands[c].center - Double(s + e) / 2))
        }
        // columns keep the tokens' order across the page
        var lastStart = Int.min
        for c in slots.indices {
            guard let i = slots[c] else { continue }
            if start(tokens[i], m) < lastStart { return nil }
            lastStart = start(tokens[i], m)
        }
        return (slots, distance)
    }

    /// The header's column labels, one token each, in order across the page.
    static func headerBands(_ group: Group, metric m: Metric, doc: TextDocument) -> [Band]? {
        var out: [Band] = []
        var used = Set<Int>()
        for labels in group.labels {
            var hit: Token?
            for (k, t) in zip(group.header.indices, group.header) where t.kind == .text && !used.contains(k) {
                let text = doc.lines[t.line].scalars(t.column..<(t.column + t.width))
                if labels.contains(where: { matches(text, $0) }) {
                    hit = t
                    used.insert(k)
                    break
                }
            }
            guard let t = hit else { return nil }
            let b = Band(lo: start(t, m), hi: end(t, m))
            if let last = out.last, last.center >= b.center { return nil }
            out.append(b)
        }
        return out
    }

    /// A header token names a column when it is the label, the label's first two characters or
    /// more (a label broken over lines), or the label followed by a note ("采购总金额(单位:万元)").
    static func matches(_ token: ArraySlice<UInt32>, _ label: [UInt32]) -> Bool {
        if token.count >= 2 && token.count <= label.count { return label.starts(with: token) }
        return token.count > label.count && token.starts(with: label)
    }

    /// The index in `line` where position `x` of `metric` falls (the line's end if beyond it).
    static func scalarIndex(_ line: TextLine, at x: Int, metric m: Metric) -> Int {
        var pos = 0
        for (i, v) in line.enumerated() {
            if pos >= x { return i }
            let w = TextDocument.displayWidth(v)
            pos += m == .chars ? (w == 0 ? 0 : 1) : w
        }
        return line.count
    }
}
