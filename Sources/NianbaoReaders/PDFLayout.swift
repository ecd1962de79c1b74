import NianbaoCore

/// Turns the word boxes of a PDF into a document: a paragraph per visual line of prose, a table
/// per table rebuilt from geometry, each row its cells, the way `DocxReader` reads a Word
/// document; every block and cell knows its page.
///
/// Prose: the words of one visual line in x order, CJK text joined without spaces. Tables of
/// sections 二, 三 and 四 are found by their headers and rebuilt from geometry (see
/// `PDFLayoutTable`); a table whose geometry cannot be understood is written as the lines a
/// layout-preserving text extraction gives (words spaced by their gaps). Page numbers and running
/// headers or footers are dropped; pages follow each other without a separator.
enum PDFLayout {
    /// A word placed on one continuous strip: `y0`/`y1` count from the top of the first page's
    /// content, pages stacked without their margins.
    struct Word: Sendable {
        var x0: Double
        var y0: Double
        var x1: Double
        var y1: Double
        var text: String
        var page: Int
        /// The word's box on its own page, as the page gives it (the strip's coordinates move
        /// when pages are stacked and repeated headers taken out).
        var box: Document.Box? = nil

        var height: Double { y1 - y0 }
        var width: Double { x1 - x0 }
        var cx: Double { (x0 + x1) / 2 }
        var cy: Double { (y0 + y1) / 2 }
    }

    /// Words of a visual line, in x order.
    struct Line: Sendable {
        var words: [Int]
        var top: Double
        var bottom: Double
        var page: Int
    }

    /// The gap left between two pages' content on the strip.
    static let pageGap = 2.0

    static func text(pages: [PDFPage]) -> String { document(pages: pages).text }

    /// The paragraphs and tables, each knowing the page it is on.
    static func document(pages: [PDFPage]) -> Document {
        var document = Document(format: .pdf)
        document.pagesWithoutText = pages.indices.filter { pages[$0].words.isEmpty }.map { $0 + 1 }
        var previousTable: Int?
        for item in assemble(place(pages)) {
            // each block and cell on the page of its row, in the box its words cover there
            func origin(_ words: [Word]) -> Document.Origin { .page(item.page + 1, box: box(words, page: item.page)) }
            // a row of one cell reads as a line of text
            guard let table = item.table, item.cells.count > 1 else {
                document.append(Document.Paragraph(item.cells.map(\.text).joined(), origin: origin(item.cells.flatMap(\.words))))
                previousTable = nil
                continue
            }
            // each cell on the page its words are on (a row broken by a page break has its
            // figures on the next); a blank cell: its column's extent over the height of the
            // row's other cells on the row's page
            let pages = item.cells.map { $0.words.first?.page ?? item.page }
            let boxes = zip(item.cells, pages).map { box($0.words, page: $1) }
            var band: (Float, Float)?
            for (b, p) in zip(boxes, pages) where p == item.page {
                if let b { band = (min(band?.0 ?? b.y0, b.y0), max(band?.1 ?? b.y1, b.y1)) }
            }
            let cells = item.cells.indices.map { k in
                let cell = item.cells[k]
                var box = boxes[k]
                if box == nil, let band, let column = cell.column {
                    box = Document.Box(x0: Float(column.x0), y0: band.0, x1: Float(column.x1), y1: band.1)
                }
                return Document.Cell(cell.text, origin: .page(pages[k] + 1, box: box))
            }
            document.append(Document.Row(cells: cells), startsTable: previousTable != table)
            previousTable = table
        }
        return document
    }

    /// The box that `words`' boxes on `page` (0-based) cover; nil when none is on it (a blank cell).
    static func box(_ words: [Word], page: Int) -> Document.Box? {
        var out: Document.Box?
        for w in words where w.page == page {
            guard let b = w.box else { continue }
            if let o = out {
                out = Document.Box(x0: min(o.x0, b.x0), y0: min(o.y0, b.y0), x1: max(o.x1, b.x1), y1: max(o.y1, b.y1))
            } else {
                out = b
            }
        }
        return out
    }

    // MARK: - Pages onto one strip

