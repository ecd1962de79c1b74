import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The marks in `work/` that say "a check of this file began and has not ended": set before a
/// check and cleared after, so that one found after a restart tells which file the previous
/// process died on; the reused slots of the daemon's checks (`CheckingSlots`) become such marks
/// after a stop.
enum CheckingMarks {
    /// A file's checking mark in `work/` says "a check of this file began and has not ended".
    /// It is set before each check and removed after; one found after a restart means the
    /// previous process died while checking that file, which may be the file's doing.
    static let prefix = ".nianbao-checking-"

    /// The mark's name: a hash of the report's name (names may be as long as the system allows).
    static func markName(for name: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Sets the mark (holding the report's name, for a person looking at `work/`). A process
    /// crash keeps the page cache, so no fsync is needed for what the mark guards against.
    static func set(work: URL, name: String) {
        let path = work.file(markName(for: name)).path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let bytes = Array((name + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
    }

    static func clear(work: URL, name: String) {
        unlink(work.file(markName(for: name)).path)
    }

    /// Whether `work/<name>` carries a mark naming it.
    static func has(work: URL, name: String) -> Bool {
        let path = work.file(markName(for: name)).path
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
    static let slotPrefix = prefix + "slot-"

    /// What a stopped process's slots say, as per-name marks: a slot naming a file that is still
    /// in `folder` becomes that file's mark; then the slots go. Run before anything in the
    /// folder is checked (on start, and on a stopped instance's folder before taking it over).
    static func convertSlots(in folder: URL) {
        for entry in (try? DirectoryListing.entries(folder)) ?? [] where entry.name.hasPrefix(slotPrefix) && !entry.isDirectory {
            let path = folder.path + "/" + entry.name
            if let data = FileManager.default.contents(atPath: path), data.last == 0x0A,
                let line = String(data: data.dropLast(), encoding: .utf8), !line.isEmpty, !line.contains("/"),
                Directories.exists(folder.path + "/" + line)
            {
                set(work: folder, name: line)
            }
            unlink(path)
        }
    }

    /// Removes marks whose report is no longer in `work/` (published before the mark was cleared).
    static func removeOrphans(work: URL) {
        guard let dir = opendir(work.path) else { return }
        defer { closedir(dir) }
        var marks: [String] = []
        var reports = Set<String>()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(slotPrefix) { continue }
            if name.hasPrefix(prefix) { marks.append(name) } else { reports.insert(name) }
        }
        let live = Set(reports.map(markName(for:)))
        for mark in marks where !live.contains(mark) { unlink(work.file(mark).path) }
    }
}

/// The checking marks of the daemon's checks: one slot file per check under way, reused.
///
/// `begin` writes the file's name into a free slot, `end` empties it; a slot still naming a file
/// after a restart says that check never ended (``CheckingMarks/convertSlots(in:)`` turns it
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
            let path = slots.withLock { key + "/" + CheckingMarks.slotPrefix + String($0.all.count) }
            fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { slots.withLock { $0.all.append((fd, path)) } }
        }
        let line = Array((name + "\n").utf8)
        if fd >= 0, line.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) == line.count {
            return .slot(fd: fd, folder: key)
        }
        if fd >= 0 { end(.slot(fd: fd, folder: key)) }
        CheckingMarks.set(work: folder, name: name)
        return .named(folder, name)
    }

    /// The check ended.
    func end(_ mark: Mark) {
        switch mark {
        case .slot(let fd, let folder):
            _ = ftruncate(fd, 0)
            slots.withLock { $0.free[folder, default: []].append(fd) }
        case .named(let folder, let name):
            CheckingMarks.clear(work: folder, name: name)
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
