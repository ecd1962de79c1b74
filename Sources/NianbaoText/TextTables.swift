import NianbaoCore

/// Plain text as a document: its tables built from their separators (bars of Markdown and
/// box-drawn tables, TABs of text saved from Word or a spreadsheet; see `TableMarkup`), every
/// other line a paragraph. A cell's text is what its separators enclose, trimmed; its origin is
/// the line and column where that text starts (for an empty cell, where the cell starts). A
/// paragraph's origin is its line.
///
/// In a ruled table (an ASCII grid `+---+` or box drawing `├──┼──┤` with a rule under each row),
/// a row whose cells wrap over several lines between two rules is one row: its lines' pieces of
/// each cell joined (see `wrappedRows`).
public enum TextTables {
    /// The document of a decoded text.
    public static func document(_ text: String, encoding: String? = nil) -> Document {
        let doc = TextDocument(text)
        return joiningRows(doc, encoding: encoding) ?? document(doc, encoding: encoding, joining: [])
    }

    /// The document of a text whose rows stand over several lines, each such row one row: a
    /// ruled table's wrapped rows (`joiningWrappedRows`), a browser's copy with each cell on a
    /// line of its own (`joiningSeparatedCells`), or a word processor's text export with each
    /// cell on a line of its own (`joiningCellLines`); nil when every row is a line of its own.
    public static func joiningRows(_ doc: TextDocument, encoding: String? = nil) -> Document? {
        joiningWrappedRows(doc, encoding: encoding) ?? joiningSeparatedCells(doc, encoding: encoding)
            ?? joiningCellLines(doc, encoding: encoding)
    }

    /// The document of a text whose ruled tables hold rows wrapped over several lines, each such
    /// row one row of the document; nil when the text holds none (it is then read line by line).
    public static func joiningWrappedRows(_ doc: TextDocument, encoding: String? = nil) -> Document? {
        let joins = wrappedRows(doc)
        return joins.isEmpty ? nil : document(doc, encoding: encoding, joining: joins)
    }

    static func document(_ doc: TextDocument, encoding: String?, joining joins: [Range<Int>]) -> Document {
        var document = Document(format: .txt, encoding: encoding)
        var inTable = false
        var nextJoin = 0
        var l = 0
        while l < doc.lines.count {
            defer { l += 1 }
            // a rule between two rows (`|---|---|`) is part of its table
            if inTable, doc.cells[l] == nil, isRule(doc.originalLines[l]),
               l + 1 < doc.lines.count, doc.cells[l + 1] != nil { continue }
            guard doc.cells[l] != nil else {
                document.append(Document.Paragraph(doc.originalText(line: l), origin: .text(line: l + 1, column: 1)))
                inTable = false
                continue
            }
            while nextJoin < joins.count && joins[nextJoin].upperBound <= l { nextJoin += 1 }
            if nextJoin < joins.count, joins[nextJoin].lowerBound == l {
                let rows = joins[nextJoin].map { cells(doc, line: $0) }
                var joined = rows[0]
                for row in rows.dropFirst() {
                    for (c, piece) in row.enumerated() where !piece.text.isEmpty {
                        if joined[c].text.isEmpty {
                            joined[c] = piece
                        } else {
                            joined[c].text = join(joined[c].text, piece.text)
                        }
                    }
                }
                document.append(Document.Row(cells: joined), startsTable: !inTable)
                l = joins[nextJoin].upperBound - 1
            } else {
                document.append(Document.Row(cells: cells(doc, line: l)), startsTable: !inTable)
            }
            inTable = true
        }
        return document
    }

    /// The cells of a row line: what each pair of separators encloses, trimmed.
    static func cells(_ doc: TextDocument, line l: Int) -> [Document.Cell] {
        let original = doc.originalLines[l]
        let line = doc.lines[l]
        return (doc.cells[l] ?? []).map { span -> Document.Cell in
            let text = MergedCopies.trimmed(line, span)
            return Document.Cell(TextDocument.string(original.scalars(text)),
                                 origin: .text(line: l + 1, column: (text.isEmpty ? span.lowerBound : text.lowerBound) + 1))
        }
    }

