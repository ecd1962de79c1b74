import CSystemd
import Foundation
import InMemoryLogging
import Logging
import Synchronization
import Testing

@testable import NianbaoDaemon
import NianbaoConfig
import NianbaoCore
import NianbaoTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A bound AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET.
final class NotifySocket: Sendable {
    let path: String
    private let fd: Int32
    private let received = Mutex<[String]>([])

    init() throws {
        path = NSTemporaryDirectory() + "nianbao-notify-\(UUID().uuidString.prefix(8)).sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard fd >= 0, bound == 0 else { throw NianbaoError.system("bind", path: path, errno: errno) }
    }

    /// Reads whatever has arrived, without waiting.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count <= 0 { return }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            received.withLock { $0.append(message) }
        }
    }

    var messages: [String] {
        drain()
        return received.withLock { $0 }
    }

    func close() {
        _ = Glibc.close(fd)
        unlink(path)
    }
}

extension DaemonTests {

    @Test func notifiesSystemdOfReadinessStatusWatchdogReloadAndStop() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let notify = try NotifySocket()
        defer { notify.close() }
        setenv("NOTIFY_SOCKET", notify.path, 1)
        setenv("WATCHDOG_USEC", "400000", 1)
        unsetenv("WATCHDOG_PID")
        defer {
            unsetenv("NOTIFY_SOCKET")
            unsetenv("WATCHDOG_USEC")
        }

        var initial = testConfig(root)
        initial.workers = 1
        let config = initial
        let reloads = Mutex(0)
        let logs = InMemoryLogHandler()
        let log = CheckerLog()
        // First reload: a good configuration (English). Second: a broken one.
        let loader: @Sendable () async throws -> DaemonConfig = {
            let count = reloads.withLock {
                $0 += 1
                return $0
            }
            if count == 1 {
                var fresh = config
                fresh.language = .en
                return fresh
            }
            throw NianbaoError.config(key: "poll_interval", message: "bad")
        }
        let daemon = RunningDaemon(
            config: config, checker: makeTestChecker(log: log, delay: .milliseconds(1500)), logs: logs,
            handleSignals: true, loader: loader)

        #expect(await eventually { notify.messages.contains { $0.hasPrefix("READY=1") } })
        let ready = notify.messages.first { $0.hasPrefix("READY=1") } ?? ""
        #expect(ready.contains("\nSTATUS=等待 0 份"))
        #expect(logs.entries(messageID: NianbaoMessageID.started).count == 1)
        #expect(await eventually { notify.messages.filter { $0 == "WATCHDOG=1" }.count >= 3 })

        // A report goes through: STATUS reflects it.
        try write("OK", to: config.inbox.appendingPathComponent("甲.txt"))
        #expect(await eventually { notify.messages.contains { $0.contains("今日通过 1 份") && $0.contains("最近：甲.txt") } })

        // SIGHUP → RELOADING=1 with MONOTONIC_USEC, then READY=1; the new language shows in STATUS.
        var before = notify.messages.count
        let sentAt = Notifier.monotonicMicroseconds()
        kill(getpid(), SIGHUP)
        #expect(await eventually { notify.messages.dropFirst(before).contains { $0.hasPrefix("READY=1") } })
        var after = Array(notify.messages.dropFirst(before))
        let reloading = after.firstIndex { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") }
        let readyAgain = after.firstIndex { $0.hasPrefix("READY=1") }
        #expect(reloading != nil && readyAgain != nil && reloading! < readyAgain!)
        if let reloading, let usec = UInt64(after[reloading].split(separator: "=").last ?? "") {
            #expect(usec >= sentAt && usec < sentAt + 5_000_000)
        } else {
            Issue.record("no MONOTONIC_USEC in \(after)")
        }
        #expect(after[readyAgain ?? 0].contains("STATUS=waiting 0"))
        #expect(logs.entries(messageID: NianbaoMessageID.reloaded).count == 1)

        // A broken configuration: still READY=1 afterwards, old one kept, error logged.
        before = notify.messages.count
        kill(getpid(), SIGHUP)
        #expect(await eventually { notify.messages.dropFirst(before).contains { $0.hasPrefix("READY=1") } })
        after = Array(notify.messages.dropFirst(before))
        #expect(after.contains { $0.hasPrefix("RELOADING=1") })
        #expect(after.first { $0.hasPrefix("READY=1") }?.contains("STATUS=waiting") == true)
        #expect(logs.entries(messageID: NianbaoMessageID.configError).count == 1)

        // SIGTERM while a report is in hand: it is finished, STOPPING=1 is sent, run() returns soon.
        try write("OK", to: config.inbox.appendingPathComponent("乙.txt"))
        #expect(await eventually { log.all.contains { $0.name == "乙.txt" } })
        let stopAt = ContinuousClock.now
        kill(getpid(), SIGTERM)
        try await daemon.task.value
        #expect(ContinuousClock.now - stopAt < .seconds(5))
        #expect(FileManager.default.fileExists(atPath: config.accepted.appendingPathComponent("乙.txt").path))
        #expect(names(in: config.instanceWork).isEmpty)
        #expect(notify.messages.contains { $0.hasPrefix("STOPPING=1") })
        #expect(logs.entries(messageID: NianbaoMessageID.stopping).count == 1)
        #expect(reloads.withLock { $0 } == 2)
    }

