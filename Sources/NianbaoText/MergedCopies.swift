/// Merged cells written out as copies: converters that flatten a table's merged cells into a
/// plain grid (Docling, and some HTML and spreadsheet exports) repeat a merged cell's text in
/// every grid cell it covered, `| 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 |`.
/// Such a run of equal neighbouring cells in a row is read as the one cell it was: the copies
/// are blanked in the normalised line, and the first cell's span reaches over them.
///
/// Words are collapsed wherever they repeat; a run of equal figures only under a header (the
/// nearest row above without figures, its first cell written) whose cells over the same columns
/// repeat too (`| 本年处理决定数量 | 本年处理决定数量 |` over `| 25 | 25 |`), since equal figures
/// side by side are common in their own right.
enum MergedCopies {
    static func collapse(_ lines: inout TextLines, cells: inout LineCells) {
        // the last row of the current table that holds no figure, as written (copies
        // included): the header of the rows below
        var header: (line: TextLine, spans: ArraySlice<Range<Int>>)?
        for l in lines.indices {
            guard let spans = cells[l] else {
                // a blank line or a rule (blanked) between rows keeps the table going
                if lines[l].contains(where: { !TextDocument.isSpace($0) }) { header = nil }
                continue
            }
            let line = lines[l]
            var figures = false
            var copies = false
            var previous: Range<Int>?
            for span in spans {
                let text = trimmed(line, span)
                if !figures && TextTables.isFigure(line.scalars(text)) { figures = true }
                if let p = previous, !text.isEmpty, equal(line, p, text) { copies = true }
                previous = text
            }
            if copies { collapse(&lines, &cells, line: l, header: header) }
            // a header is a row of its own, its first cell written: not the wrapped tail of the
            // row above (`│ │ 量 │ 量 │ 量 │` under `│ 信息内容 │ 本年新制作数 │ …`)
            if !figures { header = trimmed(line, spans[spans.startIndex]).isEmpty ? nil : (line, spans) }
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
                while e < texts.count && equal(line, texts[c], texts[e]) { e += 1 }
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
        return columns.dropFirst().allSatisfy { equal(line, first, trimmed(line, spans[spans.startIndex + $0])) }
    }

    /// The columns of a cell's text, without the spaces around it.
    static func trimmed(_ line: TextLine, _ span: Range<Int>) -> Range<Int> {
        var s = span.lowerBound, e = span.upperBound
        while s < e && TextDocument.isSpace(line[s]) { s += 1 }
        while e > s && TextDocument.isSpace(line[e - 1]) { e -= 1 }
        return s..<e
    }

    static func equal(_ line: TextLine, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && line.scalars(a).elementsEqual(line.scalars(b))
    }
}
