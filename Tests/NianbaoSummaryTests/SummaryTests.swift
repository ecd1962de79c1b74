import Foundation
import NianbaoKit
import NianbaoSummary
import Testing
import ZIPFoundation
import NianbaoModel
import NianbaoTestSupport

/// A folder of results made by the real pipeline from the fixtures, as the service leaves it:
/// `accepted/` and `rejected/` with each report's JSON.
struct ResultsFolder {
    static let fixtures = TestFixtures.directory
    static let reports = ["000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt",
                          "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt", "huaian-2024.layout.txt"]
    let root: URL
    /// What the pipeline read from each report, by file name.
    var checked: [String: CheckResult] = [:]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-summary-\(UUID().uuidString)")
        for sub in ["accepted", "rejected"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let pipeline = Pipeline()
        for name in Self.reports {
            let input = pipeline.input(fileName: name, path: Self.fixtures.appendingPathComponent(name).path)
            let result = pipeline.check(input, checkedAt: "2026-12-01T10:00:00+08:00")
            let folder = result.verdict == .accepted ? "accepted" : "rejected"
            try Data(result.json.serialized().utf8).write(to: root.appendingPathComponent("\(folder)/\(name).nianbao.json"))
            checked[name] = result
        }
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }
}

/// RFC 4180 records of a CSV text (quoted fields may hold commas and quotes).
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = [], field = "", record: [String] = [], quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { record.append(field); field = "" }
        else if c == "\r\n" || c == "\n" { record.append(field); records.append(record); record = []; field = "" }
        else { field.append(c) }
    }
    return records
}

@Suite("summary: the consolidated table")
struct SummaryTests {
    @Test("CSV: UTF-8 with BOM, one row per report, every figure of tables 三 and 四 as the report has it")
    func csvHoldsTheExactFigures() throws {
        let folder = try ResultsFolder()
        defer { folder.cleanup() }
        let summary = Summary.load(directories: [folder.root], includeRejected: true)
        #expect(summary.entries.count == ResultsFolder.reports.count)
        let bytes = summary.csv()
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let records = parseCSV(String(decoding: bytes.dropFirst(3), as: UTF8.self))
        #expect(records.count == 1 + ResultsFolder.reports.count)
        let header = records[0]
        #expect(header.prefix(7) == ["机关", "年度", "版式", "结论", "错误", "警告", "文件"])
        #expect(header.contains("三 （一）予以公开·自然人"))
        #expect(header.contains("四 行政复议·结果纠正"))
        #expect(Set(header).count == header.count, "headers are distinct")
        for record in records.dropFirst() {
            let file = record[6]
            let report = try #require(folder.checked[file]?.report)
            #expect(record[0] == (report.organ ?? ""))
            // every table 三 figure the report has, in the column its row and column name
            for row in report.table3?.rows ?? [] {
                guard let label = SummaryColumns.table3Rows.first(where: { $0.key == row.key })?.label else { continue }
                for (c, cell) in row.row.cells.enumerated() where c < 7 {
                    let column = try #require(header.firstIndex(of: SummaryColumns.table3Header(row: row.key, label: label, column: c)))
                    let expected = cell.state == .number ? cell.value.map { String(Int($0)) } ?? "" : ""
                    #expect(record[column] == expected, "\(file) \(row.key) column \(c)")
                }
            }
            for (c, cell) in (report.table4?.row.cells ?? []).enumerated() where c < 15 {
                let column = try #require(header.firstIndex(of: SummaryColumns.table4Header(c)))
                #expect(record[column] == (cell.state == .number ? cell.value.map { String(Int($0)) } ?? "" : ""))
            }
        }
        // the 淮安 2024 report (2021 edition): its three （六） sub-rows add up in the 2019 column
        let huaian = try #require(records.first { $0[6] == "huaian-2024.layout.txt" })
        for c in 0..<7 {
            let parts = ["other_overdue", "other_fee", "other_misc"].map { key in
                Int(huaian[header.firstIndex(of: SummaryColumns.table3Header(
                    row: key, label: SummaryColumns.table3Rows.first { $0.key == key }!.label, column: c))!]) ?? 0
            }
            let other = huaian[header.firstIndex(of: SummaryColumns.table3Header(row: "other", label: "（六）其他处理", column: c))!]
            #expect(Int(other) == parts.reduce(0, +))
        }
    }

    @Test("accepted reports only, unless rejected ones are asked for")
    func rejectedOnlyWhenAsked() throws {
        let folder = try ResultsFolder()
        defer { folder.cleanup() }
        let accepted = Summary.load(directories: [folder.root], includeRejected: false)
        #expect(accepted.entries.map(\.verdict).allSatisfy { $0 == "accepted" })
        #expect(accepted.entries.count == folder.checked.values.filter { $0.verdict == .accepted }.count)
    }