    /// The page's words with boxes no taller than their text: a browser's PDF (Chromium's
    /// "print to PDF") gives each word the height of its whole line box, about 2.6 times its
    /// characters' (Word's and LibreOffice's PDFs: 1–1.3), so that the lines of a wrapped label
    /// overlap. Where the words written in ideographs are over 1.6 times as tall as their
    /// characters are wide, each word is made 1.2 characters tall about its middle.
    static func fittingHeights(_ page: PDFPage) -> [PDFWord] {
        func ideographs(_ text: String) -> Bool { text.unicodeScalars.allSatisfy { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }
        var ratios: [Double] = []
        var ems: [Double] = []
        for w in page.words {
            let n = w.text.unicodeScalars.count
            guard n >= 2, ideographs(w.text), w.x1 > w.x0 else { continue }
            let em = (w.x1 - w.x0) / Double(n)
            ems.append(em)
            ratios.append((w.y1 - w.y0) / em)
        }
        guard ratios.count >= 5 else { return page.words }
        ratios.sort()
        guard ratios[ratios.count / 2] > 1.6 else { return page.words }
        ems.sort()
        let pageEm = ems[ems.count / 2]
        return page.words.map { w in
            let n = w.text.unicodeScalars.count
            let em = n > 0 && ideographs(w.text) && w.x1 > w.x0 ? (w.x1 - w.x0) / Double(n) : pageEm
            let half = min(0.6 * em, (w.y1 - w.y0) / 2)
            let cy = (w.y0 + w.y1) / 2
            var out = w
            out.y0 = cy - half
            out.y1 = cy + half
            return out
        }
    }

    /// Drops page furniture and stacks the pages' content.
    static func place(_ pages: [PDFPage]) -> [Word] {
        let pages = pages.map { PDFPage(width: $0.width, height: $0.height, words: fittingHeights($0)) }
        let furniture = furnitureWords(pages)
        var out: [Word] = []
        var offset = 0.0
        for (p, page) in pages.enumerated() {
            let kept = page.words.indices.filter { !furniture[p].contains($0) }
            guard !kept.isEmpty else { continue }
            let top = kept.map { page.words[$0].y0 }.min()!
            let bottom = kept.map { page.words[$0].y1 }.max()!
            for i in kept {
                let w = page.words[i]
                out.append(Word(x0: w.x0, y0: w.y0 - top + offset, x1: w.x1, y1: w.y1 - top + offset, text: w.text, page: p,
                                box: Document.Box(x0: Float(w.x0), y0: Float(w.y0), x1: Float(w.x1), y1: Float(w.y1))))
            }
            offset += bottom - top + pageGap
        }
        return out
    }

    /// Per page, the indices of words that are page numbers or running headers and footers:
    /// lines in the top or bottom margin that read like a page number, or whose text (digits
    /// aside) recurs at the same height on another page.
    static func furnitureWords(_ pages: [PDFPage]) -> [Set<Int>] {
        struct Candidate {
            var page: Int
            var words: [Int]
            var key: String
            var y: Double
            var isPageNumber: Bool
            var apart: Bool
        }
        var candidates: [Candidate] = []
        for (p, page) in pages.enumerated() where !page.words.isEmpty {
            let height = page.height > 0 ? page.height : (page.words.map(\.y1).max() ?? 0)
            let words = page.words.map { Word(x0: $0.x0, y0: $0.y0, x1: $0.x1, y1: $0.y1, text: $0.text, page: p) }
            let lines = visualLines(words, Array(words.indices))
            for (n, line) in lines.enumerated() {
                let cy = (line.top + line.bottom) / 2
                guard cy < height * 0.1 || cy > height * 0.88 else { continue }
                // apart from the body: a gap to the nearest other line
                let above = n > 0 ? line.top - lines[n - 1].bottom : Double.infinity
                let below = n + 1 < lines.count ? lines[n + 1].top - line.bottom : Double.infinity
                let apart = min(above, below) >= 0.5 * (line.bottom - line.top)
                let text = compact(line.words.map { words[$0].text }.joined())
                var key = String.UnicodeScalarView()
                for u in text.unicodeScalars { key.append(u.value >= 0x30 && u.value <= 0x39 ? "#" : u) }
                let decorated = text.unicodeScalars.contains { !($0.value >= 0x30 && $0.value <= 0x39) }
                candidates.append(Candidate(page: p, words: line.words, key: String(key), y: cy,
                                            isPageNumber: isPageNumber(text) && (decorated || apart), apart: apart))
            }
        }
        // the pages each text is seen on, by height in steps of 4 points
        struct Place: Hashable {
            var key: String
            var step: Int
        }
        var seen: [Place: (first: Int, several: Bool)] = [:]
        for c in candidates where c.apart {
            let place = Place(key: c.key, step: Int((c.y / 4).rounded(.down)))
            if let s = seen[place] {
                if s.first != c.page { seen[place]!.several = true }
            } else {
                seen[place] = (c.page, false)
            }
        }
        var out = Array(repeating: Set<Int>(), count: pages.count)
        for c in candidates {
            var repeated = false
            if c.apart {
                let step = Int((c.y / 4).rounded(.down))
                repeated = (step - 1...step + 1).contains { k in
                    guard let s = seen[Place(key: c.key, step: k)] else { return false }
                    return s.several || s.first != c.page
                }
            }
            if c.isPageNumber || repeated { out[c.page].formUnion(c.words) }
        }
        return out
    }

    /// "-3-", "— 3 —", "3", "第3页", "第3页共6页", "3/6", "Page 3".
    static func isPageNumber(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars.map(\.value))
        guard !s.isEmpty, s.count <= 14 else { return false }
        var digits = 0, dashes = 0, di = 0, pageChars = 0, other = 0
        for v in s {
            if v >= 0x30 && v <= 0x39 {
                digits += 1
            } else if [0x2D, 0x2014, 0x2013, 0x2015, 0xFF0D, 0x2500].contains(v) {
                dashes += 1
            } else if v == 0x7B2C {  // 第
                di += 1
            } else if v == 0x9875 || v == 0x5171 || v == 0x2F {  // 页 共 /
                pageChars += 1
            } else {
                other += 1
            }
        }
        guard digits > 0, digits <= 4 else { return false }
        if other == 0 && di == 0 && pageChars == 0 {
            // digits alone, or between dashes: -3-, — 3 —
            let isDigit = { (v: UInt32) in v >= 0x30 && v <= 0x39 }
            let middle = s.drop { !isDigit($0) }.reversed().drop { !isDigit($0) }
            return middle.allSatisfy(isDigit) && (dashes == 0 || (!isDigit(s.first!) && !isDigit(s.last!)))
        }
        if other == 0 && dashes == 0 && (di > 0 || pageChars > 0) { return true }
        if other == 4 && text.lowercased().hasPrefix("page") { return true }
        return false
    }

