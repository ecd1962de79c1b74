import Foundation
import Logging
import Synchronization
import NianbaoConfig

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a file is renamed into a name without ever replacing what has that name.
enum RenameMethod: String, Sendable, Equatable {
    /// `renameat2(RENAME_NOREPLACE)`: one atomic call (local filesystems).
    case renameNoReplace = "renameat2(RENAME_NOREPLACE)"
    /// `link(2)` (which never replaces) and then `unlink(2)` of the old name (FUSE/sshfs, NFS).
    case linkUnlink = "link + unlink"
    /// The new name is taken first with `open(O_CREAT | O_EXCL)` (which never replaces), then
    /// the file is renamed over that empty placeholder of our own (no hard links either: CIFS).
    case exclusivePlaceholder = "O_EXCL placeholder + rename"
}

/// What the filesystem under one of the service's folders keeps and allows, found out once by
/// trying (at start and on reload), not assumed from its name.
struct Volume: Sendable, Equatable {
    /// The filesystem's kind as the kernel names it (`ext4`, `fuse.sshfs`, `nfs`…).
    var kind: String
    /// Times come from this machine's clock and inode numbers stay the same across renames: a
    /// local filesystem. On a network share neither holds (a FUSE filesystem may renumber a file
    /// on every rename; the server's clock is not ours; SFTP keeps whole seconds), so there a
    /// file's identity is its bytes.
    var local: Bool
    var rename: RenameMethod
    /// `fsync(2)` on a directory works (some network filesystems answer EINVAL).
    var directorySync: Bool

    /// Network and cluster filesystems by `statfs(2)`'s `f_type`.
    static let remoteTypes: [Int64: String] = [
        0x6969: "nfs", 0x517B: "smb", 0xFF53_4D42: "cifs", 0xFE53_4D42: "smb2", 0x6573_5546: "fuse",
        0x0102_1997: "9p", 0x0BD0_0BD0: "lustre", 0x0000_C36400: "ceph", 0x4750_4653: "gpfs",
    ]

    /// Tries the calls the service needs in `folder` (which must exist and be writable) with
    /// two hidden temporaries of its own, removed again.
    static func probe(_ folder: URL) -> Volume {
        let fsType = statfsType(folder.path)
        let local = fsType.map { remoteTypes[$0] == nil } ?? false
        var kind = mountKind(of: folder.path) ?? fsType.map { remoteTypes[$0] ?? "0x" + String($0, radix: 16) } ?? "?"
        if kind.isEmpty { kind = "?" }
        // named like this instance's other temporaries: a crash here leaves what its next start removes
        let base = folder.path + "/" + Temporaries.newName() + "-probe"
        let (a, b, c) = (base + "-a", base + "-b", base + "-c")
        defer { for path in [a, b, c] { unlink(path) } }
        var method = RenameMethod.exclusivePlaceholder
        if touch(a), touch(c) {
            if let renameat2 = NoReplace.renameat2Function {
                let atFDCWD: Int32 = -100
                // onto a free name it must succeed, onto a taken one it must refuse
                if renameat2(atFDCWD, a, atFDCWD, b, 1) == 0 {
                    if renameat2(atFDCWD, b, atFDCWD, c, 1) != 0 && errno == EEXIST {
                        method = .renameNoReplace
                    }
                    _ = Glibc.rename(b, a)
                }
            }
            if method != .renameNoReplace, link(a, b) == 0 {
                // and a link onto a taken name must refuse too
                if link(a, c) != 0 && errno == EEXIST { method = .linkUnlink }
                unlink(b)
            }
        }
        var directorySync = true
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            directorySync = fsync(fd) == 0 || (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            close(fd)
        }
        return Volume(kind: kind, local: local, rename: method, directorySync: directorySync)
    }

    private static func touch(_ path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// statfs(2)'s f_type (statfs is not exported by the Glibc module: its first field is a
    /// long on every Linux architecture we build for).
    static func statfsType(_ path: String) -> Int64? {
        guard let statfsFunction else { return nil }
        var buffer = [Int](repeating: 0, count: 32)  // struct statfs is 120 bytes on 64-bit Linux
        guard buffer.withUnsafeMutableBytes({ statfsFunction(path, $0.baseAddress!) }) == 0 else { return nil }
        return Int64(UInt32(truncatingIfNeeded: buffer[0]))
    }

    private typealias StatFS = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer) -> Int32
    private static let statfsFunction: StatFS? = {
        guard let symbol = dlsym(nil, "statfs") else { return nil }
        return unsafeBitCast(symbol, to: StatFS.self)
    }()

