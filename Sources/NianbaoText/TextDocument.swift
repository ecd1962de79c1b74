import NianbaoCore

/// A report's text, split into lines, with a normalised twin of every character for matching,
/// and the cells of the lines that are table rows.
///
/// Normalisation is one scalar for one scalar (full-width ASCII forms become ASCII, the
/// ideographic space and no-break space become a space; plain-text table markup loses its
/// separators and rules, see `TableMarkup`), so a column in the normalised text is the same
/// column in the original. The cells of a row are given by its reader (a document's table
/// rows, see `Document.textView`) or, in plain text, found from its separators: bars of a
/// Markdown or box-drawn table, TABs of text saved from a spreadsheet or Word. `compact` is the whole text with every whitespace
/// character removed, for matching labels that PDF extraction breaks across lines; `compactPlace`
/// maps any of its characters back to its line and column.
public struct TextDocument: Sendable {
    /// Normalised scalars of each line (no line terminator), table markup neutralised.
    public let lines: TextLines
    /// Original scalars of each line, for showing the source in diagnostics.
    public let originalLines: TextLines
    /// All non-whitespace normalised scalars in reading order.
    public let compact: [UInt32]
    /// Index into `compact` of the first scalar of each line (== next line's start when empty).
    public let lineCompactStart: [Int]
    /// True when the text was longer than `maximumScalars` and the rest was not read.
    public let truncated: Bool
    /// The cells of each line that is a table row of two cells or more: each cell's 0-based
    /// columns in the line, left to right (`cells[line]`, nil for any other line).
    public let cells: LineCells
    /// The text was read from a scan by OCR: a row label may be misread beyond recognition, and
    /// rows are also found by their place (see the extractor's row matching).
    public var readByOCR = false

    public static let maximumScalars = 8_000_000

    /// The document of a text: plain text, whose rows are found from their separators, or a
    /// reader's text view with the cells of its rows (lines given cells keep them as given).
    public init(_ text: String, cells given: [Int: [Range<Int>]] = [:]) {
        var text = text
        text.makeContiguousUTF8()
        guard let document = text.utf8.withContiguousStorageIfAvailable({ TextDocument(validUTF8: $0, cells: given) }) else {
            preconditionFailure("a native String has contiguous UTF-8")
        }
        self = document
    }

    /// The document of a decoded text (see `init(_:cells:)`), read from its UTF-8 as it is.
    public init(_ text: PlainText, cells given: [Int: [Range<Int>]] = [:]) {
        self = text.utf8.withUnsafeBufferPointer { TextDocument(validUTF8: $0, cells: given) }
    }

