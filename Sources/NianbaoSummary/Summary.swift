import Foundation
import NianbaoRender
import NianbaoModel

/// One checked report as its `nianbao.report/2` document describes it: who, which year, the
/// verdict, and every figure of tables 三 and 四 (nil where the cell is blank or not a number).
public struct SummaryEntry: Sendable, Equatable {
    public var file: String
    public var organ: String?
    public var year: Int?
    public var edition: String?
    public var verdict: String
    public var errors: Int
    public var warnings: Int
    /// Rule codes of the findings, once each.
    public var rules: [String]
    /// Table 三 by row key, seven values a row (six applicant columns and 总计).
    public var table3: [String: [Int?]]
    /// Table 四, fifteen values.
    public var table4: [Int?]

    public init(file: String, organ: String?, year: Int?, edition: String?, verdict: String, errors: Int, warnings: Int,
                rules: [String], table3: [String: [Int?]], table4: [Int?]) {
        self.file = file
        self.organ = organ
        self.year = year
        self.edition = edition
        self.verdict = verdict
        self.errors = errors
        self.warnings = warnings
        self.rules = rules
        self.table3 = table3
        self.table4 = table4
    }

    /// A figure of table 三; the 2019 edition's single （六）其他处理 row is the sum of the 2021
    /// edition's three sub-rows for a 2021 report, so the two editions compile in one column.
    public func table3Value(row: String, column: Int) -> Int? {
        if let values = table3[row], column < values.count { return values[column] }
        if row == "other" {
            let parts = ["other_overdue", "other_fee", "other_misc"].compactMap { table3[$0] }
            guard parts.count == 3 else { return nil }
            var sum = 0
            for part in parts {
                guard column < part.count, let v = part[column] else { return nil }
                sum += v
            }
            return sum
        }
        return nil
    }
}

/// The columns of the consolidated table: tables 三 and 四 of both editions, with readable
/// Chinese headers.
public enum SummaryColumns {
    /// Table 三's rows in the 2021 order, the 2019 edition's （六）其他处理 (a 2021 report's
    /// three sub-rows summed) before the sub-rows.
    public static let table3Rows: [(key: String, label: String)] = {
        var rows: [(String, String)] = []
        for spec in FormatSpec.y2021.table3Rows {
            if spec.key == "other_overdue" { rows.append(("other", "（六）其他处理")) }
            rows.append((spec.key, shortLabel(spec.label, key: spec.key)))
        }
        return rows
    }()

    /// The header of a table 三 figure: `（一）予以公开·自然人`.
    public static func table3Header(row: String, label: String, column: Int) -> String {
        "三 " + label + "·" + FormatSpec.table3ColumnLabels[column]
    }

    /// The header of a table 四 figure: `行政复议·结果维持`.
    public static func table4Header(_ column: Int) -> String {
        "四 " + FormatSpec.table4Groups[column / 5] + "·" + FormatSpec.table4ResultLabels[column % 5]
    }

    /// A row label without its explanatory parenthesis, and with its group for the numbered
    /// sub-rows that repeat across groups (`不予公开 1.属于国家秘密`).
    static func shortLabel(_ label: String, key: String) -> String {
        let compact = ["new": "本年新收", "carried": "上年结转", "total": "（七）总计", "carry_next": "结转下年度"]
        if let name = compact[key] { return name }
        var text = label
        if text.hasPrefix("（"), let second = text.dropFirst().firstIndex(of: "（") { text = String(text[..<second]) }
        let group: String? = switch key {
        case _ where key.hasPrefix("deny_"): "（三）不予公开 "
        case _ where key.hasPrefix("unable_"): "（四）无法提供 "
        case _ where key.hasPrefix("reject_"): "（五）不予处理 "
        case _ where key.hasPrefix("other_"): "（六）其他处理 "
        default: nil
        }
        if text.count > 24 { text = String(text.prefix(22)) + "…" }
        return (group ?? "") + text
    }
}

