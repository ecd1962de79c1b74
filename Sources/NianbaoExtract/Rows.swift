import NianbaoModel
import NianbaoText
import NianbaoCore

/// What the extractor needs to know of one table row to find it.
struct RowSlot {
    /// The format's label, normalised, whitespace removed.
    var label: [UInt32]
    /// Normalised anchors (distinctive texts near the label's start).
    var anchors: [[UInt32]]
    /// Cells the format has in this row.
    var expected: Int
    /// Label columns the label spans (a Word export may leave span − 1 empty cells after it).
    var labelSpan: Int
    /// Empty cells a Word export leaves before this label for merged labels above it.
    var leadingMerges: Int
}

struct FoundRow {
    var written: WrittenLabel?
    var row: RowCells
    var anchor: Int?
    /// The tokens `row` was made of, in reading order (for placing them by column).
    var cells: [Token] = []
    /// The 0-based line of the label's first token.
    var labelLine: Int?
    /// Whether the row was found by a label close to the format's (a typo, an OCR error) in its
    /// place between the rows around it, not by one of its anchors.
    var byLikeness = false
}

/// The text of a table's label tokens, values taken out (a label may wrap over lines, and PDF
/// extraction may put a line of values inside it), each scalar with the token it belongs to and
/// its offset in `TextDocument.compact` (tokens hold no whitespace: each normalised scalar is one
/// compact scalar).
struct LabelStream {
    var scalars: [UInt32] = []
    var compactIndex: [Int] = []
    var token: [Int] = []

    init(_ doc: TextDocument, tokens: [Token]) {
        scalars.reserveCapacity(tokens.count * 4)
        compactIndex.reserveCapacity(tokens.count * 4)
        token.reserveCapacity(tokens.count * 4)
        let starts = doc.lines.starts
        doc.lines.scalars.withUnsafeBufferPointer { text in
            for ti in tokens.indices where tokens[ti].kind == .text {
                let k = tokens[ti].key, w = tokens[ti].width
                let from = starts[tokens[ti].line] + tokens[ti].column
                scalars.append(contentsOf: UnsafeBufferPointer(rebasing: text[from..<(from + w)]))
                for j in 0..<w {
                    compactIndex.append(k + j)
                    token.append(ti)
                }
            }
        }
    }
}

enum RowAssembler {
    /// Characters treated as the same when extending a label backwards from its anchor.
    @inline(__always)
    static func same(_ a: UInt32, _ b: UInt32) -> Bool {
        a == b || (isEnumeratorPunctuation(a) && isEnumeratorPunctuation(b))
    }

    /// . 、 , ，: the punctuation after an enumerator, one as good as another.
    @inline(__always)
    static func isEnumeratorPunctuation(_ v: UInt32) -> Bool {
        v == 0x2E || v == 0x3001 || v == 0x2C || v == 0xFF0C
    }

    /// Where each slot's label starts (its compact offset), nil for a row not found, and
    /// whether it was found by likeness (a typo) rather than by an anchor.
    struct Located {
        var anchors: [Int?]
        var likeness: [Bool]
        /// Rows found by an anchor of their own.
        var byAnchor: Int {
            var n = 0
            for i in anchors.indices where anchors[i] != nil && !likeness[i] { n += 1 }
            return n
        }
    }

    /// Locates each slot's label in order and gives it the cells that follow, up to the next label.
    static func assemble(_ doc: TextDocument, slots: [RowSlot], tokens: [Token], range: Range<Int>, keepTokens: Bool = true)
        -> [FoundRow]
    {
        rows(doc, slots: slots, tokens: tokens, range: range, located: locate(doc, slots: slots, tokens: tokens),
             keepTokens: keepTokens)
    }

