import CSystemd
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Talks to the service manager with sd_notify(3). Without `NOTIFY_SOCKET`
/// every call is a no-op, so the daemon runs the same by hand and under systemd.
public struct Notifier: Sendable {
    public init() {}

    /// Sends newline-separated `KEY=value` assignments. Returns whether a message was sent.
    @discardableResult
    public func notify(_ assignments: String) -> Bool {
        sd_notify(0, assignments) > 0
    }

    public func ready(status: String) { notify("READY=1\nSTATUS=\(Self.oneLine(status))") }

    public func status(_ status: String) { notify("STATUS=\(Self.oneLine(status))") }

    /// `RELOADING=1` with the `MONOTONIC_USEC` systemd ≥ 253 expects (older ones ignore it).
    public func reloading() {
        notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }

    public func stopping(status: String) { notify("STOPPING=1\nSTATUS=\(Self.oneLine(status))") }

    public func watchdog() { notify("WATCHDOG=1") }

    /// The watchdog period the service manager asked for (`WATCHDOG_USEC`), if any.
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}