    /// The filesystem type `/proc/self/mountinfo` gives for the mount holding `path` (the
    /// longest mount point that is a prefix of it): `fuse.sshfs` where statfs only says FUSE.
    static func mountKind(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/self/mountinfo"),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (length: Int, kind: String)?
        for line in text.split(separator: "\n") {
            // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
            let fields = line.split(separator: " ")
            guard fields.count > 5, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = String(fields[4]).replacingOccurrences(of: "\\040", with: " ")
            let inside = mountPoint == "/" || target == mountPoint || target.hasPrefix(mountPoint + "/")
            if inside, mountPoint.utf8.count >= (best?.length ?? -1) {
                best = (mountPoint.utf8.count, String(fields[dash + 1]))
            }
        }
        return best?.kind
    }
}

/// The volumes under the service's folders, probed at start and on reload; the file store asks
/// here how to rename into a folder and whether its identities can be trusted.
enum Volumes {
    private static let known = Mutex<[String: Volume]>([:])

    /// Probes each folder and logs what was found: one line for the folders that share a
    /// finding, and only what differs from the last probe (a reload that changes nothing logs
    /// nothing).
    static func register(_ folders: [URL], config: DaemonConfig, logger: Logger) {
        var changed: [(folder: URL, volume: Volume)] = []
        for folder in folders {
            let volume = Volume.probe(folder)
            let previous = known.withLock { map in
                defer { map[folder.path] = volume }
                return map[folder.path]
            }
            if previous != volume { changed.append((folder, volume)) }
        }
        var groups: [(volume: Volume, folders: [String])] = []
        for (folder, volume) in changed {
            if let i = groups.firstIndex(where: { $0.volume == volume }) {
                groups[i].folders.append(folder.path)
            } else {
                groups.append((volume, [folder.path]))
            }
        }
        for (volume, paths) in groups {
            let metadata: Logger.Metadata = [
                "folders": "\(paths.joined(separator: ","))", "filesystem": "\(volume.kind)",
                "rename": "\(volume.rename.rawValue)", "local": "\(volume.local)",
            ]
            let where_ = paths.joined(separator: "、")
            if volume.local && volume.rename == .renameNoReplace && volume.directorySync {
                logger.debug("\(where_): \(volume.kind), renameat2", metadata: metadata)
                continue
            }
            var zh = "\(where_) 位于\(volume.local ? "" : "网络")文件系统 \(volume.kind)：移动文件用 \(volume.rename.rawValue)"
            var en = "\(paths.joined(separator: ", ")) on the \(volume.local ? "" : "network ")filesystem \(volume.kind): files are moved with \(volume.rename.rawValue)"
            if !volume.local {
                let settle = String(format: "%.1f", remoteMinimumSettle / .seconds(1))
                zh += "；审核期间是否被改写以文件内容（大小与 SHA-256）判断，不依赖 inode 与时间；文件至少 \(settle) 秒未变才审核"
                en += "; a change during the check is told by the file's bytes (size and SHA-256), not by its inode or times; a file is checked once unchanged for \(settle) s"
            }
            if !volume.directorySync {
                zh += "；该文件系统不支持目录 fsync，已跳过"
                en += "; it does not support fsync on a folder, which is skipped"
            }
            logger.notice("\(text(config, zh, en))", metadata: metadata)
        }
    }

    /// The shortest settle time on a network share: its times have whole seconds, so a file
    /// must be seen unchanged across one of its clock's ticks at least (a write in the same
    /// second as the last one, of the same size, changes nothing a listing shows).
    static let remoteMinimumSettle: Duration = .milliseconds(1500)

    /// The volume of `folder` (its path as configured), if it was probed.
    static func volume(of folder: String) -> Volume? { known.withLock { $0[folder] } }

    /// Whether identities (inode, mtime) of files in `folder` can be trusted: true where it was
    /// not probed (a local default).
    static func isLocal(_ folder: String) -> Bool { volume(of: folder)?.local ?? true }

    static func renameMethod(into folder: String) -> RenameMethod? { volume(of: folder)?.rename }

    static func syncsDirectories(_ folder: String) -> Bool { volume(of: folder)?.directorySync ?? true }

    /// Takes `volume` as what `folder` is on, without probing: how the service behaves on a
    /// filesystem this machine does not have (tests), and forgetting it again (nil).
    static func assume(_ volume: Volume?, for folder: String) { known.withLock { $0[folder] = volume } }
}
