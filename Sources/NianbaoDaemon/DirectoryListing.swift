import Foundation
import NianbaoCore
import NianbaoText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a folder's entries with readdir(3), as they are (links not followed): the files a
/// user dropped (their names' bytes kept when they are not UTF-8), every entry with whether it is
/// a folder, or just the names with a prefix.
enum DirectoryListing {
    /// The entries directly inside `directory`, as they are (symlinks are not followed): regular
    /// files, and anything else someone may drop (symlinks, FIFOs, devices, sockets, folders),
    /// marked as such. Our own hidden temporaries and checking marks are left out.
    static func files(in directory: URL, expecting count: Int = 0) throws -> [DirectoryEntry] {
        guard let dir = opendir(directory.path) else {
            throw NianbaoError.system("opendir", path: directory.path, errno: errno)
        }
        defer { closedir(dir) }
        let dirFD = dirfd(dir)
        var result: [DirectoryEntry] = []
        result.reserveCapacity(count + count / 8)
        let temporary = Array(Temporaries.prefix.utf8), mark = Array(CheckingMarks.prefix.utf8)
        while let entry = readdir(dir) {
            // the name's bytes straight from the dirent: no copy unless it is kept
            let found: DirectoryEntry? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { cName -> DirectoryEntry? in
                    let length = strlen(cName)
                    let bytes = UnsafeRawBufferPointer(start: cName, count: length).bindMemory(to: UInt8.self)
                    if (length == 1 && bytes[0] == 0x2E) || (length == 2 && bytes[0] == 0x2E && bytes[1] == 0x2E) { return nil }
                    if bytes.starts(with: temporary) || bytes.starts(with: mark) { return nil }
                    var info = stat()
                    guard fstatat(dirFD, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
                    let utf8 = String(validating: bytes, as: UTF8.self)
                    return DirectoryEntry(
                        name: utf8 ?? readableName(Array(bytes)), size: Int64(info.st_size),
                        mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                        ctimeNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec),
                        device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
                        isRegular: (info.st_mode & S_IFMT) == S_IFREG, rawName: utf8 == nil ? Array(bytes) : nil)
                }
            }
            if let found { result.append(found) }
        }
        return result
    }

    /// The readable form of a name that is not UTF-8: GB18030 (what Chinese Windows writes)
    /// when it decodes cleanly, else each byte outside ASCII as `#XX`.
    static func readableName(_ raw: [UInt8]) -> String {
        if let utf8 = Iconv.toUTF8(raw[...], from: "GB18030", strict: true),
            let name = String(validating: utf8, as: UTF8.self), !name.isEmpty, !name.contains("/")
        {
            return name
        }
        var out = ""
        for b in raw {
            if b < 0x80 && b >= 0x20 { out.unicodeScalars.append(Unicode.Scalar(b)) } else { out += "#" + String(b, radix: 16, uppercase: true) }
        }
        return out
    }

    /// The names in `directory` and whether each is a directory (links not followed).
    static func entries(_ directory: URL) throws -> [(name: String, isDirectory: Bool)] {
        guard let dir = opendir(directory.path) else {
            throw NianbaoError.system("opendir", path: directory.path, errno: errno)
        }
        defer { closedir(dir) }
        var out: [(String, Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            out.append((name, info.st_mode & S_IFMT == S_IFDIR))
        }
        return out
    }

    /// The names in `directory` that start with `prefix`, read with readdir(3): no String and no
    /// stat for the others (`accepted/` may hold millions of files).
    static func names(startingWith prefix: String, in directory: URL) -> [String] {
        guard let dir = opendir(directory.path) else { return [] }
        defer { closedir(dir) }
        let wanted = Array(prefix.utf8)
        var out: [String] = []
        while let entry = readdir(dir) {
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: 256) { bytes in
                    for (i, b) in wanted.enumerated() where bytes[i] != b { return nil }
                    return String(cString: bytes)
                }
            }
            if let name { out.append(name) }
        }
        return out
    }
}

/// One regular file seen in a directory.
struct DirectoryEntry: Sendable, Equatable {
    var name: String
    var size: Int64
    var mtimeNanoseconds: Int64
    /// The last change to the file's content or metadata (wall clock); nobody can set it back.
    var ctimeNanoseconds: Int64 = 0
    var device: UInt64
    var inode: UInt64
    /// False for a symlink, FIFO, socket, device or directory: it is never read, only moved
    /// to `rejected/` with a note saying what it is.
    var isRegular: Bool = true
    /// The name's bytes when they are not UTF-8 (a GBK name from an old Windows client); `name`
    /// is then their readable form, under which the file is claimed and published.
    var rawName: [UInt8]? = nil
}

/// A file name's bytes as a NUL-terminated C string, for calls that must not go through a
/// Swift `String` (a name that is not UTF-8 would not survive it).
struct RawPath {
    var bytes: [CChar]
    init(_ directory: URL, _ name: [UInt8]) {
        bytes = Array(directory.path.utf8CString.dropLast()).map { $0 }
        bytes.append(CChar(bitPattern: 0x2F))
        bytes.append(contentsOf: name.map { CChar(bitPattern: $0) })
        bytes.append(0)
    }
    init(_ path: String) { bytes = Array(path.utf8CString) }
}

extension URL {
    /// The file `name` in this folder. (`appendingPathComponent(_:)` without a hint asks the
    /// file system whether the result is a folder: two `stat` calls per path built.)
    func file(_ name: String) -> URL { appendingPathComponent(name, isDirectory: false) }
}