    /// Finds each slot's label in order.
    /// (`labels`: the tokens' label stream, when the caller has it already.)
    static func locate(_ doc: TextDocument, slots: [RowSlot], tokens: [Token], labels given: LabelStream? = nil) -> Located {
        // 1. anchors, in order. Labels are matched in the text with the values taken out, so a
        // values line that PDF extraction puts inside a label does not hide the label.
        let labels = given ?? LabelStream(doc, tokens: tokens)
        let stream = labels.scalars, streamIndex = labels.compactIndex, streamToken = labels.token
        // An anchor matches exactly, or with up to eight characters of a neighbouring vertical
        // label (PDF text) between its characters; returns the match's start and end.
        func find(_ needle: [UInt32], from: Int) -> (start: Int, end: Int)? {
            guard !needle.isEmpty, stream.count - from >= needle.count, from >= 0 else { return nil }
            return stream.withUnsafeBufferPointer { stream in
                needle.withUnsafeBufferPointer { needle in
                    var fuzzy: (start: Int, end: Int)?
                    var i = from
                    let first = needle[0]
                    while i <= stream.count - needle.count {
                        if stream[i] == first {
                            var k = 1, j = i + 1, skipped = 0
                            while k < needle.count && j < stream.count {
                                if stream[j] == needle[k] { k += 1 } else if skipped < 8 && k > 0 { skipped += 1 } else { break }
                                j += 1
                            }
                            if k == needle.count {
                                if skipped == 0 { return fuzzy.map { $0.start < i ? $0 : (i, j) } ?? (i, j) }
                                if fuzzy == nil { fuzzy = (i, j) }
                            }
                        }
                        i += 1
                    }
                    return fuzzy
                }
            }
        }
        var anchors: [Int?] = []
        var spans: [(start: Int, end: Int)?] = []  // each found label's stretch of the stream
        anchors.reserveCapacity(slots.count)
        spans.reserveCapacity(slots.count)
        var pos = 0
        // (slots and anchors read where they lie: no copy, and no retain, per slot and anchor)
        for si in slots.indices {
            var best: (start: Int, end: Int, anchor: Int)?
            for ai in slots[si].anchors.indices {
                if let m = find(slots[si].anchors[ai], from: pos), best == nil || m.start < best!.start {
                    best = (m.start, m.end, ai)
                }
            }
            guard let (m, matchEnd, ai) = best else {
                anchors.append(nil)
                spans.append(nil)
                continue
            }
            let slot = slots[si]
            // extend backwards over the part of the label before the anchor (enumerator etc.);
            // a few characters of a neighbouring vertical label may sit in between
            var start = m
            if let p = firstIndex(of: slot.anchors[ai], in: slot.label), p > 0 {
                var k = 1
                while k <= p && m - k >= pos && same(stream[m - k], slot.label[p - k]) { k += 1 }
                start = m - (k - 1)
                if k <= p {
                    var i = m - 1, j = p - 1, skipped = 0
                    while j >= 0 && i >= pos && skipped <= 8 {
                        if same(stream[i], slot.label[j]) { j -= 1 } else { skipped += 1 }
                        i -= 1
                    }
                    if j < 0 { start = i + 1 }
                }
            }
            // snap to the start of the token holding it
            // (the token's start, unless that lies before the previous label's anchor text)
            let tokenKey = tokens[streamToken[start]].key
            let previousEnd = pos > 0 ? streamIndex[pos - 1] + 1 : Int.min
            anchors.append(tokenKey >= previousEnd ? tokenKey : streamIndex[start])
            spans.append((start, matchEnd))
            pos = matchEnd
        }
        // 1b. a row none of whose anchors is written (a typo, an OCR error: 其他法律行政止公开):
        // a label that starts a cell in the row's own place, between the labels around it, and is
        // close to the format's label is that row's label.
        var likeness = Array(repeating: false, count: slots.count)
        for i in slots.indices where anchors[i] == nil && slots[i].label.count >= 6 {
            let lo = (0..<i).reversed().first { spans[$0] != nil }.map { spans[$0]!.end } ?? 0
            // the row's place: up to the next label found, and not far past the previous one
            // (bounded, so a long text with many rows missing stays cheap)
            let next = ((i + 1)..<slots.count).first { spans[$0] != nil }.map { spans[$0]!.start } ?? stream.count
            let hi = min(next, lo + likeLabelReach)
            guard lo < hi, let m = likeLabel(slots[i].label, in: stream, lo..<hi, tokenOf: streamToken) else { continue }
            anchors[i] = streamIndex[m.start]
            spans[i] = (m.start, m.end)
            likeness[i] = true
        }
        if doc.readByOCR { locateByPlace(doc, slots: slots, tokens: tokens, anchors: &anchors, likeness: &likeness) }
        return Located(anchors: anchors, likeness: likeness)
    }

