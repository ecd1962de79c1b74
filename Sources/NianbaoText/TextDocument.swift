/// A report's text, split into lines, with a normalised twin of every character for matching.
///
/// Normalisation is one scalar for one scalar (full-width ASCII forms become ASCII, the
/// ideographic space and no-break space become a space), so a column in the normalised text is
/// the same column in the original. `compact` is the whole text with every whitespace
/// character removed, for matching labels that PDF extraction breaks across lines; `compactLine`
/// and `compactColumn` map each of its characters back to the original line and column.
public struct TextDocument: Sendable {
    /// Normalised scalars of each line (no line terminator).
    public let lines: [[UInt32]]
    /// Original scalars of each line, for showing the source in diagnostics.
    public let originalLines: [[UInt32]]
    /// All non-whitespace normalised scalars in reading order.
    public let compact: [UInt32]
    /// 0-based line of each `compact` scalar.
    public let compactLine: [Int32]
    /// 0-based column (in scalars) of each `compact` scalar.
    public let compactColumn: [Int32]
    /// Index into `compact` of the first scalar of each line (== next line's start when empty).
    public let lineCompactStart: [Int]
    /// True when the text was longer than `maximumScalars` and the rest was not read.
    public let truncated: Bool

    public static let maximumScalars = 8_000_000

    public init(_ text: String) {
        // one pass over the scalars into flat arrays, then one copy per line
        var flatOrig: [UInt32] = []
        var flatNorm: [UInt32] = []
        var lineRanges: [Range<Int>] = []
        var compact: [UInt32] = []
        var cLine: [Int32] = []
        var cCol: [Int32] = []
        var lineStarts: [Int] = []
        let estimate = text.utf8.count / 2 + 16
        flatOrig.reserveCapacity(estimate)
        flatNorm.reserveCapacity(estimate)
        compact.reserveCapacity(estimate)
        cLine.reserveCapacity(estimate)
        cCol.reserveCapacity(estimate)

        var truncated = false
        var previousWasCR = false
        var lineStart = 0
        lineStarts.append(0)
        for scalar in text.unicodeScalars {
            if flatOrig.count >= TextDocument.maximumScalars {
                truncated = true
                break
            }
            let v = scalar.value
            if v == 0x0A || v == 0x0D {
                if v == 0x0A && previousWasCR {
                    previousWasCR = false
                    continue
                }
                previousWasCR = v == 0x0D
                lineRanges.append(lineStart..<flatOrig.count)
                lineStart = flatOrig.count
                lineStarts.append(compact.count)
                continue
            }
            previousWasCR = false
            let n = TextDocument.normalize(v)
            if !TextDocument.isSpace(n) {
                compact.append(n)
                cLine.append(Int32(lineRanges.count))
                cCol.append(Int32(flatOrig.count - lineStart))
            }
            flatNorm.append(n)
            flatOrig.append(v)
        }
        lineRanges.append(lineStart..<flatOrig.count)
        if lineRanges.count > 1 && lineRanges.last!.isEmpty && !truncated {
            // a final line terminator does not start another line
            lineRanges.removeLast()
            lineStarts.removeLast()
        }
        self.lines = lineRanges.map { Array(flatNorm[$0]) }
        self.originalLines = lineRanges.map { Array(flatOrig[$0]) }
        self.compact = compact
        self.compactLine = cLine
        self.compactColumn = cCol
        self.lineCompactStart = lineStarts
        self.truncated = truncated
    }

    /// The original text of a 0-based line.
    public func originalText(line: Int) -> String {
        guard line >= 0 && line < originalLines.count else { return "" }
        return TextDocument.string(originalLines[line])
    }

    /// Normalised text of a 0-based line.
    public func normalizedText(line: Int) -> String {
        guard line >= 0 && line < lines.count else { return "" }
        return TextDocument.string(lines[line])
    }

    /// Maps one scalar to its matching form: full-width ASCII → ASCII, odd spaces → space.
    @inline(__always)
    public static func normalize(_ v: UInt32) -> UInt32 {
        if v >= 0xFF01 && v <= 0xFF5E { return v - 0xFEE0 }
        switch v {
        case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200B, 0x0C, 0x0B: return 0x20
        case 0xFEFF: return 0x20
        default: return v
        }
    }

    @inline(__always)
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

    public static func string<C: Collection>(_ scalars: C) -> String where C.Element == UInt32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 3)
        for v in scalars {
            switch v {
            case 0..<0x80:
                bytes.append(UInt8(v))
            case 0x80..<0x800:
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            case 0xD800..<0xE000:
                continue  // not a scalar
            case 0x800..<0x10000:
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            case 0x10000..<0x110000:
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            default:
                continue
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Finds `needle` in `compact` starting at `from`, before `to`.
    public func findCompact(_ needle: [UInt32], from: Int, to: Int? = nil) -> Int? {
        let end = min(to ?? compact.count, compact.count)
        guard !needle.isEmpty, end - from >= needle.count, from >= 0 else { return nil }
        let first = needle[0]
        var i = from
        let last = end - needle.count
        return compact.withUnsafeBufferPointer { c -> Int? in
            while i <= last {
                if c[i] == first {
                    var k = 1
                    while k < needle.count && c[i + k] == needle[k] { k += 1 }
                    if k == needle.count { return i }
                }
                i += 1
            }
            return nil
        }
    }
}
