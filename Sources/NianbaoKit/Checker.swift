import Foundation
import NianbaoCore
import NianbaoText
import NianbaoModel
import NianbaoExtract
import NianbaoRules
import NianbaoRender
import NianbaoReaders

/// How to check: language of the messages and per-rule severities.
public struct CheckOptions: Sendable {
    public var language: Language
    public var severities: [String: Severity]
    /// The reports checked before (the service's index): cross-year rules and resubmissions.
    public var history: (any ReportHistory)?
    /// Whether an outcome also carries the note as a web page (`<name>.审核意见.html`).
    public var htmlNotes = false
    /// Whether the findings' texts are made in `language` only, the other language's left empty:
    /// for a caller that shows them in that one language (the JSON and the text note), which
    /// then does not pay for words it never shows. Off for the service and for the note as a web
    /// page, which use both.
    public var findingsInLanguageOnly = false
    public init(language: Language = .zh, severities: [String: Severity] = [:]) {
        self.language = language
        self.severities = severities
    }
}

/// What a format reader hands the checker: the file as dropped, and what was read from it.
public struct CheckInput: Sendable {
    public var fileName: String
    public var bytes: [UInt8]
    /// txt | docx | html | pdf | unknown
    public var format: String
    /// What was read: a reader's document, or plain text decoded when its format was told
    /// (with `encoding` set); nil for the checker to decode the bytes as plain text (and name
    /// what is wrong when they cannot be).
    public var content: Content?
    public var encoding: String?
    /// Why the file could not be read at all (unsupported format, no text layer…).
    public var failure: NianbaoError?

    /// What was read from a file.
    public enum Content: Sendable {
        /// A reader's paragraphs and tables (Word, web pages, PDF, OFD…), each with its place.
        case document(Document)
        /// Plain text, its lines its own places, its tables found from their separators.
        case text(PlainText)
    }

    /// The plain text decoded when the format was told, if that is what was read.
    public var text: String? {
        if case .text(let t)? = content { return t.string }
        return nil
    }

    /// The reader's document, if a reader read the file.
    public var document: Document? {
        if case .document(let d)? = content { return d }
        return nil
    }
    /// For a scan read by OCR: how sure it was of each figure (see `OCRConfidence`).
    public var ocr: OCRConfidence?
    /// The file's identity when it was read (the daemon compares it before publishing).
    public var identity: Pipeline.FileIdentity?
    /// SHA-256 of `bytes` when the caller hashed them as it read them (else hashed here).
    public var sha256: String?

    public init(fileName: String, bytes: [UInt8], format: String = "txt", text: String? = nil, encoding: String? = nil,
                failure: NianbaoError? = nil) {
        self.fileName = fileName
        self.bytes = bytes
        self.format = format
        self.content = text.map { .text(PlainText($0)) }
        self.encoding = encoding
        self.failure = failure
    }
}

extension NianbaoError {
    /// The verdict on a file that fails this way: it could not be checked, so it goes back.
    public var verdict: Verdict { .rejected }
}

/// The outcome of checking one report.
public struct CheckResult: Sendable {
    public var verdict: Verdict
    public var report: AnnualReport?
    public var diagnostics: [Diagnostic]
    public var sha256: String
    public var document: TextDocument?
    /// The `nianbao.report/2` document: what it holds, written into JSON text when asked
    /// (`json.bytes()`, `json.serialized()`, `json.write(into:)`).
    public var json: DocumentJSON
    public var encoding: String?
    /// The reader's document as lines, each knowing where it came from (table rows of Word
    /// and web documents, PDF pages); nil for plain text, whose lines are their own places.
    public var layout: PositionedDocument?
    /// For a scan read by OCR, its page count (the note's header says so).
    public var ocrPages: Int?
    /// The report has text, but part of it is a picture: it was read by OCR as a whole (see
    /// `Pipeline.check`), and its note says why.
    public var picturesRead = false

    public var errors: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warnings: Int { diagnostics.filter { $0.severity == .warning }.count }
    public var rulesFired: [String] {
        var seen: [String] = []
        for d in diagnostics where !seen.contains(d.code.rawValue) { seen.append(d.code.rawValue) }
        return seen
    }