/// The results in one or more folders, read from their `*.nianbao.json` documents.
public struct Summary: Sendable {
    public var entries: [SummaryEntry]
    /// Documents that could not be read (not JSON, another schema), with the reason.
    public var skipped: [(file: String, reason: String)]

    public init(entries: [SummaryEntry], skipped: [(file: String, reason: String)] = []) {
        self.entries = entries
        self.skipped = skipped
    }

    /// Reads every `*.nianbao.json` in `directories`. A folder holding `accepted/` (the
    /// service's data folder) is read through it, and through `rejected/` too when
    /// `includeRejected`; any other folder is read as it is, with rejected reports left out
    /// unless `includeRejected`.
    public static func load(directories: [URL], includeRejected: Bool) -> Summary {
        var entries: [SummaryEntry] = []
        var skipped: [(String, String)] = []
        for directory in directories {
            var folders = [directory]
            let accepted = directory.appendingPathComponent("accepted")
            if FileManager.default.fileExists(atPath: accepted.path) {
                folders = [accepted] + (includeRejected ? [directory.appendingPathComponent("rejected")] : [])
            }
            for folder in folders {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                    .filter { $0.hasSuffix(".nianbao.json") && !$0.hasPrefix(".") }.sorted()
                for name in names {
                    let path = folder.appendingPathComponent(name)
                    do {
                        let entry = try parse(Data(contentsOf: path), fallbackName: String(name.dropLast(".nianbao.json".count)))
                        if entry.verdict == "accepted" || includeRejected { entries.append(entry) }
                    } catch {
                        skipped.append((path.path, "\(error)"))
                    }
                }
            }
        }
        entries.sort { ($0.year ?? 0, $0.organ ?? "", $0.file) < ($1.year ?? 0, $1.organ ?? "", $1.file) }
        return Summary(entries: entries, skipped: skipped)
    }

    /// One `nianbao.report/2` document.
    public static func parse(_ data: Data, fallbackName: String) throws -> SummaryEntry {
        entry(try ReportDocument.decode(data), fallbackName: fallbackName)
    }

    /// One `nianbao.report/2` document, read already (the service reads each document once
    /// for its history and its summary).
    public static func entry(_ doc: ReportDocument, fallbackName: String) -> SummaryEntry {
        SummaryEntry(
            // the name the report was published under (the sidecar's), which is what a person finds
            file: fallbackName, organ: doc.report?.organ, year: doc.report?.year, edition: doc.report?.editionOfTables,
            verdict: doc.verdict.rawValue, errors: doc.errors, warnings: doc.warnings, rules: doc.codes,
            table3: doc.report?.table3.figures ?? [:], table4: doc.report.map { $0.table4.figures } ?? [])
    }

    // MARK: The table

    /// The header row: who and what, then every figure of tables 三 and 四.
    public static var header: [String] {
        var out = ["机关", "年度", "版式", "结论", "错误", "警告", "文件"]
        for (key, label) in SummaryColumns.table3Rows {
            for column in 0..<7 { out.append(SummaryColumns.table3Header(row: key, label: label, column: column)) }
        }
        for column in 0..<15 { out.append(SummaryColumns.table4Header(column)) }
        return out
    }

    /// A cell of the consolidated table.
    public enum Cell: Equatable, Sendable {
        case text(String)
        case number(Int)
        case empty
    }

    /// One row per report, in the header's order.
    public func row(_ e: SummaryEntry) -> [Cell] { Self.row(e) }

    /// One row per report, in the header's order.
    public static func row(_ e: SummaryEntry) -> [Cell] {
        var out: [Cell] = [
            e.organ.map(Cell.text) ?? .empty, e.year.map(Cell.number) ?? .empty, e.edition.map(Cell.text) ?? .empty,
            .text(Self.verdictName(e.verdict)), .number(e.errors), .number(e.warnings), .text(e.file),
        ]
        for (key, _) in SummaryColumns.table3Rows {
            for column in 0..<7 { out.append(e.table3Value(row: key, column: column).map(Cell.number) ?? .empty) }
        }
        for column in 0..<15 { out.append(column < e.table4.count ? (e.table4[column].map(Cell.number) ?? .empty) : .empty) }
        return out
    }

