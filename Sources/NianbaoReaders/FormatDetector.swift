import NianbaoText
import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells a document's format from its bytes.
///
/// Content decides: magic bytes (`%PDF-`, OLE compound file, zip, rar, 7z, gzip, images, RTF),
/// zip structure (`[Content_Types].xml` + `word/document.xml` for docx, `OFD.xml` for OFD,
/// `xl/workbook.xml` for Excel) and markup near the start for HTML. The file name's extension only
/// breaks ties: an OLE file named `.wps` is a WPS document, plain text named `.html` is HTML, and
/// a text file is a `.txt` whatever it is called.
public enum FormatDetector {
    public static func detect(bytes: [UInt8], fileName: String) -> DocumentFormat {
        detectDecoding(bytes: bytes, fileName: fileName).format
    }

    /// The format, and for plain text the whole file decoded when telling the format took
    /// decoding all of it (files up to 1 MiB), so that the checker need not decode it again.
    public static func detectDecoding(bytes: [UInt8], fileName: String)
        -> (format: DocumentFormat, decoded: PlainText?)
    {
        let ext = fileExtension(fileName)
        if bytes.isEmpty { return (.unknown, nil) }

        // PDF: the header may follow a little junk.
        if bytes.prefix(1024).contains(0x25), ByteSearch.find(Array("%PDF-".utf8), in: bytes, range: 0..<min(bytes.count, 1024)) != nil {
            return (.pdf, nil)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return (oleFormat(bytes, ext: ext), nil)
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
            || bytes.starts(with: [0x50, 0x4B, 0x07, 0x08])
        {
            return (zipFormat(bytes), nil)
        }
        if bytes.starts(with: Array("Rar!\u{1A}\u{07}".utf8)) || bytes.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C])
            || bytes.starts(with: [0x1F, 0x8B]) || bytes.starts(with: Array("BZh".utf8))
            || bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
        {
            return (.archive, nil)
        }
        if isImage(bytes) { return (.image, nil) }
        if bytes.starts(with: Array("{\\rtf".utf8)) { return (.rtf, nil) }
        if looksLikeHTML(bytes, ext: ext) || MHTML.looksLike(bytes) { return (.html, nil) }
        if let (whole, decoded) = textDecoding(bytes) {
            if ["html", "htm", "xhtml", "shtml"].contains(ext) { return (.html, nil) }
            return (.txt, whole ? decoded : nil)
        }
        return (.unknown, nil)
    }

    /// The lower-cased extension of the last path component, without the dot ("" when none).
    static func fileExtension(_ fileName: String) -> String {
        // Cut at bytes when the `/` and the `.` it is cut at are characters of their own, as an
        // ASCII byte or the name's end on each side makes them (nothing joins those into one
        // character): nearly every name. Any other is cut by characters.
        let byBytes: String?? = fileName.utf8.withContiguousStorageIfAvailable { b -> String? in
            func alone(_ i: Int) -> Bool { (i == 0 || b[i - 1] < 0x80) && (i + 1 == b.count || b[i + 1] < 0x80) }
            var start = 0
            if let slash = b.lastIndex(of: UInt8(ascii: "/")) {
                guard alone(slash) else { return nil }
                start = slash + 1
            }
            guard let dot = b[start...].lastIndex(of: UInt8(ascii: ".")) else { return "" }
            guard alone(dot) else { return nil }
            return dot == start ? "" : String(decoding: b[(dot + 1)...], as: UTF8.self).lowercased()
        }
        if let byBytes, let byBytes { return byBytes }
        let last = fileName.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? fileName
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }

    static func oleFormat(_ bytes: [UInt8], ext: String) -> DocumentFormat {
        func has(_ name: String) -> Bool {
            var pattern: [UInt8] = []
            for u in name.utf16 { pattern.append(UInt8(u & 0xFF)); pattern.append(UInt8(u >> 8)) }
            return ByteSearch.find(pattern, in: bytes, range: 0..<bytes.count) != nil
        }
        // Kingsoft WPS Writer writes Word's binary format with streams and properties of its own
        // (`WpsCustomData`, `KSOProductBuildVer`); its older format has `WpsContent` instead
        if has("WordDocument") {
            // the property's name is in the summary stream's code page: UTF-16 or ANSI
            let kingsoft = ByteSearch.find(Array("KSOProductBuildVer".utf8), in: bytes, range: 0..<bytes.count) != nil
            if kingsoft || has("WpsCustomData") || has("KSOProductBuildVer") || has("WpsContent") { return .wps }
            return ext == "wps" || ext == "wpt" ? .wps : .doc
        }
        if has("WpsContent") || has("WpsCustomData") { return .wps }
        if has("Workbook") || has("Book\u{0}") { return .xls }
        switch ext {
        case "wps", "wpt": return .wps
        case "xls", "et", "ett": return .xls
        case "doc", "dot": return .doc
        default: return .unknown
        }
    }

    static func zipFormat(_ bytes: [UInt8]) -> DocumentFormat {
        func has(_ name: String) -> Bool {
            ByteSearch.find(Array(name.utf8), in: bytes, range: 0..<bytes.count) != nil
        }
        if has("word/document.xml") { return .docx }
        if has("OFD.xml") { return .ofd }
        if has("xl/workbook.xml") { return .xls }
        // OpenDocument: the first entry is `mimetype`, stored, holding the media type
        if has("mimetypeapplication/vnd.oasis.opendocument.text") { return .odt }
        if has("[Content_Types].xml") || has("mimetypeapplication/vnd.oasis") { return .unknown }
        return .archive
    }

    static func isImage(_ b: [UInt8]) -> Bool {
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return true }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return true }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return true }
        if b.starts(with: Array("BM".utf8)) && b.count > 26 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 {
            return true
        }
        if b.starts(with: [0x49, 0x49, 0x2A, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return true }
        if b.count >= 12 && b.starts(with: Array("RIFF".utf8)) && Array(b[8..<12]) == Array("WEBP".utf8) { return true }
        return false
    }

    /// An ASCII view of the first `limit` bytes, lower-cased, after a BOM (UTF-16 is narrowed to
    /// its low bytes), leading whitespace skipped.
    static func asciiHead(_ bytes: [UInt8], limit: Int) -> [UInt8] {
        var head: [UInt8] = []
        head.reserveCapacity(limit)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var i = 2
            while i + 1 < bytes.count && head.count < limit {
                let (lo, hi) = little ? (bytes[i], bytes[i + 1]) : (bytes[i + 1], bytes[i])
                head.append(hi == 0 ? lo : 0x80)
                i += 2
            }
        } else {
            let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            head.append(contentsOf: bytes[start..<min(bytes.count, start + limit)])
        }
        let firstNonSpace = head.firstIndex { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C) }
        guard let firstNonSpace else { return [] }
        return head[firstNonSpace...].map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }
    }

    static func looksLikeHTML(_ bytes: [UInt8], ext: String) -> Bool {
        // no markup without a "<" (in UTF-8 or either UTF-16): most text files stop here
        let lessThan = bytes.withUnsafeBufferPointer { b in
            b.baseAddress.map { memchr($0, 0x3C, min(b.count, 8200)) != nil } ?? false
        }
        if !lessThan { return false }
        let head = asciiHead(bytes, limit: 4096)
        guard let first = head.first else { return false }
        let markers = ["<html", "<!doctype html", "<body", "<table", "<head"]
        let hasMarker = markers.contains { ByteSearch.find(Array($0.utf8), in: head, range: 0..<head.count) != nil }
        if first == UInt8(ascii: "<") && hasMarker { return true }
        // Text with a little junk before the markup: only when the name says HTML.
        return hasMarker && ["html", "htm", "xhtml", "shtml"].contains(ext)
    }

    /// Whether the bytes are text: they (their first MiB, cut at a line end) decode; with the
    /// decoded text, and whether it is the whole file's.
    static func textDecoding(_ bytes: [UInt8]) -> (whole: Bool, decoded: PlainText)? {
        let limit = 1 << 20
        var sample = bytes
        if bytes.count > limit {
            if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
                sample = Array(bytes[0..<limit])
            } else if let nl = bytes[0..<limit].lastIndex(of: 0x0A) {
                sample = Array(bytes[0...nl])
            } else {
                sample = Array(bytes[0..<limit])
            }
        }
        guard let decoded = try? TextDecoder.plainText(sample) else { return nil }
        return (sample.count == bytes.count, decoded)
    }
}

/// Plain byte-string search.
enum ByteSearch {
    static func find(_ needle: [UInt8], in hay: [UInt8], range: Range<Int>) -> Int? {
        if needle.isEmpty { return range.lowerBound }
        return Search.firstIndex(of: needle, in: hay, range: range)
    }
}