    /// The note (`<name>.审核意见.txt`) as text.
    public func note(fileName: String, language: Language, color: Bool = false, groups: NoteGroups? = nil) -> String {
        NoteRenderer(language: language, color: color, layout: layout).render(
            header: NoteHeader(fileName: fileName, sha256: sha256, verdict: verdict, ocrPages: ocrPages,
                               picturesRead: picturesRead),
            report: report ?? AnnualReport(), diagnostics: diagnostics, document: document, groups: groups)
    }
}

/// The whole pipeline on bytes already in memory: decode, extract, run the rules, build the JSON.
public enum Checker {
    public static func check(_ input: CheckInput, options: CheckOptions = CheckOptions(), checkedAt: String) -> CheckResult {
        let sha = input.sha256 ?? FileHash.sha256Hex(input.bytes)
        var encoding = input.encoding
        if let failure = input.failure {
            return failed(input, failure: failure, sha: sha, options: options, checkedAt: checkedAt)
        }
        var document: TextDocument
        var layout: PositionedDocument?
        switch input.content {
        case .document(let d)?:
            let view = d.textView
            document = TextDocument(view.text, cells: view.cells)
            layout = view
        case .text(let t)?:
            (document, layout) = textDocument(t, encoding: encoding)
        case nil:
            do {
                let decoded = try TextDecoder.plainText(input.bytes)
                encoding = decoded.encoding.reportName
                (document, layout) = textDocument(decoded, encoding: encoding)
            } catch {
                var failure = error
                failure.path = input.fileName
                return failed(input, failure: failure, sha: sha, options: options, checkedAt: checkedAt)
            }
        }
        document.readByOCR = input.ocr != nil
        let report = Extractor.extract(document)
        let engine = RuleEngine(severities: options.severities)
        var ruleInput = RuleInput(report: report, document: document)
        ruleInput.priorYear = options.history?.priorYear(of: report)
        if options.findingsInLanguageOnly { ruleInput.language = options.language }
        var diagnostics = engine.run(ruleInput)
        if let ocr = input.ocr {
            diagnostics = OCRHonesty.apply(diagnostics, ocr: ocr, layout: layout, report: report, severities: options.severities)
        }
        // a title read from the web page's <title>, the article having none: said, not rejected
        if let line = report.titleLine, layout?.origins[line - 1] == .pageTitle,
           options.severities[Code.titleMissing.rawValue] != .off {
            diagnostics.append(Diagnostic(
                code: .titleMissing, severity: .warning,
                message: Localized(zh: "正文没有标题，以网页标题“\(report.title ?? "")”代替",
                                   en: "The article has no title; the page's title \"\(report.title ?? "")\" stands in"),
                help: Localized(zh: "在正文第一行写明标题，如“\(report.title ?? "××镇人民政府2020年政府信息公开工作年度报告")”。",
                                en: "Put the title on the article's first line."),
                position: SourcePosition(line: line, column: 1), width: report.title?.unicodeScalars.count ?? 1))
        }
        if document.truncated {
            diagnostics.insert(Diagnostic(
                code: .fileTooLong, severity: .error,
                message: Localized(zh: "文件过长，只读取了前 \(TextDocument.maximumScalars) 个字符", en: "The file is too long; only its start was read"),
                help: Localized(zh: "年度报告不应有如此篇幅；请确认提交的是报告本身。", en: "Check that the file is the report itself.")), at: 0)
        }
        let verdict = RuleEngine.verdict(diagnostics)
        let json = DocumentJSON.document(fileName: input.fileName, sha256: sha, bytes: input.bytes.count, format: input.format,
                                         encoding: encoding, checkedAt: checkedAt, verdict: verdict, report: report,
                                         diagnostics: diagnostics, language: options.language, layout: layout)
        var result = CheckResult(verdict: verdict, report: report, diagnostics: diagnostics, sha256: sha, document: document,
                                 json: json, encoding: encoding, layout: layout)
        result.ocrPages = input.ocr?.pageCount
        return result
    }