    /// Two pieces of a wrapped cell as one text: run together, as a Chinese label or a figure
    /// wraps, with a space only between two words of letters or digits.
    static func join(_ a: String, _ b: String) -> String {
        if isFigure(a.unicodeScalars.map(\.value)[...]) && isFigure(b.unicodeScalars.map(\.value)[...]) { return a + b }
        func isWord(_ u: Unicode.Scalar?) -> Bool { u.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) } ?? false }
        return isWord(a.unicodeScalars.last) && isWord(b.unicodeScalars.first) ? a + " " + b : a + b
    }

    /// The rows of ruled tables that wrap over several lines: runs of two or more row lines
    /// with a rule line just above and just below, in a table of three rows or more between
    /// rules, whose lines hold the same number of cells and never a figure in the same cell
    /// twice (lines that each hold their own figures are rows of their own, as in a table ruled
    /// only around its header).
    static func wrappedRows(_ doc: TextDocument) -> [Range<Int>] {
        let n = doc.lines.count
        // rule lines that border rows: the only lines looked at closely
        var rules: [Bool] = []
        for l in 0..<n where !doc.cells.isRow(l) && mayBeRule(doc.originalLines[l]) && isRule(doc.originalLines[l]) {
            if rules.isEmpty { rules = Array(repeating: false, count: n) }
            rules[l] = true
        }
        guard !rules.isEmpty else { return [] }
        var joins: [Range<Int>] = []
        var l = 0
        while l < n {
            // a table: rule and row lines in a run (a row of one cell, `│ 开 │`, is no row but
            // still part of its table)
            func inTable(_ k: Int) -> Bool { rules[k] || doc.cells.isRow(k) || isOneCellRow(doc.originalLines[k]) }
            guard inTable(l) else { l += 1; continue }
            var e = l
            var groups: [Range<Int>] = []
            while e < n && inTable(e) {
                if doc.cells.isRow(e) {
                    let s = e
                    while e < n && doc.cells.isRow(e) { e += 1 }
                    if s > 0 && rules[s - 1] && e < n && rules[e] { groups.append(s..<e) }
                } else {
                    e += 1
                }
            }
            // ruled under each row (three rows or more between rules), or in a smaller table,
            // a row whose every line but the last runs to its cell's edge
            joins += groups.filter { g in
                g.count > 1 && isOneRow(doc, g) && (groups.count >= 3 || g.dropLast().allSatisfy { runsToEdge(doc, line: $0) })
            }
            l = e
        }
        return joins
    }

    /// Whether row lines are the wrapped lines of one row: the same count of cells, and no cell
    /// with a figure on two of them, unless one of the two pieces fills its cell to the rules (a
    /// figure wider than its column wraps too: `3` `5` `3` down a narrow cell is 353, and pandoc
    /// breaks 665 in a cell two wide as `6` over `65`).
    static func isOneRow(_ doc: TextDocument, _ lines: Range<Int>) -> Bool {
        let count = doc.cells[lines.lowerBound]?.count ?? 0
        // per cell: whether a figure was seen, and whether the last one filled the cell
        var figures = [Bool](repeating: false, count: count)
        var filled = [Bool](repeating: false, count: count)
        for l in lines {
            guard let spans = doc.cells[l], spans.count == count else { return false }
            for (c, span) in spans.enumerated() {
                let scalars = doc.lines[l].scalars(span)
                guard isFigure(scalars) else { continue }
                let written = MergedCopies.trimmed(doc.lines[l], span).count
                // the cell's room: its columns but the bars at the row's ends
                let bars = doc.originalLines[l].scalars(span).count(where: TableMarkup.isSeparator)
                let fills = written >= span.count - bars - 2
                if figures[c] && !filled[c] && !fills { return false }
                figures[c] = true
                filled[c] = fills
            }
        }
        return true
    }

    /// Whether a row line has a cell whose text runs to the cell's edge and goes on on the next
    /// line, as text wrapped to its column does.
    static func runsToEdge(_ doc: TextDocument, line l: Int) -> Bool {
        guard let spans = doc.cells[l], let next = doc.cells[l + 1] else { return false }
        let line = doc.originalLines[l]
        for (c, span) in spans.enumerated() where c < next.count {
            let text = line.scalars(span)
            guard !isBlank(text: text), !isBlank(text: doc.originalLines[l + 1].scalars(next[next.startIndex + c])) else { continue }
            var room = 0, written = 0
            for v in text where !TableMarkup.isSeparator(v) { room += TextDocument.displayWidth(v) }
            var i = text.endIndex
            while i > text.startIndex && (isBlank(text[i - 1]) || TableMarkup.isSeparator(text[i - 1])) { i -= 1 }
            var s = text.startIndex
            while s < i && (isBlank(text[s]) || TableMarkup.isSeparator(text[s])) { s += 1 }
            for v in text[s..<i] { written += TextDocument.displayWidth(v) }
            // one space of padding each side; a wide character that did not fit leaves one more
            if written >= room - 3 { return true }
        }
        return false
    }

    static func isBlank(text: ArraySlice<UInt32>) -> Bool {
        text.allSatisfy { isBlank($0) || TableMarkup.isSeparator($0) }
    }

    /// A cell holding a figure: digits, with signs, separators, a decimal point or a unit, and
    /// no other word.
    static func isFigure<Scalars: Collection<UInt32>>(_ s: Scalars) -> Bool {
        var digits = false
        for v in s {
            if v >= 0x30 && v <= 0x39 { digits = true; continue }
            if isBlank(v) || v == 0x2B || v == 0x2D || v == 0x2C || v == 0x2E || v == 0x25 { continue }
            // 元 万 件 个 项 条
            if v == 0x5143 || v == 0x4E07 || v == 0x4EF6 || v == 0x4E2A || v == 0x9879 || v == 0x6761 { continue }
            return false
        }
        return digits
    }

    static func isBlank(_ v: UInt32) -> Bool { TextDocument.isSpace(v) }

    /// A line between two bars and nothing else around them (`│ 开 │`).
    static func isOneCellRow(_ line: TextLine) -> Bool {
        guard let first = line.first(where: { !isBlank($0) }), let last = line.last(where: { !isBlank($0) }) else { return false }
        return TableMarkup.isSeparator(first) && TableMarkup.isSeparator(last) && line.count(where: { !isBlank($0) }) > 2
    }

    /// Whether a line's first visible character may start a rule (`+`, `|`, `-`, `=`, `:` or a
    /// box-drawing character): a quick look before `isRule`.
    static func mayBeRule(_ line: TextLine) -> Bool {
        guard let v = line.first(where: { !isBlank($0) }) else { return false }
        return v == 0x2B || v == 0x7C || v == 0x2D || v == 0x3D || v == 0x3A || TableMarkup.isBoxDrawing(v) || TableMarkup.isSeparator(v)
    }

    /// A line of rule characters only (`|---|:--:|`, `+---+`, `├──┼──┤`).
    static func isRule(_ line: TextLine) -> Bool {
        line.contains { !isBlank($0) } && line.allSatisfy { v in
            isBlank(v) || v == 0x2D || v == 0x3D || v == 0x3A || v == 0x2B || TableMarkup.isSeparator(v) || TableMarkup.isBoxDrawing(v)
        }
    }
}

