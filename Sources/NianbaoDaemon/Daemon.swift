import Dispatch
import Foundation
import Logging
import NianbaoKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Stop and reload requests, from signals or from the embedding program.
public final class DaemonControl: Sendable {
    private let flags = Mutex<(stop: Bool, reload: Bool)>((false, false))
    public init() {}
    /// Finish the files in hand, then return from ``Daemon/run()``.
    public func requestStop() { flags.withLock { $0.stop = true } }
    /// Re-read the configuration at the next loop turn.
    public func requestReload() { flags.withLock { $0.reload = true } }
    var stopRequested: Bool { flags.withLock { $0.stop } }
    func takeReloadRequest() -> Bool {
        flags.withLock { flags in
            defer { flags.reload = false }
            return flags.reload
        }
    }
}

/// The drop-folder daemon behind `nianbao watch`.
///
/// Wiring (in the executable):
/// ```swift
/// LoggingSystem.bootstrap(makeJournalOrStderrLogHandler)
/// let load: @Sendable () async throws -> DaemonConfig = {
///     try await DaemonConfig.load(configFile: configPath, overrides: cliOverrides)
/// }
/// let config = try await load()
/// let daemon = Daemon(config: config, configLoader: load, checker: myChecker,
///                     logger: Logger(label: "nianbao"))
/// try await daemon.run()   // returns after SIGTERM/SIGINT; exit 0
/// ```
/// `run()` creates the four directories, re-checks whatever a crash left in
/// `work/`, then polls `inbox/`: a file whose size and mtime stayed unchanged for
/// `settleTime` (over at least two polls) is claimed by rename into `work/`,
/// handed to the checker, and published to `accepted/` or `rejected/` with its
/// sidecars. sd_notify: READY=1 after the first scan, STATUS= kept current,
/// WATCHDOG=1 from the loop, RELOADING=1/READY=1 around a SIGHUP reload (a bad
/// configuration keeps the old one), STOPPING=1 on SIGTERM/SIGINT.
public struct Daemon: Sendable {
    public let control = DaemonControl()
    let initialConfig: DaemonConfig
    let configLoader: @Sendable () async throws -> DaemonConfig
    let makeChecker: @Sendable (DaemonConfig) -> ReportChecker
    let logger: Logger
    let handleSignals: Bool
    let notifier = Notifier()

    /// - Parameters:
    ///   - configLoader: called on SIGHUP; a thrown error keeps the running configuration.
    ///   - handleSignals: install SIGTERM/SIGINT (stop) and SIGHUP (reload) handlers;
    ///     otherwise use ``control``.
    public init(
        config: DaemonConfig,
        configLoader: @escaping @Sendable () async throws -> DaemonConfig,
        checker: @escaping ReportChecker,
        logger: Logger,
        handleSignals: Bool = true
    ) {
        self.init(
            config: config, configLoader: configLoader, makeChecker: { _ in checker }, logger: logger,
            handleSignals: handleSignals)
    }

    /// Like the other initialiser, but the checker is rebuilt from each loaded
    /// configuration (so a reload can change rule severities, language, note encoding).
    public init(
        config: DaemonConfig,
        configLoader: @escaping @Sendable () async throws -> DaemonConfig,
        makeChecker: @escaping @Sendable (DaemonConfig) -> ReportChecker,
        logger: Logger,
        handleSignals: Bool = true
    ) {
        self.initialConfig = config
        self.configLoader = configLoader
        self.makeChecker = makeChecker
        self.logger = logger
        self.handleSignals = handleSignals
    }