    /// 1c. A scan's rows not found by their labels (a label OCR misread beyond recognition:
    /// `3.其他` as `3.具他`, a label under a seal): between two rows found, the table lines in
    /// between that hold figures are the rows missing there, in order, when there are as many
    /// of them as rows missing and each holds as many cells after its label as its row has.
    /// Such a row is found by its place; its label is the text the line starts its cells with.
    static func locateByPlace(_ doc: TextDocument, slots: [RowSlot], tokens: [Token], anchors: inout [Int?],
                              likeness: inout [Bool]) {
        // each line's tokens, in order
        var byLine: [Int: [Int]] = [:]
        for (i, t) in tokens.enumerated() { byLine[t.line, default: []].append(i) }
        func line(ofKey key: Int) -> Int? { tokens.first { $0.key >= key && $0.kind == .text }?.line }
        var i = 0
        while i < slots.count {
            guard anchors[i] == nil else {
                i += 1
                continue
            }
            var j = i
            while j < slots.count && anchors[j] == nil { j += 1 }
            // slots i..<j missing, between the rows found at i − 1 and j
            defer { i = j }
            guard i > 0, j < slots.count, let a = anchors[i - 1], let b = anchors[j],
                  let upper = line(ofKey: a), let lower = line(ofKey: b), lower > upper + 1 else { continue }
            // the lines between that hold figures: a label (the last text before the first
            // figure) and the cells after it
            var rows: [(label: Int, cells: Int)] = []
            for l in (upper + 1)..<lower {
                guard let list = byLine[l] else { continue }
                guard let firstCell = list.firstIndex(where: { tokens[$0].kind != .text }), firstCell > 0,
                      tokens[list[firstCell - 1]].kind == .text else { continue }
                let cells = list[firstCell...].filter { tokens[$0].kind != .text }.count
                rows.append((list[firstCell - 1], cells))
            }
            guard rows.count == j - i else { continue }
            guard zip(rows, slots[i..<j]).allSatisfy({ $0.cells == $1.expected }) else { continue }
            for (k, r) in rows.enumerated() {
                anchors[i + k] = tokens[r.label].key
                likeness[i + k] = true
            }
        }
    }