    /// The document of a plain text: its lines, and its tables from their separators; or, when
    /// its tables are written as HTML (Markdown from a converter that keeps merged cells), the
    /// document `EmbeddedHTMLTables` reads; or when rows of its ruled tables wrap over lines, or
    /// its cells stand on lines of their own with TAB lines between them (a table copied out of a
    /// web browser), the document with those rows joined (`TextTables`); with its lines' places.
    static func textDocument(_ text: PlainText, encoding: String?) -> (TextDocument, PositionedDocument?) {
        if text.utf8.withUnsafeBufferPointer(EmbeddedHTMLTables.holdsTable),
           let d = EmbeddedHTMLTables.document(text.string, encoding: encoding) {
            let view = d.textView
            return (TextDocument(view.text, cells: view.cells), view)
        }
        let document = TextDocument(text)
        // rows standing over several lines (wrapped between rules, a browser's copy): joined
        if let d = TextTables.joiningRows(document, encoding: encoding) {
            let view = d.textView
            return (TextDocument(view.text, cells: view.cells), view)
        }
        return (document, nil)
    }

    static func failed(_ input: CheckInput, failure: NianbaoError, sha: String, options: CheckOptions, checkedAt: String) -> CheckResult {
        refusal(fileName: input.fileName, sha256: sha, byteCount: input.bytes.count, format: input.format,
                encoding: input.encoding, failure: failure, options: options, checkedAt: checkedAt)
    }

    /// A file that was not read (too large, unsupported…): rejected, with one finding that says why.
    public static func refusal(fileName: String, sha256: String, byteCount: Int, format: String, encoding: String? = nil,
                               failure: NianbaoError, options: CheckOptions, checkedAt: String) -> CheckResult {
        let d = Diagnostic(code: failure.code, severity: .error, message: failure.message, help: failure.help)
        let json = DocumentJSON.document(fileName: fileName, sha256: sha256, bytes: byteCount, format: format,
                                         encoding: encoding, checkedAt: checkedAt, verdict: failure.verdict, report: nil,
                                         diagnostics: [d], language: options.language)
        return CheckResult(verdict: failure.verdict, report: nil, diagnostics: [d], sha256: sha256, document: nil, json: json,
                           encoding: encoding)
    }

    /// `checked_at` for a moment: ISO 8601 in China Standard Time (+08:00), where the reports
    /// come from, to the second (`2026-12-01T20:47:33+08:00`).
    public static func timestamp(_ date: Date) -> String {
        timestamp(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `checked_at` for now.
    public static func timestampNow() -> String {
        timestamp(secondsSince1970: Int(time(nil)))
    }

    /// `checked_at` for a count of seconds since 1970-01-01T00:00:00Z: the civil date and time
    /// at UTC+8. Written by hand on purpose: a Foundation ISO 8601 formatter made for each report
    /// cost more than the rest of writing its JSON (a shared one is not safe across the workers'
    /// threads), and a fixed offset needs no time zone database; the output is the same
    /// `yyyy-MM-ddTHH:mm:ss+08:00`.
    public static func timestamp(secondsSince1970 seconds: Int) -> String {
        var t = time_t(seconds + 8 * 3600)
        var tm = tm()
        gmtime_r(&t, &tm)
        var out: [UInt8] = []
        out.reserveCapacity(25)
        func put(_ n: Int, _ width: Int) {
            var digits = width
            var divisor = 1
            while digits > 1 { divisor *= 10; digits -= 1 }
            var v = n
            while divisor > 0 {
                out.append(0x30 + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        put(Int(tm.tm_year) + 1900, 4)
        out.append(0x2D)
        put(Int(tm.tm_mon) + 1, 2)
        out.append(0x2D)
        put(Int(tm.tm_mday), 2)
        out.append(0x54)
        put(Int(tm.tm_hour), 2)
        out.append(0x3A)
        put(Int(tm.tm_min), 2)
        out.append(0x3A)
        put(Int(tm.tm_sec), 2)
        out.append(contentsOf: "+08:00".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