    /// The document of `bytes`, which are valid UTF-8 (a string's, or a `PlainText`'s).
    private init(validUTF8 bytes: UnsafeBufferPointer<UInt8>, cells given: [Int: [Range<Int>]]) {
        let n = max(bytes.count, 1)
        // one pass over the UTF-8 into scratch buffers, then one copy per line
        let orig = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        defer { orig.deallocate() }
        let norm = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        defer { norm.deallocate() }
        // one pass over the UTF-8: each scalar, its normalised form, and what each line holds
        // (`LineTraits`), so that later passes visit only the lines that need them
        typealias Scan = (no: Int, lineRanges: [Range<Int>], traits: [LineTraits], lineStart: Int, truncated: Bool)
        let scan: (UnsafeBufferPointer<UInt8>) -> Scan = { bytes in
            var no = 0
            var lineRanges: [Range<Int>] = []
            var traits: [LineTraits] = []
            // about one line per 25 bytes of a report's text (grown as needed)
            lineRanges.reserveCapacity(bytes.count / 25 + 8)
            traits.reserveCapacity(bytes.count / 25 + 8)
            var lineTraits = LineTraits()
            var truncated = false
            var lineStart = 0
            var previousWasCR = false
            var i = 0
            let count = bytes.count
            while i < count {
                // the text is valid UTF-8 (a Swift String)
                let b0 = UInt32(bytes[i])
                var v: UInt32
                if b0 < 0x80 {
                    v = b0
                    i += 1
                    // printable ASCII that may be no markup (figures, letters, spaces): itself,
                    // normalised too, and nothing to note of its line
                    if b0 >= 0x20 && (b0 < 0x40 ? TextDocument.asciiMarkupLow >> UInt64(b0) : TextDocument.asciiMarkupHigh >> UInt64(b0 - 0x40)) & 1 == 0
                        && no < TextDocument.maximumScalars
                    {
                        previousWasCR = false
                        orig[no] = v
                        norm[no] = v
                        no += 1
                        continue
                    }
                } else if b0 < 0xE0 {
                    v = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                    i += 2
                } else if b0 < 0xF0 {
                    v = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    i += 3
                    // most of a report: an ideograph (U+4E00–U+9FFF), which normalises to itself,
                    // is no markup and ends no line
                    if b0 >= 0xE4 && b0 <= 0xE9 && no < TextDocument.maximumScalars {
                        previousWasCR = false
                        orig[no] = v
                        norm[no] = v
                        no += 1
                        continue
                    }
                } else {
                    v = (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                        | UInt32(bytes[i + 3] & 0x3F)
                    i += 4
                }
                if no >= TextDocument.maximumScalars {
                    truncated = true
                    break
                }
                if v == 0x0A || v == 0x0D {
                    if v == 0x0A && previousWasCR {
                        previousWasCR = false
                        continue
                    }
                    previousWasCR = v == 0x0D
                    lineRanges.append(lineStart..<no)
                    traits.append(lineTraits)
                    lineTraits = LineTraits()
                    lineStart = no
                    continue
                }
                previousWasCR = false
                orig[no] = v
                let m = TextDocument.normalize(v)
                norm[no] = m
                lineTraits.note(original: v, normalized: m)
                no += 1
            }
            return (no, lineRanges, traits, lineStart, truncated)
        }
        let result = scan(bytes)
        let (no, truncated) = (result.no, result.truncated)
        var lineRanges = result.lineRanges
        var traits = result.traits
        lineRanges.append(result.lineStart..<no)
        do {
            // the last line's traits, from its scalars (the scan ends without a terminator)
            var last = LineTraits()
            for k in result.lineStart..<no { last.note(original: orig[k], normalized: norm[k]) }
            traits.append(last)
        }
        if lineRanges.count > 1 && lineRanges.last!.isEmpty && !truncated {
            // a final line terminator does not start another line
            lineRanges.removeLast()
            traits.removeLast()
        }
        // the lines' original and normalised scalars, each copied once from the scratch buffers
        // into one array for all lines (the normalised share the original's storage when no
        // line has anything to normalise: copy on write keeps them apart if table markup is
        // neutralised in place)
        var starts: [Int] = []
        starts.reserveCapacity(lineRanges.count + 1)
        for r in lineRanges { starts.append(r.lowerBound) }
        starts.append(lineRanges.last?.upperBound ?? 0)
        let used = starts[starts.count - 1]
        let original = Array(UnsafeBufferPointer(rebasing: orig[0..<used]))
        let normalizes = traits.contains { $0.normalizes }
        var lines = TextLines(scalars: normalizes ? Array(UnsafeBufferPointer(rebasing: norm[0..<used])) : original, starts: starts)
        self.originalLines = TextLines(scalars: original, starts: starts)
        var cells = LineCells(lines: lines.count)
        for (l, spans) in given where l < lines.count && spans.count > 1 { cells.set(l, spans) }
        TableMarkup.neutralize(&lines, cells: &cells, traits: traits)
        MergedCopies.collapse(&lines, cells: &cells)
        self.lines = lines
        self.cells = cells
        // the compact text, from the normalised lines, written straight into its array (where a
        // character of it stands is worked out when asked: `compactPlace`)
        var lineStarts = [Int](repeating: 0, count: lines.count)
        let compact = [UInt32](unsafeUninitializedCapacity: used) { out, outCount in
            var k = 0
            lines.scalars.withUnsafeBufferPointer { text in
                for l in 0..<(starts.count - 1) {
                    lineStarts[l] = k
                    for i in starts[l]..<starts[l + 1] {
                        // written whatever it is, kept unless a space (no branch to mispredict
                        // between words and the spaces of aligned text)
                        let v = text[i]
                        out[k] = v
                        k += TextDocument.isSpace(v) ? 0 : 1
                    }
                }
            }
            outCount = k
        }
        self.compact = compact
        self.lineCompactStart = lineStarts
        self.truncated = truncated
    }
    /// The 0-based line and column (in scalars) of `compact[k]`: the line whose stretch of the
    /// compact text holds it, and the place of its `k − start`-th character that is no space.
    public func compactPlace(_ k: Int) -> (line: Int, column: Int) {
        precondition(k >= 0 && k < compact.count, "a character of the compact text")
        // the last line starting at or before k (a line with no character shares its start with
        // the next, so the last is the one that holds it)
        var lo = 0, hi = lineCompactStart.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if lineCompactStart[mid] <= k { lo = mid } else { hi = mid }
        }
        var n = k - lineCompactStart[lo]
        let line = lines[lo]
        for i in 0..<line.count where !TextDocument.isSpace(line[i]) {
            if n == 0 { return (lo, i) }
            n -= 1
        }
        preconditionFailure("the compact text holds every character of its lines that is no space")
    }