    /// The totals of `entries` per figure column (nil where no report has a figure).
    public static func totals(_ rows: [[Cell]]) -> [Int?] {
        guard let width = rows.first?.count else { return [] }
        var sums = [Int?](repeating: nil, count: width)
        for row in rows {
            for (i, cell) in row.enumerated() where i >= 7 {
                if case .number(let v) = cell { sums[i] = (sums[i] ?? 0) + v }
            }
        }
        return sums
    }

    static func verdictName(_ verdict: String) -> String {
        switch verdict {
        case "accepted": return "通过"
        case "rejected": return "退回"
        default: return verdict
        }
    }

    // MARK: CSV

    /// UTF-8 with a byte-order mark (so Excel on a Chinese Windows PC opens it as UTF-8), CRLF
    /// line ends, RFC 4180 quoting.
    public func csv() -> [UInt8] {
        var out = Self.csvHeader()
        for entry in entries { out += Self.csvLine(entry) }
        return out
    }

    /// The table's start: the byte-order mark and the header line (a table written a row at a
    /// time: ``csvLine(_:)`` for each entry).
    public static func csvHeader() -> [UInt8] { [0xEF, 0xBB, 0xBF] + csvLine(fields: header) }

    /// One report's line of the table.
    public static func csvLine(_ entry: SummaryEntry) -> [UInt8] {
        csvLine(fields: row(entry).map {
            switch $0 {
            case .text(let s): return s
            case .number(let n): return String(n)
            case .empty: return ""
            }
        })
    }

    static func csvLine(fields: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out.append(0x22)
                out.append(contentsOf: field.replacingOccurrences(of: "\"", with: "\"\"").utf8)
                out.append(0x22)
            } else {
                out.append(contentsOf: field.utf8)
            }
        }
        out.append(contentsOf: [0x0D, 0x0A])
        return out
    }

    // MARK: Overview

    /// A short overview for the terminal: reports per verdict, the most frequent findings,
    /// organs with errors, and organs expected but missing.
    public func overview(expectedOrgans: [String]? = nil) -> String {
        var tally = Tally()
        for e in entries { tally.add(e) }
        return tally.text(expectedOrgans: expectedOrgans, skipped: skipped.map(\.file))
    }

    /// The overview's figures, gathered a row at a time (a table too large to hold).
    public struct Tally: Sendable {
        var total = 0, accepted = 0, rejected = 0
        var counts: [String: Int] = [:]
        var withErrors: [String] = []
        var organs: Set<String> = []

        public init() {}

        public mutating func add(_ e: SummaryEntry) {
            total += 1
            if e.verdict == "accepted" { accepted += 1 }
            if e.verdict == "rejected" { rejected += 1 }
            for code in e.rules { counts[code, default: 0] += 1 }
            if e.errors > 0 { withErrors.append("\(e.organ ?? e.file)（\(e.errors) 处错误）") }
            if let organ = e.organ { organs.insert(OrganName.normalised(organ)) }
        }

        public func text(expectedOrgans: [String]?, skipped: [String]) -> String {
            var lines: [String] = []
            lines.append("报告 \(total) 份：通过 \(accepted) 份，退回 \(rejected) 份")
            let top = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(5)
            if !top.isEmpty {
                lines.append("最常见的问题：" + top.map { "\($0.key)（\($0.value) 份）" }.joined(separator: "、"))
            }
            if !withErrors.isEmpty { lines.append("有错误的机关：" + withErrors.joined(separator: "、")) }
            if let expectedOrgans {
                let missing = expectedOrgans.filter { !organs.contains(OrganName.normalised($0)) }
                lines.append(missing.isEmpty ? "名单上的机关都已提交" : "尚未提交（名单 \(expectedOrgans.count) 个，缺 \(missing.count) 个）：" + missing.joined(separator: "、"))
            }
            if !skipped.isEmpty { lines.append("无法读取的结果文件 \(skipped.count) 个：" + skipped.joined(separator: "、")) }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
