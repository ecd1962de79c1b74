import Foundation
import Testing
import NianbaoCore

@testable import NianbaoDaemon
import NianbaoRender
import NianbaoConfig
import NianbaoTestSupport

extension DaemonTests {
    @Test func htmlNotesAndOverviewAreOnByDefaultAndCanBeTurnedOff() async throws {
        let shipped = try await DaemonConfig.load(configFile: Self.shippedConfig, environment: [:])
        #expect(shipped.htmlNotes && shipped.overview && shipped.organsFile == nil)
        #expect(try shipped.checkOptions().htmlNotes)
        let off = try await DaemonConfig.load(environment: [:], overrides: ["html_notes": "false", "overview": "off", "organs": "/srv/名单.txt"])
        #expect(!off.htmlNotes && !off.overview && off.organsFile?.path == "/srv/名单.txt")
        #expect(try !off.checkOptions().htmlNotes)
        await #expect(throws: NianbaoError.self) { _ = try await DaemonConfig.load(environment: [:], overrides: ["overview": "maybe"]) }
    }

    /// Rejected and accepted reports in the overview, with links to the notes that exist; the
    /// organs of the list that have not reported; nothing of either when turned off.
    @Test func overviewPageListsEveryReportAndTheOrgansMissing() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        var config = testConfig(root)
        let organs = root.url.appendingPathComponent("organs.txt")
        try write("顾县镇人民政府\n没交的镇人民政府\n", to: organs)
        config.organsFile = organs
        try Daemon.prepareDirectories(config)
        try FileManager.default.copyItem(at: seed("002_baa9f92cd75d3d34.txt"), to: config.inbox.appendingPathComponent("退.txt"))
        try FileManager.default.copyItem(at: seed("000_6d5291d632ae3dd2.txt"), to: config.inbox.appendingPathComponent("过.txt"))
        let daemon = RunningDaemon(config: config, checker: Daemon.pipelineChecker(for: config))
        #expect(await eventually { names(in: config.rejected).count == 4 && names(in: config.accepted).contains("过.txt.nianbao.json") })
        let index = root.url.appendingPathComponent("index.html")
        #expect(await eventually { (read(index) ?? "").contains("退.txt") && (read(index) ?? "").contains("过.txt") })
        try await daemon.stop()
        let page = read(index) ?? ""
        let link = "rejected/" + OverviewPage.href(["退.txt.审核意见.html"])
        #expect(page.contains("href=\"\(link)\""))
        #expect(FileManager.default.fileExists(atPath: root.url.appendingPathComponent("rejected/退.txt.审核意见.html").path))
        #expect(page.contains("data-organ=\"没交的镇人民政府\"") && !page.contains("data-organ=\"顾县镇人民政府\""))
        #expect(page.contains("<svg") && page.contains("data-rule=\"row-cell-count\""))

        // turned off: neither the pages nor the overview
        let root2 = try TemporaryDirectory()
        defer { root2.cleanup() }
        var quiet = testConfig(root2)
        quiet.htmlNotes = false
        quiet.overview = false
        try Daemon.prepareDirectories(quiet)
        try FileManager.default.copyItem(at: seed("002_baa9f92cd75d3d34.txt"), to: quiet.inbox.appendingPathComponent("退.txt"))
        let second = RunningDaemon(config: quiet, checker: Daemon.pipelineChecker(for: quiet))
        #expect(await eventually { names(in: quiet.rejected).count == 3 })
        try await second.stop()
        #expect(!names(in: quiet.rejected).contains { $0.hasSuffix(".html") })
        #expect(!FileManager.default.fileExists(atPath: root2.url.appendingPathComponent("index.html").path))
    }
}
