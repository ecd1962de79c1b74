import Foundation
import Logging
import NianbaoKit
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
        /// Every published report (both folders), for the overview page, by folder and name.
        var overview: [String: OverviewEntry] = [:]
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

    /// A published report, accepted or rejected, for the overview page (`index.html`).
    /// `noteSuffix` is the suffix of the note to link to (nil: none was written); without it,
    /// a report with findings links to its note (a report published before this start).
    func record(_ report: PriorReport, htmlNotes: Bool, noteSuffix: String?? = .none) {
        var entry = Self.overviewEntry(report, htmlNotes: htmlNotes)
        if case .some(let suffix) = noteSuffix {
            entry.note = suffix.map { OverviewPage.href([report.folder, report.file + $0]) }
        }
        state.withLock {
            $0.overview[report.folder + "/" + report.file] = entry
            $0.stale = true
        }
    }

    static func overviewEntry(_ r: PriorReport, htmlNotes: Bool) -> OverviewEntry {
        var rules: [String] = []
        for f in r.findings where !rules.contains(f.code) { rules.append(f.code) }
        let errors = r.findings.filter { $0.severity == "error" }.count
        let warnings = r.findings.filter { $0.severity == "warning" }.count
        // a note is written when there is something to say
        let note = r.findings.isEmpty ? nil
            : OverviewPage.href([r.folder, r.file + (htmlNotes ? Sidecar.htmlNoteSuffix : Sidecar.noteSuffix)])
        return OverviewEntry(folder: r.folder, file: r.file, organ: r.organ, year: r.year, accepted: r.verdict == .accepted,
                             errors: errors, warnings: warnings, rules: rules, note: note)
    }

    static let overviewFileName = "index.html"

    static func overviewLocation(_ config: DaemonConfig) -> URL {
        config.accepted.deletingLastPathComponent().file(overviewFileName)
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
        let overview: [OverviewEntry]? = entries == nil || !config.overview ? nil : state.withLock { Array($0.overview.values) }
        if let overview {
            let organs = config.organsFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) }.map { text in
                text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let page = OverviewPage.render(entries: overview, expectedOrgans: organs, writtenAt: Checker.timestamp(Date()),
                                           language: config.language)
            do {
                try Data(page.utf8).write(to: Self.overviewLocation(config), options: .atomic)
            } catch {
                logger.warning(
                    "\(text(config, "无法更新总览页 \(Self.overviewLocation(config).path)：\(error)", "cannot update the overview page \(Self.overviewLocation(config).path): \(error)"))")
            }
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
