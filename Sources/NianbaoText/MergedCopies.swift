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
        // the last row of the current table with no cell starting with a digit, its first cell
        // written: the header of the rows below (a row of its own, not the wrapped tail of the
        // row above, `│ │ 量 │ 量 │ 量 │` under `│ 信息内容 │ 本年新制作数 │ …`)
        var header: (line: TextLine, spans: ArraySlice<Range<Int>>)?
        for l in lines.indices {
            guard let spans = cells[l] else {
                // a blank line or a rule (blanked) between rows keeps the table going
                if header != nil && lines[l].contains(where: { !TextDocument.isSpace($0) }) { header = nil }
                continue
            }
            // most rows hold no two equal neighbours, or only equal figures with no header
            // repeating over them: they are looked at once, in place
            let line = lines[l]
            var previous = 0..<0
            var copies = false
            var digits = false
            for k in spans.indices {
                let text = trimmed(line, spans[k])
                if !text.isEmpty && line[text.lowerBound] >= 0x30 && line[text.lowerBound] <= 0x39 { digits = true }
                if k > spans.startIndex && !copies && !text.isEmpty && equal(line, previous, line, text) {
                    let c = k - spans.startIndex
                    copies = !isFigure(line, text)
                        || header.map { repeatsOver($0.line, $0.spans, (c - 1)..<(c + 1), width: spans.count) } == true
                }
                previous = text
            }
            if copies { collapse(&lines, &cells, line: l, header: header) }
            if !digits { header = trimmed(line, spans[spans.startIndex]).isEmpty ? nil : (line, spans) }
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
    static func repeatsOver(_ line: TextLine, _ spans: ArraySlice<Range<Int>>, _ columns: Range<Int>, width: Int) -> Bool {
        guard spans.count == width else { return false }
        let first = trimmed(line, spans[spans.startIndex + columns.lowerBound])
        guard !first.isEmpty else { return false }
        return columns.dropFirst().allSatisfy { equal(line, first, line, trimmed(line, spans[spans.startIndex + $0])) }
    }

    /// `TextTables.isFigure` on columns of a line, read in place.
    @inline(__always) static func isFigure(_ line: TextLine, _ text: Range<Int>) -> Bool {
        // a lone digit, the most common copy by far (`| 0 | 0 |`)
        if text.count == 1 { return line[text.lowerBound] >= 0x30 && line[text.lowerBound] <= 0x39 }
        return TextTables.isFigure(line.scalars(text))
    }

    /// The columns of a cell's text (or any run of a line's columns), without the spaces around
    /// it.
    @inline(__always) static func trimmed(_ line: TextLine, _ span: Range<Int>) -> Range<Int> {
        var s = span.lowerBound, e = span.upperBound
        while s < e && TextDocument.isSpace(line[s]) { s += 1 }
        while e > s && TextDocument.isSpace(line[e - 1]) { e -= 1 }
        return s..<e
    }

    @inline(__always) static func equal(_ a: TextLine, _ ra: Range<Int>, _ b: TextLine, _ rb: Range<Int>) -> Bool {
        guard ra.count == rb.count else { return false }
        for i in 0..<ra.count where a[ra.lowerBound + i] != b[rb.lowerBound + i] { return false }
        return true
    }
}
