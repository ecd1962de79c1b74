import NianbaoCore
import NianbaoZlib

/// The zip container of a .docx, read from bytes already in memory: the directory checked
/// against the file's own size, and one entry inflated with zlib under a cap.
///
/// A zip is read from its end: the end-of-central-directory record (or the ZIP64 one it defers
/// to) says where the central directory is, and each directory entry says where its local header
/// and data are. A damaged or crafted file can point any of these past the end of the file or
/// make an inflater spin; zip libraries have trapped or looped forever on such files (see
/// docs/upstream/). Every offset and size here is checked before it is used, nothing is
/// allocated by a size the file declares, and inflating stops at a cap, at the end of the
/// entry's data, or when zlib makes no progress.
public enum ZipStructure {
    /// The most central-directory entries walked; a .docx holds a few dozen.
    public static let maximumEntries = 10_000

    /// One file in the archive, as the central directory describes it (offsets checked).
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// 0 stored, 8 deflated.
        public var method: UInt16
        public var crc32: UInt32
        public var compressedSize: Int
        public var uncompressedSize: Int
        /// Where the entry's data starts in the archive.
        public var dataStart: Int
        public var isDirectory: Bool { name.hasSuffix("/") }
    }

    /// Throws `.corrupt` if a record of the archive points outside the file or does not carry
    /// its signature where the directory says it is.
    public static func validate(_ bytes: [UInt8]) throws(NianbaoError) {
        _ = try entries(bytes)
    }

    /// The archive's entries, every record checked against the file's size.
    public static func entries(_ bytes: [UInt8]) throws(NianbaoError) -> [Entry] {
        let count = bytes.count
        guard let eocd = endOfCentralDirectory(bytes) else {
            throw .corrupt("no end-of-central-directory record (truncated zip?)")
        }
        var totalEntries = Int(u16(bytes, eocd + 10))
        var directorySize = Int(u32(bytes, eocd + 12))
        var directoryOffset = Int(u32(bytes, eocd + 16))
        // where the directory must end: the end record, or the ZIP64 end record before it
        var directoryLimit = eocd
        if totalEntries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF,
            eocd >= 20, u32(bytes, eocd - 20) == 0x0706_4B50
        {
            // ZIP64: the locator points to a 64-bit end record that carries the real values
            let record = u64(bytes, eocd - 20 + 8)
            guard record <= UInt64(eocd - 20), Int(record) + 56 <= eocd - 20, u32(bytes, Int(record)) == 0x0606_4B50 else {
                throw .corrupt("the ZIP64 end record lies outside the \(count)-byte file")
            }
            let r = Int(record)
            let entries = u64(bytes, r + 32), size = u64(bytes, r + 40), offset = u64(bytes, r + 48)
            guard entries <= UInt64(maximumEntries) * 2, size <= UInt64(count), offset <= UInt64(count) else {
                throw .corrupt("the ZIP64 end record declares a directory outside the \(count)-byte file")
            }
            (totalEntries, directorySize, directoryOffset, directoryLimit) = (Int(entries), Int(size), Int(offset), r)
        }
        guard directoryOffset <= directoryLimit, directorySize <= directoryLimit - directoryOffset else {
            throw .corrupt(
                "the central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the \(count)-byte file")
        }
        if totalEntries > maximumEntries {
            throw .hostile("the zip declares \(totalEntries) entries (limit \(maximumEntries))")
        }
        let directoryEnd = directoryOffset + directorySize
        var out: [Entry] = []
        var p = directoryOffset
        for index in 0..<totalEntries {
            guard p + 46 <= directoryEnd, u32(bytes, p) == 0x0201_4B50 else {
                throw .corrupt("central directory entry \(index + 1) of \(totalEntries) is missing or damaged")
            }
            let nameLength = Int(u16(bytes, p + 28))
            let extraLength = Int(u16(bytes, p + 30))
            let commentLength = Int(u16(bytes, p + 32))
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw .corrupt("central directory entry \(index + 1) runs past the directory")
            }
            var compressed = UInt64(u32(bytes, p + 20))
            var uncompressed = UInt64(u32(bytes, p + 24))
            var localOffset = UInt64(u32(bytes, p + 42))
            // ZIP64 extra field (0x0001): the 64-bit values of the fields set to 0xFFFFFFFF, in order
            var x = p + 46 + nameLength
            let extraEnd = x + extraLength
            while x + 4 <= extraEnd {
                let tag = u16(bytes, x), size = Int(u16(bytes, x + 2))
                guard x + 4 + size <= extraEnd else { break }
                if tag == 0x0001 {
                    var f = x + 4
                    for field in [0, 1, 2] where f + 8 <= x + 4 + size {
                        switch field {
                        case 0 where uncompressed == 0xFFFF_FFFF: uncompressed = u64(bytes, f); f += 8
                        case 1 where compressed == 0xFFFF_FFFF: compressed = u64(bytes, f); f += 8
                        case 2 where localOffset == 0xFFFF_FFFF: localOffset = u64(bytes, f); f += 8
                        default: break
                        }
                    }
                }
                x += 4 + size
            }
            guard localOffset <= UInt64(directoryOffset), Int(localOffset) + 30 <= directoryOffset,
                u32(bytes, Int(localOffset)) == 0x0403_4B50
            else {
                throw .corrupt("entry \(index + 1) points to a local header outside the file")
            }
            let local = Int(localOffset)
            let dataStart = local + 30 + Int(u16(bytes, local + 26)) + Int(u16(bytes, local + 28))
            guard dataStart <= directoryOffset, compressed <= UInt64(directoryOffset - dataStart),
                uncompressed <= UInt64(Int.max / 2)
            else {
                throw .corrupt("the data of entry \(index + 1) (\(compressed) bytes) runs past the file")
            }
            out.append(Entry(
                name: String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                method: u16(bytes, p + 10), crc32: u32(bytes, p + 16), compressedSize: Int(compressed),
                uncompressedSize: Int(uncompressed), dataStart: dataStart))
            p = next
        }
        return out
    }

    /// The entry's content: stored bytes copied, deflated bytes inflated by zlib, at most `cap`
    /// bytes (`.hostile` beyond), checked against the declared size and CRC-32.
    public static func contents(of entry: Entry, in bytes: [UInt8], cap: Int) throws(NianbaoError) -> [UInt8] {
        let data = bytes[entry.dataStart..<(entry.dataStart + entry.compressedSize)]
        var out: [UInt8]
        switch entry.method {
        case 0:
            if data.count > cap { throw .hostile("\(entry.name) holds \(data.count) bytes (limit \(cap))") }
            out = Array(data)
        case 8:
            out = try inflate(data, cap: cap, name: entry.name)
        default:
            throw .corrupt("\(entry.name) uses compression method \(entry.method), which Word never writes")
        }
        guard out.count == entry.uncompressedSize else {
            throw .corrupt("\(entry.name) is \(out.count) bytes, the archive says \(entry.uncompressedSize)")
        }
        let crc = out.withUnsafeBufferPointer { buf -> UInt32 in
            UInt32(truncatingIfNeeded: crc32(0, buf.baseAddress, uInt(buf.count)))
        }
        guard crc == entry.crc32 else { throw .corrupt("\(entry.name) fails its CRC-32 check") }
        return out
    }

    /// Raw deflate → bytes, stopping at the stream's end, at `cap`, at the end of the input, or
    /// when zlib makes no progress.
    static func inflate(_ input: ArraySlice<UInt8>, cap: Int, name: String) throws(NianbaoError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .io("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = Array(input)
        var failure: NianbaoError?
        input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            while true {
                let before = (stream.avail_in, stream.total_out)
                let result = chunk.withUnsafeMutableBufferPointer { outBuf -> Int32 in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    return NianbaoZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if out.count + produced > cap {
                    failure = .hostile("\(name) inflates beyond \(cap) bytes (zip bomb?)")
                    return
                }
                out.append(contentsOf: chunk[0..<produced])
                if result == Z_STREAM_END { return }
                if result != Z_OK && result != Z_BUF_ERROR {
                    failure = .corrupt("\(name) cannot be inflated (zlib error \(result))")
                    return
                }
                if (stream.avail_in, stream.total_out) == before || (stream.avail_in == 0 && produced < chunk.count) {
                    failure = .corrupt("\(name) ends before its compressed data does (truncated or damaged)")
                    return
                }
            }
        }
        if let failure { throw failure }
        return out
    }

    /// The offset of the end-of-central-directory record: the last signature within the 64 KiB
    /// comment window whose comment ends within the file.
    static func endOfCentralDirectory(_ bytes: [UInt8]) -> Int? {
        let count = bytes.count
        guard count >= 22 else { return nil }
        let lowest = max(0, count - 22 - 0xFFFF)
        var i = count - 22
        while i >= lowest {
            if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x05 && bytes[i + 3] == 0x06 {
                if i + 22 + Int(u16(bytes, i + 20)) <= count { return i }
            }
            i -= 1
        }
        return nil
    }

    /// Little-endian reads; callers keep `offset` within bounds, anything past the end reads as 0.
    static func u16(_ b: [UInt8], _ offset: Int) -> UInt16 {
        guard offset >= 0, offset + 2 <= b.count else { return 0 }
        return UInt16(b[offset]) | UInt16(b[offset + 1]) << 8
    }

    static func u64(_ b: [UInt8], _ offset: Int) -> UInt64 {
        UInt64(u32(b, offset)) | UInt64(u32(b, offset + 4)) << 32
    }

    static func u32(_ b: [UInt8], _ offset: Int) -> UInt32 {
        guard offset >= 0, offset + 4 <= b.count else { return 0 }
        return UInt32(b[offset]) | UInt32(b[offset + 1]) << 8 | UInt32(b[offset + 2]) << 16 | UInt32(b[offset + 3]) << 24
    }
}
