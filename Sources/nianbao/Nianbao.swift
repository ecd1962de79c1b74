import ArgumentParser
import Foundation
import NianbaoKit

@main
struct Nianbao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nianbao",
        abstract: "Checks annual reports on open government information (政府信息公开工作年度报告).",
        subcommands: [Check.self, Watch.self, Extract.self, Rules.self, Explain.self, ReadDocument.self]
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
        abstract: "Print what was read from each report (.txt, .docx, .html, .pdf), as the report part of nianbao.report/1."
    )

    @Argument(help: "Report files.") var files: [String]
    @Flag(help: "Print the text the checker reads (what the .docx/.html/.pdf reader made of the file) instead of JSON.")
    var text = false

    func run() throws {
        var failed = false
        let pipeline = Pipeline(isolation: ReaderIsolation.currentExecutable())
        for f in files {
            guard let input = loadInput(f, pipeline: pipeline) else {
                failed = true
                continue
            }
            let name = input.fileName
            if let failure = input.failure {
                FileHandle.standardError.write(Data("nianbao: \(f): \(failure.message.en)\n".utf8))
                failed = true
                continue
            }
            let text: String
            if let t = input.text {
                text = t
            } else {
                do {
                    text = try TextDecoder.decode(input.bytes).text
                } catch {
                    FileHandle.standardError.write(Data("nianbao: \(f): \(error)\n".utf8))
                    failed = true
                    continue
                }
            }
            if self.text {
                print(text)
                continue
            }
            let report = Extractor.extract(TextDocument(text))
            var json = JSONWriter()
            json.beginObject()
            json.key("file"); json.string(name)
            json.key("format"); json.string(input.format)
            json.key("report"); ReportJSON.write(report, into: &json)
            json.endObject()
            print(String(decoding: json.bytes, as: UTF8.self))
        }
        if failed { throw ExitCode(2) }
    }
}