    // MARK: - Visual lines

    /// Groups words into visual lines: sorted by vertical centre, a word joins the line when its
    /// centre lies within half a line height of the line's first word.
    static func visualLines(_ words: [Word], _ indices: [Int]) -> [Line] {
        let sorted = indices.sorted { (words[$0].page, words[$0].cy) < (words[$1].page, words[$1].cy) }
        var lines: [Line] = []
        var anchorCy = 0.0, anchorH = 0.0
        for i in sorted {
            let w = words[i]
            if var last = lines.last, last.page == w.page, w.cy - anchorCy <= 0.5 * min(anchorH, w.height) {
                last.words.append(i)
                last.top = min(last.top, w.y0)
                last.bottom = max(last.bottom, w.y1)
                lines[lines.count - 1] = last
            } else {
                lines.append(Line(words: [i], top: w.y0, bottom: w.y1, page: w.page))
                anchorCy = w.cy
                anchorH = w.height
            }
        }
        for k in lines.indices { lines[k].words.sort { words[$0].x0 < words[$1].x0 } }
        return lines
    }

    /// The words' texts in x order, joined the way Word text reads: CJK without spaces, a space
    /// between two Latin letters or digits, a space (or `wideGap`, when given) across a gap wider
    /// than a character.
    static func join(_ words: [Word], wideGap: String = " ") -> String {
        var out = ""
        var previous: Word?
        for w in words.sorted(by: { $0.x0 < $1.x0 }) {
            if let p = previous {
                let gap = w.x0 - p.x1
                let h = max(1, min(p.height, w.height))
                if gap > 1.2 * h {
                    out += wideGap
                } else if gap > 0.1 * h && TextAssembly.isLatinWordChar(out.unicodeScalars.last)
                    && TextAssembly.isLatinWordChar(w.text.unicodeScalars.first)
                {
                    out += " "
                }
            }
            out += w.text
            previous = w
        }
        return out
    }

    /// A line as a layout-preserving text extraction writes it: words spaced by their gaps.
    static func layoutLine(_ words: [Word], charWidth: Double) -> String {
        var out = ""
        var column = 0
        for w in words.sorted(by: { $0.x0 < $1.x0 }) {
            let target = max(0, Int((w.x0 / max(charWidth, 1)).rounded()))
            if out.isEmpty {
                out += String(repeating: " ", count: min(target, 200))
                column = target
            } else {
                let spaces = max(1, min(target - column, 200))
                out += String(repeating: " ", count: spaces)
                column += spaces
            }
            out += w.text
            column += w.text.unicodeScalars.reduce(0) { $0 + (TextAssembly.isCJK($1) ? 2 : 1) }
        }
        return out
    }

