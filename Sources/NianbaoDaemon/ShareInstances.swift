import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Several instances on one share: each one's heartbeat in `work/`, and taking over what no live
/// instance owns (files of the single-instance layout, the folders of stopped instances).
enum ShareInstances {
    /// `work/.nianbao-instance-<name>`: its mtime says the instance was alive then.
    static let prefix = ".nianbao-instance-"

    /// Marks `instance` alive now.
    static func heartbeat(work: URL, instance: String) {
        let fd = open(work.file(prefix + instance).path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
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
            guard !name.hasPrefix("."), NoReplace.renameFile(from: folder.file(name).path,
                                                        to: own.file(name).path) == 0 else { return }
            let mark = CheckingMarks.markName(for: name)
            _ = NoReplace.renameFile(from: folder.file(mark).path, to: own.file(mark).path)
            taken.append(name)
        }
        let now = time(nil)
        for entry in (try? DirectoryListing.entries(work)) ?? [] where !entry.name.hasPrefix(".") && entry.name != instance {
            if !entry.isDirectory {
                adopt(entry.name, from: work)
                continue
            }
            // alive: its heartbeat is recent; or it has none yet and its folder is recent (an
            // instance of an earlier version makes its folder a moment before its first heartbeat)
            var beat = stat()
            var made = stat()
            let recent = { (info: stat) in Int64(now) - Int64(info.st_mtim.tv_sec) < lease.components.seconds }
            let alive = lstat(work.file(prefix + entry.name).path, &beat) == 0
                ? recent(beat)
                : lstat(work.appendingPathComponent(entry.name, isDirectory: true).path, &made) == 0 && recent(made)
            if alive { continue }
            // silent, but its process holds its lock (on this machine; a slow scan, a loaded
            // host): alive all the same
            if InstanceLock.isHeld(work.file(prefix + entry.name).path) { continue }
            let folder = work.appendingPathComponent(entry.name, isDirectory: true)
            CheckingMarks.convertSlots(in: folder)
            // its claims cut short in their staging folder too
            let staging = folder.appendingPathComponent(Claims.stagingFolderName, isDirectory: true)
            for inner in (try? DirectoryListing.entries(staging)) ?? [] where !inner.isDirectory { adopt(inner.name, from: staging) }
            rmdir(staging.path)
            for inner in (try? DirectoryListing.entries(folder)) ?? [] { adopt(inner.name, from: folder) }
            if rmdir(folder.path) == 0 { unlink(work.file(prefix + entry.name).path) }
        }
        if !taken.isEmpty { try? Directories.sync(own) }
        return taken
    }
}
