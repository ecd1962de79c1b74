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
/// page and box in a PDF. All numbers are 1-based.
public enum DocumentOrigin: Sendable, Hashable {
    case text(line: Int, column: Int)
    case table(table: Int, row: Int, column: Int)
    case page(page: Int, x: Double, y: Double, width: Double, height: Double)
}

/// An error any layer can raise: a stable kebab-case code (extensible: a new layer adds codes,
/// not cases), a message for people in both languages, and what to do about it.
public struct NianbaoError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: Localized
    public var help: Localized?
    public init(code: String, message: Localized, help: Localized? = nil) {
        self.code = code
        self.message = message
        self.help = help
    }
    public var description: String { "\(code): \(message.en)" }
}
