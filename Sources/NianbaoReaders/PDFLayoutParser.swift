/// A word of a PDF page as `pdftotext -bbox-layout` places it: its box in points from the page's
/// top-left corner and its text.
struct PDFWord: Sendable, Hashable {
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double
    var text: String

    init(x0: Double, y0: Double, x1: Double, y1: Double, text: String) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.text = text
    }

    var width: Double { x1 - x0 }
    var height: Double { y1 - y0 }
    var centerX: Double { (x0 + x1) / 2 }
    var centerY: Double { (y0 + y1) / 2 }
}

/// One page: its size and its words in the order pdftotext wrote them.
struct PDFPage: Sendable, Hashable {
    var width: Double
    var height: Double
    var words: [PDFWord]
}

/// Reads the XHTML that `pdftotext -bbox-layout` writes (`page > flow > block > line > word`)
/// with a byte scanner: only `page` sizes and `word` boxes and texts are kept.
///
/// pdftotext escapes `&`, `<`, `>`, `"` and `'` in word texts; those and numeric character
/// references are decoded. Text outside `<doc>` (the document's title and metadata) is skipped.
enum PDFLayoutParser {
    static func pages(_ bytes: [UInt8]) -> [PDFPage] {
        bytes.withUnsafeBufferPointer { pages(in: $0) }
    }

    static func pages(in b: UnsafeBufferPointer<UInt8>) -> [PDFPage] {
        var pages: [PDFPage] = []
        var i = 0
        let n = b.count
        // skip the head (its title may hold undecodable bytes)
        if let body = find(Array("<doc".utf8), in: b, from: 0) { i = body }
        while i < n {
            guard b[i] == 0x3C else {  // <
                i += 1
                continue
            }
            // tag name
            var j = i + 1
            let closing = j < n && b[j] == 0x2F
            if closing { j += 1 }
            let nameStart = j
            while j < n && isNameByte(b[j]) { j += 1 }
            let name = b[nameStart..<j]
            // end of the tag
            var k = j
            while k < n && b[k] != 0x3E { k += 1 }
            if k >= n { break }
            if !closing && equals(name, "page") {
                let attrs = attributes(b, j..<k)
                pages.append(PDFPage(width: attrs.width ?? 0, height: attrs.height ?? 0, words: []))
            } else if !closing && equals(name, "word") {
                let attrs = attributes(b, j..<k)
                // text up to the closing tag
                var e = k + 1
                while e < n && b[e] != 0x3C { e += 1 }
                let text = decode(b, (k + 1)..<e)
                if let x0 = attrs.xMin, let y0 = attrs.yMin, let x1 = attrs.xMax, let y1 = attrs.yMax,
                   !text.isEmpty, !pages.isEmpty
                {
                    pages[pages.count - 1].words.append(PDFWord(x0: x0, y0: y0, x1: x1, y1: y1, text: text))
                }
                i = e
                continue
            }
            i = k + 1
        }
        return pages
    }

    struct Attributes {
        var width: Double?
        var height: Double?
        var xMin: Double?
        var yMin: Double?
        var xMax: Double?
        var yMax: Double?
    }

    /// The numeric attributes of a start tag: `name="value"` pairs between `range`.
    static func attributes(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Attributes {
        var out = Attributes()
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            while i < end && !isNameByte(b[i]) { i += 1 }
            let nameStart = i
            while i < end && isNameByte(b[i]) { i += 1 }
            let name = b[nameStart..<i]
            while i < end && b[i] == 0x20 { i += 1 }
            guard i < end, b[i] == 0x3D else { continue }  // =
            i += 1
            while i < end && b[i] == 0x20 { i += 1 }
            guard i < end, b[i] == 0x22 || b[i] == 0x27 else { continue }
            let quote = b[i]
            i += 1
            let valueStart = i
            while i < end && b[i] != quote { i += 1 }
            let value = number(b, valueStart..<i)
            i += 1
            if equals(name, "xMin") {
                out.xMin = value
            } else if equals(name, "yMin") {
                out.yMin = value
            } else if equals(name, "xMax") {
                out.xMax = value
            } else if equals(name, "yMax") {
                out.yMax = value
            } else if equals(name, "width") {
                out.width = value
            } else if equals(name, "height") {
                out.height = value
            }
        }
        return out
    }

