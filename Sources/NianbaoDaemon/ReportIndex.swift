import Foundation
import NianbaoKit
import Synchronization

/// The reports this service (and the others on the share) published, by organ and year and
/// by SHA-256: the history the library's pipeline checks a report against (its carry-over from
/// the year before, a resubmission of the same year's report, the same bytes dropped again).
///
/// It is rebuilt from the published JSON documents in `accepted/` and `rejected/` on start, so
/// it survives restarts, and refreshed as this instance publishes (and every 30 s, for what
/// other instances published; see ``PublishedResults``).
final class ReportIndex: ReportHistory {
    private struct State {
        var seen: Set<String> = []
        var byOrganYear: [String: PriorReport] = [:]
        var bySHA: [String: PriorReport] = [:]
    }
    private let state = Mutex(State())

    static func key(organ: String, year: Int) -> String { "\(OrganName.normalised(organ))|\(year)" }

    func latest(organ: String, year: Int) -> PriorReport? {
        state.withLock { $0.byOrganYear[Self.key(organ: organ, year: year)] }
    }

    func report(sha256: String) -> PriorReport? { state.withLock { $0.bySHA[sha256] } }

    /// Adds a published result.
    func add(_ report: PriorReport) {
        state.withLock { s in
            s.seen.insert("\(report.folder)/\(report.file)")
            if !report.sha256.isEmpty { s.bySHA[report.sha256] = report }
            guard let organ = report.organ, let year = report.year else { return }
            let key = Self.key(organ: organ, year: year)
            if let current = s.byOrganYear[key], current.checkedAt > report.checkedAt { return }
            s.byOrganYear[key] = report
        }
    }

    /// Whether the document of `file` in `folder` (`accepted`, `rejected`) is in the index.
    func has(folder: String, file: String) -> Bool { state.withLock { $0.seen.contains("\(folder)/\(file)") } }
}
