/// Rebuilds one table of a PDF page strip from its word boxes, row by row, in the output
/// convention of `DocxReader`: a row is its label cell, then one cell per data column (empty when
/// the cell is blank), joined by TAB.
///
/// How the geometry is read:
/// * Values (numbers, dashes, 无) sit right of the label column; the label column ends where
///   the leftmost value begins.
/// * Header zones are the stretches of non-value text right of the label column that are not on
///   a line of values; each zone starts a segment (section 二 has one per block). A segment's
///   columns are the x-extents of its values (overlapping extents are one column) plus the
///   lowest header cells that stand over no value (a column left blank throughout).
/// * Labels: the label column's text pieces, a wrapped piece joined to the one above it until
///   the next enumerator (（二）, 1., 四、…). A block beside deeper-indented labels is a vertical
///   group label (三、本年度办理结果, （三）不予公开…): a merged cell that belongs to no single
///   row, left out.
/// * Rows: each line of values goes to one label block, in order, the one whose vertical extent
///   holds the values' centre or lies nearest (an alignment that minimises the distances); a
///   label block without values is a row of blank cells. A number wrapped in a narrow cell is
///   one value; captions (第二十条第（五）项) are lines of their own.
/// * A header repeated at the top of a page after rows of the table is taken out and the rows on
///   both sides of it joined (a row broken by the page break is one row).
///
/// Returns nil when the geometry does not make sense (values above every header, values that
/// fit no column or straddle two header columns, more lines of values than labels, a header or
/// a table far larger than the format's).
enum PDFLayoutTable {
    typealias Word = PDFLayout.Word

    /// The most words a table is rebuilt from; a larger one (no table of the format comes near)
    /// is written as layout text.
    static let maximumWords = 4000
    /// The most words of one header zone.
    static let maximumHeaderWords = 400

    /// A cell of a rebuilt row: its text and the words it was read from (for its box), and for
    /// a cell under a column of values, the column's extent across the page (where a blank
    /// cell's figure belongs).
    struct Cell: Sendable {
        var text: String
        var words: [Word]
        var column: (x0: Double, x1: Double)? = nil
    }

    /// The rows as lines of text, a TAB between two cells (what tests compare).
    static func rows(words: [Word]) -> [String]? {
        placedRows(words: words)?.map { $0.cells.map(\.text).joined(separator: "\t") }
    }

    /// The rows, each its cells (a line of text above the table: one), with where it starts on
    /// the strip (for the page it is on).
    /// `withoutLabels`: the table has no label column (section 四), so that words left of the
    /// figures are header cells over blank columns, not labels.
    static func placedRows(words: [Word], withoutLabels: Bool = false) -> [(y: Double, cells: [Cell])]? {
        guard !words.isEmpty, words.count <= maximumWords else { return nil }
        var analysis = Analysis(words: words)
        analysis.withoutLabels = withoutLabels
        return analysis.run(collapsing: true)
    }

    /// Known complete row labels of section 二 (its labels carry no enumerator): a piece that reads
    /// as one of them is never continued by the piece below it.
    static let completeLabels: Set<String> = [
        "规章", "规范性文件", "行政规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制",
        "行政事业性收费", "政府集中采购",
    ]

    /// A line of values: words whose vertical centres agree.
    struct ValueLine {
        var words: [Int]
        var top: Double
        var bottom: Double
        var cy: Double
    }

    /// A stretch of header text.
    struct Zone {
        var words: [Int]
        var top: Double
        var bottom: Double
    }

    /// Label text on one line of one cell.
    struct Piece {
        var words: [Int]
        var x0: Double
        var x1: Double
        var y0: Double
        var y1: Double
        var text: String
        var enumerated: Bool
    }

    /// A label: pieces of one cell, top to bottom.
    struct Block {
        var pieces: [Int]
        var x0: Double
        var x1: Double
        var top: Double
        var bottom: Double
    }

    struct Interval {
        var x0: Double
        var x1: Double
        func overlap(_ o: Interval) -> Double { min(x1, o.x1) - max(x0, o.x0) }
    }

    /// An output row (a line of text: one cell) and where it sits.
    struct Item {
        var y: Double
        var order: Int
        var cells: [Cell]
        var isEmpty: Bool { cells.count == 1 && cells[0].text.isEmpty }
    }

    struct Analysis {
        let words: [Word]
        let h: Double
        var isValue: [Bool]
        var inValueArea: [Bool]
        var valueLines: [ValueLine] = []
        /// The value line a value-area word belongs to, if any.
        var lineOf: [Int?]
        var zones: [Zone] = []
        var zoneOf: [Int?]
        /// No label column: every word is header or values.
        var withoutLabels = false

        init(words: [Word]) {
            self.words = words
            h = PDFLayout.medianHeight(words)
            isValue = Array(repeating: false, count: words.count)
            inValueArea = Array(repeating: false, count: words.count)
            lineOf = Array(repeating: nil, count: words.count)
            zoneOf = Array(repeating: nil, count: words.count)
        }

