import Foundation
import NianbaoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Taking a file from the inbox into this instance's `work/` folder atomically, so that of
/// several processes (or servers on one share) exactly one gets it, and finishing the claims a
/// crash cut short.
enum Claims {
    enum Outcome: Equatable {
        case claimed(URL)
        /// Someone else took it (or the user removed it) between scan and claim.
        case gone
        /// A file of that name is already in `work/`; try again later.
        case busy
    }

    /// Takes `inbox/<name>` into `work/<name>` atomically. A name that is not UTF-8
    /// (`rawName`) is taken into `work/` under its readable form.
    static func claim(name: String, rawName: [UInt8]? = nil, inbox: URL, work: URL) -> Result<Outcome, NianbaoError> {
        let source = inbox.file(name)
        let target = work.file(name)
        let sourcePath = rawName.map { RawPath(inbox, $0) } ?? RawPath(source.path)
        var code = EXDEV
        if let method = Volumes.renameMethod(into: work.path), method != .renameNoReplace {
            code = claimInTwoSteps(sourcePath, name: name, work: work)
        }
        if code == EXDEV {  // one call does it (local), or the inbox is on another filesystem
            code = rawName != nil ? NoReplace.renameFile(from: sourcePath.bytes, to: RawPath(target.path).bytes)
                : NoReplace.moveFile(from: source, to: target)
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
    static let stagingFolderName = ".nianbao-claiming"

    /// A claim where moving without replacing takes two calls (link, unlink): of several servers
    /// that link the same inbox file each would have it until its unlink, and a crash between
    /// the two leaves it in both folders. So the file is first renamed (one call, which takes
    /// the inbox name from exactly one claimant) into this instance's staging folder, where no
    /// other file can be in the way, and then moved beside the others without replacing.
    /// ``recover(work:inbox:)`` finishes what a crash left staged.
    static func claimInTwoSteps(_ source: RawPath, name: String, work: URL) -> Int32 {
        let target = work.file(name)
        if Directories.exists(target.path) { return EEXIST }
        let staging = work.appendingPathComponent(stagingFolderName, isDirectory: true)
        let staged = staging.file(name)
        // rename(2) would replace: a file of that name still staged (its second step failed) waits
        if Directories.exists(staged.path) { return EEXIST }
        if rename(source.bytes, staged.path) != 0 {
            let code = errno
            guard code == ENOENT, !Directories.exists(staging.path) else { return code }
            // the staging folder first (made once per instance folder)
            guard mkdir(staging.path, 0o700) == 0 || errno == EEXIST else { return errno }
            guard rename(source.bytes, staged.path) == 0 else { return errno }
        }
        let code = NoReplace.renameFile(from: staged.path, to: target.path)
        // left staged: the next scan's ``recover(work:inbox:)`` moves it on or back
        return code == 0 ? 0 : (code == EEXIST ? EEXIST : code)
    }

    /// Files a crash left in the staging folder of claims go on to `work/` (or, where a file of
    /// that name is there already, back to the inbox). Returns the names moved on.
    @discardableResult
    static func recover(work: URL, inbox: URL) -> [String] {
        let staging = work.appendingPathComponent(stagingFolderName, isDirectory: true)
        var moved: [String] = []
        for entry in (try? DirectoryListing.entries(staging)) ?? [] where !entry.isDirectory {
            if NoReplace.renameFile(from: staging.file(entry.name).path, to: work.file(entry.name).path) == 0 {
                moved.append(entry.name)
            } else {
                _ = NoReplace.renameFile(from: staging.file(entry.name).path, to: inbox.file(entry.name).path)
            }
        }
        return moved
    }
}