    /// The original text of a 0-based line.
    public func originalText(line: Int) -> String {
        guard line >= 0 && line < originalLines.count else { return "" }
        return TextDocument.string(originalLines[line].all)
    }

    /// The ASCII characters `TableMarkup.isMarkup` takes for possible markup (`# * + - =` and
    /// `_ |`), as bits by code (below 0x40, and from 0x40).
    /// (Constants, not stored globals, so that the decoding loop reads no global.)
    static var asciiMarkupLow: UInt64 { 0x2000_2C08_0000_0000 }
    static var asciiMarkupHigh: UInt64 { 0x1000_0000_8000_0000 }

    /// Maps one scalar to its matching form: full-width ASCII → ASCII, odd spaces → space.
    @inlinable
    public static func normalize(_ v: UInt32) -> UInt32 {
        if v >= 0xFF01 && v <= 0xFF5E { return v - 0xFEE0 }
        switch v {
        case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200B, 0x0C, 0x0B: return 0x20
        case 0xFEFF: return 0x20
        default: return v
        }
    }

    /// How many cells a scalar takes on a terminal or in an editor's monospaced font: 2 for
    /// East Asian wide and full-width characters, 0 for control characters (a form feed between
    /// PDF pages, a BOM), 1 otherwise.
    @inlinable
    public static func displayWidth(_ v: UInt32) -> Int {
        if v < 0x1100 { return v < 0x20 || v == 0x7F ? 0 : 1 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        case 0x200B...0x200F, 0xFEFF:
            return 0
        default:
            return 1
        }
    }

