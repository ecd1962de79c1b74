import Foundation
import Testing

@testable import NianbaoReaders
import NianbaoText
import NianbaoModel
import NianbaoExtract

/// Every PDF of Tests/Fixtures/pdf-corpus (reports made in Word, exported to PDF: wrapped labels,
/// blank cells, tables broken across pages, repeated header rows) read by geometry and extracted:
/// every cell and every blank as its NAME.expected.json says (see the corpus's MANIFEST.md).
@Suite(.enabled(if: PDFTextReader.isAvailable, "pdftotext is not installed"))
struct PDFLayoutCorpusTests {
    static let directory = Fixtures.directory.appendingPathComponent("pdf-corpus")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".pdf") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func corpusIsThere() {
        #expect(!Self.names.isEmpty, "no PDF in Tests/Fixtures/pdf-corpus")
        for name in Self.names {
            #expect(FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(name + ".expected.json").path),
                    "\(name).expected.json")
        }
    }

    @Test(arguments: names)
    func everyCell(_ name: String) throws {
        let text = try PDFTextReader().text(fromFile: Self.directory.appendingPathComponent(name + ".pdf").path)
        let r = Extractor.extract(TextDocument(text))
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(name + ".expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])

        #expect(r.edition?.rawValue == expected["edition"] as? String && r.tableEdition == r.edition, "edition")
        #expect(r.year == expected["year"] as? Int, "year")
        #expect(r.organ == expected["organ"] as? String, "organ")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6], "sections")

        var wrong: [String] = []
        func check(_ what: String, _ cell: Cell?, _ want: Any?) {
            guard let cell else {
                wrong.append("\(what): no cell")
                return
            }
            switch want {
            case is NSNull, nil:
                if cell.state != .blank { wrong.append("\(what): blank expected, read \(cell.state) \(cell.text)") }
            case let number as NSNumber:
                if cell.state != .number || cell.value != number.doubleValue {
                    wrong.append("\(what): \(number) expected, read \(cell.state) \(cell.text)")
                }
            default:
                wrong.append("\(what): unexpected expectation \(String(describing: want))")
            }
        }

        // 二: ROW/COLUMN keys; each row holds exactly its block's cells
        let spec = r.format
        let t2 = try #require(r.table2, "table 二")
        let want2 = expected["table2"] as? [String: Any] ?? [:]
        var keys2: Set<String> = []
        for block in spec.table2 {
            for rowSpec in block.rows {
                let row = t2.rows.first { $0.key == rowSpec.key }
                if row?.row.aligned != true { wrong.append("二 \(rowSpec.key): \(row?.row.found ?? 0) cells") }
                for (c, column) in block.columnKeys.enumerated() {
                    let key = rowSpec.key + "/" + column
                    keys2.insert(key)
                    check("二 " + key, row.flatMap { c < $0.row.cells.count ? $0.row.cells[c] : nil }, want2[key])
                }
            }
        }
        #expect(keys2 == Set(want2.keys), "二 keys")

        // 三: every row, seven columns
        let t3 = try #require(r.table3, "table 三")
        let want3 = expected["table3"] as? [String: [String: Any]] ?? [:]
        #expect(Set(want3.keys) == Set(spec.table3Rows.map(\.key)), "三 keys")
        for row in t3.rows {
            if !row.present { wrong.append("三 \(row.key): label not found") }
            if !row.row.aligned || !row.row.extra.isEmpty { wrong.append("三 \(row.key): \(row.row.found) cells") }
            for (c, column) in FormatSpec.table3ColumnKeys.enumerated() {
                check("三 \(row.key)/\(column)", row.row.cells[c], want3[row.key]?[column] ?? "missing")
            }
        }

        // 四: fifteen cells
        let t4 = try #require(r.table4, "table 四")
        let want4 = expected["table4"] as? [String: Any] ?? [:]
        if !t4.row.aligned { wrong.append("四: \(t4.row.found) cells") }
        for (c, column) in FormatSpec.table4ColumnKeys.enumerated() {
            check("四 " + column, t4.row.cells[c], want4[column] ?? "missing")
        }
        #expect(wrong.isEmpty, Comment(rawValue: "\(name):\n" + wrong.joined(separator: "\n")))
    }
}