    /// Runs until a stop is requested; then finishes the files in hand and returns.
    public func run() async throws {
        var config = initialConfig
        try Self.prepareDirectories(config)
        var checker = makeChecker(config)
        let state = RunState()
        var signalSources: [any DispatchSourceSignal] = []
        if handleSignals { signalSources = installSignalHandlers() }
        defer {
            signalSources.forEach { $0.cancel() }
            if handleSignals {
                for sig in [SIGTERM, SIGINT, SIGHUP] { signal(sig, SIG_DFL) }
            }
        }

        logger.info(
            "\(text(config, "年报审核服务已启动，收件目录 \(config.inbox.path)", "nianbao started, inbox \(config.inbox.path)"))",
            metadata: [
                "message_id": "\(NianbaoMessageID.started)", "inbox": "\(config.inbox.path)",
                "workers": "\(config.workers)",
            ])

        var tracker = StabilityTracker()
        var moreWaiting = false
        var lastSweep = ContinuousClock.now
        var inboxBackoff: [String: Backoff] = [:]
        var workBackoff: [String: Backoff] = [:]
        var ready = false
        var nextScan = ContinuousClock.now
        var lastWatchdog: ContinuousClock.Instant?
        var lastStatus = ""
        let watchdogInterval = notifier.watchdogInterval

        await withDiscardingTaskGroup { group in
            while !control.stopRequested {
                let now = ContinuousClock.now
                if control.takeReloadRequest() {
                    notifier.reloading()
                    do {
                        let fresh = try await configLoader()
                        try Self.prepareDirectories(fresh)
                        // files already settling keep their time unless the inbox itself moved
                        if fresh.inbox.standardizedFileURL != config.inbox.standardizedFileURL || fresh.settleTime != config.settleTime {
                            tracker = StabilityTracker()
                        }
                        config = fresh
                        checker = makeChecker(fresh)
                        logger.notice(
                            "\(text(config, "已重新加载配置", "configuration reloaded"))",
                            metadata: ["message_id": "\(NianbaoMessageID.reloaded)"])
                    } catch {
                        logger.error(
                            "\(text(config, "新配置有误，继续使用原配置：\(printable(error))", "bad configuration, keeping the old one: \(printable(error))"))",
                            metadata: ["message_id": "\(NianbaoMessageID.configError)"])
                    }
                    notifier.ready(status: state.statusLine(config))
                    lastStatus = state.statusLine(config)
                }
                // a scan that left stable files in the inbox runs again as soon as the queue has room
                if now >= nextScan || (moreWaiting && state.inFlightCount <= config.queueLength / 2) {
                    nextScan = now + config.pollInterval
                    moreWaiting = scan(
                        config: config, checker: checker, state: state, tracker: &tracker,
                        inboxBackoff: &inboxBackoff, workBackoff: &workBackoff)
                    if !ready {
                        ready = true
                        lastStatus = state.statusLine(config)
                        notifier.ready(status: lastStatus)
                    }
                }
                // temporaries a crash left in the shared folders go once they are old enough
                if now - lastSweep > .seconds(600) {
                    lastSweep = now
                    for directory in [config.accepted, config.rejected] { FileStore.removeStaleTemporaries(in: directory) }
                }
                // up to `workers` tasks, each taking from the queue as fast as it finishes
                while state.runningCount < config.workers, state.queuedCount > 0 {
                    startWorker(state: state, group: &group)
                }
                if let watchdogInterval,
                    lastWatchdog.map({ now - $0 >= watchdogInterval / 4 }) ?? true
                {
                    notifier.watchdog()
                    lastWatchdog = now
                }
                let status = state.statusLine(config)
                if ready && status != lastStatus {
                    notifier.status(status)
                    lastStatus = status
                }
                try? await Task.sleep(for: .milliseconds(moreWaiting ? 5 : 50))
            }
            // claimed but not started: they stay in work/ and are checked on the next start
            for q in state.drainQueue() { state.end(q.name, failed: false) }
            let inHand = state.inFlightCount
            notifier.stopping(status: text(config, "正在停止，完成手头 \(inHand) 份", "stopping, finishing \(inHand) in hand"))
            logger.notice(
                "\(text(config, "正在停止，完成手头 \(inHand) 份后退出", "stopping after the \(inHand) file(s) in hand"))",
                metadata: ["message_id": "\(NianbaoMessageID.stopping)"])
        }
    }

    // MARK: Loop body

