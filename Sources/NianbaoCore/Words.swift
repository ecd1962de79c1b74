#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The words every layer shares: the user's language and texts in both languages, how much a
/// finding weighs, where something is in a document, and the one error type that any layer can
/// raise with a stable, extensible code.

/// How much a finding weighs: an error rejects the report; a warning is shown but accepted.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error, warning, off

    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.error, .warning, .off]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// User-facing language.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en
}

/// A text in both user languages.
public struct Localized: Sendable, Hashable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
    public func text(_ lang: Language) -> String { lang == .zh ? zh : en }
}

/// A 1-based position in the text the checker read.
public struct SourcePosition: Sendable, Hashable, Comparable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// Where a piece of a document came from, in the terms a person can find it by: a line and
/// column of a text file; a table's number, row and column in a Word document or web page; a
/// page of a PDF. All numbers are 1-based.
public enum DocumentOrigin: Sendable, Hashable {
    case text(line: Int, column: Int)
    case table(table: Int, row: Int, column: Int)
    /// A page of a PDF, OFD or scan, and the box on it (points from its top left corner) that
    /// the cell or line is drawn in, when the reader knows it.
    case page(page: Int, box: Document.Box? = nil)
    /// The n-th paragraph with text in a Word document's body, or line of text in a web page's
    /// report (tables and empty paragraphs not counted).
    case paragraph(paragraph: Int)
    /// The web page's title (`<title>`, or a heading outside the article), standing in for the
    /// title the report's article lacks.
    case pageTitle

    /// How a clerk finds the place, after the file's name.
    public func describe(_ language: Language) -> String {
        switch (self, language) {
        case (.text(let l, let c), _): return "\(l):\(c)"
        case (.table(let t, let r, let c), .zh): return "第 \(t) 个表格，第 \(r) 行，第 \(c) 列"
        case (.table(let t, let r, let c), .en): return "table \(t), row \(r), column \(c)"
        case (.page(let p, _), .zh): return "第 \(p) 页"
        case (.page(let p, _), .en): return "page \(p)"
        case (.paragraph(let n), .zh): return "正文第 \(n) 段"
        case (.paragraph(let n), .en): return "paragraph \(n)"
        case (.pageTitle, .zh): return "网页标题（正文无标题）"
        case (.pageTitle, .en): return "the page's title (the article has none)"
        }
    }
}

/// A box on a page: the page (1-based) and the box on it.
public struct PageBox: Sendable, Hashable {
    public var page: Int
    public var box: Document.Box
    public init(page: Int, box: Document.Box) {
        self.page = page
        self.box = box
    }
}

/// Where a line of a reader's text came from, when that is not simply its line number.
public enum LineOrigin: Sendable, Hashable {
    /// Row `row` of the document's table `table` (both 1-based); the line's TAB-separated
    /// fields are the row's cells, in order, and `columns` gives each field's column in the
    /// table's grid (merged cells above and beside counted, as a person counts them); empty when
    /// the n-th field is the n-th column.
    case tableRow(table: Int, row: Int, columns: [Int] = [])
    /// A line on page `page` of a PDF, OFD or scan; for a table row, the page and box each of
    /// its cells is drawn in (a row broken by a page break has cells on two pages), for a
    /// paragraph its one box (empty when not known).
    case page(Int, boxes: [PageBox?] = [])
    /// A line of the n-th paragraph with text in a Word document's body or a web page's report
    /// (1-based).
    case paragraph(Int)
    /// The web page's title standing in for the title the article lacks.
    case pageTitle
    /// Line `n` (1-based) of a text file read as a document (one whose tables are HTML, or
    /// whose table rows wrap over lines); for a table row, where each of its cells starts in
    /// the file (empty when the n-th field starts at the line's own column).
    case line(Int, fields: [SourcePosition] = [])
}

/// A document's text view (see `Document.textView`): lines in reading order (paragraphs as
/// lines, a table row as its cells' texts with a TAB between two cells), each knowing where it
/// came from, and for a table row, which columns of the line each cell holds.
public struct PositionedDocument: Sendable, Equatable {
    public var lines: [String]
    /// Origins of lines by 0-based index; a line without one is its own place (plain text).
    public var origins: [Int: LineOrigin]
    /// The cells of the lines that are table rows, by 0-based line index: each cell's 0-based
    /// columns (in Unicode scalars) in the line, left to right.
    public var cells: [Int: [Range<Int>]] = [:]
    public var format: DocumentFormat
    /// The character encoding of text and web pages ("utf-8", "gb18030"…).
    public var encoding: String?

    public init(lines: [String], origins: [Int: LineOrigin] = [:], format: DocumentFormat, encoding: String? = nil) {
        self.lines = lines
        self.origins = origins
        self.format = format
        self.encoding = encoding
    }

    public init(text: String, format: DocumentFormat, encoding: String? = nil) {
        self.init(lines: text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { String(String.UnicodeScalarView($0)) },
                  format: format, encoding: encoding)
    }

