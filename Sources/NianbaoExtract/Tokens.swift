import NianbaoModel
import NianbaoText
import NianbaoCore

/// A piece of a table region: label text, a value, or an empty cell.
struct Token {
    enum Kind: UInt8 { case text, value, dash, empty, invalid }
    var kind: Kind
    /// The unit written after the figure ("元", "件"…), when there is one.
    var unit: Unit?
    /// Whether the token was its own tab-delimited cell (a cell layout), and the line had values.
    var inCellLayout: Bool
    // Tokens are made and copied by the thousand per report: their places are kept in 32 bits
    // (a text holds at most `TextDocument.maximumScalars` characters), so a token is half the
    // size it would be with `Int`s.
    private var key32: Int32
    private var line32: Int32
    private var column32: Int32
    private var width32: Int32
    private var record32: Int32 = 0
    var value: Double?
    /// Where the token sits across the line and how far it reaches, in character cells (every
    /// character one cell, form feeds none: how pdftotext -layout places text) and in display
    /// cells (CJK and full-width characters two: how an editor shows text aligned with spaces).
    var span = Span()

    init(kind: Kind, key: Int, line: Int, column: Int, width: Int, value: Double?, unit: Unit?, inCellLayout: Bool,
         record: Int = 0) {
        self.kind = kind
        self.unit = unit
        self.inCellLayout = inCellLayout
        key32 = Int32(key)
        line32 = Int32(line)
        column32 = Int32(column)
        width32 = Int32(width)
        record32 = Int32(record)
        self.value = value
    }

    /// Offset in `TextDocument.compact` where the token starts (for an empty cell: where the
    /// next non-space character after it sits), so tokens and label anchors share one order.
    var key: Int {
        get { Int(key32) }
        set { key32 = Int32(newValue) }
    }
    var line: Int {
        get { Int(line32) }
        set { line32 = Int32(newValue) }
    }
    /// 0-based column in the line.
    var column: Int {
        get { Int(column32) }
        set { column32 = Int32(newValue) }
    }
    var width: Int {
        get { Int(width32) }
        set { width32 = Int32(newValue) }
    }
    /// The table row the token's text belongs to as the text lays it out: its line, or in text
    /// with one cell per line, its stretch of lines between blank lines.
    var record: Int {
        get { Int(record32) }
        set { record32 = Int32(newValue) }
    }

    struct Span {
        private var charStart32: Int32 = 0, charEnd32: Int32 = 0
        private var displayStart32: Int32 = 0, displayEnd32: Int32 = 0
        var charStart: Int {
            get { Int(charStart32) }
            set { charStart32 = Int32(newValue) }
        }
        var charEnd: Int {
            get { Int(charEnd32) }
            set { charEnd32 = Int32(newValue) }
        }
        var displayStart: Int {
            get { Int(displayStart32) }
            set { displayStart32 = Int32(newValue) }
        }
        var displayEnd: Int {
            get { Int(displayEnd32) }
            set { displayEnd32 = Int32(newValue) }
        }
    }

    /// A unit written after a figure. A token holds no reference (its text is where `line`,
    /// `column` and `width` say in the document), so tokens copy as plain bytes.
    enum Unit: UInt8 {
        case yuan, wanYuan, jian, ge, xiang, tiao

        var text: String {
            switch self {
            case .yuan: return "元"
            case .wanYuan: return "万元"
            case .jian: return "件"
            case .ge: return "个"
            case .xiang: return "项"
            case .tiao: return "条"
            }
        }
    }

    var position: SourcePosition { SourcePosition(line: line + 1, column: column + 1) }

    /// The token's original scalars in `doc` (a slice of its line: no copy).
    @inline(__always)
    func scalars(_ doc: TextDocument) -> ArraySlice<UInt32> {
        doc.originalLines[line].scalars(column..<(column + width))
    }

    /// The token's original text, read in place from the document's original scalars
    /// (`TextDocument.originalLines`: its line starts and its storage).
    func text(_ starts: [Int], _ original: UnsafeBufferPointer<UInt32>) -> String {
        let from = starts[line] + column
        // most cells hold a single digit
        if width == 1, case let v = original[from], v >= 0x30 && v <= 0x39 { return Token.digits[Int(v - 0x30)] }
        return TextDocument.string(UnsafeBufferPointer(rebasing: original[from..<(from + width)]))
    }
    static let digits = (0...9).map(String.init)

    var isCell: Bool { kind != .text }

    /// Reading order shared with label anchors: an empty cell sorts just before the text after it,
    /// so it belongs with what precedes it.
    var order: Int { kind == .empty ? key * 2 - 1 : key * 2 }

