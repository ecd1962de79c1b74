import Foundation
import NianbaoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the daemon does to its folders and asks of the paths in them: make a folder, sync it
/// so that renames in it last, whether something is at a path and whether it can be read, and
/// whether a folder's files carry this machine's times.
enum Directories {
    /// Makes the folder `url` (and its parents) unless it is there; `ENOTDIR` when a file is in
    /// the way.
    static func ensure(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw NianbaoError.system("mkdir", path: url.path, errno: ENOTDIR)
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw NianbaoError.system("mkdir", path: url.path, errno: errno == 0 ? EIO : errno)
        }
    }

    /// Whether the files in `directory` carry times from this machine's clock and keep their
    /// inode numbers: a local filesystem, not a network share or FUSE mount.
    static func timesAreLocal(_ directory: URL) -> Bool {
        Volumes.volume(of: directory.path)?.local ?? Volume.statfsType(directory.path).map { Volume.remoteTypes[$0] == nil } ?? false
    }

    /// This machine's wall clock, in nanoseconds since 1970 (for comparing with ctimes).
    static func wallClockNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    static func fileSize(_ url: URL) -> Int64? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// `nil` if the file can be opened for reading, else the errno.
    static func readabilityError(_ url: URL) -> Int32? { readabilityError(RawPath(url.path)) }

    static func readabilityError(_ path: RawPath) -> Int32? {
        let fd = open(path.bytes, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { return errno }
        close(fd)
        return nil
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 || errno != ENOENT
    }

    static func sync(_ url: URL) throws { try sync(path: url.path) }

    static func sync(path: String) throws {
        // a network filesystem may refuse it (found at start): its server orders the renames
        guard Volumes.syncsDirectories(path) else { return }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw NianbaoError.system("open", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            let code = errno
            if code == EINVAL || code == ENOSYS || code == EOPNOTSUPP { return }
            throw NianbaoError.system("fsync", path: path, errno: code)
        }
    }

    /// The folder part of a path (`/a/b/c` → `/a/b`).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }
}
