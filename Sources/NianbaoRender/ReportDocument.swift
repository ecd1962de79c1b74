import Foundation
import NianbaoModel
import NianbaoRules
import NianbaoCore

/// `nianbao.report/2` as a program reads it back: the one reader of the documents `DocumentJSON`
/// writes, so that whoever reads a published result (the history of earlier reports, the
/// consolidated table, publishing's recovery) reads the same fields the same way.
///
/// Decoding is tolerant where the schema grew (a field added later is optional here), strict
/// where it matters: the schema must be `nianbao.report/…`, and the verdict one `Verdict` names.
public struct ReportDocument: Decodable, Sendable, Equatable {
    public var schema: String
    public var file: String
    public var sha256: String
    public var bytes: Int
    public var format: String
    public var encoding: String?
    public var checkedAt: String
    public var verdict: Verdict
    public var errors: Int
    public var warnings: Int
    public var report: Report?
    public var diagnostics: [Finding]

    enum CodingKeys: String, CodingKey {
        case schema, file, sha256, bytes, format, encoding, verdict, errors, warnings, report, diagnostics
        case checkedAt = "checked_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        file = try c.value(.file, default: "")
        sha256 = try c.value(.sha256, default: "")
        bytes = try c.value(.bytes, default: 0)
        format = try c.value(.format, default: "")
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
        checkedAt = try c.value(.checkedAt, default: "")
        errors = try c.value(.errors, default: 0)
        warnings = try c.value(.warnings, default: 0)
        report = try c.decodeIfPresent(Report.self, forKey: .report)
        diagnostics = try c.value(.diagnostics, default: [])
    }

    /// What the reader made of the report.
    public struct Report: Decodable, Sendable, Equatable {
        public var title: String?
        public var organ: String?
        public var year: Int?
        public var edition: String?
        public var tableEdition: String?
        public var period: Period?
        public var sections: [Section]
        public var table2: [Table2Row]
        public var table3: Table3
        public var table4: Table4

        enum CodingKeys: String, CodingKey {
            case title, organ, year, edition, period, sections, table2, table3, table4
            case tableEdition = "table_edition"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            organ = try c.decodeIfPresent(String.self, forKey: .organ)
            year = try c.decodeIfPresent(Int.self, forKey: .year)
            edition = try c.decodeIfPresent(String.self, forKey: .edition)
            tableEdition = try c.decodeIfPresent(String.self, forKey: .tableEdition)
            period = try c.decodeIfPresent(Period.self, forKey: .period)
            sections = try c.value(.sections, default: [])
            table2 = try c.value(.table2, default: [])
            table3 = try c.value(.table3, default: Table3(present: false, columns: [], rows: []))
            table4 = try c.value(.table4, default: Table4(present: false, columns: [], cells: []))
        }

        /// The edition the tables follow (the one a summary files them under).
        public var editionOfTables: String? { tableEdition ?? edition }
    }

    public struct Period: Decodable, Sendable, Equatable {
        public var from: String
        public var to: String
    }

    public struct Section: Decodable, Sendable, Equatable {
        public var number: Int
        public var heading: String
        public var line: Int
    }

    /// A cell as read: its value when it holds a number.
    public struct CellValue: Decodable, Sendable, Equatable {
        public var value: Double?
        public var text: String
        public var unit: String?
        /// `number`, `blank`, `missing`, `dash` or `invalid` (`CellState`).
        public var state: String
        public var line: Int?
        public var column: Int?

        enum CodingKeys: String, CodingKey { case value, text, unit, state, line, column }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            value = try c.decodeIfPresent(Double.self, forKey: .value)
            text = try c.value(.text, default: "")
            unit = try c.decodeIfPresent(String.self, forKey: .unit)
            state = try c.value(.state, default: CellState.missing.rawValue)
            line = try c.decodeIfPresent(Int.self, forKey: .line)
            column = try c.decodeIfPresent(Int.self, forKey: .column)
        }