    func cell(_ doc: TextDocument) -> Cell {
        doc.originalLines.scalars.withUnsafeBufferPointer { cell(doc.originalLines.starts, $0) }
    }

    /// The token as a cell, its text read in place (see `text(_:_:)`).
    func cell(_ starts: [Int], _ original: UnsafeBufferPointer<UInt32>) -> Cell {
        switch kind {
        case .value:
            return Cell(value: value, text: text(starts, original), unit: unit?.text, state: .number, position: position, width: width)
        case .dash: return Cell(value: nil, text: text(starts, original), unit: nil, state: .dash, position: position, width: width)
        case .empty: return Cell(value: nil, text: "", unit: nil, state: .blank, position: position, width: 0)
        case .invalid, .text:
            return Cell(value: nil, text: text(starts, original), unit: nil, state: .invalid, position: position, width: width)
        }
    }
}

/// How the lines of a table region hold their cells.
enum RegionLayout {
    /// Whitespace only (PDF text, text aligned by hand): no empty cells can be seen, but where
    /// the text is laid out in columns, `ColumnPlacer` places values under them.
    case whitespace
    /// One row per line, its cells given (`TextDocument.cells`: a reader's table rows, and rows
    /// of plain text separated by bars or TABs).
    case cells
    /// One cell per line, each line an empty cell and the cell's text (a Word table copied cell
    /// by cell: a TAB before each cell).
    case prefixed
}

enum Tokenizer {
    static let yuan: [UInt32] = Array("元".unicodeScalars.map(\.value))
    static let wanYuan: [UInt32] = Array("万元".unicodeScalars.map(\.value))

    static func layout(_ doc: TextDocument, lines: Range<Int>) -> RegionLayout {
        var rows = 0, prefixed = 0, nonBlank = 0
        let starts = doc.lines.starts
        doc.lines.scalars.withUnsafeBufferPointer { text in
            for l in lines {
                let cells = doc.cells.isRow(l) ? doc.cells.cellCount(l) : nil
                guard cells != nil || text[starts[l]..<starts[l + 1]].contains(where: { !TextDocument.isSpace($0) }) else { continue }
                nonBlank += 1
                guard let cells else { continue }
                rows += 1
                if cells == 2 && doc.cells.firstCell(l).isEmpty { prefixed += 1 }
            }
        }
        if nonBlank == 0 || rows == 0 { return .whitespace }
        if prefixed * 10 >= nonBlank * 6 { return .prefixed }
        return .cells
    }

    /// A page number line from PDF extraction ("-4-", "— 4 —", "第 4 页").
    static func isPageNumber<Line: Collection<UInt32>>(_ line: Line) -> Bool {
        var count = 0, digits = 0, dashes = 0, other = 0
        var first: UInt32 = 0
        for v in line where !TextDocument.isSpace(v) {
            if count == 0 { first = v }
            count += 1
            if count > 12 { return false }
            if v >= 0x30 && v <= 0x39 { digits += 1 } else if v == 0x2D || v == 0x2014 || v == 0x2013 || v == 0x2015 { dashes += 1 } else if v == 0x7B2C || v == 0x9875 || v == 0x5171 || v == 0x2F { other += 1 } else { return false }
        }
        guard digits > 0 else { return false }
        if dashes >= 2 && other == 0 { return first == 0x2D || first == 0x2014 || first == 0x2013 || first == 0x2015 }
        if other >= 2 && first == 0x7B2C { return true }  // 第…页
        return false
    }

    static func tokens(_ doc: TextDocument, lines: Range<Int>, layout: RegionLayout) -> [Token] {
        // the lines are read in place from the text's storage (no line, slice or array made per
        // piece: tokens by the thousand per report)
        doc.lines.scalars.withUnsafeBufferPointer { norm in
            doc.originalLines.scalars.withUnsafeBufferPointer { orig in
                doc.cells.withSpans { spans in
                    tokens(doc, lines: lines, layout: layout, norm: norm, orig: orig, spans: spans)
                }
            }
        }
    }

