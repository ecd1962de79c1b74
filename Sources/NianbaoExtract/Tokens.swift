import NianbaoModel
import NianbaoText

/// A piece of a table region: label text, a value, or an empty cell.
struct Token {
    enum Kind { case text, value, dash, empty, invalid }
    var kind: Kind
    /// Offset in `TextDocument.compact` where the token starts (for an empty cell: where the
    /// next non-space character after it sits), so tokens and label anchors share one order.
    var key: Int
    var line: Int
    /// 0-based column in the line.
    var column: Int
    var width: Int
    /// Original scalars (a slice of the document's line: no copy).
    var scalars: ArraySlice<UInt32>
    var value: Double?
    var unit: String?
    /// Whether the token was its own tab-delimited cell (a cell layout), and the line had values.
    var inCellLayout: Bool

    var position: SourcePosition { SourcePosition(line: line + 1, column: column + 1) }
    var text: String { TextDocument.string(scalars) }

    var isCell: Bool { kind != .text }

    /// Reading order shared with label anchors: an empty cell sorts just before the text after it,
    /// so it belongs with what precedes it.
    var order: Int { kind == .empty ? key * 2 - 1 : key * 2 }

    func cell() -> Cell {
        switch kind {
        case .value: return Cell(value: value, text: text, unit: unit, state: .number, position: position, width: width)
        case .dash: return Cell(value: nil, text: text, unit: nil, state: .dash, position: position, width: width)
        case .empty: return Cell(value: nil, text: "", unit: nil, state: .blank, position: position, width: 0)
        case .invalid, .text: return Cell(value: nil, text: text, unit: nil, state: .invalid, position: position, width: width)
        }
    }
}

/// How the lines of a table region separate their cells.
enum RegionLayout {
    /// Whitespace only (PDF text): no empty cells can be seen.
    case whitespace
    /// One row per line, cells separated by tabs (Word "save as text").
    case tabSeparated
    /// One cell per line, each line prefixed with a tab (Word table copied cell by cell).
    case tabPrefixed
}

enum Tokenizer {
    static let yuan: [UInt32] = Array("元".unicodeScalars.map(\.value))
    static let wanYuan: [UInt32] = Array("万元".unicodeScalars.map(\.value))

    static func layout(_ doc: TextDocument, lines: Range<Int>) -> RegionLayout {
        var withTab = 0, prefixedSingle = 0, nonBlank = 0
        for l in lines {
            let line = doc.lines[l]
            guard line.contains(where: { !TextDocument.isSpace($0) }) || line.contains(0x09) else { continue }
            nonBlank += 1
            let tabs = line.reduce(0) { $0 + ($1 == 0x09 ? 1 : 0) }
            if tabs > 0 { withTab += 1 }
            if tabs == 1 && line.first == 0x09 { prefixedSingle += 1 }
        }
        if nonBlank == 0 || withTab == 0 { return .whitespace }
        if prefixedSingle * 10 >= nonBlank * 6 { return .tabPrefixed }
        return .tabSeparated
    }

    /// A page number line from PDF extraction ("-4-", "— 4 —", "第 4 页").
    static func isPageNumber(_ line: [UInt32]) -> Bool {
        let c = line.filter { !TextDocument.isSpace($0) }
        guard !c.isEmpty, c.count <= 12 else { return false }
        var digits = 0, dashes = 0, other = 0
        for v in c {
            if v >= 0x30 && v <= 0x39 { digits += 1 } else if v == 0x2D || v == 0x2014 || v == 0x2013 || v == 0x2015 { dashes += 1 } else if v == 0x7B2C || v == 0x9875 || v == 0x5171 || v == 0x2F { other += 1 } else { return false }
        }
        guard digits > 0 else { return false }
        if dashes >= 2 && other == 0 { return (c.first == 0x2D || c.first == 0x2014 || c.first == 0x2013 || c.first == 0x2015) }
        if other >= 2 && c.first == 0x7B2C { return true }  // 第…页
        return false
    }