    /// One look at `work/` and the inbox: what can be checked goes to the queue. Returns
    /// whether stable files were left in the inbox because the queue was full.
    private func scan(
        config: DaemonConfig, checker: @escaping ReportChecker, state: RunState, tracker: inout StabilityTracker,
        inboxBackoff: inout [String: Backoff], workBackoff: inout [String: Backoff]
    ) -> Bool {
        let now = ContinuousClock.now
        // Reports published a moment ago that changed since: their verdict is withdrawn and
        // they are checked again once they settle.
        for p in state.watched(now: now) where FileStore.changedSince(p.identity, at: p.destination.appendingPathComponent(p.savedAs)) {
            state.unwatch(p.savedAs, in: p.destination)
            guard FileStore.exists(p.destination.appendingPathComponent(p.savedAs).path) else { continue }  // moved away by a person
            FileStore.withdraw(base: p.savedAs, from: p.destination)
            _ = Self.requeue(workFile: p.destination.appendingPathComponent(p.savedAs), name: p.name, config: config,
                             logger: logger, stage: p.savedAs)
        }

        // Leftovers in work/ (a crash, or a publish that failed): check again.
        FileStore.heartbeat(work: config.work, instance: config.instance)
        let adopted = FileStore.takeOver(work: config.work, instance: config.instance, lease: config.instanceLease)
        if !adopted.isEmpty {
            logger.notice(
                "\(text(config, "接手了无人处理的 \(adopted.count) 份文件（上次运行或已停止的其他实例留下的）", "took over \(adopted.count) file(s) left by an earlier run or a stopped instance"))",
                metadata: ["report_files": "\(adopted.joined(separator: ","))"])
        }
        if let leftovers = try? FileStore.listFiles(in: config.instanceWork) {
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
                    name: entry.name, workFile: config.instanceWork.appendingPathComponent(entry.name), leftover: true,
                    config: config, checker: checker))
            }
        }

        let entries: [DirectoryEntry]
        do {
            // the service's own folders may sit inside the inbox: never take those
            let own = Set([config.accepted, config.rejected, config.work].map { $0.standardizedFileURL.path })
            entries = try FileStore.listFiles(in: config.inbox).filter {
                !config.isIgnored($0.name) && !own.contains(config.inbox.appendingPathComponent($0.name).standardizedFileURL.path)
            }
        } catch {
            logger.error("\(text(config, "无法读取收件目录：\(error)", "cannot read the inbox: \(error)"))")
            return false
        }
        state.setWaiting(entries.count)
        // oldest first, so nobody's report starves behind a burst
        let stable = tracker.observe(entries, now: now, settleTime: config.settleTime)
            .sorted { ($0.mtimeNanoseconds, $0.name) < ($1.mtimeNanoseconds, $1.name) }
        if !inboxBackoff.isEmpty {
            let present = Set(entries.map(\.name))
            inboxBackoff = inboxBackoff.filter { present.contains($0.key) }
        }
        var claimedAny = false
        defer {
            // one sync of both folders for the whole batch of renames (a claim lost to a power
            // cut only leaves the file in the inbox, to be claimed again)
            if claimedAny {
                try? FileStore.fsyncDirectory(config.instanceWork)
                try? FileStore.fsyncDirectory(config.inbox)
            }
        }
        for entry in stable {
            guard state.inFlightCount < config.queueLength else { return true }
            if let backoff = inboxBackoff[entry.name], backoff.next > now { continue }
            let source = config.inbox.appendingPathComponent(entry.name)
            // a symlink, FIFO or folder is never opened here; the check says what it is
            let sourcePath = entry.rawName.map { RawPath(config.inbox, $0) } ?? RawPath(source.path)
            if entry.isRegular, let code = FileStore.readabilityError(sourcePath) {
                if code == ENOENT { continue }
                var backoff = inboxBackoff[entry.name] ?? Backoff()
                backoff.fail(now: now)
                inboxBackoff[entry.name] = backoff
                logger.warning(
                    "\(text(config, "无法读取 \(entry.name)：\(String(cString: strerror(code)))，\(backoff.delaySeconds) 秒后重试", "cannot read \(entry.name): \(String(cString: strerror(code))); retrying in \(backoff.delaySeconds) s"))",
                    metadata: ["report_file": "\(entry.name)", "errno": "\(code)"])
                continue
            }
            switch FileStore.claim(name: entry.name, rawName: entry.rawName, inbox: config.inbox, work: config.instanceWork) {
            case .success(.claimed(let workFile)):
                inboxBackoff[entry.name] = nil
                tracker.forget(entry.name)
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
        return false
    }

    /// A claimed file waiting for a worker.
    struct QueuedFile: Sendable {
        var name: String
        var workFile: URL
        /// Found in `work/` rather than claimed from the inbox (a crash, a failed publish).
        var leftover: Bool
        /// The configuration and checker in force when it was claimed (a reload applies to
        /// files claimed after it).
        var config: DaemonConfig
        var checker: ReportChecker
    }

    /// A worker: takes files from the queue until it is empty. A stop lets the file in hand
    /// finish; the rest stay queued in `work/` for the next start.
    private func startWorker(state: RunState, group: inout DiscardingTaskGroup) {
        state.startRunning()
        let logger = self.logger
        let control = self.control
        group.addTask {
            while !control.stopRequested, let file = state.dequeue() {
                let published = await Self.process(
                    workFile: file.workFile, name: file.name, config: file.config, checker: file.checker, logger: logger,
                    state: state, leftover: file.leftover)
                state.end(file.name, failed: !published)
            }
            state.finishRunning()
        }
    }

    // MARK: One file

    /// Checks and publishes one claimed file. Returns false if it stays in `work/`.
    static func process(
        workFile: URL, name: String, config: DaemonConfig, checker: ReportChecker, logger: Logger, state: RunState,
        leftover: Bool = false
    ) async -> Bool {
        let started = ContinuousClock.now
        // A crash between placing the sidecars and moving the report: finish that publish.
        if leftover, let (destination, savedAs) = FileStore.finishHalfPublish(
            workFile: workFile, originalName: name, destinations: [config.accepted, config.rejected])
        {
            FileStore.clearCheckingMark(work: workFile.deletingLastPathComponent(), name: name)
            logger.notice(
                "\(text(config, "已完成重启前未完成的发布：\(name) → \(destination.path)/\(savedAs)", "finished a publish cut short by a restart: \(name) → \(destination.path)/\(savedAs)"))",
                metadata: ["report_file": "\(name)", "report_saved_as": "\(savedAs)", "destination": "\(destination.path)"])
            state.record(name: name, accepted: destination == config.accepted)
            return true
        }
        var result: DaemonCheckResult
        let size = FileStore.fileSize(workFile) ?? 0
        let work = workFile.deletingLastPathComponent()
        if FileStore.hasCheckingMark(work: work, name: name) {
            // The last check of this file never ended: the process died in it. Checking it
            // again could take the service down again, for every office.
            result = quarantineResult(name: name, size: size, workFile: workFile, config: config)
            logger.error(
                "\(text(config, "上次审核 \(name) 时服务意外中止，此文件不再自动审核，退回并注明原因", "the service stopped while checking \(name) last time; it is rejected with a note instead of being checked again"))",
                metadata: ["message_id": "\(NianbaoMessageID.reportFailed)", "report_file": "\(name)"])
        } else if size > config.maxFileSize {
            result = oversizeResult(name: name, size: size, workFile: workFile, config: config)
        } else {
            FileStore.setCheckingMark(work: work, name: name)
            result = await checker(workFile, name)
        }
        // the check ended: a crash from here on is the publishing's, which a restart finishes
        FileStore.clearCheckingMark(work: work, name: name)
        if let reason = result.failureReason {
            result.accepted = false
            if result.note == nil {
                result.note = encodeNote(
                    text(config, "《\(name)》无法审核：\(reason)\n请检查文件格式后重新提交。",
                         "\(name) could not be checked: \(reason)\nPlease check the file format and submit it again."),
                    config: config)
            }
        }
        if result.accepted && result.warnings > 0 && result.note == nil {
            result.note = encodeNote(
                text(config, "《\(name)》已通过，有 \(result.warnings) 条提示，详见 \(name)\(FileStore.jsonSuffix)。",
                     "\(name) accepted with \(result.warnings) warning(s); see \(name)\(FileStore.jsonSuffix)."),
                config: config)
        }
        if !result.accepted && result.note == nil {
            result.note = encodeNote(
                text(config, "《\(name)》未通过审核：\(result.errors) 处错误，详见 \(name)\(FileStore.jsonSuffix)。",
                     "\(name) was rejected: \(result.errors) error(s); see \(name)\(FileStore.jsonSuffix)."),
                config: config)
        }
        let destination = result.accepted ? config.accepted : config.rejected
        // The verdict is about the bytes that were read: if the file was written to since (a
        // writer that kept it open), it goes back to the inbox to settle and be checked again.
        if let read = result.identity, FileStore.changedSince(read, at: workFile) {
            return requeue(workFile: workFile, name: name, config: config, logger: logger, stage: nil)
        }
        let savedAs: String
        do {
            savedAs = try FileStore.publish(
                workFile: workFile, originalName: name, destination: destination, json: result.json,
                note: result.note)
        } catch {
            logger.error(
                "\(text(config, "无法把 \(name) 放入 \(destination.path)：\(error)；文件留在 \(config.instanceWork.path)，稍后重试", "cannot move \(name) to \(destination.path): \(error); it stays in \(config.instanceWork.path) and will be retried"))",
                metadata: ["report_file": "\(name)"])
            return false
        }
        // and once more where it now lies: a write between the check above and the move
        if let read = result.identity, FileStore.changedSince(read, at: destination.appendingPathComponent(savedAs)) {
            FileStore.withdraw(base: savedAs, from: destination)
            return requeue(workFile: destination.appendingPathComponent(savedAs), name: name, config: config, logger: logger,
                           stage: savedAs)
        }
        if let read = result.identity {
            state.watch(RunState.Published(
                name: name, destination: destination, savedAs: savedAs, identity: read,
                until: ContinuousClock.now + max(.seconds(10), config.settleTime * 5)))
        }
        let milliseconds = (ContinuousClock.now - started).components
        let durationMS = milliseconds.seconds * 1000 + milliseconds.attoseconds / 1_000_000_000_000_000
        var metadata: Logger.Metadata = [
            "report_file": "\(name)", "report_saved_as": "\(savedAs)", "report_sha256": "\(result.sha256)",
            "errors": "\(result.errors)", "warnings": "\(result.warnings)", "duration_ms": "\(durationMS)",
            "rules": "\(result.rules.joined(separator: ","))", "destination": "\(destination.path)",
        ]
        if let organ = result.organ { metadata["organ"] = "\(organ)" }
        if let year = result.year { metadata["report_year"] = "\(year)" }
        if let edition = result.edition { metadata["edition"] = "\(edition)" }
        if let reason = result.failureReason {
            metadata["message_id"] = "\(NianbaoMessageID.reportFailed)"
            metadata["verdict"] = "failed"
            metadata["failure_reason"] = "\(reason)"
            logger.warning(
                "\(text(config, "无法审核 \(name)：\(reason)", "could not check \(name): \(reason)"))", metadata: metadata)
        } else if result.accepted {
            metadata["message_id"] = "\(NianbaoMessageID.reportAccepted)"
            metadata["verdict"] = "accepted"
            logger.notice(
                "\(text(config, "已通过：\(name)（\(result.warnings) 条提示）", "accepted: \(name) (\(result.warnings) warnings)"))",
                metadata: metadata)
        } else {
            metadata["message_id"] = "\(NianbaoMessageID.reportRejected)"
            metadata["verdict"] = "rejected"
            logger.notice(
                "\(text(config, "已退回：\(name)（\(result.errors) 处错误）", "rejected: \(name) (\(result.errors) errors)"))",
                metadata: metadata)
        }
        state.record(name: name, accepted: result.accepted)
        return true
    }

    /// A file over `maxFileSize` is not read: it is rejected with a `nianbao.report/1`
    /// document and a note that say so, and hashed without being read into memory.
    static func oversizeResult(name: String, size: Int64, workFile: URL, config: DaemonConfig) -> DaemonCheckResult {
        let sha = sha256(ofFile: workFile) ?? ""
        let mib = { (bytes: Int64) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        let failure = ReadFailure(
            code: "file-too-large",
            message: Localized(zh: "文件大小 \(mib(size)) 超过上限 \(mib(config.maxFileSize))，未审核",
                               en: "The file is \(mib(size)), over the limit of \(mib(config.maxFileSize)); it was not checked"),
            help: Localized(zh: "年度报告的文字不会这么大：请确认提交的是报告本身；图片较多时请压缩图片后另存为 .docx 或 .pdf。",
                            en: "A report's text is never this large: check that the file is the report itself, or compress its pictures."))
        return refusal(name: name, size: size, sha256: sha, failure: failure, config: config)
    }

    /// A file that changed after it was read goes back to the inbox under its name (or, if that
    /// name is taken again, stays where it is and is checked again on a later scan).
    static func requeue(workFile: URL, name: String, config: DaemonConfig, logger: Logger, stage: String?) -> Bool {
        let back = FileStore.moveNoReplace(from: workFile, to: config.inbox.appendingPathComponent(name)) == 0
        logger.notice(
            "\(text(config, "\(name) 在审核期间被改写，已\(back ? "放回收件目录，稳定后重新审核" : "留待下次重新审核")", "\(name) was written to while it was being checked; \(back ? "it is back in the inbox and will be checked once it settles" : "it will be checked again")"))",
            metadata: ["report_file": "\(name)"])
        if !back && stage != nil {
            // published but changed: keep it out of sight of the verdict, in work/
            _ = FileStore.moveNoReplace(from: workFile, to: config.instanceWork.appendingPathComponent(name))
        }
        return back
    }

    /// A file whose last check never ended is not read again: it is rejected with a
    /// `check-crashed` finding, so the person who dropped it sees why, and the others go on.
    static func quarantineResult(name: String, size: Int64, workFile: URL, config: DaemonConfig) -> DaemonCheckResult {
        let sha = sha256(ofFile: workFile) ?? ""
        let failure = ReadFailure(
            code: "check-crashed",
            message: Localized(zh: "审核此文件时服务意外中止，未能完成审核；为保护其他报告，此文件不再自动审核",
                               en: "The service stopped while checking this file; to protect the other reports it is not checked again"),
            help: Localized(zh: "请用 Word 或 WPS 打开原文件，另存为新的 .docx（或导出为 .pdf）后重新提交；如仍出现此提示，请把文件交给管理员。",
                            en: "Open the original in Word or WPS, save it as a new .docx (or export .pdf) and submit again; if this recurs, give the file to the operator."))
        return refusal(name: name, size: size, sha256: sha, failure: failure, config: config)
    }

    /// A file the daemon does not hand to the checker, rejected with the library's note for `failure`.
    static func refusal(name: String, size: Int64, sha256 sha: String, failure: ReadFailure, config: DaemonConfig)
        -> DaemonCheckResult
    {
        let result = Checker.refusal(
            fileName: name, sha256: sha, byteCount: Int(size), format: "unknown", failure: failure,
            options: CheckOptions(language: config.language), checkedAt: Checker.timestamp(Date()))
        return DaemonCheckResult(
            accepted: false, errors: 1,
            note: config.noteEncoding.encode(result.note(fileName: name, language: config.language)),
            json: Array(result.json.serialized().utf8), sha256: sha, rules: result.rulesFired,
            failureReason: failure.message.text(config.language))
    }

    /// Encodes a note the daemon writes itself, in the configured encoding.
    public static func encodeNote(_ text: String, config: DaemonConfig) -> [UInt8] {
        config.noteEncoding.encode(text + "\n")
    }

    static func prepareDirectories(_ config: DaemonConfig) throws {
        for directory in [config.inbox, config.accepted, config.rejected, config.work, config.instanceWork] {
            try FileStore.ensureDirectory(directory)
        }
        // other instances may be writing theirs: only old temporaries go; this instance's own
        // folder is its alone
        for directory in [config.accepted, config.rejected] {
            FileStore.removeStaleTemporaries(in: directory)
        }
        FileStore.removeStaleTemporaries(in: config.instanceWork, olderThan: 0)
        FileStore.removeOrphanCheckingMarks(work: config.instanceWork)
    }

    private func installSignalHandlers() -> [any DispatchSourceSignal] {
        let control = self.control
        var sources: [any DispatchSourceSignal] = []
        for (sig, reload) in [(SIGTERM, false), (SIGINT, false), (SIGHUP, true)] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { reload ? control.requestReload() : control.requestStop() }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}

/// Chinese or English, by the configured language.
/// A message from outside (a configuration file's text, an error quoting it) made safe for a
/// log line: control characters shown as escapes, never written raw to the journal or terminal.
public func printable(_ value: Any) -> String {
    var out = ""
    for u in String(describing: value).unicodeScalars {
        if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) {
            out += u == "\n" ? " " : "\\u{" + String(u.value, radix: 16) + "}"
        } else {
            out.unicodeScalars.append(u)
        }
    }
    return out
}

func text(_ config: DaemonConfig, _ zh: String, _ en: String) -> String {
    config.language == .zh ? zh : en
}

/// Size and mtime must stay the same over at least two polls and `settleTime`.
struct StabilityTracker {
    private struct Seen {
        var entry: DirectoryEntry
        var since: ContinuousClock.Instant
        var observations: Int
    }
    private var seen: [String: Seen] = [:]

    mutating func observe(
        _ entries: [DirectoryEntry], now: ContinuousClock.Instant, settleTime: Duration
    ) -> [DirectoryEntry] {
        var next: [String: Seen] = [:]
        var stable: [DirectoryEntry] = []
        for entry in entries {
            var record = Seen(entry: entry, since: now, observations: 1)
            if let previous = seen[entry.name], previous.entry == entry {
                record = previous
                record.observations += 1
            }
            next[entry.name] = record
            if record.observations >= 2 && now - record.since >= settleTime { stable.append(entry) }
        }
        seen = next
        return stable
    }

    mutating func forget(_ name: String) { seen[name] = nil }
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

/// Counters shared between the loop and the workers.
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

    /// A report published a moment ago, watched for a while: a writer that paused longer than
    /// the settle time and then went on writing to it makes its verdict stale.
    struct Published: Sendable {
        var name: String
        var destination: URL
        var savedAs: String
        var identity: Pipeline.FileIdentity
        var until: ContinuousClock.Instant
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

    /// Claimed files (queued or being checked).
    var inFlightCount: Int { counters.withLock { $0.inFlight.count } }
    /// Files being checked right now.
    var runningCount: Int { running.withLock { $0 } }
    private let running = Mutex(0)
    func startRunning() { running.withLock { $0 += 1 } }
    func finishRunning() { running.withLock { $0 -= 1 } }

    /// Claimed files waiting for a worker, in claim order (oldest first).
    private let queue = Mutex<[Daemon.QueuedFile]>([])
    var queuedCount: Int { queue.withLock { $0.count } }
    func enqueue(_ file: Daemon.QueuedFile) { queue.withLock { $0.append(file) } }
    func dequeue() -> Daemon.QueuedFile? { queue.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    func drainQueue() -> [Daemon.QueuedFile] {
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
        return counters.withLock { c in
            let (accepted, rejected) = c.day == today ? (c.acceptedToday, c.rejectedToday) : (0, 0)
            let last = c.lastFile
            if config.language == .zh {
                return "等待 \(c.waiting) 份，审核中 \(c.inFlight.count) 份；今日通过 \(accepted) 份、退回 \(rejected) 份"
                    + (last.map { "；最近：\($0)" } ?? "")
            }
            return "waiting \(c.waiting), checking \(c.inFlight.count); today accepted \(accepted), rejected \(rejected)"
                + (last.map { "; last: \($0)" } ?? "")
        }
    }

    static func today() -> String {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return "\(parts.year ?? 0)-\(parts.month ?? 0)-\(parts.day ?? 0)"
    }
}
