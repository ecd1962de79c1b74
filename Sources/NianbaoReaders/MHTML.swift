/// A web page saved as one file (MHTML: `.mht`, `.mhtml`): what a browser writes for "save as
/// single file" (Chrome and Edge write "网页，单个文件"; Internet Explorer "Web 档案，单个文件")
/// and what Word and WPS write for "单个文件网页". It is a MIME message (RFC 2557): headers, then
/// parts between boundary lines, each with headers of its own; the page is the `text/html` part,
/// in quoted-printable or base64, in the charset its `Content-Type` names. The page is taken
/// out, turned into UTF-8, and read as any web page is; images and style sheets are left.
public enum MHTML {
    /// Whether `bytes` are an MHTML file: a MIME message (its first line a header) whose type is
    /// `multipart/related` with a boundary, in its headers (the first 8 KB).
    public static func looksLike(_ bytes: [UInt8]) -> Bool {
        // the first line is a header: a name, then a colon (most files stop at their first byte)
        guard let colon = bytes.prefix(80).firstIndex(where: { !isHeaderNameByte($0) }),
              colon > 0, bytes[colon] == UInt8(ascii: ":") else { return false }
        let headers = headerBlock(lowered(bytes.prefix(8 << 10)))
        return ByteSearch.find(Array("multipart/related".utf8), in: headers, range: 0..<headers.count) != nil
            && ByteSearch.find(Array("boundary".utf8), in: headers, range: 0..<headers.count) != nil
    }

    /// The page of an MHTML file (its transfer encoding undone) and the charset its part's
    /// header names, which the web page reader decodes it by; nil when the message holds no
    /// part that is a web page.
    public static func page(_ bytes: [UInt8]) -> (html: [UInt8], charset: String?)? {
        let (headers, bodyStart) = split(bytes[...])
        let top = MIMEHeaders(headers)
        guard let boundary = top.parameter("boundary", of: "content-type"), !boundary.isEmpty else { return nil }
        let parts = self.parts(bytes[bodyStart...], boundary: Array(boundary.utf8))
        // the page is the first text/html part (the root, as browsers and Word write it)
        var chosen: (MIMEHeaders, ArraySlice<UInt8>)?
        for part in parts {
            let (h, bodyStart) = split(part)
            let headers = MIMEHeaders(h)
            let type = headers.value("content-type").map(lowercased) ?? "text/plain"
            if type.hasPrefix("text/html") || type.hasPrefix("application/xhtml") {
                chosen = (headers, part[bodyStart...])
                break
            }
        }
        guard let (headers, body) = chosen else { return nil }
        let encoding = headers.value("content-transfer-encoding").map(lowercased)?
            .trimmingASCIISpaces() ?? "7bit"
        let content: [UInt8]
        switch encoding {
        case "quoted-printable": content = quotedPrintable(body)
        case "base64": content = base64(body)
        default: content = Array(body)
        }
        return (content, headers.parameter("charset", of: "content-type").map(lowercased))
    }

    // MARK: MIME