    static func tokens(_ doc: TextDocument, lines: Range<Int>, layout: RegionLayout) -> [Token] {
        var out: [Token] = []
        for l in lines {
            let line = doc.lines[l]
            if isPageNumber(line) { continue }
            var compactBefore = doc.lineCompactStart[l]
            // cells: ranges of the line
            var cells: [Range<Int>] = []
            switch layout {
            case .whitespace:
                cells = [0..<line.count]
            case .tabSeparated:
                var start = 0
                for (i, v) in line.enumerated() where v == 0x09 {
                    cells.append(start..<i)
                    start = i + 1
                }
                cells.append(start..<line.count)
            case .tabPrefixed:
                if let first = line.firstIndex(where: { !TextDocument.isSpace($0) }), line[..<first].contains(0x09) {
                    cells = [0..<line.count]
                } else if line.contains(0x09) {
                    let tab = line.firstIndex(of: 0x09)!
                    cells = [(tab + 1)..<line.count]
                } else {
                    cells = [0..<line.count]
                }
            }
            let cellLayout = layout != .whitespace && line.contains(0x09)
            var lineTokens: [Token] = []
            for cell in cells {
                var pieces: [Range<Int>] = []
                var i = cell.lowerBound
                while i < cell.upperBound {
                    if TextDocument.isSpace(line[i]) { i += 1; continue }
                    let s = i
                    while i < cell.upperBound && !TextDocument.isSpace(line[i]) { i += 1 }
                    pieces.append(s..<i)
                }
                if pieces.isEmpty {
                    if cellLayout {
                        lineTokens.append(Token(kind: .empty, key: compactBefore, line: l, column: cell.lowerBound,
                                                width: 0, scalars: doc.originalLines[l][cell.lowerBound..<cell.lowerBound], value: nil, unit: nil,
                                                inCellLayout: true))
                    }
                    continue
                }
                var cellTokens: [Token] = []
                for p in pieces {
                    var t = classify(line[p], original: doc.originalLines[l][p], wholeCell: cellLayout && pieces.count == 1)
                    t.key = compactBefore
                    t.line = l
                    t.column = p.lowerBound
                    t.width = p.count
                    t.inCellLayout = cellLayout
                    compactBefore += p.count
                    cellTokens.append(t)
                }
                // "2060387.04 元": a value followed by its unit in the same cell or line.
                var merged: [Token] = []
                for t in cellTokens {
                    if t.kind == .text, let last = merged.last, last.kind == .value, last.unit == nil, isUnit(t.scalars) {
                        merged[merged.count - 1].unit = t.text
                        merged[merged.count - 1].width = t.column + t.width - last.column
                        merged[merged.count - 1].scalars = doc.originalLines[l][last.column..<(t.column + t.width)]
                        continue
                    }
                    merged.append(t)
                }
                lineTokens += merged
            }
            out += lineTokens
        }
        return out
    }

    @inline(__always) static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

    @inline(__always) static func isDash(_ v: UInt32) -> Bool {
        switch v {
        case 0x2D, 0x2F, 0x2014, 0x2013, 0x2015, 0x2012, 0x5C, 0x2500: return true
        default: return false
        }
    }

    /// Whether a token's original scalars read 元 or 万元 (a unit after its number).
    static func isUnit(_ scalars: ArraySlice<UInt32>) -> Bool {
        scalars.elementsEqual(yuan) || scalars.elementsEqual(wanYuan)
    }

    /// Classifies one whitespace-free piece.
    static func classify(_ slice: ArraySlice<UInt32>, original: ArraySlice<UInt32>, wholeCell: Bool) -> Token {
        var t = Token(kind: .text, key: 0, line: 0, column: 0, width: slice.count, scalars: original, value: nil,
                      unit: nil, inCellLayout: false)
        // dashes
        if slice.count <= 3 && slice.allSatisfy(isDash) {
            t.kind = .dash
            return t
        }
        if wholeCell && slice.count == 1 && slice.first == 0x65E0 {  // 无
            t.kind = .dash
            return t
        }
        // quick exit: words without a digit are label text
        if !slice.contains(where: isDigit) { return t }
        let s = Array(slice)
        // number with optional sign, thousands separators, decimals and unit
        var i = 0
        var body = s
        var unit: String?
        if body.count > 2 && Array(body.suffix(2)) == wanYuan {
            unit = "万元"; body.removeLast(2)
        } else if body.count > 1 && body.last == 0x5143 {
            unit = "元"; body.removeLast()
        } else if body.count > 1, let l = body.last, l == 0x4EF6 || l == 0x4E2A || l == 0x9879 || l == 0x6761 {  // 件 个 项 条
            unit = String(Unicode.Scalar(l)!); body.removeLast()
        }
        var sign = 1.0
        if let f = body.first, f == 0x2B || f == 0x2D {
            if f == 0x2D { sign = -1 }
            i = 1
        }
        var digits = 0
        var intPart = 0.0
        var fracPart = 0.0
        var fracScale = 1.0
        var seenDot = false
        var fracDigits = 0
        var ok = i < body.count
        while i < body.count && ok {
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
            } else if v == 0x2C && !seenDot && digits > 0 && i + 3 < body.count + 0 && i + 3 <= body.count - 1 + 1 {
                // thousands separator: exactly three digits follow before the next separator or dot
                var k = i + 1, n = 0
                while k < body.count && isDigit(body[k]) { k += 1; n += 1 }
                if n != 3 { ok = false }
            } else if v == 0x2E && !seenDot && digits > 0 {
                seenDot = true
            } else {
                ok = false
            }
            i += 1
        }
        if ok && digits > 0 && !(seenDot && fracDigits == 0) {
            t.kind = .value
            t.value = sign * (intPart + fracPart)
            t.unit = unit
            return t
        }
        // text holding digits but no words: garbled figures ("1O", "0..1", "3,4,5")
        let digitCount = s.filter(isDigit).count
        let asciiish = s.filter { $0 < 0x80 }.count
        let isEnumerator = s.count >= 2 && isDigit(s[0]) && (s.count <= 3) && (s.last! == 0x2E || s.last! == 0x3001 || s.last! == 0x2C)
        let hasIdeograph = s.contains { $0 >= 0x3400 && $0 <= 0x9FFF }
        if digitCount > 0 && !isEnumerator && !hasIdeograph && s.count <= 12 && asciiish * 2 >= s.count && !(seenDot && fracDigits == 0 && digits == digitCount && s.count <= 3) {
            t.kind = .invalid
        }
        return t
    }
}