    /// Each located row with the cells that follow its label, up to the next label; rows not
    /// located are missing.
    /// (`keepTokens`: whether each row keeps the tokens it was made of, which only placing
    /// values by column in text aligned with spaces reads.)
    static func rows(_ doc: TextDocument, slots: [RowSlot], tokens: [Token], range: Range<Int>, located: Located,
                     keepTokens: Bool = true) -> [FoundRow] {
        let anchors = located.anchors, likeness = located.likeness

        // 2. cells between consecutive anchors, in slot order; rows not located are missing
        var out: [FoundRow] = []
        out.reserveCapacity(slots.count)
        var tokenIndex = 0
        // for each slot, the next slot after it that is located
        var nextLocated = [Int?](repeating: nil, count: anchors.count)
        var following: Int?
        for i in anchors.indices.reversed() {
            nextLocated[i] = following
            if anchors[i] != nil { following = i }
        }
        var labelScratch: [UInt32] = []
        labelScratch.reserveCapacity(64)
        var cellScratch: [Token] = []
        cellScratch.reserveCapacity(32)
        for slotIndex in anchors.indices {
            guard let start = anchors[slotIndex] else {
                out.append(FoundRow(written: nil, row: .missing(count: slots[slotIndex].expected), anchor: nil))
                continue
            }
            let slot = slots[slotIndex]
            // the next row located: where this one's stretch ends
            let next = nextLocated[slotIndex]
            let end = next.map { anchors[$0]! } ?? range.upperBound
            let nextMerges = next.map { slots[$0].leadingMerges } ?? 0
            while tokenIndex < tokens.count && tokens[tokenIndex].order < 2 * start { tokenIndex += 1 }
            var i = tokenIndex
            while i < tokens.count && tokens[i].order < 2 * end { i += 1 }
            let region = tokens[tokenIndex..<i]
            let (written, labelLine, guessed) = rowCells(region, slot: slot, nextMerges: nextMerges, isLast: next == nil, doc: doc,
                                                         scratch: &labelScratch, cells: &cellScratch)
            var row = makeRow(cellScratch, expected: slot.expected, doc: doc)
            row.columnsGuessed = guessed
            out.append(FoundRow(written: written, row: row, anchor: start,
                                cells: keepTokens ? cellScratch : [], labelLine: labelLine, byLikeness: likeness[slotIndex]))
        }
        return out
    }

    /// How far past the previous label (in label characters) a label with a typo is looked for.
    static let likeLabelReach = 600

    /// The stretch of `stream` within `range`, starting where a token starts, whose text is
    /// closest to `label` by edit distance, when close enough: at most a quarter of the label's
    /// characters (rounded up) differ. Its stream start and end.
    static func likeLabel(_ label: [UInt32], in stream: [UInt32], _ range: Range<Int>, tokenOf: [Int]) -> (start: Int, end: Int)? {
        let m = label.count
        guard range.count >= (m + 1) / 2 else { return nil }
        let limit = (m + 3) / 4
        var best: (d: Int, start: Int, end: Int)?
        var prev = [Int](repeating: 0, count: m + 1)
        var cur = prev
        var s = range.lowerBound
        while s < range.upperBound {
            defer { s += 1 }
            guard s == range.lowerBound || tokenOf[s] != tokenOf[s - 1] else { continue }
            // distance from the label to each prefix of the text from s (columns: the label)
            for k in 0...m { prev[k] = k }
            var e = s
            while e < min(range.upperBound, s + m + limit) {
                cur[0] = e - s + 1
                for k in 1...m {
                    let sub = prev[k - 1] + (same(stream[e], label[k - 1]) ? 0 : 1)
                    cur[k] = min(sub, prev[k] + 1, cur[k - 1] + 1)
                }
                swap(&prev, &cur)
                e += 1
                if prev[m] <= limit, best == nil || prev[m] < best!.d || (prev[m] == best!.d && best!.start == s) {
                    best = (prev[m], s, e)
                }
            }
        }
        return best.map { ($0.start, $0.end) }
    }

    static func firstIndex(of needle: [UInt32], in hay: [UInt32]) -> Int? {
        guard needle.count <= hay.count, !needle.isEmpty else { return nil }
        outer: for i in 0...(hay.count - needle.count) {
            for k in 0..<needle.count where hay[i + k] != needle[k] { continue outer }
            return i
        }
        return nil
    }

