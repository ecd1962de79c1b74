import Foundation
import Logging
import NianbaoKit
import ServiceLifecycle
import NianbaoConfig

#if canImport(Glibc)
    import Glibc
#endif

/// Looks at `work/` and the inbox, and queues what can be checked: leftovers of a crash or a
/// stopped instance, and every inbox file whose size and mtime have settled, oldest first,
/// up to the queue's length. A scan that leaves settled files behind (the queue was full)
/// runs again as soon as the queue is half empty, not after `poll_interval`.
///
/// It is the first service to hear of a stop: it stops claiming, and says STOPPING=1.
struct ScannerService: Service {
    let current: CurrentConfiguration
    let state: RunState
    let notifier: Notifier
    let logger: Logger
    let index: PublishedIndex
    let summary: FolderSummary

    /// When the jobs done every so often were done last.
    struct Timers {
        /// Comparing the folders with the index (what other instances published).
        var lastRefresh = ContinuousClock.now
        var refreshTook = Duration.zero
        /// Removing the temporaries a crash left in the shared folders.
        var lastSweep = ContinuousClock.now
    }

    /// Each turn: follow a moved inbox, catch up with what other instances published, scan and
    /// claim, write the folder's summary when due, sweep old temporaries, then wait for the
    /// next turn (refilling the queue meanwhile).
    func run() async throws {
        var scanner = Scanner(logger: logger, state: state, index: index)
        var timers = Timers()
        var watching = current.config
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let snapshot = current.snapshot
                let (config, checker) = (snapshot.config, snapshot.checker)
                followInbox(&scanner, watching: &watching, config: config)
                catchUpWithPublished(&timers, config: config)
                let began = ContinuousClock.now
                let moreWaiting = scanner.scan(config: config, checker: checker)
                state.scannerTurned(scanned: true)
                scanner.report(duration: ContinuousClock.now - began, config: config)
                // the folder's summary: when the service is idle, or every minute during a burst
                summary.writeIfDue(config: config, idle: state.inFlightCount == 0, logger: logger)
                sweepTemporaries(&timers, config: config)
                await waitForNextTurn(&scanner, moreWaiting: moreWaiting, began: began, config: config, checker: checker)
            }
        } onGracefulShutdown: {
            announceStop(state: state, notifier: notifier, logger: logger, config: current.config)
        }
        // what was published last is in the summary when the service stops
        summary.writeIfDue(config: current.config, idle: true, force: true, logger: logger)
    }

    /// Files already settling keep their time unless the inbox itself moved (or the settle
    /// time changed) with a reload.
    private func followInbox(_ scanner: inout Scanner, watching: inout DaemonConfig, config: DaemonConfig) {
        if config.inbox.standardizedFileURL != watching.inbox.standardizedFileURL || config.settleTime != watching.settleTime {
            scanner.tracker = StabilityTracker()
        }
        watching = config
    }

    /// What other instances on the share published since (this one's own results are in the
    /// index as soon as they are published): every 30 s, or less often when comparing the
    /// folders with the index takes long (a million reports).
    private func catchUpWithPublished(_ timers: inout Timers, config: DaemonConfig) {
        guard ContinuousClock.now - timers.lastRefresh > max(.seconds(30), timers.refreshTook * 20) else { return }
        let began = ContinuousClock.now
        do {
            let caught = try index.catchUp()
            if caught.added > 0 || caught.removed > 0 { summary.markStale() }
        } catch {
            logger.warning("\(text(config, "无法核对已发布的结果与索引：\(error)", "cannot compare the published results with the index: \(error)"))")
        }
        timers.lastRefresh = .now
        timers.refreshTook = timers.lastRefresh - began
    }

    /// Temporaries a crash left in the shared folders go once they are old enough.
    private func sweepTemporaries(_ timers: inout Timers, config: DaemonConfig) {
        guard ContinuousClock.now - timers.lastSweep > .seconds(600) else { return }
        timers.lastSweep = .now
        for directory in [config.accepted, config.rejected] { Temporaries.removeStale(in: directory) }
    }

    /// Until the next poll; sooner when a file seen will have settled by then (but not within a
    /// quarter second, nor four scans' time, of this scan), and sooner still when the queue has
    /// room for what was left.
    private func waitForNextTurn(_ scanner: inout Scanner, moreWaiting: Bool, began: ContinuousClock.Instant,
                                 config: DaemonConfig, checker: @escaping ReportChecker) async {
        var moreWaiting = moreWaiting
        let scanned = ContinuousClock.now
        var next = scanned + config.pollInterval
        if let due = scanner.tracker.nextStable {
            next = min(next, max(due, scanned + max(.milliseconds(250), (scanned - began) * 4)))
        }
        while ContinuousClock.now < next, !Task.isShuttingDownGracefully, !Task.isCancelled {
            if moreWaiting && state.inFlightCount <= current.config.queueLength / 2 {
                // refill from what the last scan found settled; a full scan when that is used up
                moreWaiting = scanner.refill(config: config, checker: checker)
                if !moreWaiting { break }
            }
            try? await Task.sleep(for: .milliseconds(moreWaiting ? 20 : 50))
            state.scannerTurned(scanned: false)
        }
    }
}

