import NianbaoModel
import NianbaoRules

/// The whole `nianbao.report/1` document.
public enum DocumentJSON {
    public static let schema = "nianbao.report/1"
    public static let toolVersion = "0.1.0"

    /// Where a finding is in the document's own terms (see `FindingPlace.json`); null when it has
    /// no position.
    static func place(_ d: Diagnostic, layout: PositionedDocument?, format: FormatSpec? = nil) -> JSON {
        FindingPlace(d, layout: layout, format: format)?.json ?? .null
    }

    public static func diagnostic(_ d: Diagnostic, language: Language, layout: PositionedDocument? = nil,
                                  format: FormatSpec? = nil) -> JSON {
        .object([
            ("code", .string(d.code)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message.text(language))),
            ("help", .string(d.help.text(language))),
            ("line", .optional(d.position?.line)),
            ("column", .optional(d.position?.column)),
            ("place", place(d, layout: layout, format: format)),
            ("section", .optional(d.section)),
            ("row", .optional(d.row)),
            ("column_key", .optional(d.columnKey)),
            ("expected", .optional(d.expected(language))),
            ("actual", .optional(d.actual(language))),
        ])
    }

    public static func document(fileName: String, sha256: String, bytes: Int, format: String, encoding: String?,
                                checkedAt: String, verdict: Verdict, report: AnnualReport?,
                                diagnostics: [Diagnostic], language: Language, layout: PositionedDocument? = nil) -> JSON {
        .object([
            ("schema", .string(schema)),
            ("tool", .object([("name", .string("nianbao")), ("version", .string(toolVersion)), ("rules", .string("2019+2021"))])),
            ("file", .string(fileName)),
            ("sha256", .string(sha256)),
            ("bytes", .int(bytes)),
            ("format", .string(format)),
            ("encoding", .optional(encoding)),
            ("checked_at", .string(checkedAt)),
            ("verdict", .string(verdict.rawValue)),
            ("errors", .int(diagnostics.filter { $0.severity == .error }.count)),
            ("warnings", .int(diagnostics.filter { $0.severity == .warning }.count)),
            ("report", report.map(ReportJSON.report) ?? .null),
            ("diagnostics", .array(diagnostics.map { diagnostic($0, language: language, layout: layout, format: report?.format) })),
        ])
    }
}
