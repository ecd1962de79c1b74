import Foundation
import Synchronization
import NianbaoConfig
import NianbaoCore

#if canImport(Glibc)
    import Glibc
#endif

extension NianbaoError {
    /// Another process serves this instance name (`instance-in-use`): the folder
    /// `work/<instance>/` is its alone. Its fields name the instance and the holder (`instance`,
    /// `holder_host`, `holder_pid`), as the journal records them; `path` is the file that names it.
    static func instanceInUse(instance: String, host: String, pid: Int32, since: Int64?, path: String) -> NianbaoError {
        var sinceText = "?"
        if let since {
            var t = time_t(since)
            var parts = tm()
            localtime_r(&t, &parts)
            sinceText = String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                               parts.tm_hour, parts.tm_min, parts.tm_sec)
        }
        return NianbaoError(
            code: .instanceInUse, operation: "", path: path,
            message: Localized(
                zh: "实例名“\(instance)”已在使用：主机 \(host) 上的进程 \(pid) 自 \(sinceText) 起以此名运行（见 \(path)）。"
                    + "同一实例名只能由一个进程使用，本进程退出；如需再运行一个实例，请在配置文件中用 instance: 给它另起名字。",
                en: "the instance name \"\(instance)\" is in use: process \(pid) on host \(host) has served it since \(sinceText) (see \(path)). "
                    + "One process per instance name: this one exits; to run another instance, give it another name with instance: in its configuration."),
            help: Localized(zh: "", en: ""),
            fields: ["instance": instance, "holder_host": host, "holder_pid": String(pid)])
    }
}

/// One process per instance name, for the life of the process.
///
/// The lock is the instance's heartbeat file `work/.nianbao-instance-<name>`: an exclusive
/// `flock(2)` on it, held open until the process ends (a crash frees it at once), and its
/// content naming the holder (`host pid start`). Where the filesystem cannot lock (some network
/// shares), or the holder is on another host (a FUSE share locks on this machine only), the
/// content is what counts: a holder on this host is alive while its process is; one on another
/// host while its heartbeat is younger than the lease.
final class InstanceLock: Sendable {
    private struct Held {
        var fd: Int32
        var path: String
    }
    private let held = Mutex<Held?>(nil)
    private let started = Int64(time(nil))

    /// Takes the name `config.instance` in `config.work` (kept if this process has it already;
    /// a different name is taken first and the old one then let go).
    func acquire(_ config: DaemonConfig) throws {
        let path = config.work.file(ShareInstances.prefix + config.instance).path
        if held.withLock({ $0?.path == path }) { return }
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw NianbaoError.system("open", path: path, errno: errno) }
        // another instance may be looking (a moment's shared lock, ``isHeld(_:)``): try again briefly
        var code = flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno
        for _ in 0..<20 where code == EWOULDBLOCK || code == EINTR {
            usleep(10_000)
            code = flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno
        }
        if code == EWOULDBLOCK || code == EINTR {
            let holder = Self.holder(fd: fd)
            close(fd)
            throw NianbaoError.instanceInUse(instance: config.instance, host: holder?.host ?? DaemonConfig.hostName(),
                                             pid: holder?.pid ?? 0, since: holder?.since, path: path)
        }
        let locked = code == 0  // ENOLCK, EOPNOTSUPP…: no locks here, the content decides
        if let holder = Self.holder(fd: fd), holder.pid != getpid() || holder.host != Self.host {
            let alive: Bool
            if holder.host == Self.host {
                // on this machine: the lock said it where there is one; else its process
                alive = !locked && holder.pid > 0 && (kill(holder.pid, 0) == 0 || errno == EPERM)
            } else {
                var info = stat()
                alive = fstat(fd, &info) == 0
                    && Int64(time(nil)) - Int64(info.st_mtim.tv_sec) < config.instanceLease.components.seconds
            }
            if alive {
                close(fd)
                throw NianbaoError.instanceInUse(instance: config.instance, host: holder.host, pid: holder.pid, since: holder.since,
                                                 path: path)
            }
        }
        let line = Array("\(Self.host) \(getpid()) \(started)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = futimens(fd, nil)
        let previous = held.withLock { h in
            defer { h = Held(fd: fd, path: path) }
            return h
        }
        if let previous { close(previous.fd) }
    }

    /// Lets the name go (the process ends, or tests).
    func release() {
        if let h = held.withLock({ h in defer { h = nil }; return h }) { close(h.fd) }
    }

    /// Whether a process holds the lock on the heartbeat file at `path` (seen where locks
    /// reach: this machine, or a filesystem that locks across hosts).
    static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// `host pid start` from the file, if it holds that.
    private static func holder(fd: Int32) -> (host: String, pid: Int32, since: Int64?)? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let fields = String(decoding: buffer[0..<n], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let pid = Int32(fields[1]) else { return nil }
        return (String(fields[0]), pid, fields.count > 2 ? Int64(fields[2]) : nil)
    }
}