/// STOPPING=1 and a journal line, once, when a stop begins.
func announceStop(state: RunState, notifier: Notifier, logger: Logger, config: DaemonConfig) {
    guard state.beginStopping() else { return }
    let inHand = max(0, state.inFlightCount - state.queuedCount)  // being checked or published; the queued stay in work/
    notifier.stopping(status: text(config, "正在停止，完成手头 \(inHand) 份", "stopping, finishing \(inHand) in hand"))
    logger.notice(
        "\(text(config, "正在停止，完成手头 \(inHand) 份后退出", "stopping after the \(inHand) file(s) in hand"))",
        metadata: ["message_id": "\(NianbaoMessageID.stopping)"])
}

/// The scan itself, with what it remembers between polls.
struct Scanner {
    let logger: Logger
    let state: RunState
    var tracker = StabilityTracker()
    var inboxBackoff: [String: Backoff] = [:]
    var workBackoff: [String: Backoff] = [:]
    var lastEntryCount = 0
    /// Whether the inbox's file times come from this machine's clock (asked once per inbox).
    var localTimes: (inbox: URL, local: Bool)?

    /// The index of published results: a report withdrawn leaves it.
    let index: PublishedIndex

    init(logger: Logger, state: RunState, index: PublishedIndex) {
        self.logger = logger
        self.state = state
        self.index = index
    }

    /// How long the last scan took, on the debug level; a warning when a scan takes longer than
    /// a second (an inbox with hundreds of thousands of entries, a slow network share).
    func report(duration: Duration, config: DaemonConfig) {
        let ms = Int(duration / .milliseconds(1))
        let metadata: Logger.Metadata = ["scan_ms": "\(ms)", "inbox_entries": "\(lastEntryCount)"]
        if duration > .seconds(1) {
            logger.warning(
                "\(text(config, "扫描收件目录用时 \(ms) 毫秒（\(lastEntryCount) 项）", "scanning the inbox took \(ms) ms (\(lastEntryCount) entries)"))",
                metadata: metadata)
        } else {
            logger.debug("scan: \(lastEntryCount) entries in \(ms) ms", metadata: metadata)
        }
    }

