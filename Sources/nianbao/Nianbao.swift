import ArgumentParser
import Foundation
import NianbaoKit
import NianbaoText
import NianbaoExtract
import NianbaoRender
import NianbaoReaders

@main
struct Nianbao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nianbao",
        abstract: "Checks annual reports on open government information (政府信息公开工作年度报告).",
        subcommands: [Check.self, Watch.self, Extract.self, Rules.self, Explain.self, SummaryCommand.self]
    )

    /// Usage errors exit with status 2 (the documented contract), not ArgumentParser's 64.
    static func main() async {
        // the child of reader isolation: served by the readers, not parsed here
        let all = CommandLine.arguments
        if all.count > 1 && all[1] == ReaderIsolation.subcommand {
            Foundation.exit(ReaderIsolation.main(arguments: Array(all.dropFirst(2))))
        }
        do {
            let (arguments, moreFiles) = setAsideFiles(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(arguments)
            if !moreFiles.isEmpty {
                if var check = command as? Check {
                    check.files += moreFiles
                    command = check
                } else if var extract = command as? Extract {
                    extract.files += moreFiles
                    command = extract
                }
            }
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

    /// ArgumentParser takes time quadratic in the number of values of one argument (each value
    /// merges the set of places seen so far): `check` or `extract` over a whole folder would spend
    /// seconds parsing its file names. The trailing run of file names (arguments not starting
    /// with "-", after the last option) is set aside here, less its first two, which stay to be
    /// parsed (the first may be an option's value, and at least one file must be there); the
    /// command gets the rest appended to its files, in order.
    static func setAsideFiles(_ arguments: [String]) -> (arguments: [String], files: [String]) {
        guard let sub = arguments.first, sub == "check" || sub == "extract", arguments.count > 64 else {
            return (arguments, [])
        }
        var start = arguments.count
        while start > 1 && (!arguments[start - 1].hasPrefix("-") || arguments[start - 1] == "-") { start -= 1 }
        let keep = min(start + 2, arguments.count)
        return (Array(arguments[..<keep]), Array(arguments[keep...]))
    }
}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print what was read from each report (.txt, .docx, .html, .pdf), as the report part of nianbao.report/2."
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
            var cells: [Int: [Range<Int>]] = [:]
            if let d = input.document {
                let view = d.textView
                text = view.text
                cells = view.cells
            } else if let t = input.text {
                text = t
            } else {
                switch TextDecoder.attempt(input.bytes) {
                case .text(let decoded, _):
                    text = decoded
                case .refused(let refusal):
                    FileHandle.standardError.write(Data("nianbao: \(f): \(refusal)\n".utf8))
                    failed = true
                    continue
                }
            }
            if self.text {
                print(text)
                continue
            }
            var document = TextDocument(text, cells: cells)
            document.readByOCR = input.ocr != nil
            let report = Extractor.extract(document)
            let json = JSONWriter()
            json.beginObject()
            json.key("file"); json.string(name)
            json.key("format"); json.string(input.format)
            json.key("report"); ReportJSON.write(report, into: json)
            json.endObject()
            print(String(decoding: json.bytes, as: UTF8.self))
        }
        if failed { throw ExitCode(2) }
    }
}
