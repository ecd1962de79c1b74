import Logging
import ServiceLifecycle

/// Tells the service manager how the daemon is: READY=1 once the first scan is done, STATUS=
/// whenever the counters change, and WATCHDOG=1 only while the scanner's loop keeps turning
/// (a scanner stuck in a system call lets the watchdog fire, as it should).
struct NotifierService: Service {
    let current: CurrentConfiguration
    let state: RunState
    let notifier: Notifier

    func run() async throws {
        let interval = notifier.watchdogInterval
        var lastStatus = ""
        var lastStatusAt = ContinuousClock.now
        var lastPing: ContinuousClock.Instant?
        var ready = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = ContinuousClock.now
            if !ready && state.hasScanned {
                ready = true
                lastStatus = state.statusLine(current.config)
                notifier.ready(status: lastStatus)
            }
            // STATUS= four times a second at most: a burst changes the counters with every report
            if ready && !state.isStopping, now - lastStatusAt >= .milliseconds(250) {
                lastStatusAt = now
                let status = state.statusLine(current.config)
                if status != lastStatus {
                    notifier.status(status)
                    lastStatus = status
                }
            }
            if let interval, lastPing.map({ now - $0 >= interval / 4 }) ?? true,
                let turn = state.lastScannerTurn, now - turn < interval / 2
            {
                notifier.watchdog()
                lastPing = now
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