    /// Turns the tokens of one row's stretch of text into its label, its cells (in reading
    /// order) and the line its label starts on.
    static func rowCells(_ region: ArraySlice<Token>, slot: RowSlot, nextMerges: Int, isLast: Bool, doc: TextDocument,
                         scratch labelScalars: inout [UInt32], cells: inout [Token])
        -> (WrittenLabel?, Int?, columnsGuessed: Bool)
    {
        // label: the text before the first cell
        // the label's scalars, gathered in the caller's buffer (one for all rows)
        labelScalars.removeAll(keepingCapacity: true)
        var labelPos: SourcePosition?
        var firstCell = region.endIndex
        var labelLine = -1, labelColumn = 0, labelRecord = -1
        for i in region.indices where region[i].kind != .text {
            firstCell = i
            break
        }
        // a table in parts: a heading and a header row (### 合计, 项目 数据1 … 总计) between the
        // label's anchor and the row's own record are not its label. A header row is a record of
        // three text cells or more; the label starts after the last one.
        var labelStart = region.startIndex
        if firstCell < region.endIndex, region[firstCell].inCellLayout {
            var i = region.startIndex
            while i < firstCell {
                var j = i, words = 0
                while j < firstCell && region[j].record == region[i].record {
                    if region[j].kind == .text { words += 1 }
                    j += 1
                }
                if words >= 3 && region[i].record != region[firstCell].record && j < firstCell { labelStart = j }
                i = j
            }
        }
        for i in labelStart..<firstCell {
            let t = region[i]
            if labelPos == nil {
                labelPos = t.position
                labelLine = t.line
                labelColumn = t.column
                labelRecord = t.record
            }
            // in PDF text, a label continues in its own column; text further left or right on
            // later lines belongs to a neighbouring (vertical group) label
            if !t.inCellLayout && t.line != labelLine && abs(t.column - labelColumn) > 3 { continue }
            let from = doc.originalLines.starts[t.line] + t.column
            doc.originalLines.scalars.withUnsafeBufferPointer {
                labelScalars.append(contentsOf: UnsafeBufferPointer(rebasing: $0[from..<(from + t.width)]))
            }
        }
        // the cells: values, dashes, invalid text and empty cells; label text after them is skipped.
        // (in the caller's buffer, one for all rows)
        cells.removeAll(keepingCapacity: true)
        var lastCellLine = -1
        var lastCellRecord = -1
        var valuesSeen = false
        var textAfterValues = false
        for t in region[firstCell...] {
            switch t.kind {
            case .dash where textAfterValues && !t.inCellLayout:
                // a lone "/" or "-" among header characters (本年增/减 broken one per line)
                continue
            case .value, .dash, .invalid:
                cells.append(t)
                valuesSeen = true
                lastCellLine = t.line
                lastCellRecord = t.record
            case .empty:
                // empty cells after a group label's text are that label's merged cells
                if !textAfterValues { cells.append(t) }
            case .text:
                if t.inCellLayout && t.line == lastCellLine && valuesSeen {
                    // a text cell on the same line as this row's values, in a cell layout, is a
                    // cell holding words where a number belongs
                    var bad = t
                    bad.kind = .invalid
                    cells.append(bad)
                } else if valuesSeen {
                    // text after the values (a group label, a label's last characters): empty cells
                    // just before it, in a later row of the text, are its merged cells; those in
                    // the row of the values are this row's blank cells
                    while let last = cells.last, last.kind == .empty, last.record > lastCellRecord { cells.removeLast() }
                    textAfterValues = true
                }
            }
            // narrative after the last row: the table has ended
            if isLast && valuesSeen && t.kind == .text && t.width >= 12 { break }
        }
        // Empty cells in the rows of the text after the row's last value (or after its label)
        // stand before the next label: they are that label's merged rows.
        let lastRecord = cells.last(where: { $0.kind != .empty })?.record ?? labelRecord
        var trailingLater = 0
        while trailingLater < cells.count, cells[cells.count - 1 - trailingLater].kind == .empty,
              cells[cells.count - 1 - trailingLater].record > lastRecord {
            trailingLater += 1
        }
        cells.removeLast(min(trailingLater, nextMerges))
        // A row that now holds exactly the format's number of cells keeps them all, empty ones as
        // blank cells (a reader that writes a merged label once leaves no empty cells behind
        // it). Otherwise empty cells at the ends are what a Word export leaves for merged cells:
        // the label's own columns before the values, surplus columns after them.
        var guessed = false
        if cells.count != slot.expected {
            var leadingEmpty = 0
            while leadingEmpty < cells.count && cells[leadingEmpty].kind == .empty { leadingEmpty += 1 }
            cells.removeFirst(min(leadingEmpty, max(0, slot.labelSpan - 1)))
            while cells.count > slot.expected, cells.last?.kind == .empty { cells.removeLast() }
            while cells.count > slot.expected, cells.first?.kind == .empty {
                cells.removeFirst()
                // which of the empty cells are blanks, and in which columns, is a guess
                guessed = true
            }
            // empty cells alone, not the row's width, are merge artifacts
            if cells.allSatisfy({ $0.kind == .empty }) && cells.count != slot.expected { cells.removeAll() }
            // as many filled cells as the format's, with empty ones among them: columns a
            // converter made up (a PDF's table rebuilt on a grid of its own, `| 20 | +5 |  |  | 23 |`);
            // no cell of the row can be blank, as every one the format has is filled
            if cells.count > slot.expected, cells.count(where: { $0.kind != .empty }) == slot.expected {
                cells.removeAll { $0.kind == .empty }
            }
            if !cells.contains(where: { $0.kind == .empty }) { guessed = false }
        }

        let written = labelPos.map { WrittenLabel(text: TextDocument.string(labelScalars), position: $0) }
        return (written, labelLine >= 0 ? labelLine : nil, guessed)
    }

