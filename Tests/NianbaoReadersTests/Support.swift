import Foundation
import NianbaoTestSupport
import ZIPFoundation

#if canImport(Glibc)
import Glibc
#endif

/// Test fixtures and document builders.
enum Fixtures {
    static let directory: URL = TestFixtures.directory

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Writes an executable script through a descriptor opened with O_CLOEXEC, so that a child
    /// spawned by a test running in parallel never inherits it open for writing (which would
    /// make running the script fail with ETXTBSY for as long as that child lives).
    static func writeScript(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            done += n
        }
        fchmod(fd, 0o755)
    }
}

enum ZipBuilder {
    /// Entries of a zip, read in memory.
    static func entries(of bytes: [UInt8]) throws -> [(path: String, data: Data)] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var out: [(String, Data)] = []
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            out.append((entry.path, data))
        }
        return out
    }

    /// A zip built in memory from the entries, deflated.
    static func zip(_ entries: [(path: String, data: Data)]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data!)
    }

    /// A zip with one entry whose content comes from `provider` (for large, generated content).
    static func zip(path: String, size: Int64, extra: [(path: String, data: Data)] = [],
                    provider: @escaping (Int64, Int) -> Data) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        try archive.addEntry(with: path, type: .file, uncompressedSize: size, compressionMethod: .deflate,
                             bufferSize: 1 << 20) { position, chunk in
            provider(position, chunk)
        }
        for (p, data) in extra {
            try archive.addEntry(with: p, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data!)
    }

    /// A minimal .docx around the given `w:body` content.
    static func docx(body: String) throws -> [UInt8] {
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """
        return try zip([
            ("[Content_Types].xml", Data(contentTypes.utf8)),
            ("word/document.xml", Data(documentXML(body: body).utf8)),
        ])
    }

    static func documentXML(body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
        """
    }
}

/// GB18030 encoding through glibc's iconv.
func encodeGB18030(_ s: String) -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")
    precondition(cd != iconv_t(bitPattern: -1))
    defer { iconv_close(cd) }
    var input = Array(s.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let left: Int = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            precondition(r != -1 && inLeft == 0)
            return outLeft
        }
    }
    output.removeLast(left)
    return output
}

/// Runs `body` and returns the NianbaoError it threw, or nil.
func readerError<T>(_ body: () throws -> T) -> Error? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
