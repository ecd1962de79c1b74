import Foundation
import NianbaoKit
import InMemoryLogging
import Logging
import Synchronization
import Testing

@testable import NianbaoDaemon
import NianbaoConfig
import NianbaoTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Records which files the checker saw and when.
final class CheckerLog: Sendable {
    struct Call: Sendable {
        var name: String
        var at: ContinuousClock.Instant
        var content: String
    }
    private let calls = Mutex<[Call]>([])
    var all: [Call] { calls.withLock { $0 } }
    func add(_ call: Call) { calls.withLock { $0.append(call) } }
}

/// A small real checker: a report is accepted when its content contains "OK";
/// "WARN" adds a warning; it hashes what it read.
func makeTestChecker(log: CheckerLog, delay: Duration = .zero) -> ReportChecker {
    { url, name in
        let data = (try? Data(contentsOf: url)) ?? Data()
        let content = String(decoding: data, as: UTF8.self)
        log.add(.init(name: name, at: .now, content: content))
        if delay > .zero { try? await Task.sleep(for: delay) }
        let sha = FileHash.sha256Hex([UInt8](data))
        let accepted = content.contains("OK")
        let warnings = content.contains("WARN") ? 1 : 0
        let json = "{\"file\":\"\(name)\",\"accepted\":\(accepted),\"bytes\":\(data.count)}"
        return CheckOutcome(
            verdict: accepted ? .accepted : .rejected, errors: accepted ? 0 : 1, warnings: warnings,
            rules: accepted ? [] : ["E001", "E002"],
            note: accepted && warnings == 0 ? nil : Array("\u{FEFF}\(accepted ? "提示" : "未通过：缺少 OK")\r\n".utf8),
            json: Array(json.utf8), sha256: sha, organ: "淮安市人民政府", year: 2024, edition: "2021")
    }
}

extension InMemoryLogHandler {
    /// The events logged with journal field MESSAGE_ID `messageID`.
    func entries(messageID: String) -> [Entry] {
        entries.filter { $0.metadata["message_id"].map { "\($0)" } == messageID }
    }
}

func testConfig(_ root: TemporaryDirectory) -> DaemonConfig {
    var config = DaemonConfig(dataDirectory: root.url)
    // the index of published results, with the test's folders (not in the user's home)
    config.stateDirectory = root.url.appendingPathComponent("state", isDirectory: true)
    config.pollInterval = .milliseconds(100)
    config.settleTime = .milliseconds(300)
    config.workers = 2
    return config
}

/// Runs a daemon in the background; `stop()` requests a stop and waits for `run()` to return.
struct RunningDaemon {
    let daemon: Daemon
    let task: Task<Void, any Error>

    init(
        config: DaemonConfig, checker: ReportChecker?, logs: InMemoryLogHandler = InMemoryLogHandler(),
        handleSignals: Bool = false,
        loader: (@Sendable () async throws -> DaemonConfig)? = nil
    ) {
        let logger = Logger(label: "test") { _ in
            var handler = logs  // a copy logs into the same store
            handler.logLevel = .trace
            return handler
        }
        // nil: the library's pipeline, with the service's history of published reports
        var makeChecker: (@Sendable (DaemonConfig) -> ReportChecker)?
        if let checker { makeChecker = { _ in checker } }
        daemon = Daemon(
            config: config, configLoader: loader ?? { config }, makeChecker: makeChecker, logger: logger,
            handleSignals: handleSignals)
        let daemon = self.daemon
        task = Task { try await daemon.run() }
    }

    func stop() async throws {
        daemon.control.requestStop()
        try await task.value
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(10), _ condition: () throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// A seed report in Tests/Fixtures.
func seed(_ name: String) -> URL { TestFixtures.url(name) }

func names(in directory: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
}

func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
}

func read(_ url: URL) -> String? {
    (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) }
}

/// Runs a program and returns (status, stdout).
@discardableResult
func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