// MARK: - Cells on lines of their own, TABs between them

extension TextTables {
    /// The document of a text copied out of a web browser from a table whose cells hold
    /// paragraphs (`<td><p>…</p></td>`, as Word-made pages and LibreOffice's exports have them):
    /// each cell's text on a line of its own, a line holding only a TAB between two cells of a
    /// row, blank lines around both, and more blank lines between rows
    /// (`规章\n\n\t\n\n0\n\n\t\n\n0\n\n\n\n\n规范性文件…`). Each row is one row of the
    /// document, each cell placed on its own line; nil when the text holds fewer than eight such
    /// TAB lines, TABs alone between a blank line each side and a cell beyond, none of them with a
    /// TAB (it is then read line by line).
    public static func joiningSeparatedCells(_ doc: TextDocument, encoding: String? = nil) -> Document? {
        let n = doc.lines.count
        func isBlankLine(_ l: Int) -> Bool { !doc.originalLines[l].contains { !isBlank($0) } }
        func isSeparator(_ l: Int) -> Bool {
            let line = doc.originalLines[l]
            return line.contains(0x09) && line.allSatisfy(isBlank)
        }
        // the mark of such a copy: a line of TABs alone, a blank line with no TAB each side, a
        // cell with no TAB beyond
        func hasTab(_ l: Int) -> Bool { doc.originalLines[l].contains(0x09) }
        var separators = 0
        for l in 2..<max(n - 2, 2) where doc.cells.isRow(l) && doc.originalLines[l].allSatisfy({ $0 == 0x09 })
            && isBlankLine(l - 1) && isBlankLine(l + 1) && !hasTab(l - 1) && !hasTab(l + 1)
            && !isBlankLine(l - 2) && !isBlankLine(l + 2) && !hasTab(l - 2) && !hasTab(l + 2) {
            separators += 1
            if separators >= 8 { break }
        }
        guard separators >= 8 else { return nil }
        // cells and TAB lines in order, each with the count of blank lines before it: a TAB line
        // ends a cell (an empty one when nothing came since the last); two blank lines or more
        // between a TAB line and a cell, either way round, end the row (between two TAB lines
        // they are an empty cell's); a cell right after another ends the row too, since a
        // table's last cell and the paragraph after it are set apart the same way
        var document = Document(format: .txt, encoding: encoding)
        var row: [Document.Cell] = []
        var pending: Document.Cell?  // the cell since the last TAB line
        var afterTab = false
        var inTable = false
        var lastTab = 0  // the line of the last TAB line: an empty cell after it is placed there
        func endRow() {
            if afterTab || pending != nil { row.append(pending ?? Document.Cell("", origin: .text(line: lastTab + 1, column: 1))) }
            if row.count > 1 {
                document.append(Document.Row(cells: row), startsTable: !inTable)
                inTable = true
            } else if let only = row.first, !only.text.isEmpty {
                document.append(Document.Paragraph(only.text, origin: only.origin))
                inTable = false
            }
            row = []
            pending = nil
            afterTab = false
        }
        var blanks = 0
        for l in 0..<n {
            if isBlankLine(l) && !isSeparator(l) {
                blanks += 1
                continue
            }
            defer { blanks = 0 }
            if isSeparator(l) {
                if blanks >= 2 && !afterTab { endRow() }
                let tabs = doc.originalLines[l].count(where: { $0 == 0x09 })
                for _ in 0..<tabs {
                    row.append(pending ?? Document.Cell("", origin: .text(line: l + 1, column: 1)))
                    pending = nil
                }
                afterTab = true
                lastTab = l
                continue
            }
            // a numbered heading (`三、…`) after a row's last TAB is the text after the table: a
            // row's cells never start that way but in its first column
            if pending != nil || (blanks >= 2 && afterTab) || (afterTab && startsWithNumeral(doc.originalLines[l])) { endRow() }
            pending = Document.Cell(trimmedText(doc, line: l), origin: .text(line: l + 1, column: 1 + leading(doc.originalLines[l])))
            afterTab = false
        }
        endRow()
        return document
    }

