import Foundation
import Testing

/// Several servers pointed at one share: each file is checked and published exactly once, an
/// instance touches only what it claimed, and what a stopped instance left is taken over.
@Suite("instances on one share (the real binary)", .serialized)
struct InstancesTests {
    typealias Tool = CheckCommandTests

    final class Instance {
        let process = Process()
        init(data: URL, name: String, lease: String = "120", extra: String = "", log: URL? = nil) throws {
            let config = data.deletingLastPathComponent().appendingPathComponent("\(name).yaml")
            try """
                data_dir: \(data.path)
                poll_interval: 0.1
                settle_time: 0.3
                workers: 2
                instance: \(name)
                instance_lease: \(lease)
                \(extra)
                """.write(to: config, atomically: true, encoding: .utf8)
            process.executableURL = Tool.binary
            process.arguments = ["watch", "--config", config.path]
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "NOTIFY_SOCKET")
            env["NIANBAO_LOG"] = "stderr"
            process.environment = env
            if let log {
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                process.standardError = try FileHandle(forWritingTo: log)
            } else {
                process.standardError = FileHandle.nullDevice
            }
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }
        func kill(_ signal: Int32) {
            if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
            process.waitUntilExit()
        }
        deinit { kill(SIGKILL) }
    }

    static func names(_ url: URL) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }

    static func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    @Test("three instances, one killed and restarted: every file published exactly once, no orphans, nothing left in work/")
    func threeInstances() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-instances-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var instances = try ["a", "b", "c"].map { try Instance(data: data, name: $0) }
        let seeds = try WatchCommandTests.seeds.map { try Data(contentsOf: Tool.fixtures.appendingPathComponent($0.0)) }
        let count = 300
        for i in 0..<count {
            try seeds[i % seeds.count].write(to: data.appendingPathComponent("inbox/r\(i).txt"))
            if i == count / 2 {
                instances[0].kill(SIGKILL)  // mid-run, with files in its hands
                instances[0] = try Instance(data: data, name: "a")
            }
        }
        func published() -> [String] {
            (Self.names(data.appendingPathComponent("accepted")) + Self.names(data.appendingPathComponent("rejected")))
                .filter { $0.hasPrefix("r") && $0.hasSuffix(".txt") && !$0.hasSuffix("审核意见.txt") }
        }
        #expect(Self.wait(60) { published().count >= count }, "\(published().count) of \(count)")
        usleep(500_000)
        let reports = published()
        #expect(reports.count == count, "each exactly once: \(reports.count)")
        #expect(Set(reports) == Set((0..<count).map { "r\($0).txt" }), "no renamed copies")
        for dir in ["accepted", "rejected"] {
            let all = Self.names(data.appendingPathComponent(dir))
            for json in all where json.hasSuffix(".nianbao.json") {
                #expect(all.contains(String(json.dropLast(".nianbao.json".count))), "orphan sidecar \(json)")
            }
            #expect(!all.contains { $0.hasPrefix(".") }, "no temporaries left: \(all.filter { $0.hasPrefix(".") })")
        }
        for name in ["a", "b", "c"] {
            #expect(Self.names(data.appendingPathComponent("work/\(name)")).allSatisfy { $0.hasPrefix(".") })
        }
        for instance in instances { instance.kill(SIGTERM) }
        #expect(instances.allSatisfy { $0.process.terminationStatus == 0 })
    }

    @Test("two instances on one share: the summary beside accepted/ lists the reports both published, whichever wrote it last")
    func sharedSummary() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-instances-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // each instance takes only its own half (the other's names are ignored), so both publish
        // while the other runs
        let instances = try [("a", "b"), ("b", "a")].map {
            try Instance(data: data, name: $0.0, extra: "ignore:\n  - \"\($0.1)-*\"")
        }
        let seed = try Data(contentsOf: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"))  // accepted
        for i in 0..<10 {
            try seed.write(to: data.appendingPathComponent("inbox/a-\(i).txt"))
            try seed.write(to: data.appendingPathComponent("inbox/b-\(i).txt"))
        }
        let accepted = data.appendingPathComponent("accepted")
        #expect(Self.wait(30) { Self.names(accepted).filter { $0.hasSuffix(".txt") && !$0.contains("审核意见") }.count == 20 },
                "inbox: \(Self.names(data.appendingPathComponent("inbox"))); work: \(Self.names(data.appendingPathComponent("work"))) \(Self.names(data.appendingPathComponent("work/a"))) \(Self.names(data.appendingPathComponent("work/b"))); accepted: \(Self.names(accepted)); rejected: \(Self.names(data.appendingPathComponent("rejected")))")
        // each instance learns what the other published (every 30 s) and writes the whole table
        let summary = data.appendingPathComponent("年报汇总.csv")
        func rows() -> Int { ((try? String(contentsOf: summary, encoding: .utf8)) ?? "").split(separator: "\r\n").count - 1 }
        #expect(Self.wait(75) { rows() == 20 }, "rows: \(rows())")
        for instance in instances { instance.kill(SIGTERM) }
        #expect(rows() == 20, "written again on stop, still whole")
    }

    @Test("what a stopped instance left in its folder is taken over once its lease runs out, with its checking marks")
    func takeOver() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-takeover-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        let gone = data.appendingPathComponent("work/gone")
        try FileManager.default.createDirectory(at: gone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let seed = Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt")
        try FileManager.default.copyItem(at: seed, to: gone.appendingPathComponent("left.txt"))
        try FileManager.default.copyItem(at: seed, to: gone.appendingPathComponent("poison.txt"))
        try Data("poison.txt\n".utf8).write(to: gone.appendingPathComponent(WatchCommandTests.checkingMark(for: "poison.txt")))
        // the stopped instance's heartbeat, five seconds old; a lease of 3 s has run out
        let beat = data.appendingPathComponent("work/.nianbao-instance-gone")
        try Data().write(to: beat)
        var old = [timespec(tv_sec: time(nil) - 5, tv_nsec: 0), timespec(tv_sec: time(nil) - 5, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, beat.path, &old, 0) == 0)
        let live = data.appendingPathComponent("work/busy")
        try FileManager.default.createDirectory(at: live, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: seed, to: live.appendingPathComponent("mine.txt"))
        try Data().write(to: data.appendingPathComponent("work/.nianbao-instance-busy"))  // alive just now
        let a = try Instance(data: data, name: "a", lease: "3")
        #expect(Self.wait(15) {
            Self.names(data.appendingPathComponent("accepted")).contains("left.txt")
                && Self.names(data.appendingPathComponent("rejected")).contains("poison.txt.审核意见.txt")
        })
        #expect(!FileManager.default.fileExists(atPath: gone.path), "the stopped instance's empty folder is removed")
        #expect(Self.names(live) == ["mine.txt"], "a live instance's file is not touched")
        a.kill(SIGTERM)
    }

    @Test("a second process with the same instance name exits at once with status 3, naming the first; the first keeps checking; after a SIGKILL the name is free at once")
    func oneProcessPerInstanceName() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-one-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let seed = try Data(contentsOf: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"))
        let accepted = data.appendingPathComponent("accepted")
        let first = try Instance(data: data, name: "x")
        try seed.write(to: data.appendingPathComponent("inbox/before.txt"))
        #expect(Self.wait(15) { Self.names(accepted).contains("before.txt") }, "the first instance serves")

        let log = root.appendingPathComponent("second.log")
        let started = Date()
        let second = try Instance(data: data, name: "x", log: log)
        second.process.waitUntilExit()
        let took = Date().timeIntervalSince(started)
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(second.process.terminationStatus == 3, "\(said)")
        #expect(took < 1.5, "it exits at once, not after a lease: \(took) s")
        #expect(said.contains("实例名“x”已在使用"), "\(said)")
        #expect(said.contains("进程 \(first.process.processIdentifier)"), "it names the first process: \(said)")
        #expect(said.contains("instance:"), "and says how to give it another name: \(said)")

        // the first is not disturbed
        try seed.write(to: data.appendingPathComponent("inbox/after.txt"))
        #expect(Self.wait(15) { Self.names(accepted).contains("after.txt") }, "the first instance still serves")
        #expect(!Self.names(accepted).contains("after (2).txt"))

        // killed: a restart takes the name at once (no lease to wait for) and goes on
        first.kill(SIGKILL)
        let restarted = try Instance(data: data, name: "x")
        try seed.write(to: data.appendingPathComponent("inbox/restart.txt"))
        #expect(Self.wait(10) { Self.names(accepted).contains("restart.txt") }, "the restarted instance serves")
        #expect(restarted.process.isRunning)
        restarted.kill(SIGTERM)
        #expect(restarted.process.terminationStatus == 0)
    }
}
