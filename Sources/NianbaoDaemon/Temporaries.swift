import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's hidden temporary files (`.nianbao-tmp-…`): their names, owned by the instance
/// that writes them, and their removal after a crash (never a user's file).
enum Temporaries {
    static let prefix = ".nianbao-tmp-"

    /// A hidden temporary's name: `.nianbao-tmp-<instance>+<random>` once the daemon has taken
    /// its instance name (`+` is never part of one), so that after a crash the instance removes
    /// its own temporaries from the shared folders at once, and nobody else's.
    static func newName() -> String {
        prefix + owner.withLock { $0 } + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    private static let owner = Mutex("")

    /// Names this process's temporaries after `instance` (held by it: see ``InstanceLock``).
    static func own(as instance: String) { owner.withLock { $0 = instance + "+" } }

    /// Removes hidden temporaries left by a crash (never a user's file) once they are old
    /// enough that no instance can still be writing them (`olderThan` seconds; 0: all of them,
    /// for this instance's own folder).
    /// `own`: an instance whose temporaries (a crash cut its publish short) go whatever their
    /// age, in the same pass over the folder.
    static func removeStale(in directory: URL, olderThan age: Int = 600, own: String? = nil) {
        let now = Int64(time(nil))
        let ownPrefix = own.map { prefix + $0 + "+" }
        for name in DirectoryListing.names(startingWith: prefix, in: directory) {
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
