import Foundation
import Testing

@testable import NianbaoDaemon
import NianbaoRender
import NianbaoTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's behaviour on a real filesystem, as a user of the shared folder sees it.
/// Serialized with the other daemon suites: some tests set process-wide state (signals, env).
@Suite(.serialized) struct DaemonTests {

    @Test func slowlyWrittenFileIsNotTakenBeforeItStopsChanging() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.pollInterval = .milliseconds(200)
        // six times the writer's pauses: a test machine busy with the other suites can stretch
        // a 500 ms pause well past a second
        config.settleTime = .seconds(3)
        let log = CheckerLog()
        let daemon = RunningDaemon(config: config, checker: makeTestChecker(log: log))

        #expect(await eventually { FileManager.default.fileExists(atPath: config.inbox.path) })
        // Written over ~5 s in ten pieces; only the last piece makes it acceptable.
        let file = config.inbox.appendingPathComponent("年报-慢.txt")
        try #require(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        for piece in 0..<10 {
            try handle.write(contentsOf: Data((piece == 9 ? "OK\n" : "第\(piece)段\n").utf8))
            try await Task.sleep(for: .milliseconds(500))
        }
        try handle.close()
        let finished = ContinuousClock.now

        #expect(await eventually { FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("年报-慢.txt").path) })
        try await daemon.stop()

        let calls = log.all
        #expect(calls.count == 1)
        // The checker saw the whole file, and only after the writer stopped.
        #expect(calls.first.map { $0.at >= finished } == true)
        #expect(calls.first?.content.hasSuffix("OK\n") == true)
        #expect(names(in: config.accepted) == ["年报-慢.txt", "年报-慢.txt.nianbao.json"])
        #expect(names(in: config.inbox).isEmpty)
        #expect(names(in: config.instanceWork).isEmpty)
    }

    /// Reports left in the inbox while the service was down have been at rest for longer than
    /// the settle time: they are taken at the first scans, not a poll interval later.
    @Test func filesAlreadyAtRestWhenTheServiceStartsAreTakenAtOnce() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.pollInterval = .seconds(20)
        config.settleTime = .milliseconds(500)
        try Daemon.prepareDirectories(config)
        try write("OK", to: config.inbox.appendingPathComponent("停机时收到.txt"))
        try await Task.sleep(for: .milliseconds(700))
        let started = ContinuousClock.now
        let daemon = RunningDaemon(config: config, checker: makeTestChecker(log: CheckerLog()))
        #expect(await eventually(timeout: .seconds(10)) {
            FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("停机时收到.txt").path)
        })
        #expect(ContinuousClock.now - started < .seconds(10), "taken before the next poll (20 s)")
        try await daemon.stop()
    }

    @Test func ignoredNamesStayPut() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let config = testConfig(root)
        try Daemon.prepareDirectories(config)
        let ignored = [
            ".hidden", "~$年报.docx", ".~lock.年报.docx#", "下载中.tmp", "a.part", "b.crdownload",
            ".年报.docx.Xy12Ab",
        ]
        for name in ignored { try write("OK \(name)", to: config.inbox.appendingPathComponent(name)) }
        try write("OK", to: config.inbox.appendingPathComponent("正常.txt"))
        let log = CheckerLog()
        let daemon = RunningDaemon(config: config, checker: makeTestChecker(log: log))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("正常.txt").path) })
        try await Task.sleep(for: .seconds(1))  // several more polls
        try await daemon.stop()

        #expect(names(in: config.inbox) == ignored.sorted())
        for name in ignored { #expect(read(config.inbox.appendingPathComponent(name)) == "OK \(name)") }
        #expect(log.all.map(\.name) == ["正常.txt"])
    }

    @Test func nameCollisionKeepsBothFilesAndTheirSidecars() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let config = testConfig(root)
        try Daemon.prepareDirectories(config)
        // An earlier report of the same name is already in accepted/.
        try write("earlier", to: config.accepted.appendingPathComponent("报告.docx"))
        try write("{}", to: config.accepted.appendingPathComponent("报告.docx.nianbao.json"))
        // Only an old note exists under the second name: that name is not free either.
        try write("old note", to: config.accepted.appendingPathComponent("报告 (2).docx.审核意见.txt"))

        let log = CheckerLog()
        let daemon = RunningDaemon(config: config, checker: makeTestChecker(log: log))
        try write("OK new", to: config.inbox.appendingPathComponent("报告.docx"))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("报告 (3).docx").path) })
        // The same rejected name twice.
        try write("bad 1", to: config.inbox.appendingPathComponent("退回.txt"))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.rejected.appendingPathComponent("退回.txt").path) })
        try write("bad 2", to: config.inbox.appendingPathComponent("退回.txt"))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.rejected.appendingPathComponent("退回 (2).txt").path) })
        try await daemon.stop()

        #expect(read(config.accepted.appendingPathComponent("报告.docx")) == "earlier")
        #expect(read(config.accepted.appendingPathComponent("报告.docx.nianbao.json")) == "{}")
        #expect(read(config.accepted.appendingPathComponent("报告 (2).docx.审核意见.txt")) == "old note")
        #expect(read(config.accepted.appendingPathComponent("报告 (3).docx")) == "OK new")
        #expect(read(config.accepted.appendingPathComponent("报告 (3).docx.nianbao.json"))?.contains("\"accepted\":true") == true)
        #expect(names(in: config.rejected) == [
            "退回 (2).txt", "退回 (2).txt.nianbao.json", "退回 (2).txt.审核意见.txt",
            "退回.txt", "退回.txt.nianbao.json", "退回.txt.审核意见.txt",
        ])
        #expect(read(config.rejected.appendingPathComponent("退回.txt")) == "bad 1")
        #expect(read(config.rejected.appendingPathComponent("退回 (2).txt")) == "bad 2")
        #expect(read(config.rejected.appendingPathComponent("退回 (2).txt.nianbao.json"))?.contains("\"bytes\":5") == true)
    }

    /// The library decides the verdict and writes the note; the daemon only places them. A
    /// report accepted with warnings gets the library's note, one accepted without gets none.
    @Test func acceptedWithWarningsGetsTheLibrarysNoteWithoutWarningsNone() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.ruleSeverities = ["row-cell-count": "warning"]  // seed 002's three errors become warnings
        try Daemon.prepareDirectories(config)
        try FileManager.default.copyItem(at: seed("002_baa9f92cd75d3d34.txt"), to: config.inbox.appendingPathComponent("有提示.txt"))
        try FileManager.default.copyItem(at: seed("000_6d5291d632ae3dd2.txt"), to: config.inbox.appendingPathComponent("无提示.txt"))
        let daemon = RunningDaemon(config: config, checker: Daemon.pipelineChecker(for: config))
        #expect(await eventually { names(in: config.accepted).count == 6 })
        try await daemon.stop()
        #expect(names(in: config.accepted) == [
            "无提示.txt", "无提示.txt.nianbao.json", "有提示.txt", "有提示.txt.nianbao.json", "有提示.txt.审核意见.html",
            "有提示.txt.审核意见.txt",
        ])
        // the same note as a web page, and the folder's overview linking to it
        let page = read(config.accepted.appendingPathComponent("有提示.txt.审核意见.html")) ?? ""
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("row-cell-count"))
        let overview = read(root.url.appendingPathComponent("index.html")) ?? ""
        #expect(overview.contains("href=\"accepted/\(OverviewPage.href(["有提示.txt.审核意见.html"]))\""))
        #expect(overview.contains("data-file=\"无提示.txt\""))
        // the library's note, in the configured encoding (UTF-8 with BOM and CRLF by default)
        let note = try Data(contentsOf: config.accepted.appendingPathComponent("有提示.txt.审核意见.txt"))
        #expect(Array(note.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: note, as: UTF8.self)
        #expect(text.contains("row-cell-count"))
        #expect(text.contains("\r\n"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: config.accepted.appendingPathComponent("有提示.txt.nianbao.json"))) as? [String: Any]
        #expect(json?["verdict"] as? String == "accepted")
        #expect((json?["diagnostics"] as? [[String: Any]])?.contains { $0["code"] as? String == "row-cell-count" } == true)
    }

    @Test func leftoversInWorkAreCheckedAgainAfterACrash() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let config = testConfig(root)
        try Daemon.prepareDirectories(config)
        // A crash left a claimed report in work/ and a half-written sidecar temp in accepted/.
        try write("OK from before the crash", to: config.work.appendingPathComponent("崩溃前.txt"))
        try write("{\"partial", to: config.accepted.appendingPathComponent(".nianbao-tmp-abc123"))
        var anHourAgo = [timespec(tv_sec: time(nil) - 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, config.accepted.appendingPathComponent(".nianbao-tmp-abc123").path, &anHourAgo, 0) == 0)
        // another instance's temporary, being written right now, is not ours to remove
        try write("{\"being written", to: config.rejected.appendingPathComponent(".nianbao-tmp-other1"))
        let log = CheckerLog()
        let daemon = RunningDaemon(config: config, checker: makeTestChecker(log: log))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("崩溃前.txt").path) })
        try await daemon.stop()
        #expect(names(in: config.instanceWork).isEmpty)
        #expect(names(in: config.accepted) == ["崩溃前.txt", "崩溃前.txt.nianbao.json"])
        #expect(names(in: config.rejected) == [".nianbao-tmp-other1"])
        #expect(read(config.accepted.appendingPathComponent("崩溃前.txt")) == "OK from before the crash")
        #expect(log.all.map(\.name) == ["崩溃前.txt"])
    }

    @Test func oversizedFileIsRejectedWithANoteAndNotRead() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        config.maxFileSize = 1024
        try Daemon.prepareDirectories(config)
        let big = config.inbox.appendingPathComponent("太大.pdf")
        try Data(repeating: 0x4F, count: 200_000).write(to: big)  // "OOOO…", > 1 KiB
        let expectedSHA = try runProgram("/usr/bin/sha256sum", [big.path]).1.split(separator: " ").first.map(String.init)
        let daemon = RunningDaemon(config: config, checker: Daemon.pipelineChecker(for: config))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.rejected.appendingPathComponent("太大.pdf").path) })
        try await daemon.stop()
        let note = read(config.rejected.appendingPathComponent("太大.pdf.审核意见.txt")) ?? ""
        #expect(note.contains("超过上限"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: config.rejected.appendingPathComponent("太大.pdf.nianbao.json"))) as? [String: Any]
        #expect(json?["sha256"] as? String == expectedSHA)
        #expect(json?["schema"] as? String == "nianbao.report/2")
        #expect(json?["verdict"] as? String == "rejected")
        #expect(json?["bytes"] as? Int == 200_000)
        #expect((json?["diagnostics"] as? [[String: Any]])?.first?["code"] as? String == "file-too-large")
        #expect(Directories.fileSize(config.rejected.appendingPathComponent("太大.pdf")) == 200_000)
    }

    @Test func movesAcrossFilesystemsByCopying() async throws {
        // work/ on tmpfs (/dev/shm), accepted/ and rejected/ on the disk: EXDEV on publish.
        let shm = try TemporaryDirectory(base: "/dev/shm")
        let disk = try TemporaryDirectory()
        defer {
            shm.cleanup()
            disk.cleanup()
        }
        var info1 = stat()
        var info2 = stat()
        stat(shm.url.path, &info1)
        stat(disk.url.path, &info2)
        try #require(info1.st_dev != info2.st_dev, "needs /dev/shm on another filesystem")
        var config = testConfig(disk)
        config.inbox = shm.sub("inbox")
        config.work = shm.sub("work")
        try Daemon.prepareDirectories(config)
        let content = String(repeating: "OK 跨文件系统\n", count: 20_000)
        try write(content, to: config.inbox.appendingPathComponent("跨盘.txt"))
        try write("{}", to: config.accepted.appendingPathComponent("跨盘.txt"))  // taken: must become (2)
        let daemon = RunningDaemon(config: config, checker: makeTestChecker(log: CheckerLog()))
        #expect(await eventually { FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("跨盘 (2).txt").path) })
        try await daemon.stop()
        #expect(read(config.accepted.appendingPathComponent("跨盘 (2).txt")) == content)
        #expect(read(config.accepted.appendingPathComponent("跨盘.txt")) == "{}")
        #expect(names(in: config.instanceWork).isEmpty)
        #expect(names(in: config.inbox).isEmpty)
        #expect(!names(in: config.accepted).contains { $0.hasPrefix(".") })
    }

    @Test func claimSkipsAFileSomeoneElseTook() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let config = testConfig(root)
        try Daemon.prepareDirectories(config)
        #expect(Claims.claim(name: "不存在.txt", inbox: config.inbox, work: config.work) == .success(.gone))
        try write("new", to: config.inbox.appendingPathComponent("同名.txt"))
        try write("in work", to: config.work.appendingPathComponent("同名.txt"))
        #expect(Claims.claim(name: "同名.txt", inbox: config.inbox, work: config.work) == .success(.busy))
        #expect(read(config.work.appendingPathComponent("同名.txt")) == "in work")
        #expect(read(config.inbox.appendingPathComponent("同名.txt")) == "new")
    }
}
