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
        var text = text
        text.makeContiguousUTF8()
        let n = max(text.utf8.count, 1)
        // one pass over the UTF-8 into scratch buffers, then one copy per line
        let orig = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        let comp = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        let compLine = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        let compColumn = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer {
            orig.deallocate()
            comp.deallocate()
            compLine.deallocate()
            compColumn.deallocate()
        }
        typealias Scan = (no: Int, nc: Int, lineRanges: [Range<Int>], lineStarts: [Int], lineStart: Int, truncated: Bool)
        let scan: (UnsafeBufferPointer<UInt8>) -> Scan = { bytes in
            var no = 0, nc = 0
            var lineRanges: [Range<Int>] = []
            var lineStarts: [Int] = [0]
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
                } else if b0 < 0xE0 {
                    v = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                    i += 2
                } else if b0 < 0xF0 {
                    v = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    i += 3
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
                    lineStart = no
                    lineStarts.append(nc)
                    continue
                }
                previousWasCR = false
                let nv = TextDocument.normalize(v)
                if !TextDocument.isSpace(nv) {
                    comp[nc] = nv
                    compLine[nc] = Int32(lineRanges.count)
                    compColumn[nc] = Int32(no - lineStart)
                    nc += 1
                }
                orig[no] = v
                no += 1
            }
            return (no, nc, lineRanges, lineStarts, lineStart, truncated)
        }
        guard let result = text.utf8.withContiguousStorageIfAvailable(scan) else {
            preconditionFailure("a native String has contiguous UTF-8")
        }
        let (no, nc, truncated) = (result.no, result.nc, result.truncated)
        var lineRanges = result.lineRanges, lineStarts = result.lineStarts
        lineRanges.append(result.lineStart..<no)
        if lineRanges.count > 1 && lineRanges.last!.isEmpty && !truncated {
            // a final line terminator does not start another line
            lineRanges.removeLast()
            lineStarts.removeLast()
        }
        self.originalLines = lineRanges.map { Array(orig[$0]) }
        self.lines = self.originalLines.map { $0.map(TextDocument.normalize) }
        self.compact = Array(comp[0..<nc])
        self.compactLine = Array(compLine[0..<nc])
        self.compactColumn = Array(compColumn[0..<nc])
        self.lineCompactStart = lineStarts
        self.truncated = truncated
    }

    /// The original text of a 0-based line.
    public func originalText(line: Int) -> String {
        guard line >= 0 && line < originalLines.count else { return "" }
        return TextDocument.string(originalLines[line])
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

    /// A string from scalar values (invalid ones are skipped).
    public static func string(_ scalars: [UInt32]) -> String { string(scalars[...]) }

    /// A string from scalar values (invalid ones are skipped).
    public static func string(_ scalars: ArraySlice<UInt32>) -> String {
        scalars.withUnsafeBufferPointer { src in
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
