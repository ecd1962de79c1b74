import Dispatch
import Foundation
import NianbaoKit
import NianbaoSummary
import Synchronization

/// What the service has published before, read on start: every `*.nianbao.json` in
/// `accepted/` and `rejected/`, each parsed once (for the history and, when accepted, for the
/// folder's summary), on every core. An office keeps years of results: tens of thousands of
/// documents, which one parse each on one core made a start of many seconds before READY=1.
enum PublishedResults {
    struct Result: Sendable {
        var report: PriorReport
        var summary: SummaryEntry?
    }

    /// The documents in `folders`; those in `summaryFolder` (accepted/) that say accepted also
    /// give their summary row.
    /// `skip` says which (folder name, report name) were read already.
    static func read(_ folders: [URL], summaryFolder: URL, skip: (String, String) -> Bool = { _, _ in false }) -> [Result] {
        var paths: [(folder: String, kind: String, name: String, summary: Bool)] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            let summary = folder.standardizedFileURL == summaryFolder.standardizedFileURL
            for name in names where name.hasSuffix(Sidecar.jsonSuffix) && !name.hasPrefix(".")
                && !skip(folder.lastPathComponent, String(name.dropLast(Sidecar.jsonSuffix.count)))
            {
                paths.append((folder.path, folder.lastPathComponent, name, summary))
            }
        }
        guard !paths.isEmpty else { return [] }
        let all = paths
        let results = Mutex<[Result]>([])
        let chunks = min(all.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var local: [Result] = []
            for index in stride(from: chunk, to: all.count, by: chunks) {
                let (folder, kind, name, summary) = all[index]
                let file = String(name.dropLast(Sidecar.jsonSuffix.count))
                guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                    let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let report = PriorReport.parse(root, file: file, folder: kind)
                else { continue }
                let entry = summary && report.verdict == .accepted ? try? Summary.entry(root, fallbackName: file) : nil
                local.append(Result(report: report, summary: entry))
            }
            results.withLock { $0.append(contentsOf: local) }
        }
        return results.withLock { $0 }
    }
}
