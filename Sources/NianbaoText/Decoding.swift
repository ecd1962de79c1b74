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

/// A report's decoded text as UTF-8, valid by construction (from `TextDecoder.plainText` or a
/// `String`), with its encoding in the file. A string is made only when one is asked for: the
/// checker reads a plain-text report straight from these bytes.
public struct PlainText: Sendable {
    /// The text's UTF-8 (no byte-order mark).
    public let utf8: [UInt8]
    /// The encoding the file was written in.
    public let encoding: TextEncoding

    /// The text of a string.
    public init(_ text: String, encoding: TextEncoding = .utf8) {
        utf8 = Array(text.utf8)
        self.encoding = encoding
    }

    /// Bytes known to be valid UTF-8.
    init(validated: [UInt8], encoding: TextEncoding) {
        utf8 = validated
        self.encoding = encoding
    }

    /// The text as a string.
    public var string: String { String(decoding: utf8, as: UTF8.self) }
}

/// Decodes report bytes, detecting the encoding automatically.
///
/// Order: a byte-order mark wins (UTF-8, UTF-16 LE/BE); then strict UTF-8; then GB18030
/// (a superset of GBK and GB2312) through glibc's iconv. Text whose decoded form is mostly
/// control characters is refused as binary rather than shown as mojibake.
public enum TextDecoder {
    /// Why bytes are not report text: what `attempt` says, and the cause of the error `decode` throws.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
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

