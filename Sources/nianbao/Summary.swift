import ArgumentParser
import Foundation
import NianbaoDaemon
import NianbaoSummary

enum SummaryFormat: String, ExpressibleByArgument, CaseIterable { case csv, xlsx }

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Compile the checked reports' figures (tables 三 and 四) into one table: CSV for Excel, or an .xlsx workbook.",
        discussion: """
            Reads the results beside each checked report. A service data folder (one holding
            accepted/) is read through accepted/, and rejected/ too with --include-rejected.
            For a service's data folder the service's index of published results is read (from
            --state-dir, default the service's state directory); for any other folder, or where
            that index cannot be read, the nianbao.report/2 JSON documents are read into a
            temporary index first. Without --output the CSV goes to standard output and the
            overview to standard error.
            """
    )

    @Argument(help: "Folders of checked reports (a service's data folder, or accepted/ itself).")
    var directories: [String]

    @Flag(help: "Include rejected reports.") var includeRejected = false
    @Option(help: "csv (UTF-8 with BOM, opens in Excel) or xlsx.") var format: SummaryFormat = .csv
    @Option(name: [.short, .long], help: "Write the table to this file.") var output: String?
    @Option(help: "A text file of the organs expected to report, one per line: the overview names those missing.")
    var organs: String?
    @Option(help: "The service's state directory, where its index of published results is (default: the service's).")
    var stateDir: String?

    /// The first folder (or its accepted/ and rejected/) that holds report files and not one
    /// result, with how many report files it holds; nil when every folder has results, or nothing.
    static func uncheckedReports(in directories: [String]) -> (String, Int)? {
        let fm = FileManager.default
        let readable: Set<String> = ["txt", "md", "docx", "doc", "rtf", "odt", "wps", "html", "htm", "pdf", "ofd",
                                     "png", "jpg", "jpeg", "tif", "tiff"]
        var anyResult = false
        var firstUnchecked: (String, Int)?
        for directory in directories {
            let service = ["accepted", "rejected"].map { directory + "/" + $0 }.filter { fm.fileExists(atPath: $0) }
            for folder in service.isEmpty ? [directory] : service {
                let names = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
                if names.contains(where: { $0.hasSuffix(".nianbao.json") && !$0.hasPrefix(".") }) {
                    anyResult = true
                    continue
                }
                let reports = names.filter { name in
                    !name.hasPrefix(".") && readable.contains((name as NSString).pathExtension.lowercased())
                        && !name.contains(".审核意见.")
                }
                if !reports.isEmpty, firstUnchecked == nil { firstUnchecked = (folder, reports.count) }
            }
        }
        return anyResult ? nil : firstUnchecked
    }

    func run() throws {
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                FileHandle.standardError.write(Data("nianbao: \(directory)：不是文件夹 (not a folder)\n".utf8))
                throw ExitCode(2)
            }
        }
        // a folder of reports nobody has checked yet: the summary reads results, not reports
        if let (folder, count) = Self.uncheckedReports(in: directories) {
            FileHandle.standardError.write(Data("""
                nianbao: \(folder) 中有 \(count) 份报告，但没有审核结果（*.nianbao.json），汇总读取的是审核结果。
                请先审核：把报告放入服务的收件目录，或 nianbao check --format json 报告文件 > 结果.json。
                (\(count) report files but no results beside them: the summary reads the results of checks; check the reports first)

                """.utf8))
            throw ExitCode(2)
        }
        var expected: [String]?
        if let organs {
            guard let text = try? String(contentsOfFile: organs, encoding: .utf8) else {
                FileHandle.standardError.write(Data("nianbao: \(organs)：无法读取 (cannot read)\n".utf8))
                throw ExitCode(2)
            }
            expected = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let source = try PublishedTable.open(
            directories: directories.map { URL(fileURLWithPath: $0) },
            stateDirectories: stateDir.map { [URL(fileURLWithPath: $0)] } ?? PublishedTable.defaultStateDirectories())
        defer { source.close() }
        var tally = Summary.Tally()
        if format == .xlsx {
            guard let output else {
                FileHandle.standardError.write(Data("nianbao: --format xlsx 需要 --output 文件名 (xlsx needs --output)\n".utf8))
                throw ExitCode(2)
            }
            // a workbook is made whole in memory: for the tables an office opens in Excel
            var entries: [SummaryEntry] = []
            try source.forEachEntry(rejected: includeRejected) {
                tally.add($0)
                entries.append($0)
            }
            guard FileManager.default.createFile(atPath: output, contents: Data(Summary(entries: entries).xlsx())) else {
                FileHandle.standardError.write(Data("nianbao: \(output)：无法写入 (cannot write)\n".utf8))
                throw ExitCode(2)
            }
        } else {
            // the CSV a row at a time, to the file or to standard output
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
                    FileHandle.standardError.write(Data("nianbao: \(output)：无法写入 (cannot write)\n".utf8))
                    throw ExitCode(2)
                }
                handle = h
            } else {
                handle = FileHandle.standardOutput
            }
            var buffer = Summary.csvHeader()
            try source.forEachEntry(rejected: includeRejected) {
                tally.add($0)
                buffer += Summary.csvLine($0)
                if buffer.count >= 1 << 18 {
                    handle.write(Data(buffer))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            handle.write(Data(buffer))
            if output != nil { try? handle.close() }
        }
        let overview = Data(tally.text(expectedOrgans: expected, skipped: source.skipped.map(\.file)).utf8)
        if output != nil {
            FileHandle.standardOutput.write(overview)
        } else {
            FileHandle.standardError.write(overview)
        }
    }
}
