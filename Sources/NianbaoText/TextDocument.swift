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
        var lines: [[UInt32]] = []
        var originals: [[UInt32]] = []
        var compact: [UInt32] = []
        var cLine: [Int32] = []
        var cCol: [Int32] = []
        var lineStarts: [Int] = []
        compact.reserveCapacity(text.utf8.count / 2)
        cLine.reserveCapacity(text.utf8.count / 2)
        cCol.reserveCapacity(text.utf8.count / 2)

        var norm: [UInt32] = []
        var orig: [UInt32] = []
        var count = 0
        var truncated = false
        var previousWasCR = false

        func endLine() {
            lineStarts.append(compact.count - countCompact(norm))
            lines.append(norm)
            originals.append(orig)
            norm = []
            orig = []
        }
        // countCompact is only used to know where the line started in `compact`.
        func countCompact(_ l: [UInt32]) -> Int {
            var n = 0
            for v in l where !TextDocument.isSpace(v) { n += 1 }
            return n
        }

        for scalar in text.unicodeScalars {
            count += 1
            if count > TextDocument.maximumScalars {
                truncated = true
                break
            }
            let v = scalar.value
            if v == 0x0A {
                if previousWasCR { previousWasCR = false; continue }
                endLine()
                continue
            }
            if v == 0x0D {
                previousWasCR = true
                endLine()
                continue
            }
            previousWasCR = false
            let n = TextDocument.normalize(v)
            if !TextDocument.isSpace(n) {
                compact.append(n)
                cLine.append(Int32(lines.count))
                cCol.append(Int32(norm.count))
            }
            norm.append(n)
            orig.append(v)
        }
        if !norm.isEmpty || lines.isEmpty { endLine() }
        self.lines = lines
        self.originalLines = originals
        self.compact = compact
        self.compactLine = cLine
        self.compactColumn = cCol
        self.lineCompactStart = lineStarts
        self.truncated = truncated
    }

    /// The original text of a 0-based line.
    public func originalText(line: Int) -> String {
        guard line >= 0 && line < originalLines.count else { return "" }
        var s = String.UnicodeScalarView()
        for v in originalLines[line] { if let u = Unicode.Scalar(v) { s.append(u) } }
        return String(s)
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
        var s = String.UnicodeScalarView()
        for v in scalars { if let u = Unicode.Scalar(v) { s.append(u) } }
        return String(s)
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
