import Logging
import ServiceLifecycle
import UnixSignals
import NianbaoConfig

/// Re-reads the configuration on SIGHUP (or when the embedding program asks): RELOADING=1,
/// the new configuration and the checker built from it replace the old ones for files claimed
/// from then on, READY=1. A configuration that does not load keeps the running one.
struct ReloadService: Service {
    let current: CurrentConfiguration
    let state: RunState
    let notifier: Notifier
    let logger: Logger
    let lock: InstanceLock
    let loader: @Sendable () async throws -> DaemonConfig
    let makeChecker: @Sendable (DaemonConfig) -> ReportChecker
    /// SIGHUP, trapped before the services start (a SIGHUP's default action ends the process).
    let signals: UnixSignalsSequence?
    let requests: Wakeup

    func run() async throws {
        let requests = self.requests
        await withDiscardingTaskGroup { group in
            if let signals {
                group.addTask {
                    for await _ in signals.cancelOnGracefulShutdown() { requests.ring() }
                }
            }
            for await _ in requests.stream.cancelOnGracefulShutdown() {
                await reload()
            }
            group.cancelAll()
        }
    }

    func reload() async {
        notifier.reloading()
        let config = current.config
        do {
            let fresh = try await loader()
            try Daemon.prepareDirectories(fresh, lock: lock, starting: false)
            Volumes.register(Daemon.folders(fresh), config: fresh, logger: logger)
            current.replace(fresh, checker: makeChecker(fresh))
            logger.notice(
                "\(text(fresh, "已重新加载配置", "configuration reloaded"))",
                metadata: ["message_id": "\(NianbaoMessageID.reloaded)"])
        } catch {
            logger.error(
                "\(text(config, "新配置有误，继续使用原配置：\(printable(error))", "bad configuration, keeping the old one: \(printable(error))"))",
                metadata: ["message_id": "\(NianbaoMessageID.configError)"])
        }
        notifier.ready(status: state.statusLine(current.config))
        state.work.ring()  // a reload may allow more workers
    }
}