    @inlinable
    public static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09
    }

    /// Normalises a string the same way (used for labels in the format data).
    public static func normalizedScalars(_ s: String) -> [UInt32] {
        var out: [UInt32] = []
        for u in s.unicodeScalars {
            let n = normalize(u.value)
            if !isSpace(n) { out.append(n) }
        }
        return out
    }

    /// A string from scalar values (invalid ones are skipped).
    public static func string(_ scalars: [UInt32]) -> String { string(scalars[...]) }

    /// A string from scalar values (invalid ones are skipped).
    public static func string(_ scalars: ArraySlice<UInt32>) -> String {
        scalars.withUnsafeBufferPointer { string($0) }
    }

    /// A string from scalar values read in place (invalid ones are skipped).
    public static func string(_ src: UnsafeBufferPointer<UInt32>) -> String {
        String(unsafeUninitializedCapacity: src.count * 4) { out in
            var n = 0
            for v in src {
                switch v {
                case 0..<0x80:
                    out[n] = UInt8(v)
                    n += 1
                case 0x80..<0x800:
                    out[n] = UInt8(0xC0 | (v >> 6))
                    out[n + 1] = UInt8(0x80 | (v & 0x3F))
                    n += 2
                case 0xD800..<0xE000:
                    continue  // not a scalar
                case 0x800..<0x10000:
                    out[n] = UInt8(0xE0 | (v >> 12))
                    out[n + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[n + 2] = UInt8(0x80 | (v & 0x3F))
                    n += 3
                case 0x10000..<0x110000:
                    out[n] = UInt8(0xF0 | (v >> 18))
                    out[n + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                    out[n + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[n + 3] = UInt8(0x80 | (v & 0x3F))
                    n += 4
                default:
                    continue
                }
            }
            return n
        }
    }

    /// Finds `needle` in `compact` starting at `from`, before `to`.
    public func findCompact(_ needle: [UInt32], from: Int, to: Int? = nil) -> Int? {
        let end = min(to ?? compact.count, compact.count)
        guard !needle.isEmpty, end - from >= needle.count, from >= 0 else { return nil }
        return Search.firstIndex(of: needle, in: compact, range: from..<end)
    }
}

/// The cells of a text's table rows, kept in one array for the whole text: for each line, its
/// cells' 0-based column ranges, or nil for a line that is no row.
/// What a line holds, noted as it is decoded: whether any of its characters normalises to
/// another, whether it holds a TAB, and whether it may hold table markup.
struct LineTraits {
    private(set) var normalizes = false
    private(set) var hasTab = false
    private(set) var mayHoldMarkup = false

    @inline(__always)
    mutating func note(original v: UInt32, normalized m: UInt32) {
        if m != v { normalizes = true }
        if m == 0x09 { hasTab = true }
        if !mayHoldMarkup && TableMarkup.isMarkup(m) { mayHoldMarkup = true }
    }
}

public struct LineCells: Sendable {
    @usableFromInline private(set) var spans: [Range<Int>] = []
    /// Per line: where its cells start in `spans`, and how many there are (0: no row).
    @usableFromInline private(set) var start: [Int32]
    @usableFromInline private(set) var count: [Int32]

    init(lines: Int) {
        start = Array(repeating: 0, count: lines)
        count = Array(repeating: 0, count: lines)
    }

    /// The cells of `line`, nil when it is no table row.
    @inlinable
    public subscript(line: Int) -> ArraySlice<Range<Int>>? {
        let n = Int(count[line])
        guard n > 0 else { return nil }
        let s = Int(start[line])
        return spans[s..<(s + n)]
    }

    /// Whether `line` is a table row.
    @inlinable public func isRow(_ line: Int) -> Bool { count[line] > 0 }

    /// How many cells `line` has (0: no row).
    @inlinable public func cellCount(_ line: Int) -> Int { Int(count[line]) }

    /// The first cell of a row (`line` must be a row).
    @inlinable public func firstCell(_ line: Int) -> Range<Int> { spans[Int(start[line])] }

    /// Calls `body` with every line's cells in place, for reading them with `cells(_:in:)`
    /// without a slice (and a retain) per line.
    @inlinable
    public func withSpans<R>(_ body: (UnsafeBufferPointer<Range<Int>>) throws -> R) rethrows -> R {
        try spans.withUnsafeBufferPointer(body)
    }

    /// The cells of `line` in `spans` (given by `withSpans`), nil when it is no table row.
    @inlinable
    public func cells(_ line: Int, in spans: UnsafeBufferPointer<Range<Int>>) -> Slice<UnsafeBufferPointer<Range<Int>>>? {
        let n = Int(count[line])
        guard n > 0 else { return nil }
        let s = Int(start[line])
        return spans[s..<(s + n)]
    }

    mutating func set(_ line: Int, _ cells: [Range<Int>]) {
        start[line] = Int32(spans.count)
        count[line] = Int32(cells.count)
        spans.append(contentsOf: cells)
    }

    /// Starts the cells of `line`; `append` adds them, `end` keeps them when there are two or more.
    mutating func begin(_ line: Int) {
        start[line] = Int32(spans.count)
        count[line] = 0
    }

    mutating func append(_ cell: Range<Int>) { spans.append(cell) }

    mutating func end(_ line: Int) {
        let n = spans.count - Int(start[line])
        if n > 1 {
            count[line] = Int32(n)
        } else {
            spans.removeLast(n)
        }
    }
}