    // MARK: - Lines and tables

    /// Output rows for the words: prose lines (one cell each), and each table rebuilt (rows
    /// with the number of their table); each with its page (0-based).
    static func assemble(_ words: [Word]) -> [(cells: [PDFLayoutTable.Cell], page: Int, table: Int?)] {
        guard !words.isEmpty else { return [] }
        // where each page's content starts on the strip: a table row's page is told by its height
        var pageTop: [Int: Double] = [:]
        for w in words { pageTop[w.page] = min(pageTop[w.page] ?? w.y0, w.y0) }
        let starts = pageTop.sorted { $0.key < $1.key }
        func page(at y: Double) -> Int { starts.last { $0.value <= y + 0.5 }?.key ?? starts.first?.key ?? 0 }
        let lines = visualLines(words, Array(words.indices))
        // each page's text width (pages may change orientation)
        var extent: [Int: (x0: Double, x1: Double)] = [:]
        for w in words {
            let e = extent[w.page] ?? (w.x0, w.x1)
            extent[w.page] = (min(e.x0, w.x0), max(e.x1, w.x1))
        }
        func textWidth(_ line: Line) -> Double { extent[line.page].map { max(1, $0.x1 - $0.x0) } ?? 1 }
        var out: [(cells: [PDFLayoutTable.Cell], page: Int, table: Int?)] = []
        var tables = 0
        var l = 0
        while l < lines.count {
            guard let kind = triggerKind(lines[l], words), !isHeading(lines[l], words) else {
                let ws = lines[l].words.map { words[$0] }
                out.append(([PDFLayoutTable.Cell(text: TextAssembly.trim(join(ws)), words: ws)], lines[l].page, nil))
                l += 1
                continue
            }
            // the table runs until a section heading, a paragraph, or another table's header
            var end = l + 1
            while end < lines.count {
                let line = lines[end]
                if isHeading(line, words) || isParagraph(line, words, textWidth: textWidth(line)) { break }
                if let k = triggerKind(line, words), k != kind { break }
                end += 1
            }
            let region = Array(l..<end)
            let regionWords = region.flatMap { lines[$0].words }
            if let rows = PDFLayoutTable.placedRows(words: regionWords.map { words[$0] }, withoutLabels: kind == .four) {
                tables += 1
                out.append(contentsOf: rows.map { ($0.cells, page(at: $0.y), tables) })
            } else {
                let charWidth = medianHeight(regionWords.map { words[$0] }) / 2
                for r in region {
                    let ws = lines[r].words.map { words[$0] }
                    out.append(([PDFLayoutTable.Cell(text: layoutLine(ws, charWidth: charWidth), words: ws)], lines[r].page, nil))
                }
            }
            l = end
        }
        return out.filter { $0.cells.count > 1 || !($0.cells.first?.text ?? "").isEmpty }
    }

    static func medianHeight(_ words: [Word]) -> Double {
        let hs = words.filter { !isValueText($0.text) }.map(\.height).sorted()
        if hs.isEmpty { return max(1, words.map(\.height).sorted().dropFirst(words.count / 2).first ?? 10) }
        return max(1, hs[hs.count / 2])
    }

    enum TableKind: Sendable { case two, three, four }

    /// Which table a line's header words start, if any.
    static func triggerKind(_ line: Line, _ words: [Word]) -> TableKind? {
        for i in line.words {
            let c = compact(words[i].text)
            if c == "申请人情况" || c == "自然人" || c == "法人或其他组织" || (c.contains("勾稽关系") && c.unicodeScalars.count <= 48) {
                return .three
            }
            if c == "行政复议" || c == "行政诉讼" || c == "未经复议直接起诉" || c == "复议后起诉" { return .four }
            if c == "信息内容" || (c.hasPrefix("第二十条") && c.unicodeScalars.count <= 14) || twoHeaders.contains(c) {
                return .two
            }
        }
        return nil
    }

    static let twoHeaders: Set<String> = [
        "本年制发件数", "本年新制作数量", "本年处理决定数量", "上一年项目数量", "采购项目数量",
    ]