    /// The text the extractor reads.
    public var text: String { lines.joined(separator: "\n") }

    /// The place of the character at 1-based `line`:`column` of `text`, in the document's terms.
    public func origin(line: Int, column: Int) -> DocumentOrigin {
        guard line >= 1, line <= lines.count, let origin = origins[line - 1] else {
            return .text(line: line, column: column)
        }
        switch origin {
        case .page(let p, let boxes):
            // in a row, the box of the cell holding the column
            guard boxes.count > 1, let spans = cells[line - 1] else {
                return .page(page: boxes.first??.page ?? p, box: boxes.first??.box)
            }
            var field = 0
            for (i, span) in spans.enumerated() where span.lowerBound <= column - 1 { field = i }
            let cell = field < boxes.count ? boxes[field] : nil
            return .page(page: cell?.page ?? p, box: cell?.box)
        case .paragraph(let n):
            return .paragraph(paragraph: n)
        case .pageTitle:
            return .pageTitle
        case .line(let n, let fields):
            // in a row, the column within the cell holding it, from where that cell starts
            guard !fields.isEmpty, let spans = cells[line - 1] else { return .text(line: n, column: column) }
            var field = 0
            for (i, span) in spans.enumerated() where span.lowerBound <= column - 1 { field = i }
            guard field < fields.count else { return .text(line: n, column: column) }
            return .text(line: fields[field].line, column: fields[field].column + max(column - 1 - spans[field].lowerBound, 0))
        case .tableRow(let t, let r, let columns):
            // the cell holding the column, or the last one starting before it
            var field = 1
            if let spans = cells[line - 1] {
                for (i, span) in spans.enumerated() where span.lowerBound <= column - 1 { field = i + 1 }
            }
            return .table(table: t, row: r, column: field <= columns.count ? columns[field - 1] : field)
        }
    }
}

/// The one error a failure travels as, from the reader that met it to the note and the journal
/// that record it: a typed code (`Code`, whose string notes, JSON and journal fields carry), what
/// was being done, on which file, the underlying cause (the system's errno, or another error's
/// own words), and what a person reads about it, in both languages, as the rules' texts are.
public struct NianbaoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What lies under a failure.
    public enum Cause: Sendable, Equatable, CustomStringConvertible {
        /// A system call failed with this errno.
        case errno(Int32)
        /// Another error, in its own words (a reader's detail, a decoder's reason).
        case error(String)

        public var description: String {
            switch self {
            case .errno(let code): return "\(String(cString: strerror(code))) (errno \(code))"
            case .error(let text): return text
            }
        }
    }

    /// Which failure this is; a failure's finding carries it.
    public var code: Code
    /// What was being done: "open", "read", "decode"…
    public var operation: String
    /// The file it was done to, when there is one.
    public var path: String?
    /// What lies under it, when known.
    public var cause: Cause?
    /// What a person reads: what went wrong…
    public var message: Localized
    /// …and what to do about it.
    public var help: Localized
    /// Facts about the failure by name, for the code that acts on it and the journal fields that
    /// record it (the configuration key at fault, the process holding an instance…); most
    /// failures have none.
    public var fields: [String: String]

    public init(code: Code, operation: String = "read", path: String? = nil, cause: Cause? = nil, message: Localized,
                help: Localized, fields: [String: String] = [:]) {
        self.code = code
        self.operation = operation
        self.path = path
        self.cause = cause
        self.message = message
        self.help = help
        self.fields = fields
    }

    /// For logs: `operation path: cause` (`rename /srv/in/a.docx: No such file or directory (errno 2)`),
    /// or the message when there is no cause; just the English message for a failure that is no
    /// operation (an empty `operation`: a configuration value, another instance's claim).
    public var description: String {
        if operation.isEmpty { return message.en }
        return "\(path.map { "\(operation) \($0)" } ?? operation): \(cause?.description ?? message.en)"
    }

    /// A failure that is no operation on a file, in one text for logs and people alike (the
    /// operator's messages, which say it in both languages at once or in their own).
    public static func said(_ code: Code, _ text: String, cause: Cause? = nil, fields: [String: String] = [:]) -> NianbaoError {
        NianbaoError(code: code, operation: "", cause: cause, message: Localized(zh: text, en: text),
                     help: Localized(zh: "", en: ""), fields: fields)
    }

    /// A system call on a file that failed: `io-error`, with the errno as its cause.
    public static func system(_ operation: String, path: String, errno code: Int32) -> NianbaoError {
        let reason = String(cString: strerror(code))
        return NianbaoError(
            code: .ioError, operation: operation, path: path, cause: .errno(code),
            message: Localized(zh: "\(operation) \(path) 失败：\(reason)", en: "\(operation) \(path) failed: \(reason)"),
            help: Localized(zh: "请检查目录的权限与磁盘空间；如仍失败，请联系管理员。",
                            en: "Check the folder's permissions and free space; if it persists, contact the operator."))
    }
}