        mutating func run(collapsing: Bool) -> [(y: Double, cells: [Cell])]? {
            classifyValues()
            guard let xNum = words.indices.filter({ isValue[$0] }).map({ words[$0].x0 }).min() else { return nil }
            // provisional areas, then the label column's right edge from the labels under the header
            for i in words.indices { inValueArea[i] = withoutLabels || isValue[i] || words[i].cx >= xNum - 0.5 * h }
            buildValueLines()
            buildZones()
            var labelRight: Double?
            for i in words.indices where !inValueArea[i] && zoneOf[i] == nil && !isCaption(words[i].text) {
                labelRight = max(labelRight ?? -Double.infinity, words[i].x1)
            }
            // no label column (section 四): everything is header or values
            var changed = false
            for i in words.indices where !inValueArea[i] && words[i].x0 >= (labelRight ?? -Double.infinity) + 0.25 * h {
                inValueArea[i] = true
                changed = true
            }
            if changed {
                buildValueLines()
                buildZones()
            }
            // a header repeated at the top of a page: taken out, the rows on both sides joined
            if collapsing, let reduced = withoutRepeatedHeaders() {
                var again = Analysis(words: reduced)
                again.withoutLabels = withoutLabels
                return again.run(collapsing: false)
            }
            // values above every header: not a table read the way this reader reads one
            if let first = zones.first, valueLines.contains(where: { $0.cy < first.top }) { return nil }
            if zones.isEmpty && valueLines.isEmpty { return nil }
            // a value line inside a header zone belongs to no segment
            for z in zones where valueLines.contains(where: { $0.cy >= z.top && $0.cy <= z.bottom }) { return nil }

            var items: [Item] = []
            var order = 0
            func add(_ y: Double, _ cells: [Cell]) {
                items.append(Item(y: y, order: order, cells: cells))
                order += 1
            }
            // a header is a few dozen words; more is no table this reader rebuilds
            if zones.contains(where: { $0.words.count > maximumHeaderWords }) { return nil }
            // the label words of each segment (segment -1: above the first zone); zones are in
            // order, a segment runs from its zone's top to the next zone's top
            let bounds = zones.map(\.top)
            guard bounds == bounds.sorted() else { return nil }
            var labelWordsOf: [Int: [Int]] = [:]
            for i in words.indices where !inValueArea[i] && zoneOf[i] == nil {
                var lo = 0, hi = bounds.count  // first bound above cy
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if bounds[mid] <= words[i].cy { lo = mid + 1 } else { hi = mid }
                }
                labelWordsOf[max(lo - 1, zones.isEmpty ? 0 : -1), default: []].append(i)
            }
            let segmentCount = max(zones.count, 1)
            let zoneless = zones.isEmpty
            for s in (zoneless ? [0] : Array(-1..<segmentCount)) {
                let lo = s < 0 || zoneless ? -Double.infinity : zones[s].bottom
                let hi = zoneless || s + 1 >= zones.count ? Double.infinity : zones[s + 1].top
                // header lines
                if s >= 0 && !zoneless {
                    for line in headerLines(zones[s]) { add(line.y, line.cells) }
                }
                let lines = valueLines.indices.filter { valueLines[$0].cy > lo && valueLines[$0].cy < hi }
                let labelWords = labelWordsOf[s] ?? []
                guard s >= 0 else {
                    // text above the first header: captions, lines of text
                    for line in PDFLayout.visualLines(words, labelWords) {
                        let ws = line.words.map { words[$0] }
                        add(line.top, [Cell(text: TextAssembly.trim(PDFLayout.join(ws)), words: ws)])
                    }
                    continue
                }
                guard let rows = segmentRows(zone: zoneless ? nil : zones[s], lines: lines, labelWords: labelWords)
                else { return nil }
                for r in rows { add(r.y, r.cells) }
            }
            items.sort { ($0.y, $0.order) < ($1.y, $1.order) }
            return items.filter { !$0.isEmpty }.map { ($0.y, $0.cells) }
        }

        /// The words without the header zones that repeat the zone before them at the top of a
        /// page after rows of the table (Word's repeated header rows), everything below each
        /// moved up into its place; nil when there is none.
        func withoutRepeatedHeaders() -> [Word]? {
            guard zones.count >= 2 else { return nil }
            // the header cells over the values (a corner note may be cut short on a continuation page)
            func text(_ z: Zone) -> String {
                PDFLayout.visualLines(words, z.words.filter { inValueArea[$0] }).map { l in l.words.map { words[$0].text }.joined() }.joined()
            }
            var drop = Set<Int>()
            var shifts: [(from: Double, by: Double)] = []
            for k in 1..<zones.count {
                let z = zones[k]
                let page = z.words.map { words[$0].page }.min()!
                // the first thing on its page
                guard !words.indices.contains(where: { words[$0].page == page && zoneOf[$0] != k && words[$0].cy < z.top }),
                      text(z) == text(zones[k - 1])
                else { continue }
                // rows before it, not a caption
                let before = words.indices.filter { zoneOf[$0] == nil && words[$0].cy > zones[k - 1].bottom && words[$0].cy < z.top }
                guard before.contains(where: { lineOf[$0] != nil }) else { continue }
                let lastLabel = before.filter { !inValueArea[$0] }.max { words[$0].y0 < words[$1].y0 }
                if let lastLabel, isCaption(words[lastLabel].text) { continue }
                drop.formUnion(z.words)
                // what follows moves up to where the header began
                let next = words.indices.filter { zoneOf[$0] != k && words[$0].y0 >= z.top }.map { words[$0].y0 }.min()
                shifts.append((z.top, (next ?? z.top) - z.top))
            }
            guard !drop.isEmpty else { return nil }
            var out: [Word] = []
            for i in words.indices where !drop.contains(i) {
                var w = words[i]
                let by = shifts.filter { w.y0 >= $0.from }.reduce(0) { $0 + $1.by }
                w.y0 -= by
                w.y1 -= by
                out.append(w)
            }
            return out
        }