    /// journald, started here if none is listening; stopped again if we started it.
    struct Journald {
        var process: Process?
        static let socket = "/run/systemd/journal/socket"
        static let binary = "/lib/systemd/systemd-journald"

        static func ensure() throws -> Journald {
            if journalIsListening(socketPath: socket) { return Journald(process: nil) }
            try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<100 where !journalIsListening(socketPath: socket) { usleep(50_000) }
            return Journald(process: process)
        }

        func stop() {
            guard let process, process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Journald.binary) && getuid() == 0))
    func reportEventsReachTheJournalAsStructuredFields() async throws {
        let journald = try Journald.ensure()
        defer { journald.stop() }
        try #require(journalIsListening(socketPath: Journald.socket))

        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let config = testConfig(root)
        let tag = UUID().uuidString.prefix(8)
        let goodName = "通过-\(tag).txt"
        let badName = "退回-\(tag).txt"
        let logger = Logger(label: "nianbao") { JournalLogHandler(label: $0) }
        let daemon = Daemon(
            config: config, configLoader: { config }, checker: makeTestChecker(log: CheckerLog()), logger: logger,
            handleSignals: false)
        let task = Task { try await daemon.run() }
        try Daemon.prepareDirectories(config)
        try write("OK good", to: config.inbox.appendingPathComponent(goodName))
        try write("bad", to: config.inbox.appendingPathComponent(badName))
        #expect(await eventually { names(in: config.accepted).count == 2 && names(in: config.rejected).count == 3 })
        daemon.control.requestStop()
        try await task.value

        func entries(_ name: String) throws -> [[String: Any]] {
            _ = try? runProgram("/usr/bin/journalctl", ["--flush"])
            let output = try runProgram(
                "/usr/bin/journalctl", ["-o", "json", "--no-pager", "SYSLOG_IDENTIFIER=nianbao", "REPORT_FILE=\(name)"]
            ).1
            return output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
        var good: [[String: Any]] = []
        var bad: [[String: Any]] = []
        _ = try await eventually(timeout: .seconds(5)) {
            good = try entries(goodName)
            bad = try entries(badName)
            return !good.isEmpty && !bad.isEmpty
        }
        let accepted = try #require(good.first)
        let rejected = try #require(bad.first)
        #expect(accepted["MESSAGE_ID"] as? String == NianbaoMessageID.reportAccepted)
        #expect(accepted["VERDICT"] as? String == "accepted")
        #expect(accepted["ERRORS"] as? String == "0")
        #expect(accepted["WARNINGS"] as? String == "0")
        #expect(accepted["ORGAN"] as? String == "淮安市人民政府")
        #expect(accepted["REPORT_YEAR"] as? String == "2024")
        #expect(accepted["EDITION"] as? String == "2021")
        #expect((accepted["REPORT_SHA256"] as? String)?.count == 64)
        #expect(Int(accepted["DURATION_MS"] as? String ?? "") != nil)
        #expect(accepted["PRIORITY"] as? String == "5")
        #expect((accepted["CODE_FILE"] as? String)?.hasSuffix("Publishing.swift") == true)
        #expect(Int(accepted["CODE_LINE"] as? String ?? "") != nil)
        #expect(accepted["CODE_FUNC"] != nil)
        #expect((accepted["MESSAGE"] as? String)?.contains(goodName) == true)
        #expect(rejected["MESSAGE_ID"] as? String == NianbaoMessageID.reportRejected)
        #expect(rejected["VERDICT"] as? String == "rejected")
        #expect(rejected["ERRORS"] as? String == "1")
        #expect(rejected["RULES"] as? String == "E001,E002")
    }

    @Test func journalFieldNamesAreSanitised() {
        #expect(journalFieldName("report_file") == "REPORT_FILE")
        #expect(journalFieldName("report-year") == "REPORT_YEAR")
        #expect(journalFieldName("_private") == "PRIVATE")
        #expect(journalFieldName("9lives") == "LIVES")
        #expect(journalFieldName("审核") == nil)
        #expect(journalFieldName(String(repeating: "a", count: 80))?.count == 64)
    }

    @Test func withoutJournaldLogsGoToStderrWithPriorityPrefixes() throws {
        #expect(!journalIsListening(socketPath: NSTemporaryDirectory() + "no-such-journal-\(UUID()).sock"))
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        var logger = Logger(label: "nianbao") { StderrLogHandler(label: $0, fileDescriptor: fds[1]) }
        logger.logLevel = .debug
        logger.warning("无法读取 a.txt", metadata: ["report_file": "a.txt", "message_id": "abc"])
        logger.debug("细节\n第二行")
        close(fds[1])
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while case let count = read(fds[0], &buffer, buffer.count), count > 0 { data += buffer[0..<count] }
        close(fds[0])
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines == ["<4>无法读取 a.txt MESSAGE_ID=abc REPORT_FILE=a.txt", "<7>细节 第二行"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl")))
    func catalogExplainsEveryMessageIDInChineseAndEnglish() throws {
        let catalog = TestProduct.file("systemd/nianbao.catalog")
        let text = try String(contentsOf: catalog, encoding: .utf8)
        for (kind, id) in NianbaoMessageID.all {
            #expect(text.contains("-- \(id)\n"), "no English entry for \(kind)")
            #expect(text.contains("-- \(id) zh_CN\n"), "no zh_CN entry for \(kind)")
        }
        // journalctl compiles it into a catalog database and can print every entry.
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let directory = root.url.appendingPathComponent("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: catalog, to: directory.appendingPathComponent("nianbao.catalog"))
        let (status, _) = try runProgram("/usr/bin/journalctl", ["--root=\(root.url.path)", "--update-catalog"])
        #expect(status == 0)
        let (_, listed) = try runProgram("/usr/bin/journalctl", ["--root=\(root.url.path)", "--list-catalog"])
        for id in NianbaoMessageID.all.values { #expect(listed.contains(id)) }
        let (_, dumped) = try runProgram(
            "/usr/bin/journalctl", ["--root=\(root.url.path)", "--dump-catalog", NianbaoMessageID.reportRejected])
        #expect(dumped.contains("Subject: Annual report rejected: @REPORT_FILE@"))
    }
}

extension DaemonTests {
    static let systemdDirectory = TestProduct.file("systemd")

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func serviceUnitLoadsOnThisSystemdAndScoresAtMostTwo() throws {
        let unit = Self.systemdDirectory.appendingPathComponent("nianbao.service").path
        // Every key is known to this systemd (252 on Debian 12).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify", unit]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(!complaints.contains("Unknown"), "\(complaints)")
        #expect(!complaints.contains("Invalid"), "\(complaints)")
        #expect(!complaints.contains("Failed to parse"), "\(complaints)")
        // --threshold is in tenths: 20 = exposure 2.0.
        let (status, report) = try runProgram(
            "/usr/bin/systemd-analyze", ["security", "--offline=true", "--threshold=20", "--no-pager", unit])
        #expect(status == 0, "\(report.split(separator: "\n").last ?? "")")
        let text = try String(contentsOf: URL(fileURLWithPath: unit), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.contains("Type=notify") && !lines.contains("Type=notify-reload"))
        #expect(text.contains("ExecReload=/bin/kill -HUP $MAINPID"))
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-tmpfiles")))
    func sysusersAndTmpfilesCreateTheUserAndTheFolders() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        for (source, target) in [
            ("nianbao.sysusers", "usr/lib/sysusers.d/nianbao.conf"), ("nianbao.tmpfiles", "usr/lib/tmpfiles.d/nianbao.conf"),
        ] {
            let url = root.url.appendingPathComponent(target)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.systemdDirectory.appendingPathComponent(source), to: url)
        }
        try FileManager.default.createDirectory(at: root.sub("etc"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.sub("var/lib"), withIntermediateDirectories: true)
        #expect(try runProgram("/usr/bin/systemd-sysusers", ["--root=\(root.url.path)"]).0 == 0)
        #expect(try runProgram("/usr/bin/systemd-tmpfiles", ["--root=\(root.url.path)", "--create"]).0 == 0)
        let passwd = read(root.sub("etc").appendingPathComponent("passwd")) ?? ""
        #expect(passwd.contains("nianbao:x:"))
        for (name, mode) in [("inbox", 0o2770), ("accepted", 0o2770), ("rejected", 0o2770), ("work", 0o750)] {
            var info = stat()
            #expect(stat(root.sub("var/lib/nianbao/\(name)").path, &info) == 0)
            #expect(Int(info.st_mode & 0o7777) == mode, "\(name)")
        }
    }
}
