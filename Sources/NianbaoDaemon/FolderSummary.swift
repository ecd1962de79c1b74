import Dispatch
import Foundation
import Logging
import NianbaoKit
import NianbaoSummary
import Synchronization
import NianbaoRender
import NianbaoConfig
import NianbaoCore

#if canImport(Glibc)
    import Glibc
#endif

/// The folder's consolidated table, kept current beside `accepted/` as `年报汇总.csv` (the
/// figures of every accepted report, one row each: what `nianbao summary` prints) and the
/// overview page `index.html`, for the reviewing office to open at any moment.
///
/// Both are written from the index of published results (``PublishedIndex``), a row at a time
/// into a temporary file renamed over the old one: nothing here keeps the results in memory.
/// They are written when something was published, when the service is idle or at most every
/// minute while reports keep coming (less often when writing them takes long: a folder of a
/// million reports), and on stop.
final class FolderSummary: Sendable {
    static let fileName = "年报汇总.csv"
    static let overviewFileName = "index.html"

    private struct State {
        var stale = false
        /// Not on start: the first report waiting is checked before the table is written again.
        var lastWritten = ContinuousClock.now
        /// How long the last write took.
        var took: Duration = .zero
        var writing = false
    }
    private let state = Mutex(State())
    /// The writes run here, one at a time, off the scanner's loop (a folder of a hundred thousand
    /// reports takes seconds to write).
    private let queue = DispatchQueue(label: "nianbao.summary", qos: .utility)
    let index: PublishedIndex

    init(index: PublishedIndex) { self.index = index }

    static func location(_ config: DaemonConfig) -> URL {
        config.accepted.deletingLastPathComponent().file(fileName)
    }

    static func overviewLocation(_ config: DaemonConfig) -> URL {
        config.accepted.deletingLastPathComponent().file(overviewFileName)
    }

    /// Something was published (or the files may be older than the index): written at the next chance.
    func markStale() { state.withLock { $0.stale = true } }

    /// Writes the table and the page if the index changed, and either `idle` (two seconds, or
    /// twenty times the last write's time, after the last write) or a minute (at least twenty
    /// times the last write's time) has passed since the last write: in the background, or at
    /// once and waited for with `force` (on stop; unless the last write took more than ten
    /// seconds, a folder of a million reports: then the next start writes them, within the
    /// stop timeout's reach).
    func writeIfDue(config: DaemonConfig, idle: Bool, force: Bool = false, logger: Logger) {
        if force { queue.sync {} }  // a write under way ends first
        let due: Bool = state.withLock { s in
            let since = ContinuousClock.now - s.lastWritten
            guard s.stale, !s.writing, !force || s.took <= .seconds(10),
                force || (idle && since > max(.seconds(2), s.took * 20)) || since > max(.seconds(60), s.took * 20)
            else { return false }
            s.stale = false
            s.writing = true
            return true
        }
        guard due else { return }
        if force {
            queue.sync { write(config: config, logger: logger) }
        } else {
            queue.async { self.write(config: config, logger: logger) }
        }
    }

    private func write(config: DaemonConfig, logger: Logger) {
        let began = ContinuousClock.now
        if config.overview {
            do {
                try Self.writeAtomically(Self.overviewLocation(config)) { out in
                    try writeOverview(config: config, to: out)
                }
            } catch {
                logger.warning(
                    "\(text(config, "无法更新总览页 \(Self.overviewLocation(config).path)：\(error)", "cannot update the overview page \(Self.overviewLocation(config).path): \(error)"))")
            }
        }
        do {
            try Self.writeAtomically(Self.location(config)) { out in
                try out.write(Summary.csvHeader())
                try index.forEachTableEntry { try out.write(Summary.csvLine($0)) }
            }
        } catch {
            logger.warning(
                "\(text(config, "无法更新汇总表 \(Self.location(config).path)：\(error)", "cannot update the summary \(Self.location(config).path): \(error)"))")
        }
        state.withLock {
            $0.lastWritten = .now
            $0.took = ContinuousClock.now - began
            $0.writing = false
        }
    }

    private func writeOverview(config: DaemonConfig, to out: BufferedOutput) throws {
        let organs = config.organsFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) }.map { text in
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let counts = try index.overviewCounts()
        let missing = organs.map { list in list.filter { !index.hasOrgan($0) } }
        try out.write(OverviewPage.head(total: counts.total, accepted: counts.accepted, ruleCounts: counts.rules,
                                        expectedOrgans: organs, missing: missing ?? [], writtenAt: Checker.timestamp(Date()),
                                        language: config.language))
        try index.forEachOverviewEntry { try out.write(OverviewPage.row($0, language: config.language)) }
        try out.write(OverviewPage.tail)
    }

    /// Writes `path` through a temporary beside it, renamed over it once complete.
    static func writeAtomically(_ url: URL, _ body: (BufferedOutput) throws -> Void) throws {
        let temporary = url.deletingLastPathComponent().file(".\(url.lastPathComponent).\(getpid()).tmp")
        let out = try BufferedOutput(path: temporary.path)
        do {
            try body(out)
            try out.close()
            guard rename(temporary.path, url.path) == 0 else { throw BufferedOutput.failure(errno) }
        } catch {
            out.abandon()
            unlink(temporary.path)
            throw error
        }
    }
}

/// A file written in 256 KiB pieces.
final class BufferedOutput {
    private var fd: Int32
    private var buffer: [UInt8] = []

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Self.failure(errno) }
        buffer.reserveCapacity(1 << 18)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 18 { try flush() }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure(errno)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        let code = Glibc.close(fd)
        fd = -1
        if code != 0 { throw Self.failure(errno) }
    }

    /// A write that failed: `io-error` with the errno as its cause, said (as logs have said
    /// it) by the system's words alone.
    static func failure(_ code: Int32) -> NianbaoError {
        let reason = String(cString: strerror(code))
        return NianbaoError(code: .ioError, operation: "", cause: .errno(code), message: Localized(zh: reason, en: reason),
                            help: Localized(zh: "", en: ""))
    }

    func abandon() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
