import Foundation
import NianbaoKit
import Synchronization
import NianbaoConfig

/// A claimed file waiting for a worker.
struct QueuedFile: Sendable {
    var name: String
    var workFile: URL
    /// Found in `work/` rather than claimed from the inbox (a crash, a failed publish).
    var leftover: Bool
    /// The configuration and checker in force when it was claimed (a reload applies to files
    /// claimed after it).
    var config: DaemonConfig
    var checker: ReportChecker
}

/// The configuration in force and the checker built from it; a reload replaces both at once.
final class CurrentConfiguration: Sendable {
    struct Snapshot: Sendable {
        var config: DaemonConfig
        var checker: ReportChecker
        /// Counts reloads: a service that keeps state derived from the configuration compares it.
        var generation: Int
    }
    private let value: Mutex<Snapshot>
    init(_ config: DaemonConfig, checker: @escaping ReportChecker) {
        value = Mutex(Snapshot(config: config, checker: checker, generation: 0))
    }
    var snapshot: Snapshot { value.withLock { $0 } }
    var config: DaemonConfig { value.withLock { $0.config } }
    func replace(_ config: DaemonConfig, checker: @escaping ReportChecker) {
        value.withLock {
            $0 = Snapshot(config: config, checker: checker, generation: $0.generation + 1)
        }
    }
}

/// A wake-up call between services: many may ring it, one loop waits on it; rings while
/// nobody waits are kept as one.
struct Wakeup: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }
    func ring() { continuation.yield() }
    func close() { continuation.finish() }
}

/// What the services share: the queue of claimed files, the counters behind STATUS=, the
/// reports watched after publishing, and the scanner's heartbeat for the watchdog.
final class RunState: Sendable {
    private struct Counters {
        var inFlight: Set<String> = []
        var failed: Set<String> = []
        var waiting = 0
        var day = ""
        var acceptedToday = 0
        var rejectedToday = 0
        var lastFile: String?
    }
    private let counters = Mutex(Counters())

    /// Rung when the queue gets work or a worker ends (the workers' service starts workers).
    let work = Wakeup()

    // MARK: Lifecycle

    private struct Phase {
        var scans = 0
        var lastScanTurn: ContinuousClock.Instant?
        var stopping = false
    }
    private let phase = Mutex(Phase())
    /// The scanner finished a turn of its loop (the watchdog's proof of life).
    func scannerTurned(scanned: Bool) {
        phase.withLock {
            $0.lastScanTurn = .now
            if scanned { $0.scans += 1 }
        }
    }
    var hasScanned: Bool { phase.withLock { $0.scans > 0 } }
    var lastScannerTurn: ContinuousClock.Instant? { phase.withLock { $0.lastScanTurn } }
    /// Returns true the first time only.
    func beginStopping() -> Bool {
        phase.withLock { phase in
            defer { phase.stopping = true }
            return !phase.stopping
        }
    }
    var isStopping: Bool { phase.withLock { $0.stopping } }

    // MARK: Published reports


    /// A report published a moment ago, watched for a while: a writer that paused longer than
    /// the settle time and then went on writing to it makes its verdict stale.
    struct Published: Sendable {
        var name: String
        var destination: URL
        var savedAs: String
        /// What the file was when published: the identity it was read with (a local
        /// filesystem), or the one the share gave just after the move.
        var identity: Pipeline.FileIdentity
        /// The SHA-256 of the bytes checked: on a network share a changed size or mtime is
        /// confirmed by the bytes.
        var sha256: String
        var local: Bool
        var until: ContinuousClock.Instant

        /// Whether the published file is no longer what was checked.
        var changed: Bool {
            let path = destination.file(savedAs).path
            let now = Pipeline.FileIdentity.of(path)
            guard Publisher.differs(now, from: identity, local: local) else { return false }
            return local || now == nil || FileHash.sha256(ofFileAt: path) != sha256
        }
    }
    private let published = Mutex<[Published]>([])

    func watch(_ p: Published) { published.withLock { $0.append(p) } }
    /// The watched reports, with those past their time dropped.
    func watched(now: ContinuousClock.Instant) -> [Published] {
        published.withLock { list in
            list.removeAll { $0.until < now }
            return list
        }
    }
    func unwatch(_ savedAs: String, in destination: URL) {
        published.withLock { $0.removeAll { $0.savedAs == savedAs && $0.destination == destination } }
    }

    // MARK: Queue and workers