        // MARK: words

        /// Values: numbers, dashes, 无; a number glued to label text after it ("1" + "属于…") is
        /// part of that label.
        mutating func classifyValues() {
            let byX0 = words.indices.sorted { words[$0].x0 < words[$1].x0 }
            for i in words.indices where PDFLayout.isValueText(words[i].text) {
                let w = words[i]
                guard w.text.unicodeScalars.contains(where: { ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0xFF10 && $0.value <= 0xFF19) })
                else { continue }
                // the words starting right after it
                var lo = 0, hi = byX0.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if words[byX0[mid]].x0 < w.x1 - 0.5 { lo = mid + 1 } else { hi = mid }
                }
                var glued = false
                while lo < byX0.count && words[byX0[lo]].x0 <= w.x1 + 0.35 * h && !glued {
                    let o = words[byX0[lo]]
                    glued = byX0[lo] != i && abs(o.cy - w.cy) <= 0.5 * min(o.height, w.height)
                        && (o.text.unicodeScalars.first.map { $0.value >= 0x3400 && $0.value <= 0x9FFF } ?? false)
                        && !PDFLayout.isValueText(o.text)
                    lo += 1
                }
                isValue[i] = !glued
            }
            // dashes and 无 are values where the numbers are, not in the label column
            // (（四）无法提供 written one character per line)
            guard let xNum = words.indices.filter({ isValue[$0] }).map({ words[$0].x0 }).min() else { return }
            for i in words.indices where !isValue[i] && PDFLayout.isValueText(words[i].text) && words[i].x0 >= xNum - 0.5 * h {
                isValue[i] = true
            }
        }

        mutating func buildValueLines() {
            valueLines = []
            lineOf = Array(repeating: nil, count: words.count)
            let values = words.indices.filter { isValue[$0] && inValueArea[$0] }.sorted { words[$0].cy < words[$1].cy }
            var anchorCy = 0.0, anchorH = 0.0
            for i in values {
                let w = words[i]
                if var last = valueLines.last, w.cy - anchorCy <= 0.5 * min(anchorH, w.height) {
                    last.words.append(i)
                    last.top = min(last.top, w.y0)
                    last.bottom = max(last.bottom, w.y1)
                    valueLines[valueLines.count - 1] = last
                } else {
                    valueLines.append(ValueLine(words: [i], top: w.y0, bottom: w.y1, cy: w.cy))
                    anchorCy = w.cy
                    anchorH = w.height
                }
            }
            for k in valueLines.indices {
                let ws = valueLines[k].words
                valueLines[k].cy = ws.map { words[$0].cy }.reduce(0, +) / Double(ws.count)
                for i in ws { lineOf[i] = k }
            }
            // other text beside the values (a unit, words where a number belongs) is in their cells
            for i in words.indices where inValueArea[i] && !isValue[i] {
                let w = words[i]
                if let k = valueLines.indices.first(where: {
                    let l = valueLines[$0]
                    return (w.cy >= l.top && w.cy <= l.bottom) || abs(w.cy - l.cy) <= 0.35 * w.height
                }) {
                    valueLines[k].words.append(i)
                    lineOf[i] = k
                }
            }
        }

        /// Header zones: value-area text off the value lines, split where a value line or a line
        /// of label text alone (a caption, a row without values) lies between. Label-column text
        /// on a header line (a corner cell, 信息内容) belongs to the zone, and so do the corner
        /// cell's further lines under it.
        mutating func buildZones() {
            zones = []
            zoneOf = Array(repeating: nil, count: words.count)
            let header = words.indices.filter { inValueArea[$0] && lineOf[$0] == nil }.sorted { words[$0].y0 < words[$1].y0 }
            let labelLines = PDFLayout.visualLines(words, words.indices.filter { !inValueArea[$0] })
            func beside(_ line: PDFLayout.Line) -> Bool {
                header.contains { min(words[$0].y1, line.bottom) - max(words[$0].y0, line.top) > 0.2 * h }
            }
            let isBeside = labelLines.map(beside)
            // a label line alone that starts a row or is a caption (not more of a corner note)
            let separates = labelLines.enumerated().map { n, line in
                let text = PDFLayout.compact(line.words.map { words[$0].text }.joined())
                return !isBeside[n] && (isCaption(text) || PDFLayout.startsWithEnumerator(text) || completeLabels.contains(text))
            }
            for i in header {
                let w = words[i]
                if var z = zones.last, !valueLines.contains(where: { $0.cy > z.bottom && $0.cy < w.y0 }),
                   !labelLines.indices.contains(where: {
                       let c = (labelLines[$0].top + labelLines[$0].bottom) / 2
                       return separates[$0] && c > z.bottom && c < w.y0
                   })
                {
                    z.words.append(i)
                    z.bottom = max(z.bottom, w.y1)
                    zones[zones.count - 1] = z
                } else {
                    zones.append(Zone(words: [i], top: w.y0, bottom: w.y1))
                }
            }
            for k in zones.indices { for i in zones[k].words { zoneOf[i] = k } }
            // label-column lines beside header text, or inside a zone's height without starting a row
            for (n, line) in labelLines.enumerated() where isBeside[n] || !separates[n] {
                let cy = (line.top + line.bottom) / 2
                let margin = isBeside[n] ? 0.25 * h : 0
                guard let k = zones.indices.first(where: { cy >= zones[$0].top - margin && cy <= zones[$0].bottom + margin })
                else { continue }
                for i in line.words { zoneOf[i] = k }
                zones[k].words += line.words
                zones[k].top = min(zones[k].top, line.top)
            }
            // the corner cell's note running on below the header, until its bracket closes
            func unclosed(_ lines: [Int], _ k: Int) -> Bool {
                var depth = 0
                for i in lines.flatMap({ labelLines[$0].words }) where zoneOf[i] == k {
                    for u in words[i].text.unicodeScalars {
                        if u == "（" || u == "(" { depth += 1 } else if u == "）" || u == ")" { depth -= 1 }
                    }
                }
                return depth > 0
            }
            for k in zones.indices {
                var inZone = labelLines.indices.filter { labelLines[$0].words.contains { zoneOf[$0] == k } }
                guard let last = inZone.last, unclosed(inZone, k) else { continue }
                let noteWords = inZone.flatMap { labelLines[$0].words }.filter { zoneOf[$0] == k }
                let x0 = noteWords.map { words[$0].x0 }.min()!
                let x1 = noteWords.map { words[$0].x1 }.max()!
                var n = last + 1
                while n < labelLines.count {
                    // the word starting nearest the note's left edge, with the words right after
                    // it (not text of another cell drawn over the note's column)
                    let line = labelLines[n]
                    let first = line.words.min { abs(words[$0].x0 - x0) < abs(words[$1].x0 - x0) }!
                    var note = [first]
                    for i in line.words where words[i].x0 > words[note.last!].x0
                        && words[i].x0 - words[note.last!].x1 >= 0 && words[i].x0 - words[note.last!].x1 <= 0.2 * h
                    {
                        note.append(i)
                    }
                    let text = note.map { words[$0].text }.joined()
                    let lx0 = words[note[0]].x0, lx1 = note.map { words[$0].x1 }.max()!
                    let top = note.map { words[$0].y0 }.min()!, bottom = note.map { words[$0].y1 }.max()!
                    // under the note: starting where it starts, or centred under it, right after it
                    let aligned = abs(lx0 - x0) <= 1.5 || abs((lx0 + lx1) / 2 - (x0 + x1) / 2) <= 0.5 * h
                    guard top - zones[k].bottom <= 0.8 * h, top - zones[k].bottom >= -0.3 * h,
                          aligned, lx1 <= x1 + 0.5 * h, !PDFLayout.startsWithEnumerator(text),
                          !valueLines.contains(where: { $0.cy > zones[k].bottom && $0.cy < bottom })
                    else { break }
                    for i in note { zoneOf[i] = k }
                    zones[k].words += note
                    zones[k].bottom = max(zones[k].bottom, bottom)
                    inZone.append(n)
                    n += 1
                    if !unclosed(inZone, k) { break }
                }
            }
        }

        func isCaption(_ text: String) -> Bool {
            let c = PDFLayout.compact(text)
            return c.hasPrefix("第") && c.contains("条") && c.unicodeScalars.count <= 16
                && !c.contains("页")
        }

        /// A header cell's text on one line.
        struct HeaderPiece {
            var words: [Int]
            var box: Interval
            var y0: Double
            var y1: Double
        }

        /// Header words joined into one cell's line: neighbours on a line are one cell when next to
        /// each other, or a little apart with one text above or below over both (a cell's text
        /// spread out: 结 果 over 维持).
        func headerPieces(_ ids: [Int]) -> [HeaderPiece] {
            var pieces: [HeaderPiece] = []
            let lines = PDFLayout.visualLines(words, ids)
            func spansBoth(_ a: Interval, _ b: Word, line: Int) -> Bool {
                lines.enumerated().contains { n, other in
                    n != line && other.words.contains { o in
                        let box = Interval(x0: words[o].x0, x1: words[o].x1)
                        return box.overlap(a) > 0.5 && box.overlap(Interval(x0: b.x0, x1: b.x1)) > 0.5
                    }
                }
            }
            for (n, line) in lines.enumerated() {
                var first = true
                for i in line.words {
                    defer { first = false }
                    let w = words[i]
                    let gap = first ? Double.infinity : w.x0 - pieces[pieces.count - 1].box.x1
                    if !first, gap <= 0.25 * h || (gap <= 0.6 * h && spansBoth(pieces[pieces.count - 1].box, w, line: n)) {
                        pieces[pieces.count - 1].words.append(i)
                        pieces[pieces.count - 1].box.x1 = max(pieces[pieces.count - 1].box.x1, w.x1)
                        pieces[pieces.count - 1].y0 = min(pieces[pieces.count - 1].y0, w.y0)
                        pieces[pieces.count - 1].y1 = max(pieces[pieces.count - 1].y1, w.y1)
                    } else {
                        pieces.append(HeaderPiece(words: [i], box: Interval(x0: w.x0, x1: w.x1), y0: w.y0, y1: w.y1))
                    }
                }
            }
            return pieces
        }

        /// The zone's cells (a cell's lines stacked under each other joined), a line of cells per
        /// header row.
        func headerLines(_ zone: Zone) -> [(y: Double, cells: [Cell])] {
            let pieces = headerPieces(zone.words).sorted { ($0.y0, $0.box.x0) < ($1.y0, $1.box.x0) }
            var cells: [[Int]] = []  // piece indices, top to bottom
            for (p, piece) in pieces.enumerated() {
                // the cell right above it, in its column, with nothing in between
                let target = cells.indices.last { c in
                    let last = pieces[cells[c].last!]
                    let gap = piece.y0 - last.y1
                    guard gap >= -0.3 * h, gap <= 3 * h else { return false }
                    // a wrapped line is no wider than the line above it, and the line above
                    // spans no other cell below it (法人或其他组织 over 商业企业 … 其他)
                    guard piece.box.x0 >= last.box.x0 - 0.5 * h, piece.box.x1 <= last.box.x1 + 0.5 * h else { return false }
                    let spans = pieces.indices.contains { q in
                        q != p && pieces[q].y0 >= last.y1 - 0.25 * h && pieces[q].y0 - last.y1 <= 3 * h
                            && pieces[q].box.overlap(last.box) > 0.5 && pieces[q].box.overlap(piece.box) <= 0
                    }
                    if spans { return false }
                    return !pieces.indices.contains { q in
                        q != p && !cells[c].contains(q) && pieces[q].y0 > last.y0 && pieces[q].y1 <= piece.y0 + 0.25 * h
                            && pieces[q].box.overlap(piece.box) > 0
                    }
                }
                if let c = target { cells[c].append(p) } else { cells.append([p]) }
            }
            func text(_ cell: [Int]) -> Cell {
                Cell(text: TextAssembly.joinCellPieces(cell.map { TextAssembly.trim(PDFLayout.join(pieces[$0].words.map { words[$0] })) }),
                     words: cell.flatMap { pieces[$0].words.map { words[$0] } })
            }
            let ordered = cells.sorted { (pieces[$0[0]].y0, pieces[$0[0]].box.x0) < (pieces[$1[0]].y0, pieces[$1[0]].box.x0) }
            var out: [(y: Double, cells: [Cell])] = []
            var row: [[Int]] = []
            func flush() {
                guard let first = row.first else { return }
                let texts = row.sorted { pieces[$0[0]].box.x0 < pieces[$1[0]].box.x0 }.map(text)
                out.append((pieces[first[0]].y0, texts))
                row = []
            }
            for cell in ordered {
                if let first = row.first, pieces[cell[0]].y0 > pieces[first[0]].y0 + h { flush() }
                row.append(cell)
            }
            flush()
            return out
        }

        // MARK: columns

        /// The segment's columns; nil when a value straddles two header columns.
        func columns(zone: Zone?, lines: [Int]) -> [Interval]? {
            var valueCols = merge(lines.flatMap { valueLines[$0].words }.filter { isValue[$0] }.map {
                Interval(x0: words[$0].x0, x1: words[$0].x1)
            })
            guard let zone else { return valueCols }
            let pieces = headerPieces(zone.words.filter { inValueArea[$0] })
            // lowest header cells: nothing under them but the rest of their own text
            // (a header over several cells has text under it wider than itself, or two texts side by side)
            let leaves = pieces.indices.filter { p in
                let box = pieces[p].box
                let under = pieces.indices.filter { q in
                    q != p && pieces[q].y0 >= pieces[p].y1 - 0.25 * h && pieces[q].box.overlap(box) > 0.5
                }
                if under.contains(where: { pieces[$0].box.x0 < box.x0 - 1 || pieces[$0].box.x1 > box.x1 + 1 }) { return false }
                return !under.contains { a in under.contains { b in pieces[a].box.overlap(pieces[b].box) <= 0 } }
            }
            let leafCols = merge(leaves.map { pieces[$0].box })
            for v in valueCols where leafCols.filter({ $0.overlap(v) > 0 }).count >= 2 { return nil }
            for c in leafCols where !valueCols.contains(where: { $0.overlap(c) > 0 }) { valueCols.append(c) }
            return valueCols.sorted { $0.x0 < $1.x0 }
        }

        /// Overlapping intervals merged.
        func merge(_ intervals: [Interval]) -> [Interval] {
            var out: [Interval] = []
            for iv in intervals.sorted(by: { $0.x0 < $1.x0 }) {
                if let last = out.last, iv.x0 < last.x1 {
                    out[out.count - 1].x1 = max(last.x1, iv.x1)
                } else {
                    out.append(iv)
                }
            }
            return out
        }

        // MARK: rows

        struct Row {
            var y: Double
            var cells: [Cell]
        }

        func segmentRows(zone: Zone?, lines: [Int], labelWords: [Int]) -> [Row]? {
            guard let cols = columns(zone: zone, lines: lines) else { return nil }
            // the words of each value line by column
            var cellLines: [CellLine] = []
            for k in lines {
                var byColumn = Array(repeating: [Word](), count: cols.count)
                for i in valueLines[k].words {
                    let w = words[i]
                    let box = Interval(x0: w.x0, x1: w.x1)
                    var best = -1, bestOverlap = 0.0
                    for (c, col) in cols.enumerated() where col.overlap(box) > bestOverlap {
                        best = c
                        bestOverlap = col.overlap(box)
                    }
                    if best < 0 {
                        // beside a column, not over one: the nearest, when close
                        let near = cols.indices.min { distance(cols[$0], box) < distance(cols[$1], box) }
                        guard let near, distance(cols[near], box) <= h else { return nil }
                        best = near
                    }
                    byColumn[best].append(w)
                }
                let l = valueLines[k]
                cellLines.append(CellLine(top: l.top, bottom: l.bottom, cy: l.cy, byColumn: byColumn))
            }

            // label pieces: one cell's text on one line. A cell ends at a wide gap, or at a narrow
            // one before an enumerator or before text aligned with where other labels start.
            var pieces: [Piece] = []
            var rows: [Row] = []
            let labelLines = PDFLayout.visualLines(words, labelWords)
            // where cells start: x positions at which words start, after a gap or at a line's
            // start, on two lines or more
            var starts: [(x: Double, line: Int)] = []
            for (n, line) in labelLines.enumerated() {
                for (k, i) in line.words.enumerated() where k == 0 || words[i].x0 - words[line.words[k - 1]].x1 > 0.2 * h {
                    starts.append((words[i].x0, n))
                }
            }
            func startsCell(_ i: Int, after last: Int, line: Int) -> Bool {
                let gap = words[i].x0 - words[last].x1
                if gap > 1.2 * h { return true }
                guard gap > 0.2 * h else { return false }
                if PDFLayout.startsWithEnumerator(words[i].text) { return true }
                return starts.contains { $0.line != line && abs($0.x - words[i].x0) <= 1.5 }
            }
            for (n, line) in labelLines.enumerated() {
                var current: [Int] = []
                func flush() {
                    guard !current.isEmpty else { return }
                    let ws = current.map { words[$0] }
                    let text = TextAssembly.trim(PDFLayout.join(ws))
                    pieces.append(Piece(words: current, x0: ws.map(\.x0).min()!, x1: ws.map(\.x1).max()!,
                                        y0: ws.map(\.y0).min()!, y1: ws.map(\.y1).max()!, text: text,
                                        enumerated: PDFLayout.startsWithEnumerator(text)))
                    current = []
                }
                for i in line.words {
                    if let last = current.last, startsCell(i, after: last, line: n) { flush() }
                    current.append(i)
                }
                flush()
            }
            // captions (第二十条第（五）项) are lines of their own
            var labelPieces: [Int] = []
            for p in pieces.indices {
                if isCaption(pieces[p].text) {
                    rows.append(Row(y: pieces[p].y0, cells: [Cell(text: pieces[p].text, words: pieces[p].words.map { words[$0] })]))
                } else {
                    labelPieces.append(p)
                }
            }
            labelPieces.sort { (pieces[$0].y0, pieces[$0].x0) < (pieces[$1].y0, pieces[$1].x0) }

            // a number wrapped in a narrow cell: the rest of it under it, beside no label of its own
            func startsLabel(_ p: Piece) -> Bool {
                p.enumerated || completeLabels.contains(PDFLayout.compact(p.text))
            }
            mergeWrappedValues(&cellLines, beside: labelPieces.isEmpty ? nil : labelPieces.map { pieces[$0] }.filter(startsLabel))
            if !labelPieces.isEmpty {
                mergeCellsOfTallRows(&cellLines, starts: labelPieces.map { pieces[$0] }.filter(startsLabel))
            }

            func valueCentre(_ y0: Double, _ y1: Double) -> Double? {
                cellLines.first { $0.cy >= y0 && $0.cy <= y1 }.map(\.cy)
            }
            func ownValue(_ y0: Double, _ y1: Double) -> Bool { valueCentre(y0, y1) != nil }
            // blocks: a wrapped label continues under its first line until the next enumerator
            var blocks: [Block] = []
            for p in labelPieces {
                let piece = pieces[p]
                var target: Int?
                // an enumerator written one character per line starts with its bracket or numeral
                let opens = piece.text == "（" || piece.text == "(" || (piece.text.unicodeScalars.count == 1
                    && "一二三四五六七八九十".unicodeScalars.contains(piece.text.unicodeScalars.first!))
                if !piece.enumerated && !opens {
                    var bestGap = Double.infinity
                    for (b, block) in blocks.enumerated() {
                        let last = pieces[block.pieces.last!]
                        let gap = piece.y0 - last.y1
                        // under the line above, in its column (a line may run a little longer
                        // than the one above: a quote mark carried over)
                        guard piece.x0 >= last.x0 - 0.5 * h, piece.x0 < last.x1, piece.x1 <= last.x1 + 2 * h,
                              gap >= -0.3 * h, gap <= 1.6 * h, gap < bestGap
                        else { continue }
                        // nothing else between them in this column
                        let between = labelPieces.contains { q in
                            q != p && !block.pieces.contains(q) && pieces[q].y0 > last.y0 && pieces[q].y1 <= piece.y0 + 0.25 * h
                                && min(pieces[q].x1, piece.x1) - max(pieces[q].x0, piece.x0) > 0
                        }
                        if between { continue }
                        let text = PDFLayout.compact(block.pieces.map { pieces[$0].text }.joined())
                        if completeLabels.contains(text) { continue }
                        if let cy = valueCentre(block.top, block.bottom) {
                            // values of their own on both: two rows
                            if ownValue(piece.y0, piece.y1) { continue }
                            // a wrapped label that is complete around its values (centred) takes no more lines
                            let before = abs((block.top + block.bottom) / 2 - cy)
                            let after = abs((block.top + piece.y1) / 2 - cy)
                            if block.pieces.count >= 2 && before <= 0.3 * h && after > 0.3 * h { continue }
                        }
                        target = b
                        bestGap = gap
                    }
                }
                if let b = target {
                    blocks[b].pieces.append(p)
                    blocks[b].x0 = min(blocks[b].x0, piece.x0)
                    blocks[b].x1 = max(blocks[b].x1, piece.x1)
                    blocks[b].bottom = max(blocks[b].bottom, piece.y1)
                } else {
                    blocks.append(Block(pieces: [p], x0: piece.x0, x1: piece.x1, top: piece.y0, bottom: piece.y1))
                }
            }
            let blockHasValue = blocks.map { ownValue($0.top, $0.bottom) }
            // vertical group labels: beside deeper-indented labels, or between them without values
            var isGroup = Array(repeating: false, count: blocks.count)
            for (g, gb) in blocks.enumerated() {
                let start = pieces[gb.pieces[0]].x0
                isGroup[g] = blocks.indices.contains { d in
                    guard d != g, pieces[blocks[d].pieces[0]].x0 >= start + 0.5 * h else { return false }
                    let overlap = min(gb.bottom, blocks[d].bottom) - max(gb.top, blocks[d].top)
                    return overlap >= 0.2 * h
                }
            }
            let order = blocks.indices.sorted { blocks[$0].top < blocks[$1].top }
            for (n, g) in order.enumerated() where !isGroup[g] && !blockHasValue[g] && n > 0 && n + 1 < order.count {
                let start = pieces[blocks[g].pieces[0]].x0
                let above = order[..<n].last { !isGroup[$0] }
                let below = order[(n + 1)...].first { !isGroup[$0] }
                if let above, let below, pieces[blocks[above].pieces[0]].x0 >= start + 0.5 * h,
                   pieces[blocks[below].pieces[0]].x0 >= start + 0.5 * h
                {
                    isGroup[g] = true
                }
            }
            let data = order.filter { !isGroup[$0] }

            // values to labels: an order-keeping alignment by vertical distance
            let match = align(lines: cellLines, blocks: data.map { blocks[$0] })
            guard let match else { return nil }
            let blank = cols.map { Cell(text: "", words: [], column: ($0.x0, $0.x1)) }
            var matchedLines = Set<Int>()
            for (n, b) in data.enumerated() {
                let block = blocks[b]
                let label = Cell(text: TextAssembly.joinCellPieces(block.pieces.map { pieces[$0].text }),
                                 words: block.pieces.flatMap { pieces[$0].words.map { words[$0] } })
                var y = block.top
                var rowCells = blank
                if let k = match[n] {
                    rowCells = cellLines[k].cells(in: cols)
                    y = min(y, cellLines[k].top)
                    matchedLines.insert(k)
                }
                rows.append(Row(y: y, cells: [label] + rowCells))
            }
            // no labels at all (section 四): the values alone
            for k in cellLines.indices where !matchedLines.contains(k) {
                rows.append(Row(y: cellLines[k].top, cells: cellLines[k].cells(in: cols)))
            }
            return rows
        }

        /// A line of values split into the segment's columns.
        struct CellLine {
            var top: Double
            var bottom: Double
            var cy: Double
            var byColumn: [[Word]]
            /// Each column's text; the lines of a wrapped cell joined without a separator.
            func cells(in cols: [Interval]) -> [Cell] {
                zip(byColumn, cols).map { ws, col in
                    var lines: [[Word]] = []
                    for w in ws.sorted(by: { $0.y0 < $1.y0 }) {
                        if let last = lines.last?.last, w.cy - last.cy <= 0.5 * min(w.height, last.height) {
                            lines[lines.count - 1].append(w)
                        } else {
                            lines.append([w])
                        }
                    }
                    return Cell(text: lines.map { TextAssembly.trim(PDFLayout.join($0)) }.joined(), words: ws, column: (col.x0, col.x1))
                }
            }
        }

        /// Joins a line of values to the one above when it holds only the rest of numbers wrapped
        /// in their cells: each of its words under a word of that line in the same column, with no
        /// more than half a line between, and no label of its own beside it. `labels` are the
        /// pieces that start a label; nil when the segment has no labels at all (section 四: one
        /// data row, every line of values under the first is the rest of its numbers). With
        /// labels, a line holding as many values as the one above is a row of its own.
        func mergeWrappedValues(_ lines: inout [CellLine], beside labels: [Piece]?) {
            var k = 1
            while k < lines.count {
                let upper = lines[k - 1], lower = lines[k]
                let count = { (l: CellLine) in l.byColumn.reduce(0) { $0 + $1.count } }
                var fits = lower.top - upper.bottom <= 0.5 * h && lower.byColumn.indices.allSatisfy { c in
                    lower.byColumn[c].allSatisfy { w in
                        upper.byColumn[c].contains { min($0.x1, w.x1) - max($0.x0, w.x0) > 0 }
                    }
                }
                if let labels, fits {
                    fits = count(lower) < count(upper) && !labels.contains { lower.cy >= $0.y0 && lower.cy <= $0.y1 }
                }
                if fits {
                    for c in lower.byColumn.indices { lines[k - 1].byColumn[c] += lower.byColumn[c] }
                    lines[k - 1].bottom = lower.bottom
                    lines[k - 1].cy = (upper.top + lower.bottom) / 2
                    lines.remove(at: k)
                } else {
                    k += 1
                }
            }
        }

        /// Joins a line of values to the one above when both are one row's cells drawn at
        /// different heights of a tall row (a total at the top of its cell, the other values in
        /// the middle of theirs): no column holds a value on both lines, the lines are less than
        /// two text lines apart, and no label starts beside the lower line or between them.
        func mergeCellsOfTallRows(_ lines: inout [CellLine], starts: [Piece]) {
            var k = 1
            while k < lines.count {
                let upper = lines[k - 1], lower = lines[k]
                let disjoint = lower.byColumn.indices.allSatisfy { upper.byColumn[$0].isEmpty || lower.byColumn[$0].isEmpty }
                // the row's label starts beside the upper line (the rightmost such: a vertical group
                // label beside it stands further left); a label of its column or deeper starting
                // below that is another row
                let owner = starts.filter { $0.y0 <= upper.cy && upper.cy <= $0.y1 }.max { $0.x0 < $1.x0 }
                let newLabel = owner.map { o in
                    starts.contains { $0.y0 > upper.bottom - 0.2 * h && $0.y0 <= lower.bottom && $0.x0 >= o.x0 - 0.5 * h }
                } ?? true
                if disjoint, !newLabel, lower.top - upper.bottom <= 2 * h {
                    for c in lower.byColumn.indices { lines[k - 1].byColumn[c] += lower.byColumn[c] }
                    lines[k - 1].top = min(upper.top, lower.top)
                    lines[k - 1].bottom = max(upper.bottom, lower.bottom)
                    // the row's centre: where most of its values are (those centred in their cells)
                    lines[k - 1].cy = count(lower) > count(upper) ? lower.cy : upper.cy
                    lines.remove(at: k)
                } else {
                    k += 1
                }
            }
        }

        func count(_ l: CellLine) -> Int { l.byColumn.reduce(0) { $0 + $1.count } }

        func distance(_ a: Interval, _ b: Interval) -> Double {
            max(0, max(a.x0 - b.x1, b.x0 - a.x1))
        }

        /// For each block, the index (into `lines`) of the value line it takes, or nil. Every value
        /// line goes to a block when there are blocks; nil when that cannot be.
        func align(lines: [CellLine], blocks: [Block]) -> [Int?]? {
            let m = lines.count, n = blocks.count
            if n == 0 { return [] }
            if m > n { return nil }
            let unmatchedBlock = 0.8
            let inf = Double.infinity
            func cost(_ k: Int, _ b: Int) -> Double {
                let cy = lines[k].cy
                let block = blocks[b]
                let d = cy < block.top ? block.top - cy : (cy > block.bottom ? cy - block.bottom : 0)
                return d / h
            }
            // dp[i][j]: first i lines with first j blocks
            var dp = Array(repeating: Array(repeating: inf, count: n + 1), count: m + 1)
            var back = Array(repeating: Array(repeating: UInt8(0), count: n + 1), count: m + 1)
            dp[0][0] = 0
            for i in 0...m {
                for j in 0...n where dp[i][j] < inf {
                    if j < n && dp[i][j] + unmatchedBlock < dp[i][j + 1] {
                        dp[i][j + 1] = dp[i][j] + unmatchedBlock
                        back[i][j + 1] = 1
                    }
                    if i < m && j < n {
                        let c = dp[i][j] + cost(i, j)
                        if c < dp[i + 1][j + 1] {
                            dp[i + 1][j + 1] = c
                            back[i + 1][j + 1] = 2
                        }
                    }
                }
            }
            guard dp[m][n] < inf else { return nil }
            var out: [Int?] = Array(repeating: nil, count: n)
            var i = m, j = n
            while j > 0 {
                if back[i][j] == 2 {  // else the block takes no line
                    out[j - 1] = i - 1
                    i -= 1
                }
                j -= 1
            }
            return i == 0 ? out : nil
        }
    }
}