    /// A table whose text holds every cell in reading order but writes some labels elsewhere:
    /// pdftotext's default mode, like text copied from a PDF viewer, writes a label that wraps
    /// inside its cell apart from its values (after the table, or in a block of labels between
    /// rows), so that row's values stand among the others with no label before them. The values
    /// are the rows' cells in order when all of this holds: the table's values are exactly as
    /// many as the format's cells; every row's label is written somewhere in the table; and at
    /// least three labels (or every one, in a smaller table) stand where the count of values
    /// before them says their row starts. Nil otherwise.
    static func bySequence(_ doc: TextDocument, slots: [RowSlot], tokens: [Token]) -> [FoundRow]? {
        func isCell(_ t: Token) -> Bool { t.kind == .value || t.kind == .dash || t.kind == .invalid }
        var starts = [0]
        for slot in slots { starts.append(starts[starts.count - 1] + slot.expected) }
        // the values before each token
        var before: [Int] = []
        before.reserveCapacity(tokens.count)
        var sequence: [Token] = []
        for t in tokens {
            before.append(sequence.count)
            if isCell(t) { sequence.append(t) }
        }
        guard !slots.isEmpty, sequence.count == starts[slots.count] else { return nil }
        // the labels' text, values taken out (a label may wrap over lines)
        let labels = LabelStream(doc, tokens: tokens)
        let stream = labels.scalars, streamToken = labels.token
        // whether `anchor` is written from `m`, with up to three characters of a vertical label
        // beside it (三、本年度办理结果 one character a line) between its characters
        func matches(_ anchor: [UInt32], at m: Int) -> Bool {
            var k = 1, j = m + 1, skipped = 0
            while k < anchor.count && j < stream.count {
                if stream[j] == anchor[k] { k += 1 } else if skipped < 3 { skipped += 1 } else { return false }
                j += 1
            }
            return k == anchor.count
        }
        // whether the label starting at token `ti` is followed by values: its text, as long as
        // the format's label at most, then a value
        func headsValues(_ ti: Int, label: Int) -> Bool {
            var n = 0, k = ti
            while k < tokens.count, tokens[k].kind == .text, n < label {
                n += tokens[k].width
                k += 1
            }
            return k < tokens.count && isCell(tokens[k])
        }
        // each row's label: where it stands in place if it does, else where it is written
        var labelToken: [Int] = []
        var inPlace = 0
        var taken = Set<Int>()
        for (i, slot) in slots.enumerated() {
            var chosen: (token: Int, inPlace: Bool)?
            search: for anchor in slot.anchors where !anchor.isEmpty && anchor.count <= stream.count {
                var m = 0
                while m <= stream.count - anchor.count {
                    defer { m += 1 }
                    guard stream[m] == anchor[0], matches(anchor, at: m) else { continue }
                    let ti = streamToken[m]
                    // a label's piece, not a sentence that holds the words
                    guard !taken.contains(ti), tokens[ti].width <= slot.label.count + 2 else { continue }
                    if before[ti] == starts[i] && headsValues(ti, label: slot.label.count) {
                        chosen = (ti, true)
                        break search
                    }
                    if chosen == nil { chosen = (ti, false) }
                }
            }
            guard let chosen else { return nil }
            taken.insert(chosen.token)
            labelToken.append(chosen.token)
            if chosen.inPlace { inPlace += 1 }
        }
        guard inPlace >= min(3, slots.count) else { return nil }
        // Each row was told by one of its anchors, exactly; the text around it in such a dump
        // is pieces of wrapped labels and of the vertical group labels beside them, in no order
        // a label can be read back from, so the label is taken as the format's (no
        // label-deviation is judged from it) and placed where its anchor is written.
        return slots.indices.map { i in
            let t = tokens[labelToken[i]]
            let cells = Array(sequence[starts[i]..<starts[i + 1]])
            return FoundRow(written: WrittenLabel(text: TextDocument.string(slots[i].label), position: t.position),
                            row: makeRow(cells, expected: slots[i].expected, doc: doc), anchor: t.key, cells: cells, labelLine: t.line)
        }
    }