    @Test("a rejected report's figures are marked as such: its row says 退回 in the CSV and the workbook")
    func rejectedFiguresAreMarked() throws {
        let folder = try ResultsFolder()
        defer { folder.cleanup() }
        let summary = Summary.load(directories: [folder.root], includeRejected: true)
        let rejected = Set(folder.checked.filter { $0.value.verdict == .rejected }.keys)
        #expect(!rejected.isEmpty && rejected.count < ResultsFolder.reports.count, "\(rejected)")
        let records = parseCSV(String(decoding: summary.csv().dropFirst(3), as: UTF8.self))
        let verdict = try #require(records[0].firstIndex(of: "结论"))
        let file = try #require(records[0].firstIndex(of: "文件"))
        for record in records.dropFirst() {
            #expect(record[verdict] == (rejected.contains(record[file]) ? "退回" : "通过"), "\(record[file])")
        }
        // the workbook: each rejected report's row holds 退回 in the 结论 column (D)
        let archive = try Archive(data: Data(summary.xlsx()), accessMode: .read)
        var sheets = ""
        for entry in archive where entry.path.hasPrefix("xl/worksheets/sheet") {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            sheets += String(decoding: data, as: UTF8.self)
        }
        let marked = sheets.components(separatedBy: "<t>退回</t>").count - 1
        #expect(marked == rejected.count, "\(marked) rows marked 退回, \(rejected.count) rejected")
        #expect(sheets.components(separatedBy: "<t>通过</t>").count - 1 == ResultsFolder.reports.count - rejected.count)
    }

    @Test("xlsx: one sheet per year, header frozen, figures as numbers, a totals row that adds up; read back")
    func xlsxReadsBack() throws {
        let folder = try ResultsFolder()
        defer { folder.cleanup() }
        let summary = Summary.load(directories: [folder.root], includeRejected: true)
        let archive = try Archive(data: Data(summary.xlsx()), accessMode: .read)
        func part(_ path: String) throws -> String {
            let entry = try #require(archive[path])
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let workbook = try part("xl/workbook.xml")
        let years = Set(summary.entries.compactMap(\.year)).sorted()
        #expect(years == [2020, 2024])
        #expect(workbook.contains("name=\"2020年\"") && workbook.contains("name=\"2024年\""))
        let sheet = try part("xl/worksheets/sheet1.xml")  // 2020: the five seeds
        #expect(sheet.contains("state=\"frozen\"") && sheet.contains("ySplit=\"1\""))
        // numbers as numbers: each report's （七）总计·总计 appears as a <v> value, and the
        // totals row holds their sum with a SUM formula
        let header = Summary.header
        let column = XMLColumn.name(header.firstIndex(of: SummaryColumns.table3Header(row: "total", label: "（七）总计", column: 6))!)
        let seeds = summary.entries.filter { $0.year == 2020 }
        var sum = 0
        for (i, entry) in seeds.enumerated() {
            guard let value = entry.table3Value(row: "total", column: 6) else { continue }
            sum += value
            #expect(sheet.contains("<c r=\"\(column)\(i + 2)\"><v>\(value)</v></c>"))
        }
        let totalRow = seeds.count + 2
        #expect(sheet.contains("<c r=\"\(column)\(totalRow)\" s=\"1\"><f>SUM(\(column)2:\(column)\(seeds.count + 1))</f><v>\(sum)</v></c>"))
        #expect(try part("[Content_Types].xml").contains("/xl/worksheets/sheet2.xml"))
    }

    @Test("LibreOffice opens the workbook and reads the same figures",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")
              && FileManager.default.fileExists(atPath: "/usr/lib/libreoffice/program/libsclo.so")))  // Calc
    func libreOfficeOpensIt() throws {
        let folder = try ResultsFolder()
        defer { folder.cleanup() }
        let summary = Summary.load(directories: [folder.root], includeRejected: true)
        let xlsx = folder.root.appendingPathComponent("汇总.xlsx")
        try Data(summary.xlsx()).write(to: xlsx)
        let out = folder.root.appendingPathComponent("out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
        process.arguments = ["--headless", "-env:UserInstallation=file://\(folder.root.path)/lo-profile",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out.path, xlsx.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let csv = try String(contentsOf: out.appendingPathComponent("汇总.csv"), encoding: .utf8)
        let records = parseCSV(csv)
        // the first sheet (2020): header, the five seeds, the totals row
        #expect(records.count == 7)
        #expect(records[0].prefix(4) == ["机关", "年度", "版式", "结论"])
        let ours = parseCSV(String(decoding: summary.csv().dropFirst(3), as: UTF8.self)).filter { $0[1] == "2020" }
        for (theirs, mine) in zip(records[1...5], ours) { #expect(theirs == mine) }
        #expect(records[6][0].hasPrefix("合计"))
    }

    @Test("the overview: verdicts, frequent findings, organs with errors, organs expected but missing")
    func overview() throws {
        let folder = try ResultsFolder()
        defer { folder.cleanup() }
        let summary = Summary.load(directories: [folder.root], includeRejected: true)
        let text = summary.overview(expectedOrgans: ["淮安市 人民政府", "某某乡政府"])
        let accepted = folder.checked.values.filter { $0.verdict == .accepted }.count
        #expect(text.contains("报告 6 份：通过 \(accepted) 份，退回 \(6 - accepted) 份"))
        #expect(text.contains("最常见的问题："))
        #expect(text.contains("有错误的机关："))
        // 淮安市人民政府 is present (spaces and 人民政府/政府 normalised); the other is missing
        #expect(text.contains("缺 1 个）：某某乡政府"))
        #expect(OrganName.normalised("沭阳县 人民政府") == OrganName.normalised("沭阳县政府"))
        #expect(OrganName.normalised("ＡＢ办公室") == OrganName.normalised("AB办"))
    }
}

/// Spreadsheet column letters, for reading the sheet back.
enum XMLColumn {
    static func name(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 {
            letters = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}