    /// One look at `work/` and the inbox: what can be checked goes to the queue. Returns
    /// whether stable files were left in the inbox because the queue was full.
    mutating func scan(config: DaemonConfig, checker: @escaping ReportChecker) -> Bool {
        let now = ContinuousClock.now
        // Reports published a moment ago that changed since: their verdict is withdrawn and
        // they are checked again once they settle.
        for p in state.watched(now: now) where p.changed {
            state.unwatch(p.savedAs, in: p.destination)
            guard Directories.exists(p.destination.file(p.savedAs).path) else { continue }  // moved away by a person
            Publisher.withdraw(base: p.savedAs, from: p.destination)
            index.remove(file: p.savedAs, folder: p.destination.lastPathComponent)
            _ = Publishing.requeue(workFile: p.destination.file(p.savedAs), name: p.name, config: config,
                             logger: logger, stage: p.savedAs)
        }

        // Leftovers in work/ (a crash, or a publish that failed): check again.
        ShareInstances.heartbeat(work: config.work, instance: config.instance)
        // this instance's folder, should someone have removed it (claims would fail for good)
        try? Directories.ensure(config.instanceWork)
        // on a share, claims whose second step did not happen (a crash, an error) move on
        if let method = Volumes.renameMethod(into: config.instanceWork.path), method != .renameNoReplace {
            Claims.recover(work: config.instanceWork, inbox: config.inbox)
        }
        let adopted = ShareInstances.takeOver(work: config.work, instance: config.instance, lease: config.instanceLease)
        if !adopted.isEmpty {
            logger.notice(
                "\(text(config, "接手了无人处理的 \(adopted.count) 份文件（上次运行或已停止的其他实例留下的）", "took over \(adopted.count) file(s) left by an earlier run or a stopped instance"))",
                metadata: ["report_files": "\(adopted.joined(separator: ","))"])
        }
        if let leftovers = try? DirectoryListing.files(in: config.instanceWork).sorted(by: { $0.name < $1.name }) {
            workBackoff = workBackoff.filter { name, _ in leftovers.contains { $0.name == name } }
            for entry in leftovers where !entry.name.hasPrefix(".") {
                guard state.inFlightCount < config.queueLength else { break }
                guard !state.isInFlight(entry.name) else { continue }
                if let backoff = workBackoff[entry.name], backoff.next > now { continue }
                if state.takeFailed(entry.name) {
                    workBackoff[entry.name, default: Backoff()].fail(now: now)
                    continue
                }
                state.begin(entry.name)
                state.enqueue(QueuedFile(
                    name: entry.name, workFile: config.instanceWork.file(entry.name), leftover: true,
                    config: config, checker: checker))
            }
        }

        let entries: [DirectoryEntry]
        do {
            // the service's own folders may sit inside the inbox: never take those
            let own = Set([config.accepted, config.rejected, config.work].map { $0.standardizedFileURL.path })
            let ignore = IgnoreMatcher(config)
            var listed = try DirectoryListing.files(in: config.inbox, expecting: lastEntryCount)
            listed.removeAll {
                ignore.matches($0.name)
                    || (!$0.isRegular && own.contains(config.inbox.file($0.name).standardizedFileURL.path))
            }
            entries = listed
        } catch {
            logger.error("\(text(config, "无法读取收件目录：\(error)", "cannot read the inbox: \(error)"))")
            return false
        }
        state.setWaiting(entries.count)
        lastEntryCount = entries.count
        // oldest first, so nobody's report starves behind a burst
        if localTimes?.inbox != config.inbox { localTimes = (config.inbox, Directories.timesAreLocal(config.inbox)) }
        let local = localTimes?.local == true
        // a network share's times have whole seconds (and its inode numbers may change): there a
        // file is followed by its name and must be unchanged across two of the server's ticks
        tracker.byName = !local
        let stable = tracker.observe(
            entries, now: now, settleTime: local ? config.settleTime : max(config.settleTime, Volumes.remoteMinimumSettle),
            wallClock: local ? WallClock.now() : nil)
            .sorted { ($0.mtimeNanoseconds, $0.name) < ($1.mtimeNanoseconds, $1.name) }
        if !inboxBackoff.isEmpty {
            let present = Set(entries.map(\.name))
            inboxBackoff = inboxBackoff.filter { present.contains($0.key) }
        }
        backlog = []
        let more = claim(stable[...], config: config, checker: checker, now: now, recheck: false)
        if more { backlogTaken = now }
        return more
    }

    /// Settled files a scan found but had no room to claim, oldest first: while they are
    /// younger than a poll, the queue is refilled from them as it drains, each looked at again
    /// (size and mtime unchanged) instead of listing the whole inbox again.
    var backlog: ArraySlice<DirectoryEntry> = []
    var backlogTaken = ContinuousClock.now

    /// Claims from the backlog. Returns whether settled files are still waiting; false when
    /// there is no fresh backlog (a full scan is due).
    mutating func refill(config: DaemonConfig, checker: @escaping ReportChecker) -> Bool {
        let now = ContinuousClock.now
        guard !backlog.isEmpty, now - backlogTaken < config.pollInterval else {
            backlog = []
            return false
        }
        return claim(backlog, config: config, checker: checker, now: now, recheck: true)
    }