        /// The same, for a note in Chinese.
        public var zh: String {
            switch kind {
            case .empty: return "文件为空"
            case .binary: return "这是二进制文件，不是文字"
            case .undecodable: return "文字编码无法识别（不是 UTF-8、UTF-16 或 GBK/GB18030）"
            }
        }
    }

    /// What decoding gave: the text and its encoding, or why there is none.
    public enum Attempt: Sendable, Equatable {
        case text(String, TextEncoding)
        case refused(Refusal)
    }

    /// The text of `bytes` and its encoding; a `file-unreadable` error (operation `decode`, the
    /// refusal as its cause) when they are not text.
    public static func decode(_ bytes: [UInt8]) throws(NianbaoError) -> (text: String, encoding: TextEncoding) {
        switch attempt(bytes) {
        case .text(let text, let encoding): return (text, encoding)
        case .refused(let refusal): throw .notText(refusal)
        }
    }

    /// The text of `bytes` and its encoding, or why they are not text.
    public static func attempt(_ bytes: [UInt8]) -> Attempt {
        func checked(_ s: String, _ encoding: TextEncoding) -> Attempt {
            implausibility(s).map(Attempt.refused) ?? .text(s, encoding)
        }
        if bytes.isEmpty { return .refused(Refusal(kind: .empty)) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = strictUTF8(bytes[3...]) else {
                return .refused(Refusal(kind: .undecodable, offset: firstInvalidUTF8(bytes, from: 3)))
            }
            return checked(s, .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            guard let s = utf16(bytes[2...], littleEndian: true) else { return .refused(Refusal(kind: .undecodable)) }
            return checked(s, .utf16LE)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            guard let s = utf16(bytes[2...], littleEndian: false) else { return .refused(Refusal(kind: .undecodable)) }
            return checked(s, .utf16BE)
        }
        if let s = strictUTF8(bytes[...]) {
            return checked(s, .utf8)
        }
        if bytes.contains(0) { return .refused(Refusal(kind: .binary, offset: bytes.firstIndex(of: 0))) }
        guard let s = gb18030(bytes) else {
            return .refused(Refusal(kind: .undecodable, offset: firstInvalidUTF8(bytes, from: 0)))
        }
        return checked(s, .gb18030)
    }

    /// The text of `bytes` as UTF-8 and its encoding. Nearly
    /// every report is UTF-8 without a byte-order mark and holds no character that makes text
    /// implausible: those bytes are the text as they are, told so by one pass over them.
    /// A `file-unreadable` error (as `decode` throws it) when they are not.
    public static func plainText(_ bytes: [UInt8]) throws(NianbaoError) -> PlainText {
        if !bytes.isEmpty, !bytes.starts(with: [0xEF, 0xBB, 0xBF]), bytes.withUnsafeBufferPointer(isPlainUTF8) {
            return PlainText(validated: bytes, encoding: .utf8)
        }
        let (text, encoding) = try decode(bytes)
        return PlainText(text, encoding: encoding)
    }

    /// Whether `b` is valid UTF-8 (as `String(validating:)` takes it: shortest forms, no
    /// surrogates, nothing above U+10FFFF) holding no character `implausibility` counts as bad
    /// (controls but TAB, LF, FF and CR; DEL; C1 controls; private use; U+FFFD). False sends the
    /// bytes the long way (`attempt`), which tells what they are.
    static func isPlainUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = b.baseAddress else { return true }
        let n = b.count
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func zeros(_ y: UInt64) -> UInt64 { ~(((y & low) &+ low) | y) & high }
        @inline(__always) func isContinuation(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }
        let raw = UnsafeRawPointer(p)
        var i = 0
        // whether `i` was reached by a block and may be inside a character
        var afterBlock = false
        while i < n {
            // sixteen bytes at a time where they are ASCII and three-byte characters (a report's
            // Chinese, its full-width punctuation); anything else is read one character at a time
            // (a block never reaches the end: the last bytes are read a character at a time)
            if i >= 2 && i + 16 < n && isPlainBlock(raw, at: i) {
                i += 16
                afterBlock = true
                continue
            }
            if afterBlock {
                // back to the lead of a character the blocks left unfinished (a lead in their
                // last two bytes: blocks hold no lead but three-byte ones), read again from there
                if p[i - 1] >= 0xC0 { i -= 1 } else if p[i - 2] >= 0xE0 { i -= 2 }
                afterBlock = false
            }
            let c = p[i]
            if c >= 0xE1 && c <= 0xEC {
                // most of a report: a CJK ideograph or punctuation, three bytes
                guard i + 2 < n, isContinuation(p[i + 1]), isContinuation(p[i + 2]) else { return false }
                i += 3
                continue
            }
            if c < 0x80 {
                // eight ASCII bytes at a time where they run on: none a control but a line feed, nor DEL
                if i + 8 <= n {
                    let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if x & high == 0 {
                        let controls = ~((x &+ 0x6060_6060_6060_6060) | x) & high & ~zeros(x ^ (0x0A &* ones))
                        if controls | zeros(x ^ (0x7F &* ones)) == 0 {
                            i += 8
                            continue
                        }
                    }
                }
                if c < 0x20 {
                    guard c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D else { return false }
                } else if c == 0x7F {
                    return false
                }
                i += 1
                continue
            }
            switch c {
            case 0xC2...0xDF:
                // C1 controls (U+0080–U+009F) are bad
                guard i + 1 < n, isContinuation(p[i + 1]), c != 0xC2 || p[i + 1] >= 0xA0 else { return false }
                i += 2
            case 0xE0:
                guard i + 2 < n, p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF, isContinuation(p[i + 2]) else { return false }
                i += 3
            case 0xED:
                // no surrogates
                guard i + 2 < n, p[i + 1] >= 0x80 && p[i + 1] <= 0x9F, isContinuation(p[i + 2]) else { return false }
                i += 3
            case 0xEF:
                // U+F000–U+F8FF (private use) and U+FFFD are bad; EE (private use) is never here
                guard i + 2 < n, isContinuation(p[i + 1]), isContinuation(p[i + 2]), p[i + 1] >= 0xA4,
                      !(p[i + 1] == 0xBF && p[i + 2] == 0xBD)
                else { return false }
                i += 3
            case 0xF0:
                guard i + 3 < n, p[i + 1] >= 0x90 && p[i + 1] <= 0xBF, isContinuation(p[i + 2]), isContinuation(p[i + 3])
                else { return false }
                i += 4
            case 0xF1...0xF3:
                guard i + 3 < n, isContinuation(p[i + 1]), isContinuation(p[i + 2]), isContinuation(p[i + 3]) else { return false }
                i += 4
            case 0xF4:
                guard i + 3 < n, p[i + 1] >= 0x80 && p[i + 1] <= 0x8F, isContinuation(p[i + 2]), isContinuation(p[i + 3])
                else { return false }
                i += 4
            default:
                // continuation bytes out of place, C0/C1 overlong leads, EE (private use), F5 and above
                return false
            }
        }
        return true
    }

    /// Whether the 16 bytes from `i` (with the two before them, read by the last block or
    /// character) are plain UTF-8 by the rules of `isPlainUTF8`, when they hold nothing but ASCII
    /// and three-byte characters led by E1–EC or EF: every continuation byte follows such a lead
    /// by one or two bytes and no other byte does; EF is followed by A4 or more (no private
    /// use) and is no U+FFFD; no control but TAB, LF, FF and CR, no DEL. False says only that the
    /// block is not that simple: it is then read a character at a time. A lead in the last two
    /// bytes has its continuations checked by the next block, or by the characters read after.
    @inline(__always)
    static func isPlainBlock(_ raw: UnsafeRawPointer, at i: Int) -> Bool {
        typealias V = SIMD16<UInt8>
        let v0 = raw.loadUnaligned(fromByteOffset: i, as: V.self)
        let v1 = raw.loadUnaligned(fromByteOffset: i - 1, as: V.self)
        let v2 = raw.loadUnaligned(fromByteOffset: i - 2, as: V.self)
        let continuation = (v0 & V(repeating: 0xC0)) .== V(repeating: 0x80)
        let lead1 = (v1 & V(repeating: 0xF0)) .== V(repeating: 0xE0)
        let lead2 = (v2 & V(repeating: 0xF0)) .== V(repeating: 0xE0)
        // (one mask for all of it, tested once: a mask compared with `==` is compared lane by lane)
        let misplaced = continuation .^ (lead1 .| lead2)
        let lead = (v0 & V(repeating: 0xF0)) .== V(repeating: 0xE0)
        // no lead needing more than its continuations' places: E0 (overlong), ED (surrogates), EE
        // (private use); and none of two or four bytes (neither ASCII, continuation nor E lead)
        let checkedLead = (v0 .== V(repeating: 0xE0)) .| (v0 .== V(repeating: 0xED)) .| (v0 .== V(repeating: 0xEE))
        let ascii = v0 .< V(repeating: 0x80)
        let allowedControl = (v0 .== V(repeating: 0x09)) .| (v0 .== V(repeating: 0x0A)) .| (v0 .== V(repeating: 0x0C))
            .| (v0 .== V(repeating: 0x0D))
        let control = (v0 .< V(repeating: 0x20)) .& .!allowedControl
        let privateUse = (v1 .== V(repeating: 0xEF)) .& (v0 .< V(repeating: 0xA4))
        let replacement = (v2 .== V(repeating: 0xEF)) .& (v1 .== V(repeating: 0xBF)) .& (v0 .== V(repeating: 0xBD))
        let bad = misplaced .| checkedLead .| control .| (v0 .== V(repeating: 0x7F)) .| privateUse .| replacement
            .| .!(ascii .| continuation .| lead)
        // (`any` reduces the mask lane by lane in a call of its own: its two halves are or-ed instead)
        let halves = unsafeBitCast(bad, to: (UInt64, UInt64).self)
        return halves.0 | halves.1 == 0
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

    /// The UTF-16 text of `bytes`; nil when they are not UTF-16.
    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String? {
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
            case .error: return nil
            }
        }
        return String(scalars)
    }

    /// GB18030 through glibc's iconv; nil when the bytes are not valid GB18030.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        Iconv.toUTF8(bytes[...], from: "GB18030", strict: true).flatMap { strictUTF8($0[...]) }
    }

    /// The refusal of text that is mostly control characters or replacement characters; nil for text.
    static func implausibility(_ s: String) -> Refusal? {
        // Scans the UTF-8 (valid by now) of the first 200,000 characters: control characters
        // (C0 but tab, LF, CR, FF; DEL; C1), U+FFFD and private-use characters count as bad.
        var s = s
        s.makeContiguousUTF8()
        let (total, bad, firstBad) = s.utf8.withContiguousStorageIfAvailable { b -> (Int, Int, Int?) in
            // text that holds no bad character at all (nearly every report) is told so by a quick
            // pass, without counting its characters
            guard holdsBadCharacter(b) else { return (1, 0, nil) }
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
        return total > 0 && (bad * 20 > total) ? Refusal(kind: .binary, offset: firstBad) : nil
    }

    /// Whether any character of the valid UTF-8 `b` is one `implausibility` counts as bad.
    ///
    /// Every bad character starts with a byte below 0x20, 0x7F, 0xC2, 0xEE or 0xEF, and none of
    /// these is ever a continuation byte, so they are looked for eight bytes at a time (by
    /// carries that stay within each byte) wherever the words fall; only where one is found
    /// is the character it starts looked at (most are full-width punctuation).
    static func holdsBadCharacter(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n > 0 else { return false }
        @inline(__always) func isBad(at k: Int) -> Bool {
            let c = b[k]
            switch c {
            case 0x09, 0x0A, 0x0C, 0x0D: return false
            case 0xC2: return b[k + 1] < 0xA0
            case 0xEE: return true
            case 0xEF:
                let c1 = b[k + 1]
                return c1 < 0xA4 || (c1 == 0xBF && b[k + 2] == 0xBD)
            default: return c < 0x20 || c == 0x7F
            }
        }
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        /// The high bit of each zero byte of `y`.
        @inline(__always) func zeros(_ y: UInt64) -> UInt64 { ~(((y & low) &+ low) | y) & high }
        let raw = UnsafeRawPointer(b.baseAddress!)
        var i = 0
        while i + 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // per byte, the high bit set when it is below 0x20 but a line feed (the commonest by
            // far), 0x7F, 0xC2, or 0xEE or 0xEF
            var suspects = ~(((x & low) &+ 0x6060_6060_6060_6060) | x) & high & ~zeros(x ^ (0x0A &* ones))
                | zeros(x ^ (0x7F &* ones)) | zeros(x ^ (0xC2 &* ones)) | zeros((x | ones) ^ (0xEF &* ones))
            while suspects != 0 {
                if isBad(at: i + suspects.trailingZeroBitCount >> 3) { return true }
                suspects &= suspects &- 1
            }
            i += 8
        }
        while i < n {
            if isBad(at: i) { return true }
            i += 1
        }
        return false
    }
}

extension NianbaoError {
    /// Bytes that are not report text: `file-unreadable`, operation `decode`, the refusal as its cause.
    public static func notText(_ refusal: TextDecoder.Refusal) -> NianbaoError {
        NianbaoError(
            code: .fileUnreadable, operation: "decode", cause: .error(refusal.description),
            message: Localized(zh: "无法读取文件内容：\(refusal.zh)", en: "The file cannot be read: \(refusal)"),
            help: refusal.kind == .empty
                ? Localized(zh: "文件是空的：请确认上传完整后重新提交。", en: "The file is empty: check the upload and submit it again.")
                : Localized(zh: "请提交 .docx、.pdf（含文字层）或 .txt（UTF-8 或 GBK 编码）格式的报告。",
                            en: "Submit the report as .docx, .pdf (with a text layer) or .txt (UTF-8 or GBK)."))
    }
}
