import Foundation
import Logging
import NianbaoSummary
import Synchronization

/// The folder's consolidated table, kept current beside `accepted/` as `年报汇总.csv`: the
/// figures of every accepted report, one row each (what `nianbao summary` prints), for the
/// reviewing office to open in Excel at any moment.
///
/// The rows are kept in memory: read once from the published JSON on start, then added as
/// reports are accepted (nothing is parsed back). The file is rewritten whole, then renamed over
/// the old one, when the service is idle or at most every minute while reports keep coming, and
/// on stop.
final class FolderSummary: Sendable {
    static let fileName = "年报汇总.csv"

    private struct State {
        var entries: [String: SummaryEntry] = [:]
        var stale = false
        var lastWritten = ContinuousClock.now - .seconds(3600)
    }
    private let state = Mutex(State())

    static func location(_ config: DaemonConfig) -> URL {
        config.accepted.deletingLastPathComponent().file(fileName)
    }

    /// Written at the next chance even if nothing is added (on start: the file may be older).
    func markStale() { state.withLock { $0.stale = true } }

    func add(_ entry: SummaryEntry) {
        state.withLock {
            $0.entries[entry.file] = entry
            $0.stale = true
        }
    }

    /// Writes the table if it changed, and either `idle` or a minute has passed since the last
    /// write (or `force`).
    func writeIfDue(config: DaemonConfig, idle: Bool, force: Bool = false, logger: Logger) {
        let entries: [SummaryEntry]? = state.withLock { s in
            guard s.stale, force || idle || ContinuousClock.now - s.lastWritten > .seconds(60) else { return nil }
            s.stale = false
            s.lastWritten = .now
            return Array(s.entries.values)
        }
        guard var entries else { return }
        entries.sort { ($0.year ?? 0, $0.organ ?? "", $0.file) < ($1.year ?? 0, $1.organ ?? "", $1.file) }
        do {
            try Data(Summary(entries: entries).csv()).write(to: Self.location(config), options: .atomic)
        } catch {
            logger.warning(
                "\(text(config, "无法更新汇总表 \(Self.location(config).path)：\(error)", "cannot update the summary \(Self.location(config).path): \(error)"))")
        }
    }
}