    /// Claims `stable` in order until the queue is full; what is left becomes the backlog.
    mutating func claim(_ stable: ArraySlice<DirectoryEntry>, config: DaemonConfig, checker: @escaping ReportChecker,
                        now: ContinuousClock.Instant, recheck: Bool) -> Bool {
        var claimedAny = false
        defer {
            // one sync of both folders for the whole batch of renames (a claim lost to a power
            // cut only leaves the file in the inbox, to be claimed again)
            if claimedAny {
                try? Directories.sync(config.instanceWork)
                try? Directories.sync(config.inbox)
            }
        }
        for (offset, entry) in zip(stable.indices, stable) {
            guard state.inFlightCount < config.queueLength else {
                backlog = stable[offset...]
                return true
            }
            if let backoff = inboxBackoff[entry.name], backoff.next > now { continue }
            let source = config.inbox.file(entry.name)
            // from the backlog: still the file that settled (else the next scan looks again)
            if recheck, entry.isRegular, entry.rawName == nil,
                Pipeline.FileIdentity.of(source.path).map({ $0.size != entry.size || $0.mtimeNanoseconds != entry.mtimeNanoseconds }) ?? true
            {
                continue
            }
            // a symlink, FIFO or folder is never opened here; the check says what it is
            let sourcePath = entry.rawName.map { RawPath(config.inbox, $0) } ?? RawPath(source.path)
            if entry.isRegular, let code = Directories.readabilityError(sourcePath) {
                if code == ENOENT { continue }
                var backoff = inboxBackoff[entry.name] ?? Backoff()
                backoff.fail(now: now)
                inboxBackoff[entry.name] = backoff
                logger.warning(
                    "\(text(config, "无法读取 \(entry.name)：\(String(cString: strerror(code)))，\(backoff.delaySeconds) 秒后重试", "cannot read \(entry.name): \(String(cString: strerror(code))); retrying in \(backoff.delaySeconds) s"))",
                    metadata: ["report_file": "\(entry.name)", "errno": "\(code)"])
                continue
            }
            switch Claims.claim(name: entry.name, rawName: entry.rawName, inbox: config.inbox, work: config.instanceWork) {
            case .success(.claimed(let workFile)):
                inboxBackoff[entry.name] = nil
                tracker.forget(entry)
                state.claimed()
                claimedAny = true
                state.begin(entry.name)
                state.enqueue(QueuedFile(name: entry.name, workFile: workFile, leftover: false, config: config, checker: checker))
            case .success(.gone), .success(.busy):
                continue
            case .failure(let failure):
                var backoff = inboxBackoff[entry.name] ?? Backoff()
                backoff.fail(now: now)
                inboxBackoff[entry.name] = backoff
                logger.warning(
                    "\(text(config, "无法取走 \(entry.name)：\(failure)，\(backoff.delaySeconds) 秒后重试", "cannot take \(entry.name): \(failure); retrying in \(backoff.delaySeconds) s"))",
                    metadata: ["report_file": "\(entry.name)"])
            }
        }
        backlog = []
        return false
    }
}

/// Size, mtime and ctime must stay the same over at least two scans, and the file must have
/// been left alone for `settleTime`.
///
/// How long a file has been left alone is known from its ctime (which changes with every write
/// and rename and which nobody can set back), when the inbox is on a local filesystem: a file
/// already at rest when first seen (the service started, or was busy, while it waited) is taken
/// at the next scan, which comes soon (see ``nextStable``). On a network share the server's clock
/// may differ from ours, so there the time counts from the first scan that saw the file.
///
/// Kept by (device, inode), which is cheap to hash for an inbox of a hundred thousand files,
/// and updated in place: a scan that finds the same files rebuilds nothing.
struct StabilityTracker {
    private struct Key: Hashable {
        var device: UInt64
        var inode: UInt64
    }
    /// What is compared between scans (kept small: an inbox may hold 100,000 files). No name:
    /// a rename changes the ctime.
    private struct Seen {
        var size: Int64
        var mtimeNanoseconds: Int64
        var ctimeNanoseconds: Int64
        var since: ContinuousClock.Instant
        var scan: Int32
        func matches(_ entry: DirectoryEntry) -> Bool {
            entry.size == size && entry.mtimeNanoseconds == mtimeNanoseconds && entry.ctimeNanoseconds == ctimeNanoseconds
        }
    }
    private var seen: [Key: Seen] = [:]
    /// On a network share a file is followed by its name: inode numbers there may change from
    /// one listing to the next (a FUSE filesystem numbers what it has cached), and a file that
    /// seemed new at every scan would never settle.
    var byName = false {
        didSet { if byName != oldValue { seen = [:]; names = [:] } }
    }
    private var names: [String: Key] = [:]
    private var nextNameKey: UInt64 = 0

