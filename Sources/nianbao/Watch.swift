import ArgumentParser
import Foundation
import Logging
import NianbaoDaemon
import NianbaoKit
import NianbaoReaders

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the drop-folder service: check each report dropped into the inbox and move it to accepted/ or rejected/ with its note.",
        discussion: "Without --config (or NIANBAO_CONFIG) it runs on ./nianbao-data/{inbox,accepted,rejected,work}, created on start."
    )

    @Option(help: "Configuration file (YAML, see Config/nianbao.yaml).") var config: String?
    @Option(help: "Inbox directory (overrides the configuration).") var inbox: String?
    @Option(help: "Poll interval in seconds (overrides the configuration).") var pollInterval: String?

    func run() async throws {
        LoggingSystem.bootstrap { makeJournalOrStderrLogHandler(label: $0) }
        let logger = Logger(label: "nianbao")
        var overrides: [String: String] = [:]
        if let inbox { overrides["inbox"] = inbox }
        if let pollInterval { overrides["poll_interval"] = pollInterval }
        let file = config
        let fixedOverrides = overrides
        let loader: @Sendable () async throws -> DaemonConfig = {
            let config = try await DaemonConfig.load(configFile: file, overrides: fixedOverrides)
            _ = try ruleSeverities(from: config)  // unknown rule codes are a configuration error
            return config
        }
        let initial: DaemonConfig
        do {
            initial = try await loader()
        } catch {
            logger.critical("配置错误：\(printable(error))", metadata: ["message_id": "\(NianbaoMessageID.configError)"])
            throw ExitCode(2)
        }
        if !PDFTextReader.isAvailable {
            logger.error(
                "未安装 pdftotext（poppler-utils），PDF 报告将被退回并注明本服务器无法审核 PDF；安装：apt-get install poppler-utils",
                metadata: ["message_id": "\(NianbaoMessageID.configError)", "missing": "pdftotext"])
        }
        let daemon = Daemon(config: initial, configLoader: loader, makeChecker: Self.checker, logger: logger)
        do {
            try await daemon.run()
        } catch {
            // the folders cannot be made or used (an inbox path that is a file, no permission):
            // a configuration error, exit status 2 as documented
            logger.critical("无法使用配置的目录：\(printable(error))", metadata: ["message_id": "\(NianbaoMessageID.configError)"])
            throw ExitCode(2)
        }
    }

    /// The checker the daemon calls for each claimed file, built from the configuration.
    static func checker(_ config: DaemonConfig) -> ReportChecker {
        let language = config.language
        let severities = (try? ruleSeverities(from: config)) ?? [:]
        let noteEncoding = config.noteEncoding
        let options = CheckOptions(language: language, severities: severities)
        let pipeline = Pipeline(options: options, isolation: ReaderIsolation.currentExecutable())
        // The check reads the file and may wait on pdftotext: it runs on a dispatch queue, off the
        // concurrency pool, so the poll loop (and its watchdog keep-alive) always gets a thread.
        return { url, originalName in
            await withCheckedContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(returning: check(url: url, originalName: originalName, pipeline: pipeline,
                                                         noteEncoding: noteEncoding))
                }
            }
        }
    }

    static func check(url: URL, originalName: String, pipeline: Pipeline, noteEncoding: NoteEncoding)
        -> DaemonCheckResult
    {
        let language = pipeline.options.language
        let input = pipeline.input(fileName: originalName, path: url.path, followSymlinks: false)
        let result = pipeline.check(input, checkedAt: isoNow())
        if input.failure?.code == "pdftotext-missing" {
            Logger(label: "nianbao").error(
                "无法审核 PDF 报告 \(originalName)：服务器未安装 pdftotext（apt-get install poppler-utils）",
                metadata: ["report_file": "\(originalName)", "missing": "pdftotext"])
        }
        let wantsNote = result.verdict == .rejected || result.warnings > 0
        let note = wantsNote ? noteEncoding.encode(result.note(fileName: originalName, language: language)) : nil
        return DaemonCheckResult(
            accepted: result.verdict == .accepted, errors: result.errors, warnings: result.warnings, note: note,
            json: Array(result.json.serialized().utf8), sha256: result.sha256, organ: result.report?.organ,
            year: result.report?.year, edition: (result.report?.tableEdition ?? result.report?.edition)?.rawValue,
            rules: result.rulesFired,
            failureReason: input.failure.map { $0.message.text(language) }, identity: input.identity)
    }
}
