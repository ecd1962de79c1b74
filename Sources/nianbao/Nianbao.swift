import ArgumentParser
import Foundation
import NianbaoKit

@main
struct Nianbao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nianbao",
        abstract: "Checks annual reports on open government information (政府信息公开工作年度报告).",
        subcommands: [Check.self, Watch.self, Extract.self, Rules.self, Explain.self]
    )

    /// Usage errors exit with status 2 (the documented contract), not ArgumentParser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure || code.rawValue == 1 || code.rawValue == 2 {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what was read from each report, as nianbao.report/1 JSON (the report part)."
    )

    @Argument(help: "Report files.") var files: [String]

    func run() throws {
        var failed = false
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else {
                FileHandle.standardError.write(Data("nianbao: cannot read \(f)\n".utf8))
                failed = true
                continue
            }
            do {
                let (text, _) = try TextDecoder.decode([UInt8](data))
                let report = Extractor.extract(TextDocument(text))
                print(JSON.object([("file", .string((f as NSString).lastPathComponent)),
                                   ("report", ReportJSON.report(report))]).serialized())
            } catch {
                FileHandle.standardError.write(Data("nianbao: \(f): \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }
}