    private static func tokens(_ doc: TextDocument, lines: Range<Int>, layout: RegionLayout,
                               norm: UnsafeBufferPointer<UInt32>, orig: UnsafeBufferPointer<UInt32>,
                               spans: UnsafeBufferPointer<Range<Int>>) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(lines.count * 4)
        var record = 0
        var blankBefore = false
        let starts = doc.lines.starts
        for l in lines {
            let base = starts[l]
            let lineEnd = starts[l + 1] - base
            // line `l`'s normalised and original scalars, by column
            let line = UnsafeBufferPointer(rebasing: norm[base..<(base + lineEnd)])
            let original = UnsafeBufferPointer(rebasing: orig[base..<(base + lineEnd)])
            if isPageNumber(line) { continue }
            // records: lines, or with one cell per line the stretches between blank lines
            let cells = doc.cells.cells(l, in: spans)
            if layout == .prefixed {
                if cells == nil && !line.contains(where: { !TextDocument.isSpace($0) }) {
                    blankBefore = true
                    continue
                }
                if blankBefore { record += 1 }
                blankBefore = false
            } else {
                record = l
            }
            // columns across the line (whitespace layout only: elsewhere cells are delimited)
            var measured = 0
            var span = Token.Span()
            func measure(to i: Int) {
                while measured < i {
                    let v = original[measured]
                    let w = TextDocument.displayWidth(v)
                    span.displayStart += w
                    span.charStart += w == 0 ? 0 : 1
                    measured += 1
                }
            }
            var compactBefore = doc.lineCompactStart[l]
            let cellLayout = layout != .whitespace && cells != nil
            // the cells of the line, one after another: [cellStart, cellEnd)
            var cellStart = 0
            var cellIndex = cells?.startIndex ?? 0
            switch layout {
            case .whitespace, .cells:
                break
            case .prefixed:
                // the text after an empty first cell is one cell
                if let cells, cells.first!.allSatisfy({ TextDocument.isSpace(line[$0]) }) {
                    cellStart = cells[cells.startIndex + 1].lowerBound
                }
            }
            while true {
                var cellEnd = lineEnd
                if layout == .cells, let cells {
                    cellStart = cells[cellIndex].lowerBound
                    cellEnd = cells[cellIndex].upperBound
                }
                // the whitespace-separated pieces of this cell
                var pieces = 0
                var i = cellStart
                let firstToken = out.count
                while i < cellEnd {
                    if TextDocument.isSpace(line[i]) { i += 1; continue }
                    let s = i
                    while i < cellEnd && !TextDocument.isSpace(line[i]) { i += 1 }
                    pieces += 1
                    let c = classify(UnsafeBufferPointer(rebasing: line[s..<i]))
                    var t = Token(kind: c.kind, key: compactBefore, line: l, column: s, width: i - s, value: c.value,
                                  unit: c.unit, inCellLayout: cellLayout, record: record)
                    if layout == .whitespace {
                        measure(to: s)
                        t.span = span
                        measure(to: i)
                        t.span.charEnd = span.charStart
                        t.span.displayEnd = span.displayStart
                    }
                    compactBefore += i - s
                    // "2060387.04 元": a value followed by its unit in the same cell
                    if t.kind == .text, out.count > firstToken, let last = out.last, last.kind == .value,
                       last.unit == nil, let unit = unit(UnsafeBufferPointer(rebasing: original[s..<i])) {
                        out[out.count - 1].unit = unit
                        out[out.count - 1].width = t.column + t.width - last.column
                        out[out.count - 1].span.charEnd = t.span.charEnd
                        out[out.count - 1].span.displayEnd = t.span.displayEnd
                        continue
                    }
                    out.append(t)
                }
                if pieces == 0 && cellLayout {
                    out.append(Token(kind: .empty, key: compactBefore, line: l, column: cellStart, width: 0,
                                     value: nil, unit: nil, inCellLayout: true, record: record))
                }
                // "无" alone in its own cell stands for nothing
                if cellLayout && pieces == 1 && out.count == firstToken + 1, out[firstToken].kind == .text,
                   out[firstToken].width == 1, line[out[firstToken].column] == 0x65E0 {
                    out[firstToken].kind = .dash
                }
                // "2 . 重 复 申 请": a label cell whose characters are spaced apart (distributed
                // alignment) is all label, its number included; a cell of figures is not
                if cellLayout && pieces > 1 && !doc.readByOCR,
                   out[firstToken...].contains(where: {
                       $0.kind == .text && isLabelWord(UnsafeBufferPointer(rebasing: line[$0.column..<($0.column + $0.width)]))
                   }) {
                    for k in firstToken..<out.count where out[k].kind == .value {
                        out[k].kind = .text
                        out[k].value = nil
                        out[k].unit = nil
                    }
                }
                cellIndex += 1
                guard layout == .cells, let cells, cellIndex < cells.endIndex else { break }
            }
        }
        return out
    }

    @inline(__always) static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    /// Whether a piece of a cell is a word of a label: it holds an ideograph, and is no unit
    /// written apart from its figure (件 个 项 条 元 万元).
    static func isLabelWord<Scalars: Collection<UInt32>>(_ s: Scalars) -> Bool {
        if s.elementsEqual(wanYuan) { return false }
        if s.count == 1, let v = s.first, v == 0x4EF6 || v == 0x4E2A || v == 0x9879 || v == 0x6761 || v == 0x5143 { return false }
        return s.contains { ($0 >= 0x4E00 && $0 <= 0x9FFF) || ($0 >= 0x3400 && $0 <= 0x4DBF) }
    }

    @inline(__always) static func isDash(_ v: UInt32) -> Bool {
        switch v {
        case 0x2D, 0x2F, 0x2014, 0x2013, 0x2015, 0x2012, 0x5C, 0x2500: return true
        default: return false
        }
    }

    /// The unit a token's original scalars read, 元 or 万元, or a count's 件 个 项 条 (a unit
    /// after its number), or nil.
    static func unit<Scalars: Collection<UInt32>>(_ scalars: Scalars) -> Token.Unit? {
        if scalars.elementsEqual(yuan) { return .yuan }
        if scalars.elementsEqual(wanYuan) { return .wanYuan }
        guard scalars.count == 1, let v = scalars.first else { return nil }
        switch v {
        case 0x4EF6: return .jian
        case 0x4E2A: return .ge
        case 0x9879: return .xiang
        case 0x6761: return .tiao
        default: return nil
        }
    }

    /// What a piece of a line reads as: its kind, and for a value its figure and unit.
    /// (Small, so that it is returned in registers: the token is made by the caller.)
    struct Classified {
        var kind = Token.Kind.text
        var unit: Token.Unit?
        var value: Double?
    }

    /// Classifies one whitespace-free piece of normalised scalars (no copy is made of it).
    static func classify(_ slice: UnsafeBufferPointer<UInt32>) -> Classified {
        var t = Classified()
        // dashes
        if slice.count <= 3 && slice.allSatisfy(isDash) {
            t.kind = .dash
            return t
        }
        // quick exit: words without a digit are label text
        if !slice.contains(where: isDigit) { return t }
        let s = slice
        // number with optional sign, thousands separators, decimals and unit
        var i = s.startIndex
        var body = s[...]
        var unit: Token.Unit?
        if body.count > 2 && body.suffix(2).elementsEqual(wanYuan) {
            unit = .wanYuan; body.removeLast(2)
        } else if body.count > 1 && body.last == 0x5143 {
            unit = .yuan; body.removeLast()
        } else if body.count > 1, let l = body.last, l == 0x4EF6 || l == 0x4E2A || l == 0x9879 || l == 0x6761 {
            // 件 个 项 条
            switch l {
            case 0x4EF6: unit = .jian
            case 0x4E2A: unit = .ge
            case 0x9879: unit = .xiang
            default: unit = .tiao
            }
            body.removeLast()
        }
        var sign = 1.0
        if let f = body.first, f == 0x2B || f == 0x2D {
            if f == 0x2D { sign = -1 }
            i += 1
        }
        var digits = 0
        var intPart = 0.0
        var fracPart = 0.0
        var fracScale = 1.0
        var seenDot = false
        var fracDigits = 0
        var ok = i < body.endIndex
        while i < body.endIndex && ok {
            let v = body[i]
            if isDigit(v) {
                digits += 1
                if seenDot {
                    fracDigits += 1
                    fracScale /= 10
                    fracPart += Double(v - 0x30) * fracScale
                } else {
                    intPart = intPart * 10 + Double(v - 0x30)
                }
            } else if v == 0x2C && !seenDot && digits > 0 {
                // a thousands separator: exactly three digits follow before the next separator or dot
                var k = i + 1, n = 0
                while k < body.endIndex && isDigit(body[k]) { k += 1; n += 1 }
                if n != 3 { ok = false }
            } else if v == 0x2E && !seenDot && digits > 0 {
                seenDot = true
            } else {
                ok = false
            }
            i += 1
        }
        // more than 15 digits is no figure a report can hold (and beyond what a Double keeps exactly)
        if ok && digits > 0 && digits <= 15 && !(seenDot && fracDigits == 0) {
            t.kind = .value
            t.value = sign * (intPart + fracPart)
            t.unit = unit
            return t
        }
        // text holding digits but no words is a garbled figure ("1O", "0..1", "3,4,5"); an
        // enumerator ("1.", "2、") and words with digits ("1.属于", "第4页") are label text
        let isEnumerator = s.count <= 3 && isDigit(s[s.startIndex]) && (s.last == 0x2E || s.last == 0x3001 || s.last == 0x2C)
        let hasIdeograph = s.contains { $0 >= 0x3400 && $0 <= 0x9FFF }
        var ascii = 0
        for v in s where v < 0x80 { ascii += 1 }
        if ok && digits > 15 {
            t.kind = .invalid
        } else if !isEnumerator && !hasIdeograph && s.count <= 12 && ascii * 2 >= s.count {
            t.kind = .invalid
        }
        return t
    }
}
