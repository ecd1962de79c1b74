import ArgumentParser
import Foundation
import NianbaoSummary

enum SummaryFormat: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Compile the checked reports' figures (tables 三 and 四) into one table: CSV for Excel, or an .xlsx workbook.",
        discussion: """
            Reads the nianbao.report/2 JSON beside each checked report. A service data folder (one
            holding accepted/) is read through accepted/, and rejected/ too with --include-rejected.
            Without --output the CSV goes to standard output and the overview to standard error.
            """
    )

    @Argument(help: "Folders of checked reports (a service's data folder, or accepted/ itself).")
    var directories: [String]

    @Flag(help: "Include rejected reports.") var includeRejected = false
    @Option(help: "csv (UTF-8 with BOM, opens in Excel) or xlsx.") var format: SummaryFormat = .csv
    @Option(name: [.short, .long], help: "Write the table to this file.") var output: String?
    @Option(help: "A text file of the organs expected to report, one per line: the overview names those missing.")
    var organs: String?

    func run() throws {
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                FileHandle.standardError.write(Data("nianbao: \(directory)：不是文件夹 (not a folder)\n".utf8))
                throw ExitCode(2)
            }
        }
        let summary = Summary.load(directories: directories.map { URL(fileURLWithPath: $0) }, includeRejected: includeRejected)
        var expected: [String]?
        if let organs {
            guard let text = try? String(contentsOfFile: organs, encoding: .utf8) else {
                FileHandle.standardError.write(Data("nianbao: \(organs)：无法读取 (cannot read)\n".utf8))
                throw ExitCode(2)
            }
            expected = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let bytes = format == .csv ? summary.csv() : summary.xlsx()
        let overview = Data(summary.overview(expectedOrgans: expected).utf8)
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                FileHandle.standardError.write(Data("nianbao: \(output)：无法写入 (cannot write)\n".utf8))
                throw ExitCode(2)
            }
            FileHandle.standardOutput.write(overview)
        } else if format == .xlsx {
            FileHandle.standardError.write(Data("nianbao: --format xlsx 需要 --output 文件名 (xlsx needs --output)\n".utf8))
            throw ExitCode(2)
        } else {
            FileHandle.standardOutput.write(Data(bytes))
            FileHandle.standardError.write(overview)
        }
    }
}
