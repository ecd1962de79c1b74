import Dispatch
import Foundation
import Logging
import NianbaoKit
import ServiceLifecycle
import Synchronization
import UnixSignals
import NianbaoReaders
import NianbaoConfig
import NianbaoCore

#if canImport(Glibc)
    import Glibc
#endif

/// Checks one claimed file: `fileURLInWorkDir` is the file inside `work/` (read it, do not move
/// or delete it); `originalName` is the name the user gave it. The library's pipeline is the
/// checker (``Daemon/pipelineChecker(for:)``); tests may give another.
public typealias ReportChecker =
    @Sendable (_ fileURLInWorkDir: URL, _ originalName: String) async -> CheckOutcome

/// Stop and reload requests from the embedding program (signals do the same under systemd).
public final class DaemonControl: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)
    private let stopRequested = Mutex(false)
    let reloads = Wakeup()
    public init() {}

    /// Finish the files in hand, then return from ``Daemon/run()``.
    public func requestStop() {
        stopRequested.withLock { $0 = true }
        if let group = group.withLock({ $0 }) {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    /// Re-read the configuration, as SIGHUP does.
    public func requestReload() { reloads.ring() }

    func attach(_ serviceGroup: ServiceGroup) {
        group.withLock { $0 = serviceGroup }
        if stopRequested.withLock({ $0 }) { Task { await serviceGroup.triggerGracefulShutdown() } }
    }
}

/// The drop-folder daemon behind `nianbao watch`: four services under one `ServiceGroup`.
///
/// - ``ScannerService``: polls `work/` and the inbox, claims settled files into the queue;
/// - ``CheckWorkersService``: `workers` tasks checking and publishing queued files
///   (``Publishing``: the library's outcome, written beside the report by ``Publisher``);
/// - ``NotifierService``: READY=1, STATUS=, WATCHDOG=1 (sd_notify, see ``Notifier``);
/// - ``ReloadService``: SIGHUP → the configuration and checker re-read.
///
/// SIGTERM and SIGINT shut the group down gracefully, in reverse order: the scanner stops
/// claiming (STOPPING=1), the workers finish the files in hand, then the rest stop.
///
/// ```swift
/// LoggingSystem.bootstrap(makeJournalOrStderrLogHandler)
/// let load: @Sendable () async throws -> DaemonConfig = { try await DaemonConfig.load(configFile: path) }
/// let daemon = Daemon(config: try await load(), configLoader: load,
///                     makeChecker: Daemon.pipelineChecker(for:), logger: Logger(label: "nianbao"))
/// try await daemon.run()   // returns after SIGTERM/SIGINT
/// ```
public struct Daemon: Sendable {
    public let control = DaemonControl()
    let initialConfig: DaemonConfig
    let configLoader: @Sendable () async throws -> DaemonConfig
    let makeChecker: (@Sendable (DaemonConfig) -> ReportChecker)?
    let logger: Logger
    let handleSignals: Bool
    let notifier = Notifier()
    /// This process's hold on its instance name, from start to return.
    let lock = InstanceLock()

    /// - Parameters:
    ///   - configLoader: called on SIGHUP; a thrown error keeps the running configuration.
    ///   - handleSignals: SIGTERM/SIGINT stop and SIGHUP reloads; otherwise use ``control``.
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

    /// Like the other initialiser, but the checker is rebuilt from each loaded configuration
    /// (so a reload can change rule severities, language, note encoding, the size limit).
    /// Without `makeChecker`, the library's pipeline checks each report against the index of
    /// the reports published before (carry-over from last year, resubmissions).
    public init(
        config: DaemonConfig,
        configLoader: @escaping @Sendable () async throws -> DaemonConfig,
        makeChecker: (@Sendable (DaemonConfig) -> ReportChecker)? = nil,
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
        let config = initialConfig
        try Self.prepareDirectories(config, lock: lock)
        defer { lock.release() }
        Volumes.register(Self.folders(config), config: config, logger: logger)
        // what was published before: the index of published results, brought up to date with
        // the folders (the history the checks use, the summary and the overview page)
        let index = try openIndex(config)
        let summary = FolderSummary(index: index)
        summary.markStale()
        let makeChecker = self.makeChecker ?? { Self.pipelineChecker(for: $0, history: index) }
        let current = CurrentConfiguration(config, checker: makeChecker(config))
        let state = RunState()
        // trapped now: a SIGHUP before the reloader runs must not end the process
        let hangups = handleSignals ? await UnixSignalsSequence(trapping: .sighup) : nil

        logger.info(
            "\(text(config, "年报审核服务已启动，收件目录 \(config.inbox.path)", "nianbao started, inbox \(config.inbox.path)"))",
            metadata: [
                "message_id": "\(NianbaoMessageID.started)", "inbox": "\(config.inbox.path)",
                "workers": "\(config.workers)",
            ])

        if config.ocr && ScanReader.helperExecutable() == nil {
            logger.warning(
                "\(text(config, "未找到文字识别程序 \(ScanReader.helperName)（应与 nianbao 安装在同一目录），扫描件将无法读取", "The OCR helper \(ScanReader.helperName) is not installed beside nianbao: scanned reports cannot be read"))",
                metadata: ["helper": "\(ScanReader.helperName)"])
        } else if config.ocr && !ScanReader.isAvailable {
            logger.warning(
                "\(text(config, "未安装文字识别（\(ScanReader.packages)），扫描件将无法读取", "OCR is not available (install \(ScanReader.packages)): scanned reports cannot be read"))",
                metadata: ["packages": "\(ScanReader.packages)"])
        }

        let services: [any Service] = [
            NotifierService(current: current, state: state, notifier: notifier),
            ReloadService(
                current: current, state: state, notifier: notifier, logger: logger, lock: lock, loader: configLoader,
                makeChecker: makeChecker, signals: hangups, requests: control.reloads),
            CheckWorkersService(current: current, state: state, notifier: notifier, logger: logger, index: index, summary: summary),
            ScannerService(current: current, state: state, notifier: notifier, logger: logger, index: index, summary: summary),
        ]
        // the group's own messages are for developers; operators see ours
        var groupLogger = logger
        groupLogger.logLevel = .warning
        var configuration = ServiceGroupConfiguration(services: services, logger: groupLogger)
        if handleSignals { configuration.gracefulShutdownSignals = [.sigterm, .sigint] }
        let group = ServiceGroup(configuration: configuration)
        control.attach(group)
        try await group.run()
    }

    /// Opens the index of published results in the state directory and catches up with the
    /// folders. A rebuild (no index yet, or one of another version) reads every published
    /// document: it says how far it is in STATUS= and asks systemd for more time to start
    /// (EXTEND_TIMEOUT_USEC=), a few seconds at a time, as long as it makes progress.
    func openIndex(_ config: DaemonConfig) throws -> PublishedIndex {
        let index: PublishedIndex
        do {
            index = try PublishedIndex(config: config)
        } catch {
            throw NianbaoError.config(
                key: "state_dir",
                message: "无法打开已发布结果的索引（\(config.stateDirectory.path)）：\(error) / cannot open the index of published results")
        }
        let rebuild = index.isEmpty
        let began = ContinuousClock.now
        let extend = "EXTEND_TIMEOUT_USEC=\(Self.startExtension.components.seconds * 1_000_000)"
        if rebuild {
            notifier.notify(extend + "\nSTATUS=" + text(config, "正在建立已发布结果的索引", "building the index of published results"))
        }
        var lastNote = ContinuousClock.now
        var lastLogged = 0
        do {
            let caught = try index.catchUp { done, total in
                guard ContinuousClock.now - lastNote >= .seconds(1) || done == total else { return }
                lastNote = .now
                let status = text(config, "正在建立已发布结果的索引：已读 \(done)/\(total) 份", "indexing published results: \(done)/\(total) read")
                notifier.notify(extend + "\nSTATUS=" + status)
                if done - lastLogged >= max(10_000, total / 10) || done == total {
                    lastLogged = done
                    logger.info("\(status)")
                }
            }
            let took = ContinuousClock.now - began
            logger.info(
                "\(text(config, "已发布结果的索引：\(caught.total) 份（新记入 \(caught.added) 份，移除 \(caught.removed) 份，用时 \(seconds(took))）", "index of published results: \(caught.total) report(s) (\(caught.added) added, \(caught.removed) removed, in \(seconds(took)))"))",
                metadata: ["index": "\(index.path)", "index_reports": "\(caught.total)", "index_added": "\(caught.added)",
                           "index_removed": "\(caught.removed)", "index_rebuilt": "\(rebuild)"])
        } catch {
            logger.error(
                "\(text(config, "无法核对已发布的结果与索引：\(error)；稍后重试", "cannot compare the published results with the index: \(error); retrying later"))")
        }
        return index
    }

    private func seconds(_ d: Duration) -> String {
        String(format: "%.2f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// How much more time to start each progress message of a rebuild asks systemd for.
    static let startExtension: Duration = .seconds(30)

    /// The library's pipeline under a configuration: file → reader → extraction → rules →
    /// outcome, with the configured language, severities, note encoding and size limit.
    /// Untrusted formats are parsed in a child process.
    public static func pipelineChecker(for config: DaemonConfig, history: (any ReportHistory)? = nil) -> ReportChecker {
        var options = (try? config.checkOptions()) ?? CheckOptions(language: config.language)
        options.history = history
        let ocr = config.ocr
            ? ScanReader(timeout: config.ocrTimeout, gate: ScanReader.Gate.shared(width: config.ocrWorkers)) : nil
        let pipeline = Pipeline(options: options, isolation: ReaderIsolation.currentExecutable(), ocr: ocr)
        let (limit, encoding) = (config.maxFileSize, config.noteEncoding)
        // The check reads the file and may wait on pdftotext: it runs on a dispatch queue, off
        // the concurrency pool, so the services always get a thread.
        return { url, name in
            // a scan of a worker's file moves to the lane of scans (see CheckWorkersService)
            var turnPipeline = pipeline
            if let turn = CheckTurn.current { turnPipeline.ocr?.observer = turn.scanObserver }
            let pipeline = turnPipeline
            return await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(returning: pipeline.outcome(
                        ofFileAt: url.path, fileName: name, maximumBytes: limit, noteEncoding: encoding,
                        checkedAt: Checker.timestamp(Date())))
                }
            }
        }
    }

    /// The folders the service works in, for probing what their filesystems allow.
    static func folders(_ config: DaemonConfig) -> [URL] {
        [config.inbox, config.instanceWork, config.accepted, config.rejected]
    }

    /// Makes the folders, takes the instance name (with `lock`: one process per name) and
    /// cleans up what an earlier run of this instance left.
    static func prepareDirectories(_ config: DaemonConfig, lock: InstanceLock? = nil, starting: Bool = true) throws {
        for directory in [config.inbox, config.accepted, config.rejected, config.work] {
            try Directories.ensure(directory)
        }
        // before anything of this instance's is touched: another process may be serving it
        try lock?.acquire(config)
        // alive before the folder exists: another instance never takes a folder being set up
        ShareInstances.heartbeat(work: config.work, instance: config.instance)
        try Directories.ensure(config.instanceWork)
        // other instances may be writing theirs: only old temporaries go; at start, this
        // instance's own too, whatever their age: with the name held, nobody else writes them
        // (not on a reload: its publishes are under way). One pass over each folder: it may
        // hold millions of files.
        let own = lock != nil && starting
        if own { Temporaries.own(as: config.instance) }
        for directory in [config.accepted, config.rejected] {
            Temporaries.removeStale(in: directory, own: own ? config.instance : nil)
        }
        // what a stopped run left in this instance's folder; on a reload (the same instance, or
        // one just taken) the slots and temporaries there may be this run's own, in use
        guard starting else { return }
        Claims.recover(work: config.instanceWork, inbox: config.inbox)
        Temporaries.removeStale(in: config.instanceWork, olderThan: 0)
        CheckingMarks.convertSlots(in: config.instanceWork)
        CheckingMarks.removeOrphans(work: config.instanceWork)
    }
}
