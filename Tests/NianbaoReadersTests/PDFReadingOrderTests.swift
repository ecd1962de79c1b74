import Foundation
import NianbaoKit
import NianbaoModel
import Testing

@testable import NianbaoReaders

/// The PDFs of Tests/Fixtures/pdf-corpus as text in pdftotext's default mode (no `-layout`), the
/// text a clerk gets from `pdftotext 报告.pdf` or by copying out of a PDF viewer: each cell its own
/// paragraph in drawing order, and a label that wraps inside its cell written apart from its
/// values (after the table, or in a block of labels between rows).
///
/// Where the values still come row by row, the tables are read right and a valid report is
/// accepted; where they come column by column (a landscape table split over pages), the table is
/// called unreadable, never read wrong into arithmetic errors against the office.
@Suite(.enabled(if: PDFTextReader.isAvailable, "pdftotext is not installed"))
struct PDFReadingOrderTests {
    static let directory = Fixtures.directory.appendingPathComponent("pdf-corpus")

    /// Valid reports whose default-mode text lists the values row by row.
    static let rowByRow = ["r02-2019-landscape-sans-split", "r05-2021-portrait-serif", "r06-2021-landscape-sans-split",
                           "r08-2022-mixed-serif", "r09-2023-portrait-serif-tight"]

    static func plainText(_ name: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("order-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: out) }
        p.arguments = [directory.appendingPathComponent(name + ".pdf").path, out.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return try String(contentsOf: out, encoding: .utf8)
    }

    static func check(_ text: String, _ name: String) -> CheckResult {
        Checker.check(CheckInput(fileName: name + ".txt", bytes: Array(text.utf8)), checkedAt: "2026-01-01T00:00:00+08:00")
    }

    static func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".expected.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("values listed row by row, labels apart: every cell of 三 and 四 in its place, the report accepted", arguments: rowByRow)
    func rowByRowIsRead(_ name: String) throws {
        let text = try Self.plainText(name)
        let result = Self.check(text, name)
        #expect(result.verdict == .accepted, "\(name): \(result.diagnostics.map(\.code.rawValue))")
        #expect(!result.diagnostics.contains { $0.code == .labelDeviation }, "labels read through the vertical labels beside them")
        let report = try #require(result.report)
        let want = try Self.expected(name)
        let want3 = want["table3"] as? [String: [String: Any]] ?? [:]
        let t3 = try #require(report.table3)
        for row in t3.rows {
            #expect(row.present, "\(name) 三 \(row.key): label")
            for (c, column) in FormatSpec.table3ColumnKeys.enumerated() {
                let number = want3[row.key]?[column] as? NSNumber
                #expect(row.row.cells[c].value == number?.doubleValue, "\(name) 三 \(row.key)/\(column)")
            }
        }
        let want4 = want["table4"] as? [String: Any] ?? [:]
        let t4 = try #require(report.table4)
        for (c, column) in FormatSpec.table4ColumnKeys.enumerated() {
            #expect(t4.row.cells[c].value == (want4[column] as? NSNumber)?.doubleValue, "\(name) 四 \(column)")
        }
    }

    @Test("values out of the table's order (column by column, or a row's figures split around the header): table 三 unreadable, never a row or sum finding against the office",
          arguments: ["r01-2019-portrait-serif", "r10-2023-landscape-serif-split", "r12-2024-portrait-serif-tight-top"])
    func outOfOrderIsUnreadable(_ name: String) throws {
        let result = Self.check(try Self.plainText(name), name)
        #expect(result.diagnostics.contains { $0.code == .tableUnreadable && $0.section == 3 })
        let blaming = result.diagnostics.filter {
            [.rowMissing, .rowCellCount].contains($0.code) && $0.section == 3 || $0.code.rawValue.hasPrefix("table3-")
        }
        #expect(blaming.isEmpty, "\(name): \(blaming.map(\.code.rawValue))")
    }

    @Test("one wrong figure in text listed row by row: the arithmetic finding on that cell, with the figure it should be")
    func wrongFigureIsFound() throws {
        let name = "r05-2021-portrait-serif"
        var lines = try Self.plainText(name).components(separatedBy: "\n")
        // （一）予以公开: 12 2 0 0 0 1 15 — the natural persons' 12 becomes 15
        let label = try #require(lines.firstIndex { $0.hasPrefix("（一）予以公开") })
        let figure = try #require(lines[(label + 1)...].firstIndex { !$0.isEmpty })
        #expect(lines[figure] == "12")
        lines[figure] = "15"
        let result = Self.check(lines.joined(separator: "\n"), name)
        #expect(result.verdict == .rejected)
        let wrong = try #require(result.diagnostics.first { $0.code == .table3WrongCell }, "\(result.diagnostics.map(\.code.rawValue))")
        #expect(wrong.message.zh.contains("“（一）予以公开”行“自然人”列填 15") && wrong.message.zh.contains("应为 12"), "\(wrong.message.zh)")
        #expect(!result.diagnostics.contains { $0.code == .tableUnreadable })
    }

    @Test("text that lost its blank cells is never accepted", arguments: ["r03-2020-portrait-sans-blanks-split", "r04-2020-portrait-serif-top",
                                                                          "r07-2022-portrait-sans-blanks-split", "r11-2024-portrait-sans-blanks-split"])
    func blanksAreNotLost(_ name: String) throws {
        #expect(Self.check(try Self.plainText(name), name).verdict == .rejected)
    }
}
