import Foundation
import NianbaoText
import NianbaoCore
import NianbaoKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// All filesystem work of the daemon, as plain POSIX calls.
///
/// Guarantees: nothing a user dropped is deleted or overwritten. Files move
/// `inbox → work → accepted|rejected` by rename(2) without replacing anything
/// (`renameat2(RENAME_NOREPLACE)`, or link(2)+unlink(2) where the filesystem
/// lacks it); across filesystems by copy + fsync + rename + unlink. Sidecars are
/// written to hidden temporary names, fsynced and renamed into place, and the
/// directory is fsynced, before the report itself is moved beside them.
struct FileStore: Sendable {
    static let temporaryPrefix = ".nianbao-tmp-"
    static let jsonSuffix = Sidecar.jsonSuffix
    static let noteSuffix = Sidecar.noteSuffix

    enum ClaimOutcome: Equatable {
        case claimed(URL)
        /// Someone else took it (or the user removed it) between scan and claim.
        case gone
        /// A file of that name is already in `work/`; try again later.
        case busy
    }

    // MARK: Directories

    static func ensureDirectory(_ url: URL) throws {
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

    /// The entries directly inside `directory`, as they are (symlinks are not followed): regular
    /// files, and anything else someone may drop (symlinks, FIFOs, devices, sockets, folders),
    /// marked as such. Our own hidden temporaries and checking marks are left out.
    static func listFiles(in directory: URL, expecting count: Int = 0) throws -> [DirectoryEntry] {
        guard let dir = opendir(directory.path) else {
            throw NianbaoError.system("opendir", path: directory.path, errno: errno)
        }
        defer { closedir(dir) }
        let dirFD = dirfd(dir)
        var result: [DirectoryEntry] = []
        result.reserveCapacity(count + count / 8)
        let temporary = Array(temporaryPrefix.utf8), mark = Array(checkingMarkPrefix.utf8)
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

    static func fsyncDirectory(_ url: URL) throws { try fsyncDirectory(path: url.path) }

    static func fsyncDirectory(path: String) throws {
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

    // MARK: Rename without replacing

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
    static func renameNoReplace(from: String, to: String) -> Int32 {
        renameNoReplace(from: RawPath(from).bytes, to: RawPath(to).bytes)
    }

    static func renameNoReplace(from: [CChar], to: [CChar]) -> Int32 {
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
    static func moveNoReplace(from: URL, to: URL) -> Int32 { moveNoReplace(from: from.path, to: to.path) }

    static func moveNoReplace(from: String, to: String) -> Int32 {
        let code = renameNoReplace(from: from, to: to)
        guard code == EXDEV else { return code }
        let directory = parent(of: to)
        let temporary = directory + "/" + temporaryName()
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
        if failure == 0 { failure = renameNoReplace(from: temporary, to: to) }
        if failure != 0 {
            unlink(temporary)  // our own partial copy; the source is untouched
            return failure
        }
        try? fsyncDirectory(path: directory)
        if unlink(from) != 0 && errno != ENOENT { return errno }
        return 0
    }

    /// The folder part of a path (`/a/b/c` → `/a/b`).
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    static let maxSuffixLength = Sidecar.allSuffixes.map(\.utf8.count).max()!

    /// A hidden temporary's name: `.nianbao-tmp-<instance>+<random>` once the daemon has taken
    /// its instance name (`+` is never part of one), so that after a crash the instance removes
    /// its own temporaries from the shared folders at once, and nobody else's.
    static func temporaryName() -> String {
        temporaryPrefix + temporaryOwner.withLock { $0 } + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    private static let temporaryOwner = Mutex("")

    /// Names this process's temporaries after `instance` (held by it: see ``InstanceLock``).
    static func ownTemporaries(as instance: String) { temporaryOwner.withLock { $0 = instance + "+" } }

    // MARK: Claim

    /// Takes `inbox/<name>` into `work/<name>` atomically. A name that is not UTF-8
    /// (`rawName`) is taken into `work/` under its readable form.
    static func claim(name: String, rawName: [UInt8]? = nil, inbox: URL, work: URL) -> Result<ClaimOutcome, NianbaoError> {
        let source = inbox.file(name)
        let target = work.file(name)
        let sourcePath = rawName.map { RawPath(inbox, $0) } ?? RawPath(source.path)
        var code = EXDEV
        if let method = Volumes.renameMethod(into: work.path), method != .renameNoReplace {
            code = claimInTwoSteps(sourcePath, name: name, work: work)
        }
        if code == EXDEV {  // one call does it (local), or the inbox is on another filesystem
            code = rawName != nil ? renameNoReplace(from: sourcePath.bytes, to: RawPath(target.path).bytes)
                : moveNoReplace(from: source, to: target)
        }
        switch code {
        case 0:
            // the caller syncs both folders once for a batch of claims
            return .success(.claimed(target))
        case ENOENT: return .success(.gone)
        case EEXIST: return .success(.busy)
        case let code: return .failure(NianbaoError.system("rename", path: source.path, errno: code))
        }
    }

    /// This instance's staging folder for claims on a share: `work/<instance>/.nianbao-claiming/`.
    static let claimingFolderName = ".nianbao-claiming"

    /// A claim where moving without replacing takes two calls (link, unlink): of several servers
    /// that link the same inbox file each would have it until its unlink, and a crash between
    /// the two leaves it in both folders. So the file is first renamed (one call, which takes
    /// the inbox name from exactly one claimant) into this instance's staging folder, where no
    /// other file can be in the way, and then moved beside the others without replacing.
    /// ``recoverClaims(work:inbox:)`` finishes what a crash left staged.
    static func claimInTwoSteps(_ source: RawPath, name: String, work: URL) -> Int32 {
        let target = work.file(name)
        if exists(target.path) { return EEXIST }
        let staging = work.appendingPathComponent(claimingFolderName, isDirectory: true)
        let staged = staging.file(name)
        // rename(2) would replace: a file of that name still staged (its second step failed) waits
        if exists(staged.path) { return EEXIST }
        if rename(source.bytes, staged.path) != 0 {
            let code = errno
            guard code == ENOENT, !exists(staging.path) else { return code }
            // the staging folder first (made once per instance folder)
            guard mkdir(staging.path, 0o700) == 0 || errno == EEXIST else { return errno }
            guard rename(source.bytes, staged.path) == 0 else { return errno }
        }
        let code = renameNoReplace(from: staged.path, to: target.path)
        // left staged: the next scan's ``recoverClaims(work:inbox:)`` moves it on or back
        return code == 0 ? 0 : (code == EEXIST ? EEXIST : code)
    }

    /// Files a crash left in the staging folder of claims go on to `work/` (or, where a file of
    /// that name is there already, back to the inbox). Returns the names moved on.
    @discardableResult
    static func recoverClaims(work: URL, inbox: URL) -> [String] {
        let staging = work.appendingPathComponent(claimingFolderName, isDirectory: true)
        var moved: [String] = []
        for entry in (try? rawEntries(staging)) ?? [] where !entry.isDirectory {
            if renameNoReplace(from: staging.file(entry.name).path, to: work.file(entry.name).path) == 0 {
                moved.append(entry.name)
            } else {
                _ = renameNoReplace(from: staging.file(entry.name).path, to: inbox.file(entry.name).path)
            }
        }
        return moved
    }

    // MARK: Publish

    /// `name (n).ext` — the suffix goes before the last extension.
    static func suffixed(_ name: String, _ n: Int) -> String {
        // the usual case: the name as given, short enough for every sidecar's name
        if n == 1 && name.utf8.count <= 255 - maxSuffixLength { return name }
        let ns = name as NSString
        let ext = ns.pathExtension
        var stem = ext.isEmpty || ns.deletingPathExtension.isEmpty ? name : ns.deletingPathExtension
        let dotExt = stem == name ? "" : "." + ext
        let counter = n > 1 ? " (\(n))" : ""
        // the longest sidecar name must still fit in a directory entry (255 bytes): a long stem
        // is shortened at a character boundary and marked with …
        let room = 255 - maxSuffixLength - dotExt.utf8.count - counter.utf8.count
        if stem.utf8.count > room {
            var cut = ""
            for ch in stem {
                if cut.utf8.count + String(ch).utf8.count + "…".utf8.count > room { break }
                cut.append(ch)
            }
            stem = cut + "…"
        }
        return stem + counter + dotExt
    }

    /// Writes `bytes` to `directory/name` via a hidden temporary file (fsynced),
    /// never replacing. Returns 0 or an errno (EEXIST: name taken).
    static func writeNoReplace(_ bytes: [UInt8], directory: String, name: String) -> Int32 {
        let temporary = directory + "/" + temporaryName()
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
        if failure == 0 { failure = renameNoReplace(from: temporary, to: directory + "/" + name) }
        if failure != 0 { unlink(temporary) }
        return failure
    }

    /// Puts the sidecars and then the report into `destination`, choosing the first
    /// free name `name`, `name (2)`, … for which no report or sidecar exists.
    /// Returns the name the report got.
    /// Whether the file at `url` is no longer the one read as `read` (written to, replaced, gone).
    ///
    /// On a local filesystem the identity says it (size, mtime, inode: a write or a replacement
    /// changes one of them, the service's own renames none). On a network share inode numbers
    /// and times are not to be trusted across renames, so there it is the bytes themselves:
    /// the size, then the SHA-256 of what is there now against that of what was checked.
    static func changedSince(_ read: Pipeline.FileIdentity, sha256: String, at url: URL) -> Bool {
        guard let now = Pipeline.FileIdentity.of(url.path) else { return true }
        if Volumes.isLocal(parent(of: url.path)) { return now != read }
        guard now.size == read.size else { return true }
        return FileHash.sha256(ofFileAt: url.path) != sha256
    }

    /// Whether `now` differs from `before` in what a network share keeps across a rename (size
    /// and mtime, not the inode); on a local filesystem, in anything.
    static func differs(_ now: Pipeline.FileIdentity?, from before: Pipeline.FileIdentity, local: Bool) -> Bool {
        guard let now else { return true }
        if local { return now != before }
        return now.size != before.size || now.mtimeNanoseconds != before.mtimeNanoseconds
    }

    /// Removes the sidecars published under `base` (their report changed after the check).
    static func withdraw(base: String, from destination: URL) {
        for suffix in Sidecar.allSuffixes { unlink(destination.file(base + suffix).path) }
        try? fsyncDirectory(destination)
    }

    /// Finishes a publish that a crash cut short: the sidecars are in place under `base` in a
    /// destination, the report is not, and the JSON describes exactly the file still in
    /// `work/` (its SHA-256). Then the report is moved beside them (not checked again, not
    /// published a second time under another name). Returns the destination and name used.
    static func finishHalfPublish(workFile: URL, originalName: String, destinations: [URL]) -> (URL, String)? {
        var hash: String?
        for destination in destinations {
            // where a move is link + unlink (a network share), a crash between the two leaves the
            // report both published and in work/: then only the copy in work/ goes
            let twoStepMoves = Volumes.renameMethod(into: destination.path).map { $0 != .renameNoReplace } ?? false
            for n in 1...1000 {
                let base = suffixed(originalName, n)
                let json = destination.file(base + jsonSuffix)
                guard exists(json.path) else { break }
                let published = exists(destination.file(base).path)
                if published && !twoStepMoves { continue }
                if hash == nil { hash = FileHash.sha256(ofFileAt: workFile.path) ?? "" }
                guard let hash, !hash.isEmpty, let text = try? String(contentsOf: json, encoding: .utf8),
                    text.contains("\"sha256\":\"\(hash)\"") || text.contains("\"sha256\": \"\(hash)\"")  // compact, or indented (earlier versions)
                else { continue }
                if published {
                    guard FileHash.sha256(ofFileAt: destination.file(base).path) == hash else { continue }
                    guard unlink(workFile.path) == 0 else { return nil }
                    try? fsyncDirectory(workFile.deletingLastPathComponent())
                    return (destination, base)
                }
                guard moveNoReplace(from: workFile, to: destination.file(base)) == 0 else { return nil }
                try? fsyncDirectory(destination)
                try? fsyncDirectory(workFile.deletingLastPathComponent())
                return (destination, base)
            }
        }
        return nil
    }

    /// Publishes a checked report: its sidecars (the JSON first, which a restart uses to finish
    /// a publish cut short) are written under the first free base name, the folder is synced,
    /// and only then the report is moved beside them. Returns the base name the report got.
    static func publish(
        workFile: String, originalName: String, destination: String, sidecars: [Sidecar]
    ) throws -> String {
        precondition(sidecars.first?.suffix == Sidecar.jsonSuffix, "the JSON sidecar goes first")
        let folder = destination + "/"
        next: for n in 1...100_000 {
            let base = suffixed(originalName, n)
            if exists(folder + base) || Sidecar.allSuffixes.contains(where: { exists(folder + base + $0) }) {
                continue
            }
            var placed: [String] = []
            func undo() { for name in placed { unlink(folder + name) } }
            for sidecar in sidecars {
                let name = base + sidecar.suffix
                let code = writeNoReplace(sidecar.bytes, directory: destination, name: name)
                if code == EEXIST {
                    undo()
                    continue next
                }
                guard code == 0 else {
                    undo()
                    throw NianbaoError.system("write", path: name, errno: code)
                }
                placed.append(name)
            }
            do {
                try fsyncDirectory(path: destination)
            } catch {
                undo()
                throw error
            }
            let code = moveNoReplace(from: workFile, to: folder + base)
            if code == EEXIST {
                undo()
                continue
            }
            guard code == 0 else {
                undo()
                throw NianbaoError.system("rename", path: workFile, errno: code)
            }
            // The report's move is not synced on its own: the sidecars are durable already, and if
            // a power cut undoes the rename the report is found in work/ beside no report of its
            // JSON and `finishHalfPublish` completes the move on start. (Two fsyncs a report less:
            // the same count as a minimal mover's.)
            return base
        }
        throw NianbaoError.system("publish", path: originalName, errno: EEXIST)
    }

    // MARK: Checking marks

    /// A file's checking mark in `work/` says "a check of this file began and has not ended".
    /// It is set before each check and removed after; one found after a restart means the
    /// previous process died while checking that file, which may be the file's doing.
    static let checkingMarkPrefix = ".nianbao-checking-"

    /// The mark's name: a hash of the report's name (names may be as long as the system allows).
    static func checkingMarkName(for name: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return checkingMarkPrefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Sets the mark (holding the report's name, for a person looking at `work/`). A process
    /// crash keeps the page cache, so no fsync is needed for what the mark guards against.
    static func setCheckingMark(work: URL, name: String) {
        let path = work.file(checkingMarkName(for: name)).path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let bytes = Array((name + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
    }

    static func clearCheckingMark(work: URL, name: String) {
        unlink(work.file(checkingMarkName(for: name)).path)
    }

    /// Whether `work/<name>` carries a mark naming it.
    static func hasCheckingMark(work: URL, name: String) -> Bool {
        let path = work.file(checkingMarkName(for: name)).path
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        guard n > 0 else { return true }  // an empty mark: the write did not happen, the check did begin
        return String(decoding: buffer[0..<n], as: UTF8.self) == name + "\n"
    }

    /// A check slot: `.nianbao-checking-slot-<n>` holds the name of the file whose check is
    /// under way in that slot (a line), and is empty between checks. Slots are created once and
    /// rewritten, so a report costs no file created and deleted for its mark (``CheckingSlots``).
    static let slotPrefix = checkingMarkPrefix + "slot-"

    /// What a stopped process's slots say, as per-name marks: a slot naming a file that is still
    /// in `folder` becomes that file's mark; then the slots go. Run before anything in the
    /// folder is checked (on start, and on a stopped instance's folder before taking it over).
    static func convertCheckingSlots(in folder: URL) {
        for entry in (try? rawEntries(folder)) ?? [] where entry.name.hasPrefix(slotPrefix) && !entry.isDirectory {
            let path = folder.path + "/" + entry.name
            if let data = FileManager.default.contents(atPath: path), data.last == 0x0A,
                let line = String(data: data.dropLast(), encoding: .utf8), !line.isEmpty, !line.contains("/"),
                exists(folder.path + "/" + line)
            {
                setCheckingMark(work: folder, name: line)
            }
            unlink(path)
        }
    }

    /// Removes marks whose report is no longer in `work/` (published before the mark was cleared).
    static func removeOrphanCheckingMarks(work: URL) {
        guard let dir = opendir(work.path) else { return }
        defer { closedir(dir) }
        var marks: [String] = []
        var reports = Set<String>()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(slotPrefix) { continue }
            if name.hasPrefix(checkingMarkPrefix) { marks.append(name) } else { reports.insert(name) }
        }
        let live = Set(reports.map(checkingMarkName(for:)))
        for mark in marks where !live.contains(mark) { unlink(work.file(mark).path) }
    }

    // MARK: Instances on one share

    /// `work/.nianbao-instance-<name>`: its mtime says the instance was alive then.
    static let instancePrefix = ".nianbao-instance-"

    /// Marks `instance` alive now.
    static func heartbeat(work: URL, instance: String) {
        let fd = open(work.file(instancePrefix + instance).path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        _ = futimens(fd, nil)
        close(fd)
    }

    /// Moves into this instance's folder what no live instance owns: files lying directly in
    /// `work/` (the single-instance layout of earlier versions) and the folders of instances
    /// silent for longer than `lease`. Each file moves by rename, so of several instances
    /// exactly one gets it; a file's checking mark moves with it. Returns the names taken.
    @discardableResult
    static func takeOver(work: URL, instance: String, lease: Duration) -> [String] {
        let own = work.appendingPathComponent(instance, isDirectory: true)
        var taken: [String] = []
        func adopt(_ name: String, from folder: URL) {
            guard !name.hasPrefix("."), renameNoReplace(from: folder.file(name).path,
                                                        to: own.file(name).path) == 0 else { return }
            let mark = checkingMarkName(for: name)
            _ = renameNoReplace(from: folder.file(mark).path, to: own.file(mark).path)
            taken.append(name)
        }
        let now = time(nil)
        for entry in (try? rawEntries(work)) ?? [] where !entry.name.hasPrefix(".") && entry.name != instance {
            if !entry.isDirectory {
                adopt(entry.name, from: work)
                continue
            }
            // alive: its heartbeat is recent; or it has none yet and its folder is recent (an
            // instance of an earlier version makes its folder a moment before its first heartbeat)
            var beat = stat()
            var made = stat()
            let recent = { (info: stat) in Int64(now) - Int64(info.st_mtim.tv_sec) < lease.components.seconds }
            let alive = lstat(work.file(instancePrefix + entry.name).path, &beat) == 0
                ? recent(beat)
                : lstat(work.appendingPathComponent(entry.name, isDirectory: true).path, &made) == 0 && recent(made)
            if alive { continue }
            // silent, but its process holds its lock (on this machine; a slow scan, a loaded
            // host): alive all the same
            if InstanceLock.isHeld(work.file(instancePrefix + entry.name).path) { continue }
            let folder = work.appendingPathComponent(entry.name, isDirectory: true)
            convertCheckingSlots(in: folder)
            // its claims cut short in their staging folder too
            let staging = folder.appendingPathComponent(claimingFolderName, isDirectory: true)
            for inner in (try? rawEntries(staging)) ?? [] where !inner.isDirectory { adopt(inner.name, from: staging) }
            rmdir(staging.path)
            for inner in (try? rawEntries(folder)) ?? [] { adopt(inner.name, from: folder) }
            if rmdir(folder.path) == 0 { unlink(work.file(instancePrefix + entry.name).path) }
        }
        if !taken.isEmpty { try? fsyncDirectory(own) }
        return taken
    }

    /// The names in `directory` and whether each is a directory (links not followed).
    static func rawEntries(_ directory: URL) throws -> [(name: String, isDirectory: Bool)] {
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

    /// Removes hidden temporaries left by a crash (never a user's file) once they are old
    /// enough that no instance can still be writing them (`olderThan` seconds; 0: all of them,
    /// for this instance's own folder).
    /// `own`: an instance whose temporaries (a crash cut its publish short) go whatever their
    /// age, in the same pass over the folder.
    static func removeStaleTemporaries(in directory: URL, olderThan age: Int = 600, own: String? = nil) {
        let now = Int64(time(nil))
        let ownPrefix = own.map { temporaryPrefix + $0 + "+" }
        for name in names(startingWith: temporaryPrefix, in: directory) {
            let path = directory.file(name).path
            if let ownPrefix, name.hasPrefix(ownPrefix) {
                unlink(path)
                continue
            }
            var info = stat()
            if age == 0 || (lstat(path, &info) == 0 && now - Int64(info.st_mtim.tv_sec) >= Int64(age)) { unlink(path) }
        }
    }
}

/// The checking marks of the daemon's checks: one slot file per check under way, reused.
///
/// `begin` writes the file's name into a free slot, `end` empties it; a slot still naming a file
/// after a restart says that check never ended (``FileStore/convertCheckingSlots(in:)`` turns it
/// into the file's mark). A process crash keeps the page cache, so nothing is fsynced. Where a
/// slot cannot be written, the per-name mark is used instead.
final class CheckingSlots: Sendable {
    enum Mark {
        case slot(fd: Int32, folder: String)
        case named(URL, String)
    }
    private struct Slots {
        var free: [String: [Int32]] = [:]
        var all: [(fd: Int32, path: String)] = []
    }
    private let slots = Mutex(Slots())

    /// Marks `name` (in `folder`) as being checked.
    func begin(_ name: String, in folder: URL) -> Mark {
        let key = folder.path
        var fd = slots.withLock { $0.free[key]?.popLast() } ?? -1
        if fd < 0 {
            let path = slots.withLock { key + "/" + FileStore.slotPrefix + String($0.all.count) }
            fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { slots.withLock { $0.all.append((fd, path)) } }
        }
        let line = Array((name + "\n").utf8)
        if fd >= 0, line.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) == line.count {
            return .slot(fd: fd, folder: key)
        }
        if fd >= 0 { end(.slot(fd: fd, folder: key)) }
        FileStore.setCheckingMark(work: folder, name: name)
        return .named(folder, name)
    }

    /// The check ended.
    func end(_ mark: Mark) {
        switch mark {
        case .slot(let fd, let folder):
            _ = ftruncate(fd, 0)
            slots.withLock { $0.free[folder, default: []].append(fd) }
        case .named(let folder, let name):
            FileStore.clearCheckingMark(work: folder, name: name)
        }
    }

    /// When no check is under way (the service is idle, or stops): the slots go.
    func close() {
        for slot in slots.withLock({ s in defer { s = Slots() }; return s.all }) {
            _ = Glibc.close(slot.fd)
            unlink(slot.path)
        }
    }
}

extension URL {
    /// The file `name` in this folder. (`appendingPathComponent(_:)` without a hint asks the
    /// file system whether the result is a folder: two `stat` calls per path built.)
    func file(_ name: String) -> URL { appendingPathComponent(name, isDirectory: false) }
}