    /// Whether a line starts with a Chinese numeral and 、 (`三、收到和处理…`), after blanks.
    static func startsWithNumeral(_ line: TextLine) -> Bool {
        var i = 0
        while i < line.count && isBlank(line[i]) { i += 1 }
        let start = i
        while i < line.count, "一二三四五六七八九十".unicodeScalars.contains(where: { $0.value == line[i] }) { i += 1 }
        return i > start && i < line.count && line[i] == 0x3001
    }

    /// A line's original text without the blanks around it.
    static func trimmedText(_ doc: TextDocument, line l: Int) -> String {
        let line = doc.originalLines[l]
        return TextDocument.string(line.scalars(MergedCopies.trimmed(line, 0..<line.count)))
    }

    /// The count of blank characters a line starts with.
    static func leading(_ line: TextLine) -> Int { line.prefix(while: isBlank).count }
}

// MARK: - Cells on lines of their own, a blank line for an empty cell

extension TextTables {
    /// The document of a text that writes a table's cells one to a line, in order, with a blank
    /// line for an empty cell (LibreOffice's and WPS's "save as text", and copies of a table
    /// pasted from a word processor): `规章\n\n\n\n行政规范性文件\n5\n2\n45`. A row is a label
    /// line and the figures after it, blank lines among them its empty cells; blank lines after
    /// its last figure are its own (its last cells, left empty) when enough of them make it as
    /// long as a row beside it, and otherwise the next row's first cell (a merged cell's
    /// continuation, which such an export writes as a blank line). Each cell is placed on its
    /// own line.
    ///
    /// Nil unless the text is written this way: twenty figure lines or more right after another
    /// figure line, and an empty cell (one to eight blank lines between single-spaced lines, a
    /// figure line beside them), with no more than four lines holding TABs or bars and no more
    /// than four holding one ideograph alone: double-spaced text, whose blank lines say nothing,
    /// a Word table copied with a TAB before each cell, and a PDF's text in drawing order (a
    /// header's characters one to a line) are read line by line.
    public static func joiningCellLines(_ doc: TextDocument, encoding: String? = nil) -> Document? {
        let n = doc.lines.count
        guard n >= 24 else { return nil }
        // cells set apart by TABs or bars (a Word table copied cell by cell, a TAB before each,
        // whose TAB-only lines are merged cells) are read as rows of their own
        var rows = 0
        for l in 0..<n where doc.cells.isRow(l) {
            rows += 1
            if rows >= 5 { return nil }
        }
        var blankLine = [Bool](repeating: false, count: n)
        var lone = 0
        for l in 0..<n {
            let line = doc.originalLines[l]
            blankLine[l] = !line.contains { !isBlank($0) }
            // text out of a PDF in its drawing order writes a header's characters one to a line
            if !blankLine[l], line.count(where: { !isBlank($0) }) == 1, let v = line.first(where: { !isBlank($0) }),
               v >= 0x4E00 && v <= 0x9FFF {
                lone += 1
                if lone > 4 { return nil }
            }
        }
        // the cells of a row: a figure, a dash or 无 alone on its line
        var cellLine = [Bool](repeating: false, count: n)
        for l in 0..<n where !blankLine[l] { cellLine[l] = isCellText(doc.lines[l]) }
        var adjacent = 0
        var emptyCell = false
        var l = 2
        while l < n {
            if cellLine[l] && cellLine[l - 1] { adjacent += 1 }
            // one to eight blank lines between single-spaced lines, a cell line next to them
            if blankLine[l] && !blankLine[l - 1] && !blankLine[l - 2] {
                var end = l
                while end < n && blankLine[end] { end += 1 }
                if end - l <= 8, end + 1 < n, !blankLine[end + 1],
                   cellLine[l - 1] || cellLine[l - 2] || cellLine[end] || cellLine[end + 1] {
                    emptyCell = true
                }
                l = end
                continue
            }
            l += 1
        }
        guard adjacent >= 20, emptyCell else { return nil }

        // runs: a label line, then cell lines and blank lines up to the next other line
        struct Run {
            var label: Int
            var cells: [Int]  // lines of its cells, a blank line an empty cell
            var trailing: [Int]  // blank lines after its last figure
        }
        var runs: [Run] = []
        var paragraphs: [Int] = []  // lines read as paragraphs, by line
        var current: Run?
        func close() {
            if let run = current {
                if run.cells.isEmpty && run.trailing.isEmpty { paragraphs.append(run.label) } else { runs.append(run) }
            }
            current = nil
        }
        for l in 0..<n {
            if blankLine[l] {
                current?.trailing.append(l)
            } else if cellLine[l], current != nil {
                current!.cells += current!.trailing + [l]
                current!.trailing = []
            } else if cellLine[l] {
                paragraphs.append(l)
            } else {
                close()
                current = Run(label: l, cells: [], trailing: [])
            }
        }
        close()
        // a run's trailing blank lines: its own empty cells when they make it as long as a row
        // beside it (the rest, the next row's merged first cell); too few to, none are
        for k in runs.indices where !runs[k].trailing.isEmpty {
            let around = max(k > 0 ? runs[k - 1].cells.count : 0, k + 1 < runs.count ? runs[k + 1].cells.count : 0)
            let missing = around - runs[k].cells.count
            if missing > 0 && runs[k].trailing.count >= missing { runs[k].cells += runs[k].trailing.prefix(missing) }
        }
        // a label with no cell of its own (a group's, a heading) is a paragraph
        for run in runs where run.cells.isEmpty { paragraphs.append(run.label) }
        paragraphs.sort()
        runs.removeAll { $0.cells.isEmpty }
        // the document, in the text's order
        var document = Document(format: .txt, encoding: encoding)
        var r = 0, p = 0
        var inTable = false
        func cell(_ line: Int) -> Document.Cell {
            blankLine[line] ? Document.Cell("", origin: .text(line: line + 1, column: 1))
                : Document.Cell(trimmedText(doc, line: line), origin: .text(line: line + 1, column: 1 + leading(doc.originalLines[line])))
        }
        while r < runs.count || p < paragraphs.count {
            if p < paragraphs.count && (r == runs.count || paragraphs[p] < runs[r].label) {
                let line = paragraphs[p]
                document.append(Document.Paragraph(trimmedText(doc, line: line), origin: .text(line: line + 1, column: 1 + leading(doc.originalLines[line]))))
                inTable = false
                p += 1
            } else {
                let run = runs[r]
                document.append(Document.Row(cells: [cell(run.label)] + run.cells.map(cell)), startsTable: !inTable)
                inTable = true
                r += 1
            }
        }
        return document
    }

    /// A cell's text alone on a line: a figure, a dash, or 无.
    static func isCellText(_ line: TextLine) -> Bool {
        let text = MergedCopies.trimmed(line, 0..<line.count)
        guard !text.isEmpty else { return false }
        let s = line.scalars(text)
        // one piece: `0 0 0` is a row of figures, not a cell
        if s.contains(where: isBlank) { return false }
        if isFigure(s) { return true }
        if s.count == 1, let v = s.first { return v == 0x65E0 || v == 0x2D || v == 0x2014 || v == 0x2013 || v == 0x2F || v == 0xFF0D }
        return s.count <= 3 && s.allSatisfy { $0 == 0x2D || $0 == 0x2014 || $0 == 0x2013 }
    }
}