    /// A decimal number ("595.000000", "-1.5", "12"); nil when the bytes are not one.
    static func number(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        var i = range.lowerBound
        var negative = false
        if i < range.upperBound && (b[i] == 0x2D || b[i] == 0x2B) {
            negative = b[i] == 0x2D
            i += 1
        }
        // digits into an integer, then one division: the nearest double to the decimal
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0, dot = false
        while i < range.upperBound {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1
                guard digits <= 18 else { return nil }
                mantissa = mantissa * 10 + UInt64(c - 0x30)
                if dot { fraction += 1 }
            } else if c == 0x2E && !dot {
                dot = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var scale = 1.0
        for _ in 0..<fraction { scale *= 10 }
        let value = Double(mantissa) / scale
        return negative ? -value : value
    }

    /// Element text with its entity and character references decoded, trimmed; characters that
    /// would break a line or a cell become spaces.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var hasAmp = false
        for i in range where b[i] == 0x26 {
            hasAmp = true
            break
        }
        var raw: String
        if !hasAmp {
            raw = String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
        } else {
            var out: [UInt8] = []
            out.reserveCapacity(range.count)
            var i = range.lowerBound
            while i < range.upperBound {
                let c = b[i]
                guard c == 0x26, let semi = (i + 1..<min(range.upperBound, i + 12)).first(where: { b[$0] == 0x3B })
                else {
                    out.append(c)
                    i += 1
                    continue
                }
                let ref = b[(i + 1)..<semi]
                var scalar: UInt32?
                if equals(ref, "amp") {
                    scalar = 0x26
                } else if equals(ref, "lt") {
                    scalar = 0x3C
                } else if equals(ref, "gt") {
                    scalar = 0x3E
                } else if equals(ref, "quot") {
                    scalar = 0x22
                } else if equals(ref, "apos") {
                    scalar = 0x27
                } else if ref.first == 0x23 {  // #
                    var v: UInt32 = 0
                    var ok = ref.count > 1
                    let hex = ref.count > 2 && (ref[ref.startIndex + 1] == 0x78 || ref[ref.startIndex + 1] == 0x58)
                    for c in ref.dropFirst(hex ? 2 : 1) {
                        let d: UInt32
                        switch c {
                        case 0x30...0x39: d = UInt32(c - 0x30)
                        case 0x61...0x66 where hex: d = UInt32(c - 0x61 + 10)
                        case 0x41...0x46 where hex: d = UInt32(c - 0x41 + 10)
                        default:
                            ok = false
                            d = 0
                        }
                        if !ok || v > 0x10FFFF { ok = false; break }
                        v = v * (hex ? 16 : 10) + d
                    }
                    if ok { scalar = v }
                }
                if let s = scalar, let u = Unicode.Scalar(s) {
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                    i = semi + 1
                } else {
                    out.append(c)
                    i += 1
                }
            }
            raw = String(decoding: out, as: UTF8.self)
        }
        return TextAssembly.trim(TextAssembly.sanitize(raw))
    }

    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x3A || c == 0x5F
            || c == 0x2D
    }

    @inline(__always) static func equals(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ s: StaticString) -> Bool {
        guard bytes.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        var k = 0
        for c in bytes {
            if c != p[k] { return false }
            k += 1
        }
        return true
    }

    static func find(_ needle: [UInt8], in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !needle.isEmpty, b.count >= needle.count else { return nil }
        var i = from
        let last = b.count - needle.count
        while i <= last {
            if b[i] == needle[0] {
                var k = 1
                while k < needle.count && b[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