    /// Whether one of `slot`'s anchors is written in `tokens` as a label's piece (a token no
    /// longer than the label: not a sentence of the text around the table that holds the words).
    /// Anchors of two characters (总计, 信访) are too common in a table's header and notes to tell.
    /// (`stream`: a buffer for the label text read, the caller's, kept between calls.)
    static func isWritten(_ slot: RowSlot, in tokens: [Token], doc: TextDocument, scratch stream: inout [UInt32]) -> Bool {
        stream.removeAll(keepingCapacity: true)
        let starts = doc.lines.starts
        let longest = slot.label.count + 2
        // the tokens' text read in place, the anchors where they lie (no copy, no retain per token)
        return doc.lines.scalars.withUnsafeBufferPointer { text in
            slot.anchors.withUnsafeBufferPointer { anchors in
                for t in tokens where t.kind == .text {
                    guard t.width <= longest else {
                        stream.removeAll(keepingCapacity: true)
                        continue
                    }
                    let from = starts[t.line] + t.column
                    stream.append(contentsOf: UnsafeBufferPointer(rebasing: text[from..<(from + t.width)]))
                    for k in anchors.indices {
                        let n = anchors[k].count
                        if n >= 3 && stream.count >= n && stream.suffix(n).elementsEqual(anchors[k]) { return true }
                    }
                    if stream.count > 64 { stream.removeFirst(stream.count - 64) }
                }
                return false
            }
        }
    }

    static func makeRow(_ cells: [Token], expected: Int, doc: TextDocument) -> RowCells {
        var out: [Cell] = []
        out.reserveCapacity(expected)
        let starts = doc.originalLines.starts
        let extra = doc.originalLines.scalars.withUnsafeBufferPointer { original in
            for t in cells.prefix(expected) { out.append(t.cell(starts, original)) }
            return cells.count > expected ? cells.dropFirst(expected).map { $0.cell(starts, original) } : []
        }
        while out.count < expected { out.append(.missing) }
        return RowCells(cells: out, found: cells.count, extra: extra)
    }
}