        /// The figure, when the cell holds a whole number.
        public var figure: Int? {
            guard state == CellState.number.rawValue, let value, value.isFinite, value.rounded() == value,
                abs(value) < 9_007_199_254_740_992
            else { return nil }
            return Int(value)
        }
    }

    public struct Table2Row: Decodable, Sendable, Equatable {
        public var block: String
        public var row: String
        public var key: String
        public var written: String?
        public var columns: [String]
        public var cells: [CellValue]

        enum CodingKeys: String, CodingKey { case block, row, key, written, columns, cells }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            block = try c.value(.block, default: "")
            row = try c.value(.row, default: "")
            key = try c.decode(String.self, forKey: .key)
            written = try c.decodeIfPresent(String.self, forKey: .written)
            columns = try c.value(.columns, default: [])
            cells = try c.value(.cells, default: [])
        }
    }

    public struct Table3Row: Decodable, Sendable, Equatable {
        public var key: String
        public var label: String
        public var written: String?
        public var cells: [CellValue]

        enum CodingKeys: String, CodingKey { case key, label, written, cells }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            label = try c.value(.label, default: "")
            written = try c.decodeIfPresent(String.self, forKey: .written)
            cells = try c.value(.cells, default: [])
        }
    }

    public struct Table3: Decodable, Sendable, Equatable {
        public var present: Bool
        public var columns: [String]
        public var rows: [Table3Row]

        enum CodingKeys: String, CodingKey { case present, columns, rows }

        init(present: Bool, columns: [String], rows: [Table3Row]) {
            self.present = present
            self.columns = columns
            self.rows = rows
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rows = try c.value(.rows, default: [])
            present = try c.value(.present, default: !rows.isEmpty)
            columns = try c.value(.columns, default: FormatSpec.table3ColumnKeys)
        }

        /// Each row's figures by key, seven a row (nil where a cell holds no number).
        public var figures: [String: [Int?]] {
            var out: [String: [Int?]] = [:]
            for row in rows { out[row.key] = row.cells.map(\.figure) }
            return out
        }
    }

    public struct Table4: Decodable, Sendable, Equatable {
        public var present: Bool
        public var columns: [String]
        public var cells: [CellValue]

        enum CodingKeys: String, CodingKey { case present, columns, cells }

        init(present: Bool, columns: [String], cells: [CellValue]) {
            self.present = present
            self.columns = columns
            self.cells = cells
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            cells = try c.value(.cells, default: [])
            present = try c.value(.present, default: !cells.isEmpty)
            columns = try c.value(.columns, default: FormatSpec.table4ColumnKeys)
        }

        /// The fifteen figures (nil where a cell holds no number).
        public var figures: [Int?] { cells.map(\.figure) }
    }

    /// One finding as the JSON carries it (messages in the language it was written in).
    public struct Finding: Decodable, Sendable, Equatable {
        public var code: String
        public var severity: Severity
        public var message: String
        public var help: String
        public var line: Int?
        public var column: Int?
        public var section: Int?
        public var row: String?
        public var columnKey: String?
        public var expected: String?
        public var actual: String?
        public var expectedValue: Double?
        public var actualValue: Double?

        enum CodingKeys: String, CodingKey {
            case code, severity, message, help, line, column, section, row, expected, actual
            case columnKey = "column_key"
            case expectedValue = "expected_value"
            case actualValue = "actual_value"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            code = try c.decode(String.self, forKey: .code)
            severity = try c.value(.severity, default: .error)
            message = try c.value(.message, default: "")
            help = try c.value(.help, default: "")
            line = try c.decodeIfPresent(Int.self, forKey: .line)
            column = try c.decodeIfPresent(Int.self, forKey: .column)
            section = try c.decodeIfPresent(Int.self, forKey: .section)
            row = try c.decodeIfPresent(String.self, forKey: .row)
            columnKey = try c.decodeIfPresent(String.self, forKey: .columnKey)
            expected = try c.decodeIfPresent(String.self, forKey: .expected)
            actual = try c.decodeIfPresent(String.self, forKey: .actual)
            expectedValue = try c.decodeIfPresent(Double.self, forKey: .expectedValue)
            actualValue = try c.decodeIfPresent(Double.self, forKey: .actualValue)
        }
    }

    /// The codes of the findings, each once, in the order they first appear.
    public var codes: [String] {
        var seen: [String] = []
        for d in diagnostics where !seen.contains(d.code) { seen.append(d.code) }
        return seen
    }

    /// Reads a document; throws `not-a-report-document`, saying why, for anything that is not a
    /// `nianbao.report/…` document (another JSON file, a truncated one, garbage).
    public static func decode(_ bytes: [UInt8]) throws(NianbaoError) -> ReportDocument {
        try decode(Data(bytes))
    }

    public static func decode(_ data: Data) throws(NianbaoError) -> ReportDocument {
        struct Head: Decodable { var schema: String? }
        guard let head = try? JSONDecoder().decode(Head.self, from: data), let schema = head.schema else {
            throw .said(.notAReportDocument, "not a nianbao.report document (no schema)")
        }
        guard schema.hasPrefix("nianbao.report/") else {
            throw .said(.notAReportDocument, "not a nianbao.report document (schema \(schema))")
        }
        do {
            return try JSONDecoder().decode(ReportDocument.self, from: data)
        } catch {
            throw .said(.notAReportDocument, "a \(schema) document that cannot be read: \(error)")
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the document does not carry it (a field a later
    /// version added, or one a document leaves out).
    func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
