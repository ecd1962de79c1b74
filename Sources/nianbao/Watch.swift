import ArgumentParser
import Foundation
import Logging
import NianbaoDaemon
import NianbaoReaders
import NianbaoConfig
import NianbaoCore

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run the drop-folder service: check each report dropped into the inbox and move it to accepted/ or rejected/ with its note.",
        discussion: "Without --config (or NIANBAO_CONFIG) it runs on ./nianbao-data/{inbox,accepted,rejected,work}, created on start."
    )

    @Option(help: "Configuration file (YAML, see Config/nianbao.yaml).") var config: String?
    @Option(help: "Inbox directory (overrides the configuration).") var inbox: String?
    @Option(help: "Poll interval in seconds (overrides the configuration).") var pollInterval: String?

    func run() async throws {
        // a SIGHUP before the service traps it (while it makes its folders and reads what was
        // published) would end the process: until then a reload request is dropped
        signal(SIGHUP, SIG_IGN)
        LoggingSystem.bootstrap { makeJournalOrStderrLogHandler(label: $0) }
        let logger = Logger(label: "nianbao")
        var overrides: [String: String] = [:]
        if let inbox { overrides["inbox"] = inbox }
        if let pollInterval { overrides["poll_interval"] = pollInterval }
        let file = config
        let fixedOverrides = overrides
        let loader: @Sendable () async throws -> DaemonConfig = {
            let config = try await DaemonConfig.load(configFile: file, overrides: fixedOverrides)
            _ = try config.checkOptions()  // unknown rule codes are a configuration error
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
        if !OfficeConverter.isAvailable {
            logger.error(
                "未安装 LibreOffice（\(OfficeConverter.package)），.doc、.rtf、.odt、.wps 报告将被退回并注明本服务器无法读取这些格式；安装：apt-get install \(OfficeConverter.package) fonts-noto-cjk",
                metadata: ["message_id": "\(NianbaoMessageID.configError)", "missing": "soffice"])
        }
        let daemon = Daemon(config: initial, configLoader: loader, logger: logger)
        do {
            try await daemon.run()
        } catch let inUse as NianbaoError where inUse.code == .instanceInUse {
            var metadata: Logger.Metadata = ["message_id": "\(NianbaoMessageID.configError)"]
            for (name, value) in inUse.fields { metadata[name] = "\(value)" }
            logger.critical("\(inUse.message.text(initial.language))", metadata: metadata)
            throw ExitCode(3)
        } catch {
            // the folders cannot be made or used (an inbox path that is a file, no permission):
            // a configuration error, exit status 2 as documented
            logger.critical("无法使用配置的目录：\(printable(error))", metadata: ["message_id": "\(NianbaoMessageID.configError)"])
            throw ExitCode(2)
        }
    }
}
