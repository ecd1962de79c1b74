import NianbaoModel
import NianbaoRules
import NianbaoCore

/// The whole `nianbao.report/2` document for one file: what it is made of, written into JSON
/// text when asked (`write(into:)`, `bytes()`, `serialized()`), with no tree in between.
public struct DocumentJSON: Sendable {
    public static let schema = "nianbao.report/2"
    public static let toolVersion = "0.1.0"

    public var fileName: String
    public var sha256: String
    public var byteCount: Int
    public var format: String
    public var encoding: String?
    public var checkedAt: String
    public var verdict: Verdict
    public var report: AnnualReport?
    public var diagnostics: [Diagnostic]
    public var language: Language
    /// Where the reader's lines came from, for each finding's `place`.
    public var layout: PositionedDocument?

    public init(fileName: String, sha256: String, bytes: Int, format: String, encoding: String?, checkedAt: String,
                verdict: Verdict, report: AnnualReport?, diagnostics: [Diagnostic], language: Language,
                layout: PositionedDocument? = nil) {
        self.fileName = fileName
        self.sha256 = sha256
        self.byteCount = bytes
        self.format = format
        self.encoding = encoding
        self.checkedAt = checkedAt
        self.verdict = verdict
        self.report = report
        self.diagnostics = diagnostics
        self.language = language
        self.layout = layout
    }

    public static func document(fileName: String, sha256: String, bytes: Int, format: String, encoding: String?,
                                checkedAt: String, verdict: Verdict, report: AnnualReport?,
                                diagnostics: [Diagnostic], language: Language, layout: PositionedDocument? = nil) -> DocumentJSON {
        DocumentJSON(fileName: fileName, sha256: sha256, bytes: bytes, format: format, encoding: encoding,
                     checkedAt: checkedAt, verdict: verdict, report: report, diagnostics: diagnostics,
                     language: language, layout: layout)
    }

    /// The document as UTF-8 JSON text.
    public func bytes(pretty: Bool = true) -> [UInt8] {
        // a checked report's document runs to some 40 KiB
        let w = JSONWriter(pretty: pretty, capacity: report == nil ? 1024 : 64 * 1024)
        write(into: w)
        return w.bytes
    }

    public func serialized(pretty: Bool = true) -> String {
        String(decoding: bytes(pretty: pretty), as: UTF8.self)
    }

    /// Writes the document as the value at the writer's current place.
    public func write(into w: JSONWriter) {
        var errors = 0, warnings = 0
        for d in diagnostics {
            if d.severity == .error { errors += 1 } else if d.severity == .warning { warnings += 1 }
        }
        w.beginObject()
        w.key("schema"); w.string(Self.schema)
        w.key("tool")
        w.beginObject()
        w.key("name"); w.string("nianbao")
        w.key("version"); w.string(Self.toolVersion)
        w.key("rules"); w.string("2019+2021")
        w.endObject()
        w.key("file"); w.string(fileName)
        w.key("sha256"); w.string(sha256)
        w.key("bytes"); w.int(byteCount)
        w.key("format"); w.string(format)
        w.key("encoding"); w.optional(encoding)
        w.key("checked_at"); w.string(checkedAt)
        w.key("verdict"); w.string(verdict.rawValue)
        w.key("errors"); w.int(errors)
        w.key("warnings"); w.int(warnings)
        w.key("report")
        if let report { ReportJSON.write(report, into: w) } else { w.null() }
        w.key("diagnostics")
        w.beginArray()
        let format = report?.format
        // each finding read where it lies in the array, not copied out of it (and released) first
        for i in diagnostics.indices {
            Self.diagnostic(diagnostics[i], language: language, layout: layout, format: format, into: w)
        }
        w.endArray()
        w.endObject()
    }

    /// A finding's value as a number a program can compare: a figure written as digits (a
    /// count or an amount); nil for text (`7 个数值`, `空白`) and for figures too long to be exact.
    static func machineValue(_ text: String?) -> Double? {
        // Text `Double` parses is ASCII, whose only numeric characters are the digits: so its
        // bytes are tested, first, and most text (`7 个数值`) is told at its first byte.
        guard let text,
            text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }),
            let v = Double(text), v.isFinite, abs(v) < 9_007_199_254_740_992
        else { return nil }
        return v
    }

    /// One finding, as an element of `diagnostics`.
    static let diagnosticShape = JSONShape(["code", "severity", "message", "help", "line", "column", "place", "section", "row",
                                            "column_key", "expected", "actual", "expected_value", "actual_value"])

    public static func diagnostic(_ d: Diagnostic, language: Language, layout: PositionedDocument? = nil,
                                  format: FormatSpec? = nil, into w: JSONWriter) {
        let shape = diagnosticShape
        w.beginObject(shape); w.string(d.code.rawValue)
        w.member(shape, 1); w.string(d.severity.rawValue)
        w.member(shape, 2); w.string(d.message.text(language))
        w.member(shape, 3); w.string(d.help.text(language))
        w.member(shape, 4); w.optional(d.position?.line)
        w.member(shape, 5); w.optional(d.position?.column)
        w.member(shape, 6); place(d, layout: layout, format: format, into: w)
        w.member(shape, 7); w.optional(d.section)
        w.member(shape, 8); w.optional(d.row)
        w.member(shape, 9); w.optional(d.columnKey)
        w.member(shape, 10); w.optional(d.expected(language))
        w.member(shape, 11); w.optional(d.actual(language))
        // the same as numbers, for programs: null where the finding's value is not a number
        w.member(shape, 12); w.number(machineValue(d.expected))
        w.member(shape, 13); w.number(machineValue(d.actual))
        w.endObject(shape)
    }

    /// Where a finding is in the document's own terms (see `FindingPlace.json`); null when it has
    /// no position.
    static func place(_ d: Diagnostic, layout: PositionedDocument?, format: FormatSpec?, into w: JSONWriter) {
        if let place = FindingPlace(d, layout: layout, format: format) { place.write(into: w) } else { w.null() }
    }
}
