import NianbaoReaders
import Dispatch
import Logging
import ServiceLifecycle
import Synchronization
import NianbaoConfig

/// The check workers: at most `workers` checks at once (as the configuration in force says),
/// each worker taking files from the queue as fast as it finishes them.
///
/// A file's check takes the CPU and its publishing waits on the disk (fsyncs), so the two are
/// not held by one worker: a worker that has checked a file gives its check permit to the next
/// worker while it publishes. Up to ``publishingPerWorker`` times `workers` files are in hand
/// at once, while no more than `workers` are being checked.
///
/// A scan (a file read by OCR, seconds a page) does not keep text reports waiting: when its
/// reading starts, its worker gives the check permit back and the scan goes on in the lane of
/// scans, where at most `ocr_workers` are read at once (``ScanReader/Gate``) and the others wait
/// their turn; another worker starts in its place, so that text reports flow past the scans
/// whatever `workers` is. Up to ``scansAsideAtMost`` scans are set aside so (each waits on a
/// thread of its own); beyond that, a scan waiting for its turn counts as a file in hand. A scan
/// read goes through extraction and the rules (milliseconds) without taking a permit again.
/// The reading itself is the reader child's, capped in memory and time (`ocr_timeout`).
///
/// A stop lets each worker finish the file in hand; files still queued stay in `work/` and are
/// checked on the next start.
struct CheckWorkersService: Service {
    let current: CurrentConfiguration
    let state: RunState
    let notifier: Notifier
    let logger: Logger
    let index: PublishedIndex
    let summary: FolderSummary

    /// Files in hand per check permit: one being checked, the others being published.
    static let publishingPerWorker = 3
    /// The same where the results go to a network share: each call there waits a round trip
    /// (a publish is about twenty of them), so more publishes overlap.
    static let publishingPerWorkerOnShare = 8

    /// The most scans in their lane that do not count as files in hand.
    static let scansAsideAtMost = 32

    static func inHandPerWorker(_ config: DaemonConfig) -> Int {
        Directories.timesAreLocal(config.accepted) && Directories.timesAreLocal(config.rejected)
            ? publishingPerWorker : publishingPerWorkerOnShare
    }

    func run() async throws {
        let marks = CheckingSlots()
        defer { marks.close() }
        let publishing = Publishing(logger: logger, state: state, index: index, summary: summary, marks: marks)
        let state = self.state
        let permits = Permits(current.config.workers)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await _ in state.work.stream {
                    let workers = current.config.workers
                    permits.setLimit(workers)
                    let inHand = workers * Self.inHandPerWorker(current.config)
                    while !state.isStopping, state.runningCount - min(state.scanCount, Self.scansAsideAtMost) < inHand,
                        state.queuedCount > 0
                    {
                        state.startRunning()
                        group.addTask {
                            let publishQueue = DispatchQueue(label: "nianbao.publish")
                            while !state.isStopping {
                                await permits.acquire()
                                guard !state.isStopping, let file = state.dequeue() else {
                                    permits.release()
                                    break
                                }
                                let turn = CheckTurn(name: file.name, permits: permits, state: state)
                                let checked = await CheckTurn.$current.withValue(turn) { await publishing.check(file) }
                                turn.releasePermit()
                                let published = if let checked { await publishing.publish(checked, on: publishQueue) } else { true }
                                state.end(file.name, failed: !published)
                            }
                            state.finishRunning()
                        }
                    }
                    // idle: the check slots go, so work/ holds nothing while nothing is in hand
                    if state.runningCount == 0 && state.queuedCount == 0 { marks.close() }
                }
                // claimed but not started: they stay in work/ and are checked on the next start
                for file in state.drainQueue() { state.end(file.name, failed: false) }
            }
        } onGracefulShutdown: {
            announceStop(state: state, notifier: notifier, logger: logger, config: current.config)
            state.work.close()
            permits.setLimit(Int.max / 2)  // waiting workers wake, see the stop and end
        }
    }
}

/// At most `limit` holders at once; the others wait, first come first served.
final class Permits: Sendable {
    private struct State {
        var limit: Int
        var used = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(_ limit: Int) { state = Mutex(State(limit: max(1, limit))) }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { s in
                if s.used < s.limit {
                    s.used += 1
                    return true
                }
                s.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.used <= s.limit, !s.waiting.isEmpty { return s.waiting.removeFirst() }  // handed on
            s.used -= 1
            return nil
        }
        next?.resume()
    }

    /// A reload changed `workers`.
    func setLimit(_ limit: Int) {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.limit = max(1, limit)
            var out: [CheckedContinuation<Void, Never>] = []
            while s.used < s.limit, !s.waiting.isEmpty {
                s.used += 1
                out.append(s.waiting.removeFirst())
            }
            return out
        }
        for continuation in woken { continuation.resume() }
    }
}

/// One file's check as its worker holds it: the check permit it took, given back once, early
/// when the file turns out to be a scan (it moves to the lane of scans, see ``CheckWorkersService``).
final class CheckTurn: Sendable {
    /// The turn of the check running in this task (the pipeline's checker reads it).
    @TaskLocal static var current: CheckTurn?

    let name: String
    let permits: Permits
    let state: RunState
    private let holdsPermit = Mutex(true)

    init(name: String, permits: Permits, state: RunState) {
        self.name = name
        self.permits = permits
        self.state = state
    }

    /// Gives the check permit back (the first call only).
    func releasePermit() {
        let held = holdsPermit.withLock { held in
            defer { held = false }
            return held
        }
        if held { permits.release() }
    }

    /// What the OCR reader tells this turn: the scan leaves the checking lane (its permit goes to
    /// the next file) and enters the lane of scans; its pages show in STATUS=.
    var scanObserver: ScanReader.Observer {
        ScanReader.Observer(
            waiting: { [self] in
                state.scanEntered(name)
                releasePermit()
            },
            page: { [self] page, pages in state.scanProgress(name, page: page, of: pages) },
            ended: { [self] in state.scanLeft(name) })
    }
}
