import Foundation
import Logging
import NianbaoSummary

/// The folder's consolidated table, kept current beside `accepted/` as `年报汇总.csv`: the
/// figures of every accepted report, one row each (what `nianbao summary` prints), for the
/// reviewing office to open in Excel at any moment.
enum FolderSummary {
    static let fileName = "年报汇总.csv"

    static func location(_ config: DaemonConfig) -> URL {
        config.accepted.deletingLastPathComponent().appendingPathComponent(fileName)
    }

    /// Rewrites the summary from the published JSON documents (written whole, then renamed
    /// over the old one: a reader never sees half a table).
    static func write(config: DaemonConfig, logger: Logger) {
        let summary = Summary.load(directories: [config.accepted], includeRejected: false)
        do {
            try Data(summary.csv()).write(to: location(config), options: .atomic)
        } catch {
            logger.warning(
                "\(text(config, "无法更新汇总表 \(location(config).path)：\(error)", "cannot update the summary \(location(config).path): \(error)"))")
        }
    }
}