    /// Headers (unfolded: a line starting with a space or TAB continues the one before) and the
    /// index where the body starts, after the first empty line.
    static func split(_ bytes: ArraySlice<UInt8>) -> (headers: ArraySlice<UInt8>, bodyStart: Int) {
        var i = bytes.startIndex
        // a part starts with the line break after its boundary
        while i < bytes.endIndex && (bytes[i] == 0x0D || bytes[i] == 0x0A) {
            if bytes[i] == 0x0A { i += 1; break }
            i += 1
        }
        let start = i
        var lineStart = i
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                let line = bytes[lineStart..<i]
                if line.isEmpty || (line.count == 1 && line.first == 0x0D) {
                    return (bytes[start..<lineStart], i + 1)
                }
                lineStart = i + 1
            }
            i += 1
        }
        return (bytes[start..<bytes.endIndex], bytes.endIndex)
    }

    /// The headers of a message, lower-cased, up to its first empty line.
    static func headerBlock(_ lowered: [UInt8]) -> [UInt8] {
        let (headers, _) = split(lowered[...])
        return Array(headers)
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    static func parts(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        let delimiter: [UInt8] = [0x2D, 0x2D] + boundary
        var out: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        var i = body.startIndex
        while i <= body.endIndex {
            if i == body.endIndex || body[i] == 0x0A {
                let line = body[lineStart..<i]
                if line.starts(with: delimiter) {
                    // the part ends before the line break that precedes its boundary
                    if let s = partStart {
                        var end = lineStart
                        if end > s && body[end - 1] == 0x0A { end -= 1 }
                        if end > s && body[end - 1] == 0x0D { end -= 1 }
                        out.append(body[s..<end])
                    }
                    let rest = line.dropFirst(delimiter.count)
                    if rest.starts(with: [0x2D, 0x2D]) { return out }
                    partStart = i
                }
                lineStart = i + 1
            }
            i += 1
        }
        if let s = partStart, s < body.endIndex { out.append(body[s..<body.endIndex]) }
        return out
    }

    /// Quoted-printable: `=XX` is a byte, `=` at a line's end joins it to the next.
    static func quotedPrintable(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        while i < body.endIndex {
            let b = body[i]
            guard b == UInt8(ascii: "=") else {
                out.append(b)
                i += 1
                continue
            }
            // a soft line break: "=" then spaces, then CRLF or LF
            var k = i + 1
            while k < body.endIndex && (body[k] == 0x20 || body[k] == 0x09) { k += 1 }
            if k < body.endIndex && body[k] == 0x0D { k += 1 }
            if k < body.endIndex && body[k] == 0x0A {
                i = k + 1
                continue
            }
            if k == body.endIndex {
                break
            }
            if i + 2 < body.endIndex, let hi = hexValue(body[i + 1]), let lo = hexValue(body[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            // a lone "=" is kept as it is
            out.append(b)
            i += 1
        }
        return out
    }

    /// Base64, whitespace and line breaks ignored; decoding stops at padding or a byte outside
    /// the alphabet.
    static func base64(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for b in body {
            let v: UInt32
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(b - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(b - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(b - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case 0x20, 0x09, 0x0D, 0x0A: continue
            default: return out  // "=" padding, or the end of the data
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    @inline(__always) static func isHeaderNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
    }

    static func lowered<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }

    static func lowercased(_ s: String) -> String { String(decoding: lowered(Array(s.utf8)), as: UTF8.self) }
}

/// A MIME header block: each header's value (folded lines joined), by its lower-cased name.
struct MIMEHeaders {
    private var values: [String: String] = [:]

    init(_ block: ArraySlice<UInt8>) {
        var name: [UInt8]?
        var value: [UInt8] = []
        func flush() {
            if let n = name, values[String(decoding: n, as: UTF8.self)] == nil {
                values[String(decoding: n, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
            }
        }
        for rawLine in block.split(separator: 0x0A, omittingEmptySubsequences: false) {
            var line = rawLine
            if line.last == 0x0D { line = line.dropLast() }
            if let f = line.first, f == 0x20 || f == 0x09 {
                // a folded continuation
                value.append(0x20)
                value.append(contentsOf: line.drop { $0 == 0x20 || $0 == 0x09 })
                continue
            }
            flush()
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                name = nil
                continue
            }
            name = MHTML.lowered(line[line.startIndex..<colon])
            value = Array(line[(colon + 1)...].drop { $0 == 0x20 || $0 == 0x09 })
        }
        flush()
    }

    func value(_ name: String) -> String? { values[name] }

    /// A parameter of a header (`boundary` of `Content-Type: multipart/related; boundary="…"`),
    /// quotes removed; its name is matched without regard to case, its value kept as written.
    func parameter(_ parameter: String, of header: String) -> String? {
        guard let v = values[header] else { return nil }
        for piece in v.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, MHTML.lowercased(String(pair[0])).trimmingASCIISpaces() == parameter else { continue }
            var value = String(pair[1]).trimmingASCIISpaces()
            if value.hasPrefix("\"") {
                value.removeFirst()
                if let q = value.firstIndex(of: "\"") { value = String(value[..<q]) }
            }
            return value
        }
        return nil
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        guard let s = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) else { return "" }
        let e = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" })!
        return String(scalars[s...e])
    }
}
