import Foundation
import NianbaoKit
import Testing

@testable import NianbaoDaemon
import NianbaoRender
import NianbaoTestSupport

/// The service killed (SIGKILL) at random moments while it checks, publishes and indexes: after
/// a restart its index of published results says exactly what the folders' documents say, and
/// the history it answers from is theirs. Run on the real binary.
@Suite("index of published results: the service killed while it publishes (the real binary)")
struct IndexKillTests {
    typealias Service = WatchCommandTests.Service

    /// Every published document in the folders, as the history reads it.
    static func fromFolders(_ s: Service) -> Set<String> { PublishedFolders.reports(in: [s.accepted, s.rejected]) }

    static func describe(_ p: PriorReport) -> String { PublishedFolders.describe(p) }

    @Test("killed at random points while publishing: after a restart the index agrees with the folders")
    func killedWhilePublishing() throws {
        var rng = SystemRandomNumberGenerator()
        let huaian = try String(contentsOf: CheckCommandTests.fixtures.appendingPathComponent("huaian-2024.layout.txt"), encoding: .utf8)
        var service = try Service(settle: "0.2")
        service.removeOnDeinit = false
        let dir = service.dir
        defer { try? FileManager.default.removeItem(at: dir) }
        // reports of several organs and years (carry-over, resubmissions, the same bytes again)
        var dropped = 0
        func drop(_ count: Int, into s: Service) throws {
            for _ in 0..<count {
                let i = dropped
                dropped += 1
                let text: String
                switch i % 4 {
                case 0: text = huaian.replacingOccurrences(of: "2024", with: String(2019 + (i / 4) % 6))
                case 1: text = huaian.replacingOccurrences(of: "淮安市", with: "机关\(i % 5)")
                case 2: text = try String(contentsOf: CheckCommandTests.fixtures.appendingPathComponent(WatchCommandTests.seeds[i % 5].0), encoding: .utf8)
                default: text = huaian
                }
                let staging = s.dir.appendingPathComponent(".staging")
                try text.write(to: staging, atomically: false, encoding: .utf8)
                try FileManager.default.moveItem(at: staging, to: s.inbox.appendingPathComponent("报告\(i).txt"))
            }
        }
        for round in 0..<5 {
            try drop(8, into: service)
            // killed a random moment into its work
            usleep(UInt32.random(in: 300_000...1_500_000, using: &rng))
            kill(service.process.processIdentifier, SIGKILL)
            service.process.waitUntilExit()
            service = try Service(settle: "0.2", directory: dir)
            service.removeOnDeinit = false
            _ = round
        }
        // the last run finishes everything, and one more report (so it is past its start when stopped)
        try drop(1, into: service)
        try service.wait(seconds: 120) {
            let reports = [service.accepted, service.rejected].flatMap { folder in
                service.names(folder).filter { !$0.hasPrefix(".") && !$0.contains(".nianbao.json") && !$0.contains(".审核意见.") }
            }
            return reports.count == dropped && service.names(service.inbox).filter { !$0.hasPrefix(".") }.isEmpty
        }
        #expect(service.stop() == 0)
        let folders = Self.fromFolders(service)
        #expect(folders.count == dropped)

        let index = try PublishedIndex(
            path: PublishedIndex.location(stateDirectory: service.state, accepted: service.accepted, rejected: service.rejected).path,
            folders: [.init(url: service.accepted, tabled: true), .init(url: service.rejected, tabled: false)],
            noteSuffix: ".审核意见.html", readOnly: true)
        var indexed: Set<String> = []
        try index.forEachReport { indexed.insert(Self.describe($0.prior)) }
        #expect(indexed == folders, "only in the index: \(indexed.subtracting(folders)); only in the folders: \(folders.subtracting(indexed))")
        #expect(index.unreadable().isEmpty)
    }
}
