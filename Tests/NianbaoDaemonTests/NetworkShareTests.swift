import Foundation
import NianbaoKit
import Testing
import NianbaoCore

@testable import NianbaoDaemon
import NianbaoTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What the service relies on where its folders are on a network share: the ways of moving a
/// file that never replace one, change told by the bytes, one process per instance name, and
/// files followed by name. Each runs on real folders; where a network filesystem's behaviour
/// cannot be had on a local disk (renameat2 answering EINVAL), the folder is taken to be on
/// one (``Volumes/assume(_:for:)``) and the real calls of that method run. The reliability
/// suite runs the service itself on an sshfs mount.
@Suite("network shares", .serialized)
struct NetworkShareTests {
    @Test("the probe of a local folder finds renameat2 and trusted identities, and leaves nothing behind")
    func probeLocal() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let volume = Volume.probe(root.url)
        #expect(volume.local)
        #expect(volume.rename == .renameNoReplace)
        #expect(volume.directorySync)
        #expect(names(in: root.url).isEmpty)
    }

    @Test("every way of moving a file moves it onto a free name and never replaces a taken one", arguments: [
        RenameMethod.renameNoReplace, .linkUnlink, .exclusivePlaceholder,
    ])
    func renameMethods(_ method: RenameMethod) throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let (from, to) = (root.sub("from"), root.sub("to"))
        try FileManager.default.createDirectory(at: from, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: to, withIntermediateDirectories: true)
        Volumes.assume(Volume(kind: "test", local: false, rename: method, directorySync: true), for: to.path)
        defer { Volumes.assume(nil, for: to.path) }

        try write("report", to: from.appendingPathComponent("a.txt"))
        try write("published earlier", to: to.appendingPathComponent("taken.txt"))
        #expect(NoReplace.renameFile(from: from.appendingPathComponent("a.txt").path,
                                          to: to.appendingPathComponent("taken.txt").path) == EEXIST)
        #expect(read(to.appendingPathComponent("taken.txt")) == "published earlier", "never replaced")
        #expect(read(from.appendingPathComponent("a.txt")) == "report", "the source stays where it was")
        #expect(NoReplace.renameFile(from: from.appendingPathComponent("a.txt").path,
                                          to: to.appendingPathComponent("free.txt").path) == 0)
        #expect(read(to.appendingPathComponent("free.txt")) == "report")
        #expect(names(in: from).isEmpty)
        #expect(names(in: to) == ["free.txt", "taken.txt"], "no placeholder or temporary left")
    }

    @Test("on a share a file is changed when its bytes are, not when its inode or times are")
    func changeByBytes() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let file = root.url.appendingPathComponent("r.txt")
        try write("第一版 12345", to: file)
        let read = try Pipeline.readSnapshot(file.path).get()
        let sha = FileHash.sha256(ofFileAt: file.path)!
        // the same bytes under a new inode and another mtime (what a FUSE share shows after a rename)
        let copy = root.url.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: file, to: copy)
        var old = [timespec(tv_sec: time(nil) - 100, tv_nsec: 0), timespec(tv_sec: time(nil) - 100, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, copy.path, &old, 0)
        try FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: copy, to: file)
        #expect(Pipeline.FileIdentity.of(file.path) != read.identity)
        #expect(Publisher.changedSince(read.identity, sha256: sha, at: file), "on a local disk a new inode is a new file")

        Volumes.assume(Volume(kind: "fuse.sshfs", local: false, rename: .linkUnlink, directorySync: true), for: root.url.path)
        defer { Volumes.assume(nil, for: root.url.path) }
        #expect(!Publisher.changedSince(read.identity, sha256: sha, at: file), "on a share the same bytes are the same file")
        // the same size, other bytes
        try write("第二版 54321", to: file)
        #expect(Publisher.changedSince(read.identity, sha256: sha, at: file))
        try write("第二版", to: file)
        #expect(Publisher.changedSince(read.identity, sha256: sha, at: file))
        try FileManager.default.removeItem(at: file)
        #expect(Publisher.changedSince(read.identity, sha256: sha, at: file), "gone is changed")
    }

    @Test("a second holder of an instance name is refused with the first one's host and pid; released, the name is free")
    func instanceLock() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.instance = "srv"
        try FileManager.default.createDirectory(at: config.work, withIntermediateDirectories: true)
        let first = InstanceLock(), second = InstanceLock()
        try first.acquire(config)
        try first.acquire(config)  // again by the holder: kept
        do {
            try second.acquire(config)
            Issue.record("a second holder was let in")
        } catch let error as NianbaoError {
            #expect(error.code == .instanceInUse)
            #expect(error.fields["holder_pid"] == String(getpid()))
            #expect(error.fields["holder_host"] == InstanceLock.host)
            #expect(error.message.zh.contains("instance:"))
        }
        first.release()
        try second.acquire(config)
        second.release()
    }

    @Test("what the heartbeat says counts where the lock cannot: a holder on another host while its heartbeat is fresh, a dead process on this one never")
    func heartbeatContent() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.instance = "srv"
        config.instanceLease = .seconds(60)
        try FileManager.default.createDirectory(at: config.work, withIntermediateDirectories: true)
        let beat = config.work.appendingPathComponent(".nianbao-instance-srv")
        let lock = InstanceLock()

        // another host's process, heard from just now: the name is taken (a share's lock is
        // this machine's only)
        try write("other-host 4242 \(time(nil) - 30)\n", to: beat)
        #expect { try lock.acquire(config) } throws: { ($0 as? NianbaoError)?.code == .instanceInUse }
        // silent for longer than the lease: it stopped
        var old = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, beat.path, &old, 0) == 0)
        try lock.acquire(config)
        #expect(read(beat)?.hasPrefix("\(InstanceLock.host) \(getpid()) ") == true, "it names its new holder")
        lock.release()

        // a process of this host that died (its lock went with it): free at once
        try write("\(InstanceLock.host) 999999 \(time(nil))\n", to: beat)
        try lock.acquire(config)
        lock.release()
    }

    @Test("on a share the settle tracker follows a file by name, though its inode number changes at every listing")
    func trackerByName() {
        var tracker = StabilityTracker()
        tracker.byName = true
        let start = ContinuousClock.now
        func entry(_ inode: UInt64) -> DirectoryEntry {
            DirectoryEntry(name: "r.txt", size: 100, mtimeNanoseconds: 1_000_000_000, ctimeNanoseconds: 1_000_000_000,
                           device: 40, inode: inode)
        }
        #expect(tracker.observe([entry(5)], now: start, settleTime: .seconds(2)).isEmpty)
        #expect(tracker.observe([entry(6)], now: start + .seconds(1), settleTime: .seconds(2)).isEmpty)
        #expect(tracker.observe([entry(7)], now: start + .seconds(2), settleTime: .seconds(2)).map(\.name) == ["r.txt"])
        // and a change of size starts the count again
        var grown = entry(8)
        grown.size = 200
        #expect(tracker.observe([grown], now: start + .seconds(3), settleTime: .seconds(2)).isEmpty)
        #expect(tracker.observe([grown], now: start + .seconds(4), settleTime: .seconds(2)).isEmpty)
        #expect(tracker.observe([grown], now: start + .seconds(5), settleTime: .seconds(2)).count == 1)

        // by inode (a local disk) the renumbered file would never settle
        var local = StabilityTracker()
        #expect(local.observe([entry(5)], now: start, settleTime: .seconds(2)).isEmpty)
        #expect(local.observe([entry(6)], now: start + .seconds(3), settleTime: .seconds(2)).isEmpty)
    }

    @Test("a crash between a move's link and its unlink on a share: the report in its destination stays, the copy in work/ goes")
    func publishCutBetweenLinkAndUnlink() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let (work, accepted) = (root.sub("work"), root.sub("accepted"))
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: accepted, withIntermediateDirectories: true)
        let report = "第一份报告 \(UUID().uuidString)"
        try write(report, to: work.appendingPathComponent("r.txt"))
        try write(report, to: accepted.appendingPathComponent("r.txt"))
        let sha = FileHash.sha256(ofFileAt: work.appendingPathComponent("r.txt").path)!
        try write("{\"schema\":\"nianbao.report/2\",\"verdict\":\"accepted\",\"sha256\":\"\(sha)\"}", to: accepted.appendingPathComponent("r.txt.nianbao.json"))

        // on a local disk a move is one call: a report in both places is two reports
        #expect(Publisher.finishHalfPublish(workFile: work.appendingPathComponent("r.txt"), originalName: "r.txt",
                                            destinations: [accepted]) == nil)
        #expect(names(in: work) == ["r.txt"])

        Volumes.assume(Volume(kind: "fuse.sshfs", local: false, rename: .linkUnlink, directorySync: true), for: accepted.path)
        defer { Volumes.assume(nil, for: accepted.path) }
        let finished = Publisher.finishHalfPublish(workFile: work.appendingPathComponent("r.txt"), originalName: "r.txt",
                                                   destinations: [accepted])
        #expect(finished?.1 == "r.txt")
        #expect(names(in: work).isEmpty, "the copy in work/ went")
        #expect(names(in: accepted) == ["r.txt", "r.txt.nianbao.json"], "no second publish")
        #expect(read(accepted.appendingPathComponent("r.txt")) == report)

        // other bytes under that name are another report: left to be checked
        try write("另一份", to: work.appendingPathComponent("r.txt"))
        #expect(Publisher.finishHalfPublish(workFile: work.appendingPathComponent("r.txt"), originalName: "r.txt",
                                            destinations: [accepted]) == nil)
        #expect(names(in: work) == ["r.txt"])
    }

    @Test("claims on a share go through a staging folder: of two servers exactly one gets the file, and a claim cut short is finished")
    func stagedClaims() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let (inbox, a, b) = (root.sub("inbox"), root.sub("work/a"), root.sub("work/b"))
        for folder in [inbox, a, b] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for folder in [a, b] {
            Volumes.assume(Volume(kind: "fuse.sshfs", local: false, rename: .linkUnlink, directorySync: true), for: folder.path)
        }
        defer { for folder in [a, b] { Volumes.assume(nil, for: folder.path) } }
        try write("报告", to: inbox.appendingPathComponent("r.txt"))
        #expect(Claims.claim(name: "r.txt", inbox: inbox, work: a) == .success(.claimed(a.appendingPathComponent("r.txt"))))
        #expect(Claims.claim(name: "r.txt", inbox: inbox, work: b) == .success(.gone))
        #expect(names(in: a) == [".nianbao-claiming", "r.txt"])
        #expect(names(in: b).filter { !$0.hasPrefix(".") }.isEmpty && names(in: inbox).isEmpty)

        // a crash after the first step: the file waits in the staging folder, in nobody's way
        let staging = a.appendingPathComponent(".nianbao-claiming")
        try write("第二份", to: staging.appendingPathComponent("s.txt"))
        try write("同名的另一份", to: staging.appendingPathComponent("r.txt"))
        try write("又交了一份", to: inbox.appendingPathComponent("r.txt"))
        #expect(Claims.claim(name: "r.txt", inbox: inbox, work: a) == .success(.busy), "nothing staged is replaced")
        #expect(Claims.recover(work: a, inbox: inbox) == ["s.txt"])
        #expect(names(in: a) == [".nianbao-claiming", "r.txt", "s.txt"])
        #expect(read(a.appendingPathComponent("r.txt")) == "报告", "the file already there stays")
        #expect(names(in: staging) == ["r.txt"], "the staged one of a taken name waits: the inbox has that name too")
        try FileManager.default.removeItem(at: inbox.appendingPathComponent("r.txt"))
        #expect(Claims.recover(work: a, inbox: inbox).isEmpty)
        #expect(read(inbox.appendingPathComponent("r.txt")) == "同名的另一份", "back in the inbox, to be claimed again")
        #expect(names(in: staging).isEmpty)
    }

    @Test("an instance whose lock is held is alive to the others however late its heartbeat")
    func heldLockIsAlive() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.instance = "slow"
        let folder = config.work.appendingPathComponent("slow")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: config.work.appendingPathComponent("other"), withIntermediateDirectories: true)
        try write("报告", to: folder.appendingPathComponent("mine.txt"))
        let lock = InstanceLock()
        try lock.acquire(config)
        let beat = config.work.appendingPathComponent(".nianbao-instance-slow")
        var old = [timespec(tv_sec: time(nil) - 600, tv_nsec: 0), timespec(tv_sec: time(nil) - 600, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, beat.path, &old, 0) == 0)
        #expect(InstanceLock.isHeld(beat.path))
        #expect(ShareInstances.takeOver(work: config.work, instance: "other", lease: .seconds(120)).isEmpty)
        #expect(names(in: folder) == ["mine.txt"])
        lock.release()
        #expect(!InstanceLock.isHeld(beat.path))
        #expect(ShareInstances.takeOver(work: config.work, instance: "other", lease: .seconds(120)) == ["mine.txt"])
    }
}
