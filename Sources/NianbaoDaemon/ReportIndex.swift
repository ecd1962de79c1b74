import Foundation
import NianbaoKit
import Synchronization

/// The reports this service (and the others on the share) published, by organ and year and
/// by SHA-256: the history the library's pipeline checks a report against (its carry-over from
/// the year before, a resubmission of the same year's report, the same bytes dropped again).
///
/// It is rebuilt from the published JSON documents in `accepted/` and `rejected/` on start, so
/// it survives restarts, and refreshed as this instance publishes (and every scan, for what
/// other instances published).
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

    /// Reads the JSON documents in `folders` not read yet. Returns how many were added.
    @discardableResult
    func refresh(from folders: [URL]) -> Int {
        var added = 0
        for folder in folders {
            let kind = folder.lastPathComponent
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where name.hasSuffix(Sidecar.jsonSuffix) && !name.hasPrefix(".") {
                let file = String(name.dropLast(Sidecar.jsonSuffix.count))
                if state.withLock({ $0.seen.contains("\(kind)/\(file)") }) { continue }
                guard let data = FileManager.default.contents(atPath: folder.file(name).path),
                    let report = PriorReport.parse(Array(data), file: file, folder: kind)
                else { continue }
                add(report)
                added += 1
            }
        }
        return added
    }
}