    private mutating func key(_ entry: DirectoryEntry) -> Key {
        guard byName else { return Key(device: entry.device, inode: entry.inode) }
        if let key = names[entry.name] { return key }
        nextNameKey &+= 1
        let key = Key(device: .max, inode: nextNameKey)
        names[entry.name] = key
        return key
    }
    private var scans: Int32 = 0
    /// When the next file seen but not yet stable would be, if it stays as it is (nil: none).
    private(set) var nextStable: ContinuousClock.Instant?

    /// The entries that are stable now. `wallClock` is given when the inbox's ctimes come from
    /// this machine's clock: read after the listing (a file changed while the inbox was being
    /// listed has a ctime before it), with the monotonic instant it was read at.
    mutating func observe(
        _ entries: [DirectoryEntry], now: ContinuousClock.Instant, settleTime: Duration, wallClock: WallClock? = nil
    ) -> [DirectoryEntry] {
        scans &+= 1
        let scan = scans
        if seen.isEmpty { seen.reserveCapacity(entries.count) }
        var stable: [DirectoryEntry] = []
        var next: ContinuousClock.Instant?
        for entry in entries {
            let key = key(entry)
            if let index = seen.index(forKey: key), seen.values[index].matches(entry) {
                seen.values[index].scan = scan
                let record = seen.values[index]
                if now - record.since >= settleTime {
                    stable.append(entry)
                } else if next.map({ record.since + settleTime < $0 }) ?? true {
                    next = record.since + settleTime
                }
                continue
            }
            // at rest since its last change, by its ctime (never more than the settle time back,
            // and never in the future)
            var since = now
            if let wallClock {
                let rest = Duration.nanoseconds(min(max(0, wallClock.nanoseconds - entry.ctimeNanoseconds), 1_000_000_000_000))
                // the last change, on the monotonic clock (never later than now)
                since = min(now, wallClock.at - min(rest, settleTime))
            }
            seen[key] = Seen(size: entry.size, mtimeNanoseconds: entry.mtimeNanoseconds,
                             ctimeNanoseconds: entry.ctimeNanoseconds, since: since, scan: scan)
            // a second scan must see it unchanged, however long it has been at rest
            let due = max(since + settleTime, now)
            if next.map({ due < $0 }) ?? true { next = due }
        }
        nextStable = next
        // files gone since the last scan (claimed, deleted, renamed) are forgotten
        if seen.count > entries.count {
            seen = seen.filter { $0.value.scan == scan }
            if byName { names = names.filter { seen[$0.value] != nil } }
        }
        return stable
    }

    mutating func forget(_ entry: DirectoryEntry) {
        if byName {
            if let key = names.removeValue(forKey: entry.name) { seen[key] = nil }
        } else {
            seen[Key(device: entry.device, inode: entry.inode)] = nil
        }
    }
}

/// The wall clock (nanoseconds since 1970, what ctimes are in) and the monotonic instant it was
/// read at, so that a ctime's age becomes an instant on the monotonic clock.
struct WallClock {
    var nanoseconds: Int64
    var at: ContinuousClock.Instant
    static func now() -> WallClock {
        WallClock(nanoseconds: Directories.wallClockNanoseconds(), at: .now)
    }
}

/// Exponential back-off: 5 s, 10 s, 20 s … at most 5 minutes.
struct Backoff {
    var failures = 0
    var next = ContinuousClock.now
    var delaySeconds: Int { min(300, 5 << min(failures - 1, 6)) }
    mutating func fail(now: ContinuousClock.Instant) {
        failures += 1
        next = now + .seconds(delaySeconds)
    }
}