    /// Claimed files (queued or being checked).
    var inFlightCount: Int { counters.withLock { $0.inFlight.count } }
    /// Files being checked right now.
    var runningCount: Int { running.withLock { $0 } }
    private let running = Mutex(0)
    func startRunning() { running.withLock { $0 += 1 } }
    func finishRunning() {
        running.withLock { $0 -= 1 }
        work.ring()
    }

    // MARK: Scans

    /// A scan in the lane of scans: waiting for its turn at the OCR gate, or being read.
    struct Scan: Sendable {
        var name: String
        /// The page being read and the page count (0 and 0 while it waits).
        var page = 0
        var pages = 0
    }
    private let scans = Mutex<[Scan]>([])
    /// Scans in their lane (waiting or being read): their workers hold no check permit.
    var scanCount: Int { scans.withLock { $0.count } }
    /// A worker's file turned out to be a scan: it leaves the checking lane for the scans' lane.
    func scanEntered(_ name: String) {
        scans.withLock { $0.append(Scan(name: name)) }
        work.ring()  // a worker may start in its place
    }
    func scanProgress(_ name: String, page: Int, of pages: Int) {
        scans.withLock { list in
            if let i = list.firstIndex(where: { $0.name == name }) {
                list[i].page = page
                list[i].pages = pages
            }
        }
    }
    func scanLeft(_ name: String) {
        scans.withLock { list in
            if let i = list.firstIndex(where: { $0.name == name }) { list.remove(at: i) }
        }
    }

    /// Claimed files waiting for a worker, in claim order (oldest first).
    private let queue = Mutex<[QueuedFile]>([])
    var queuedCount: Int { queue.withLock { $0.count } }
    func enqueue(_ file: QueuedFile) {
        queue.withLock { $0.append(file) }
        work.ring()
    }
    func dequeue() -> QueuedFile? { queue.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    func drainQueue() -> [QueuedFile] {
        queue.withLock { q in
            defer { q = [] }
            return q
        }
    }
    func isInFlight(_ name: String) -> Bool { counters.withLock { $0.inFlight.contains(name) } }
    func begin(_ name: String) { counters.withLock { _ = $0.inFlight.insert(name) } }
    func end(_ name: String, failed: Bool) {
        counters.withLock {
            $0.inFlight.remove(name)
            if failed { $0.failed.insert(name) }
        }
    }
    /// Whether the last attempt on `name` failed (clears the mark).
    func takeFailed(_ name: String) -> Bool { counters.withLock { $0.failed.remove(name) != nil } }
    func setWaiting(_ count: Int) { counters.withLock { $0.waiting = count } }
    /// A file left the inbox for work/: no longer waiting (keeps STATUS= current between scans).
    func claimed() { counters.withLock { $0.waiting = max(0, $0.waiting - 1) } }

    // MARK: STATUS=

    func record(name: String, accepted: Bool) {
        let today = Self.today()
        counters.withLock {
            if $0.day != today {
                $0.day = today
                $0.acceptedToday = 0
                $0.rejectedToday = 0
            }
            if accepted { $0.acceptedToday += 1 } else { $0.rejectedToday += 1 }
            $0.lastFile = name
        }
    }

    func statusLine(_ config: DaemonConfig) -> String {
        let today = Self.today()
        let scans = scans.withLock { $0 }
        return counters.withLock { c in
            let (accepted, rejected) = c.day == today ? (c.acceptedToday, c.rejectedToday) : (0, 0)
            let last = c.lastFile
            if config.language == .zh {
                return "等待 \(c.waiting) 份，审核中 \(c.inFlight.count) 份；今日通过 \(accepted) 份、退回 \(rejected) 份"
                    + Self.scansText(scans, zh: true) + (last.map { "；最近：\($0)" } ?? "")
            }
            return "waiting \(c.waiting), checking \(c.inFlight.count); today accepted \(accepted), rejected \(rejected)"
                + Self.scansText(scans, zh: false) + (last.map { "; last: \($0)" } ?? "")
        }
    }

    /// The scans being read, each with its page, and how many wait for their turn.
    static func scansText(_ scans: [Scan], zh: Bool) -> String {
        let reading = scans.filter { $0.pages > 0 }
        let waiting = scans.count - reading.count
        var out = ""
        for s in reading {
            out += zh ? "；正在识别扫描件 \(s.name)：第 \(s.page) 页，共 \(s.pages) 页" : "; reading scan \(s.name): page \(s.page) of \(s.pages)"
        }
        if waiting > 0 { out += zh ? "；扫描件排队待识别 \(waiting) 份" : "; scans waiting to be read: \(waiting)" }
        return out
    }

    static func today() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return "\(parts.tm_year + 1900)-\(parts.tm_mon + 1)-\(parts.tm_mday)"
    }
}
