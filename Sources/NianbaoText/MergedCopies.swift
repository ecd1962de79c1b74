/// Merged cells written out as copies: converters that flatten a table's merged cells into a
/// plain grid (Docling, and some HTML and spreadsheet exports) repeat a merged cell's text in
/// every grid cell it covered, `| 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 |`.
/// Such a run of equal neighbouring cells in a row is read as the one cell it was: the copies
/// are blanked in the normalised line, and the first cell's span reaches over them.
///
/// Words are collapsed wherever they repeat; a run of equal figures only under a header (the
/// nearest row above with no cell starting with a digit, its first cell written) whose cells
/// over the same columns repeat too (`| 本年处理决定数量 | 本年处理决定数量 |` over `| 25 | 25 |`), since equal figures
/// side by side are common in their own right.
enum MergedCopies {
    static func collapse(_ lines: inout TextLines, cells: inout LineCells) {
        // the rows with copies, and the header line above each, found by reading the text in
        // place; then collapsed, last first, so that a header is read as it was written
        var found: [(line: Int, header: Int?)] = []
        let starts = lines.starts
        lines.scalars.withUnsafeBufferPointer { text in
            cells.withSpans { spanStore in
                @inline(__always) func line(_ l: Int) -> UnsafeBufferPointer<UInt32> {
                    UnsafeBufferPointer(rebasing: text[starts[l]..<starts[l + 1]])
                }
                // the last row of the current table with no cell starting with a digit, its first cell
                // written: the header of the rows below (a row of its own, not the wrapped tail of the
                // row above, `│ │ 量 │ 量 │ 量 │` under `│ 信息内容 │ 本年新制作数 │ …`)
                var header: Int?
                for l in 0..<(starts.count - 1) {
                    guard let spans = cells.cells(l, in: spanStore) else {
                        // a blank line or a rule (blanked) between rows keeps the table going
                        if header != nil && line(l).contains(where: { !TextDocument.isSpace($0) }) { header = nil }
                        continue
                    }
                    // most rows hold no two equal neighbours, or only equal figures with no header
                    // repeating over them: they are looked at once, in place
                    let row = line(l)
                    var previous = 0..<0
                    var copies = false
                    var digits = false
                    for k in spans.indices {
                        let text = trimmed(row, spans[k])
                        if !text.isEmpty && row[text.lowerBound] >= 0x30 && row[text.lowerBound] <= 0x39 { digits = true }
                        if k > spans.startIndex && !copies && !text.isEmpty && equal(row, previous, row, text) {
                            let c = k - spans.startIndex
                            copies = !isFigure(row, text)
                                || header.map {
                                    repeatsOver(line($0), cells.cells($0, in: spanStore)!, (c - 1)..<(c + 1), width: spans.count)
                                } == true
                        }
                        previous = text
                    }
                    if copies { found.append((l, header)) }
                    if !digits { header = trimmed(row, spans[spans.startIndex]).isEmpty ? nil : l }
                }
            }
        }
        for (l, header) in found.reversed() {
            collapse(&lines, &cells, line: l, header: header.map { (lines[$0], cells[$0]!) })
        }
    }

    /// Collapses the runs of copies in row `l`.
    private static func collapse(_ lines: inout TextLines, _ cells: inout LineCells, line l: Int,
                                 header: (line: TextLine, spans: ArraySlice<Range<Int>>)?) {
        let line = lines[l]
        let spans = Array(cells[l]!)
        let texts = spans.map { trimmed(line, $0) }
        var collapsed: [Range<Int>] = []
        var blanked: [Range<Int>] = []
        var c = 0
        while c < texts.count {
            var e = c + 1
            if !texts[c].isEmpty {
                while e < texts.count && equal(line, texts[c], line, texts[e]) { e += 1 }
            }
            let figure = TextTables.isFigure(line.scalars(texts[c]))
            if e - c > 1 && (!figure || header.map { repeatsOver($0.line, $0.spans, c..<e, width: texts.count) } == true) {
                collapsed.append(spans[c].lowerBound..<spans[e - 1].upperBound)
                blanked += texts[(c + 1)..<e]
            } else {
                collapsed += spans[c..<e]
            }
            c = e
        }
        guard !blanked.isEmpty else { return }
        lines.update(l) { line in
            for r in blanked { for i in r { line[i] = 0x20 } }
        }
        cells.set(l, collapsed)
    }

    /// Whether a header row of `width` cells repeats one text over `columns`.
    static func repeatsOver<Line: RandomAccessCollection<UInt32>, Spans: RandomAccessCollection<Range<Int>>>(
        _ line: Line, _ spans: Spans, _ columns: Range<Int>, width: Int
    ) -> Bool where Line.Index == Int, Spans.Index == Int {
        guard spans.count == width else { return false }
        let first = trimmed(line, spans[spans.startIndex + columns.lowerBound])
        guard !first.isEmpty else { return false }
        return columns.dropFirst().allSatisfy { equal(line, first, line, trimmed(line, spans[spans.startIndex + $0])) }
    }

    /// `TextTables.isFigure` on columns of a line, read in place.
    @inline(__always) static func isFigure<Line: RandomAccessCollection<UInt32>>(_ line: Line, _ text: Range<Int>) -> Bool
        where Line.Index == Int
    {
        // a lone digit, the most common copy by far (`| 0 | 0 |`)
        if text.count == 1 { return line[text.lowerBound] >= 0x30 && line[text.lowerBound] <= 0x39 }
        return TextTables.isFigure(line[text])
    }

    /// The columns of a cell's text (or any run of a line's columns), without the spaces around
    /// it.
    @inline(__always) static func trimmed<Line: RandomAccessCollection<UInt32>>(_ line: Line, _ span: Range<Int>) -> Range<Int>
        where Line.Index == Int
    {
        var s = span.lowerBound, e = span.upperBound
        while s < e && TextDocument.isSpace(line[s]) { s += 1 }
        while e > s && TextDocument.isSpace(line[e - 1]) { e -= 1 }
        return s..<e
    }

    @inline(__always) static func equal<Line: RandomAccessCollection<UInt32>>(_ a: Line, _ ra: Range<Int>, _ b: Line, _ rb: Range<Int>) -> Bool
        where Line.Index == Int
    {
        guard ra.count == rb.count else { return false }
        for i in 0..<ra.count where a[ra.lowerBound + i] != b[rb.lowerBound + i] { return false }
        return true
    }
}
