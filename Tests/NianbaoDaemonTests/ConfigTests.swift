import Foundation
import Testing
import NianbaoCore

@testable import NianbaoDaemon
import NianbaoConfig
import NianbaoTestSupport

extension DaemonTests {
    static let shippedConfig = TestProduct.file("Config/nianbao.yaml").path

    @Test func shippedConfigFileLoadsWithProductionPaths() async throws {
        let config = try await DaemonConfig.load(configFile: Self.shippedConfig, environment: [:])
        #expect(config.inbox.path == "/var/lib/nianbao/inbox")
        #expect(config.accepted.path == "/var/lib/nianbao/accepted")
        #expect(config.rejected.path == "/var/lib/nianbao/rejected")
        #expect(config.work.path == "/var/lib/nianbao/work")
        #expect(config.pollInterval == .seconds(2))
        #expect(config.settleTime == .seconds(2))
        #expect(config.maxFileSize == 50 * 1024 * 1024)
        #expect(config.language == .zh)
        #expect(config.noteEncoding == .windows)
        #expect(config.ignorePatterns == ["*.bak", "Thumbs.db", "desktop.ini"])
        #expect(config.isIgnored("Thumbs.db") && config.isIgnored(".x") && !config.isIgnored("年报.docx"))
        #expect(config.ruleSeverities.isEmpty)
    }

    @Test func environmentOverridesTheFileAndOverridesBeatEnvironment() async throws {
        let config = try await DaemonConfig.load(
            configFile: Self.shippedConfig,
            environment: [
                "NIANBAO_POLL_INTERVAL": "5", "NIANBAO_LANGUAGE": "en", "NIANBAO_RULES": "cell-blank=warning,label-deviation=off",
                "NIANBAO_INBOX": "/srv/share/年报", "HOME": "/root",
            ],
            overrides: ["poll_interval": "500ms", "max_file_size": "10MiB"])
        #expect(config.pollInterval == .milliseconds(500))
        #expect(config.language == .en)
        #expect(config.inbox.path == "/srv/share/年报")
        #expect(config.accepted.path == "/var/lib/nianbao/accepted")
        #expect(config.maxFileSize == 10 * 1024 * 1024)
        #expect(config.ruleSeverities == ["cell-blank": "warning", "label-deviation": "off"])
    }

    @Test func withoutAFileTheDataLivesUnderTheCurrentDirectory() async throws {
        let config = try await DaemonConfig.load(environment: [:])
        let cwd = FileManager.default.currentDirectoryPath
        #expect(config.inbox.path == cwd + "/nianbao-data/inbox")
        #expect(config.work.path == cwd + "/nianbao-data/work")
        #expect(config.pollInterval == .seconds(2))
        #expect(config.workers == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func badValuesAreReportedByKey() async throws {
        for (key, value) in [
            ("poll_interval", "soon"), ("language", "fr"), ("note_encoding", "gbk"), ("workers", "0"),
            ("max_file_size", "-1"), ("rules", "E101=fatal"),
            ("rules", "cell-blank=info"),  // one Severity for rules and configuration: error, warning, off
            ("rules", "file-too-long=off"),  // a file that could not be read is always an error
            ("rules", "unsupported-format=warning"),
        ] {
            await #expect {
                _ = try await DaemonConfig.load(environment: [:], overrides: [key: value])
            } throws: { error in
                (error as? NianbaoError)?.fields["key"] == key
            }
        }
        await #expect(throws: NianbaoError.self) {
            _ = try await DaemonConfig.load(configFile: "/nonexistent/nianbao.yaml", environment: [:])
        }
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let broken = root.url.appendingPathComponent("broken.yaml")
        try write("poll_interval: [1, 2\n  bad: {", to: broken)
        await #expect(throws: NianbaoError.self) {
            _ = try await DaemonConfig.load(configFile: broken.path, environment: [:])
        }
    }

    @Test func relativePathsInAFileAreRelativeToTheFile() async throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let file = root.url.appendingPathComponent("n.yaml")
        try write("data_dir: data\nrejected: /tmp/elsewhere\nworkers: 3\n", to: file)
        let config = try await DaemonConfig.load(configFile: file.path, environment: [:])
        #expect(config.inbox.path == root.url.appendingPathComponent("data/inbox").path)
        #expect(config.rejected.path == "/tmp/elsewhere")
        #expect(config.workers == 3)
    }
}
