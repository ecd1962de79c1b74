import Foundation
import NianbaoCore
import NianbaoKit
import NianbaoRender

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Publishing a checked report into `accepted/` or `rejected/`: its sidecars under the first
/// free name, the folder synced, then the report moved beside them; withdrawing sidecars whose
/// report changed after its check, and finishing a publish a crash cut short.
enum Publisher {
    static let maxSuffixLength = Sidecar.allSuffixes.map(\.utf8.count).max()!

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

    /// Whether the file at `url` is no longer the one read as `read` (written to, replaced, gone).
    ///
    /// On a local filesystem the identity says it (size, mtime, inode: a write or a replacement
    /// changes one of them, the service's own renames none). On a network share inode numbers
    /// and times are not to be trusted across renames, so there it is the bytes themselves:
    /// the size, then the SHA-256 of what is there now against that of what was checked.
    static func changedSince(_ read: Pipeline.FileIdentity, sha256: String, at url: URL) -> Bool {
        guard let now = Pipeline.FileIdentity.of(url.path) else { return true }
        if Volumes.isLocal(Directories.parent(of: url.path)) { return now != read }
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
        try? Directories.sync(destination)
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
                let json = destination.file(base + Sidecar.jsonSuffix)
                guard Directories.exists(json.path) else { break }
                let published = Directories.exists(destination.file(base).path)
                if published && !twoStepMoves { continue }
                if hash == nil { hash = FileHash.sha256(ofFileAt: workFile.path) ?? "" }
                // the JSON read as the report document it is (compact or indented, any version)
                guard let hash, !hash.isEmpty, let data = try? Data(contentsOf: json),
                      let document = try? ReportDocument.decode(data), document.sha256 == hash
                else { continue }
                if published {
                    guard FileHash.sha256(ofFileAt: destination.file(base).path) == hash else { continue }
                    guard unlink(workFile.path) == 0 else { return nil }
                    try? Directories.sync(workFile.deletingLastPathComponent())
                    return (destination, base)
                }
                guard NoReplace.moveFile(from: workFile, to: destination.file(base)) == 0 else { return nil }
                try? Directories.sync(destination)
                try? Directories.sync(workFile.deletingLastPathComponent())
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
            if Directories.exists(folder + base) || Sidecar.allSuffixes.contains(where: { Directories.exists(folder + base + $0) }) {
                continue
            }
            var placed: [String] = []
            func undo() { for name in placed { unlink(folder + name) } }
            for sidecar in sidecars {
                let name = base + sidecar.suffix
                let code = NoReplace.writeFile(sidecar.bytes, directory: destination, name: name)
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
                try Directories.sync(path: destination)
            } catch {
                undo()
                throw error
            }
            let code = NoReplace.moveFile(from: workFile, to: folder + base)
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
}
