#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Character-set conversion through glibc's iconv.
public enum Iconv {
    /// Converts `bytes` from `charset` to UTF-8; nil when iconv does not know the charset, or
    /// (when `strict`) when the bytes are not valid in it. Otherwise each invalid or truncated
    /// sequence becomes U+FFFD (`unitSize` bytes are skipped for it).
    public static func toUTF8(_ bytes: ArraySlice<UInt8>, from charset: String, unitSize: Int = 1,
                              strict: Bool = false) -> [UInt8]? {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = Array(bytes)
        if input.isEmpty { return [] }
        var invalid = false
        var output = [UInt8](repeating: 0, count: input.count * 2 + 64)
        var produced = 0
        var consumed = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            let inBase = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
            while consumed < inBuf.count {
                if output.count - produced < 64 { output.append(contentsOf: repeatElement(0, count: output.count)) }
                var inPtr: UnsafeMutablePointer<CChar>? = inBase + consumed
                var inLeft = inBuf.count - consumed
                let (r, outLeft, err): (Int, Int, Int32) = output.withUnsafeMutableBufferPointer { outBuf in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count - produced
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (r, outLeft, r == -1 ? errno : 0)
                }
                produced = output.count - outLeft
                consumed = inBuf.count - inLeft
                if r != -1 { break }
                switch err {
                case E2BIG:
                    output.append(contentsOf: repeatElement(0, count: output.count))
                case EILSEQ, EINVAL:
                    if strict {
                        invalid = true
                        consumed = inBuf.count
                        break
                    }
                    // An invalid or truncated sequence: replace one unit and go on.
                    if output.count - produced < 3 { output.append(contentsOf: repeatElement(0, count: 64)) }
                    output[produced] = 0xEF
                    output[produced + 1] = 0xBF
                    output[produced + 2] = 0xBD
                    produced += 3
                    consumed = min(inBuf.count, consumed + unitSize)
                    _ = iconv(cd, nil, nil, nil, nil)
                default:
                    consumed = inBuf.count
                }
            }
        }
        if invalid { return nil }
        output.removeSubrange(produced...)
        return output
    }
}
