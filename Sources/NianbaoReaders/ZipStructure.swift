/// Checks a zip archive's directory against the file's own size before any zip library reads it.
///
/// A zip is read from its end: the end-of-central-directory record says where the central
/// directory is, and each directory entry says where its local header and data are. A damaged or
/// crafted file can point any of these past the end of the file (or before the start), and a zip
/// library that trusts them may trap on an impossible range, which no `catch` can stop. This
/// check refuses such a file with a typed error first. It reads only bytes already in memory and
/// never allocates by a size the file declares.
public enum ZipStructure {
    /// The most central-directory entries walked; a .docx holds a few dozen.
    public static let maximumEntries = 10_000

    /// Throws `.corrupt` if a record of the archive points outside the file or does not carry
    /// its signature where the directory says it is. A ZIP64 end record, when the end record
    /// defers to one, is checked the same way; an entry whose sizes are in a ZIP64 extra field
    /// has its local header checked, not its data range.
    public static func validate(_ bytes: [UInt8]) throws(ReaderError) {
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
            // (a zip library reads them from there, so they are checked the same way)
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
        var p = directoryOffset
        for index in 0..<totalEntries {
            guard p + 46 <= directoryEnd, u32(bytes, p) == 0x0201_4B50 else {
                throw .corrupt("central directory entry \(index + 1) of \(totalEntries) is missing or damaged")
            }
            let compressed = Int(u32(bytes, p + 20))
            let nameLength = Int(u16(bytes, p + 28))
            let extraLength = Int(u16(bytes, p + 30))
            let commentLength = Int(u16(bytes, p + 32))
            let localOffset = Int(u32(bytes, p + 42))
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw .corrupt("central directory entry \(index + 1) runs past the directory")
            }
            if localOffset != 0xFFFF_FFFF && compressed != 0xFFFF_FFFF {
                guard localOffset + 30 <= directoryOffset, u32(bytes, localOffset) == 0x0403_4B50 else {
                    throw .corrupt("entry \(index + 1) points to a local header outside the file")
                }
                let dataStart = localOffset + 30 + Int(u16(bytes, localOffset + 26)) + Int(u16(bytes, localOffset + 28))
                guard dataStart <= directoryOffset, compressed <= directoryOffset - dataStart else {
                    throw .corrupt("the data of entry \(index + 1) (\(compressed) bytes) runs past the file")
                }
            }
            p = next
        }
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
