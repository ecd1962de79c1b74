import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encodings nianbao recognises in plain-text reports.
public enum TextEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case gb18030 = "gb18030"

    /// The name reported in `nianbao.report/2` (`encoding`).
    public var reportName: String {
        switch self {
        case .utf8, .utf8BOM: return "utf-8"
        default: return rawValue
        }
    }
}

/// Why a byte sequence could not be turned into report text.
public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The input holds no bytes at all.
        case empty
        /// The bytes look like a binary file (NUL bytes, control characters).
        case binary
        /// The bytes are neither valid UTF-8, UTF-16 with a BOM, nor GB18030.
        case undecodable
    }
    public var kind: Kind
    /// Byte offset of the first offending byte, when one can be named.
    public var offset: Int?

    public init(kind: Kind, offset: Int? = nil) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .empty: return "the file is empty"
        case .binary: return "the file is binary, not text" + (offset.map { " (byte \($0))" } ?? "")
        case .undecodable:
            return "the bytes are not UTF-8, UTF-16 or GB18030 text" + (offset.map { " (byte \($0))" } ?? "")
        }
    }
}

/// Decodes report bytes, detecting the encoding automatically.
///
/// Order: a byte-order mark wins (UTF-8, UTF-16 LE/BE); then strict UTF-8; then GB18030
/// (a superset of GBK and GB2312) through glibc's iconv. Text whose decoded form is mostly
/// control characters is refused as binary rather than shown as mojibake.
public enum TextDecoder {
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> (text: String, encoding: TextEncoding) {
        if bytes.isEmpty { throw DecodingError(kind: .empty) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = strictUTF8(bytes[3...]) else {
                throw DecodingError(kind: .undecodable, offset: firstInvalidUTF8(bytes, from: 3))
            }
            try checkPlausible(s)
            return (s, .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            let s = try utf16(bytes[2...], littleEndian: true)
            try checkPlausible(s)
            return (s, .utf16LE)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            let s = try utf16(bytes[2...], littleEndian: false)
            try checkPlausible(s)
            return (s, .utf16BE)
        }
        if let s = strictUTF8(bytes[...]) {
            try checkPlausible(s)
            return (s, .utf8)
        }
        if bytes.contains(0) { throw DecodingError(kind: .binary, offset: bytes.firstIndex(of: 0)) }
        guard let s = gb18030(bytes) else {
            throw DecodingError(kind: .undecodable, offset: firstInvalidUTF8(bytes, from: 0))
        }
        try checkPlausible(s)
        return (s, .gb18030)
    }

    static func strictUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            let len: Int
            if b < 0x80 { len = 1 } else if b & 0xE0 == 0xC0 { len = 2 } else if b & 0xF0 == 0xE0 { len = 3 } else if b & 0xF8 == 0xF0 { len = 4 } else { return i }
            if i + len > bytes.count { return i }
            for k in 1..<len where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += len
        }
        return nil
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) throws(DecodingError) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            i += 2
        }
        var scalars = String.UnicodeScalarView()
        var it = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v): scalars.append(v)
            case .emptyInput: break loop
            case .error: throw DecodingError(kind: .undecodable)
            }
        }
        return String(scalars)
    }

    /// GB18030 through glibc's iconv; nil when the bytes are not valid GB18030.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        Iconv.toUTF8(bytes[...], from: "GB18030", strict: true).flatMap { strictUTF8($0[...]) }
    }

    /// Refuses text that is mostly control characters or replacement characters.
    static func checkPlausible(_ s: String) throws(DecodingError) {
        // Scans the UTF-8 (valid by now) of the first 200,000 characters: control characters
        // (C0 but tab, LF, CR, FF; DEL; C1), U+FFFD and private-use characters count as bad.
        var s = s
        s.makeContiguousUTF8()
        let (total, bad, firstBad) = s.utf8.withContiguousStorageIfAvailable { b -> (Int, Int, Int?) in
            var total = 0, bad = 0
            var firstBad: Int?
            var i = 0
            let n = b.count
            while i < n && total < 200_000 {
                let c = b[i]
                var isBad = false
                if c < 0x80 {
                    isBad = (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D && c != 0x0C) || c == 0x7F
                    i += 1
                } else if c < 0xE0 {
                    isBad = c == 0xC2 && b[i + 1] < 0xA0  // U+0080–U+009F
                    i += 2
                } else if c < 0xF0 {
                    let c1 = b[i + 1]
                    isBad = c == 0xEE || (c == 0xEF && c1 < 0xA4) || (c == 0xEF && c1 == 0xBF && b[i + 2] == 0xBD)
                    i += 3
                } else {
                    i += 4
                }
                if isBad {
                    bad += 1
                    if firstBad == nil { firstBad = total }
                }
                total += 1
            }
            return (total, bad, firstBad)
        } ?? (0, 0, nil)
        if total > 0 && (bad * 20 > total) {
            throw DecodingError(kind: .binary, offset: firstBad)
        }
    }
}