    static let headingKeys = [
        "总体情况", "主动公开", "收到和处理", "行政复议", "行政诉讼", "存在的主要问题", "存在问题", "存在的问题",
        "其他需要报告", "改进情况",
    ]

    /// A section heading: 一、 … 六、 (or 一. / 一．) followed by words of a section's title.
    static func isHeading(_ line: Line, _ words: [Word]) -> Bool {
        let c = compact(line.words.map { words[$0].text }.joined())
        let s = Array(c.unicodeScalars.prefix(2))
        guard s.count == 2, "一二三四五六七".unicodeScalars.contains(s[0]),
              s[1] == "、" || s[1] == "." || s[1] == "．", c.unicodeScalars.count <= 48
        else { return false }
        if line.words.contains(where: { isValueText(words[$0].text) }) { return false }
        return headingKeys.contains { c.contains($0) }
    }

    /// A line of running text: a long word spanning most of the text width.
    static func isParagraph(_ line: Line, _ words: [Word], textWidth: Double) -> Bool {
        line.words.contains { i in
            let w = words[i]
            return w.width >= 0.6 * textWidth && w.text.unicodeScalars.count >= 10 && !w.text.contains("勾稽")
        }
    }

    // MARK: - Text classes

    /// Whitespace removed.
    static func compact(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where !TextAssembly.isTrimmable(u) { out.append(u) }
        return String(out)
    }

    /// What a value cell holds: a number (sign, thousands separators, decimals, a unit after it),
    /// a dash, or 无.
    static func isValueText(_ s: String) -> Bool {
        let v = Array(s.unicodeScalars.map(\.value))
        guard !v.isEmpty, v.count <= 24 else { return false }
        if v.count <= 3 && v.allSatisfy(isDashScalar) { return true }
        if v == [0x65E0] { return true }  // 无
        var body = v[...]
        // unit
        if body.count > 2 && body.suffix(2).elementsEqual([0x4E07, 0x5143]) {  // 万元
            body = body.dropLast(2)
        } else if body.count > 1, let l = body.last, [0x5143, 0x4EF6, 0x4E2A, 0x9879, 0x6761, 0x25, 0xFF05].contains(l) {
            body = body.dropLast()
        }
        if let f = body.first, f == 0x2B || f == 0x2D || f == 0xFF0B || f == 0xFF0D { body = body.dropFirst() }
        var digits = 0, dot = false, afterDot = 0
        for c in body {
            if (c >= 0x30 && c <= 0x39) || (c >= 0xFF10 && c <= 0xFF19) {
                digits += 1
                if dot { afterDot += 1 }
            } else if (c == 0x2E || c == 0xFF0E) && !dot && digits > 0 {
                dot = true
            } else if c == 0x2C && !dot && digits > 0 {
                continue
            } else {
                return false
            }
        }
        return digits > 0 && (!dot || afterDot > 0)
    }

    static func isDashScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x2D, 0x2F, 0x2014, 0x2013, 0x2015, 0x2012, 0x5C, 0x2500, 0xFF0D, 0xFF0F: return true
        default: return false
        }
    }

    /// Whether a label starts with an enumerator: 一、 （一） (一) 1. 1、 1． (1) ① ….
    static func startsWithEnumerator(_ s: String) -> Bool {
        let v = Array(compact(s).unicodeScalars.prefix(6).map(\.value))
        guard let first = v.first else { return false }
        let numerals: Set<UInt32> = Set("一二三四五六七八九十".unicodeScalars.map(\.value))
        func isDigit(_ c: UInt32) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0xFF10 && c <= 0xFF19) }
        if first >= 0x2460 && first <= 0x2473 { return true }  // ①…⑳
        if first == 0xFF08 || first == 0x28 {  // （ (
            var k = 1
            while k < v.count && (numerals.contains(v[k]) || isDigit(v[k])) { k += 1 }
            return k > 1 && k < v.count && (v[k] == 0xFF09 || v[k] == 0x29)
        }
        var k = 0
        if numerals.contains(first) {
            while k < v.count && numerals.contains(v[k]) { k += 1 }
            return k < v.count && (v[k] == 0x3001 || v[k] == 0x2E || v[k] == 0xFF0E)
        }
        if isDigit(first) {
            while k < v.count && isDigit(v[k]) { k += 1 }
            return k < v.count && [0x2E, 0x3001, 0xFF0E, 0x2C, 0xFF0C].contains(v[k])
        }
        return false
    }
}
