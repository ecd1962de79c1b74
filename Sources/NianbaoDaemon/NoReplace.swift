import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Putting a file at a name without ever replacing what is there: rename(2) that fails with
/// EEXIST (`renameat2(RENAME_NOREPLACE)`, or link(2)+unlink(2), or an O_EXCL placeholder, as
/// the folder's filesystem allows), a move across filesystems by copy + fsync + rename + unlink,
/// and bytes written through a hidden temporary, fsynced, renamed into place.
///
/// Guarantees: nothing a user dropped is deleted or overwritten.
enum NoReplace {
    typealias RenameAt2 = @convention(c) (
        Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
    ) -> Int32

    /// glibc's renameat2, looked up at run time (the Swift Glibc module does not export it).
    static let renameat2Function: RenameAt2? = {
        // RTLD_DEFAULT is a null handle on glibc.
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// rename(2) that fails with EEXIST instead of replacing `to`. Returns 0 or an errno.
    static func renameFile(from: String, to: String) -> Int32 {
        renameFile(from: RawPath(from).bytes, to: RawPath(to).bytes)
    }

    static func renameFile(from: [CChar], to: [CChar]) -> Int32 {
        // how, as probed for the destination's folder at start; unprobed: each in turn
        let method = Volumes.renameMethod(into: parent(ofRaw: to))
        if method == nil || method == .renameNoReplace, let renameat2 = renameat2Function {
            let atFDCWD: Int32 = -100
            let renameNoReplaceFlag: UInt32 = 1
            if renameat2(atFDCWD, from, atFDCWD, to, renameNoReplaceFlag) == 0 { return 0 }
            let code = errno
            // EINVAL/ENOSYS/ENOTSUP: the filesystem has no RENAME_NOREPLACE; fall through.
            if code != EINVAL && code != ENOSYS && code != EOPNOTSUPP { return code }
        }
        if method == nil || method == .renameNoReplace || method == .linkUnlink {
            // link(2) never replaces; then drop the old name. Two claimants may both link the
            // same file (each into its own folder): the one whose unlink takes the old name has
            // it, the other takes its link back and finds the file gone.
            if link(from, to) == 0 {
                if unlink(from) == 0 { return 0 }
                let code = errno
                if code == ENOENT { unlink(to) }
                return code
            }
            let code = errno
            guard code == EPERM || code == EOPNOTSUPP || code == ENOSYS || code == EMLINK else { return code }
        }
        // No hard links either (some network filesystems): the name is taken first with O_EXCL,
        // which never replaces, then the file is renamed over that placeholder of our own.
        let placeholder = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if placeholder < 0 { return errno }
        close(placeholder)
        if rename(from, to) == 0 { return 0 }
        let code = errno
        unlink(to)
        return code
    }

    /// The folder part of a NUL-terminated path (`/a/b/c` → `/a/b`).
    static func parent(ofRaw path: [CChar]) -> String {
        guard let slash = path.lastIndex(of: 0x2F) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: path[..<slash].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Moves `from` to `to` without replacing; across filesystems by copy, fsync,
    /// rename, unlink. Returns 0 or an errno (EEXIST: `to` is taken).
    static func moveFile(from: URL, to: URL) -> Int32 { moveFile(from: from.path, to: to.path) }

    static func moveFile(from: String, to: String) -> Int32 {
        let code = renameFile(from: from, to: to)
        guard code == EXDEV else { return code }
        let directory = Directories.parent(of: to)
        let temporary = directory + "/" + Temporaries.newName()
        let source = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if source < 0 { return errno }
        defer { close(source) }
        var info = stat()
        fstat(source, &info)
        let target = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(info.st_mode & 0o777))
        if target < 0 { return errno }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var failure: Int32 = 0
        copyLoop: while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            if count == 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(target, $0.baseAddress! + offset, count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break copyLoop
                }
                offset += written
            }
        }
        if failure == 0 && fsync(target) != 0 { failure = errno }
        close(target)
        if failure == 0 { failure = renameFile(from: temporary, to: to) }
        if failure != 0 {
            unlink(temporary)  // our own partial copy; the source is untouched
            return failure
        }
        try? Directories.sync(path: directory)
        if unlink(from) != 0 && errno != ENOENT { return errno }
        return 0
    }

    /// Writes `bytes` to `directory/name` via a hidden temporary file (fsynced),
    /// never replacing. Returns 0 or an errno (EEXIST: name taken).
    static func writeFile(_ bytes: [UInt8], directory: String, name: String) -> Int32 {
        let temporary = directory + "/" + Temporaries.newName()
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { return errno }
        var failure: Int32 = 0
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            offset += written
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 { failure = renameFile(from: temporary, to: directory + "/" + name) }
        if failure != 0 { unlink(temporary) }
        return failure
    }
}
