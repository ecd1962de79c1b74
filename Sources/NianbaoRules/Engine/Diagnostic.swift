import NianbaoCore
import NianbaoModel
import NianbaoText

/// One finding about a report: what is wrong, where, what it should be, and how to fix it.
public struct Diagnostic: Sendable, Hashable {
    public var code: Code
    public var severity: Severity
    public var message: Localized
    public var help: Localized
    /// Where the offending text starts (nil when the thing is absent altogether).
    public var position: SourcePosition?
    /// How many characters to underline from `position`.
    public var width: Int
    /// A short label under the underline.
    public var label: Localized?
    public var section: Int?
    public var row: String?
    public var columnKey: String?
    public var expected: String?
    public var actual: String?
    /// `expected` and `actual` as a reader of each language sees them, when they are words
    /// (`7 个数值`, `空白`) rather than a figure or the report's own text.
    public var expectedText: Localized?
    public var actualText: Localized?
    /// Lines the note shows under the finding (rustc's `= note:`), e.g. the identities one wrong
    /// cell breaks. The note only; the JSON keeps its fields.
    public var notes: [Localized] = []
    /// False when `expected` is one side of an identity whose culprit is unknown, not a fix: the
    /// note then asks for a check instead of showing “应为”.
    public var isFix = true

    public init(code: Code, severity: Severity, message: Localized, help: Localized, position: SourcePosition? = nil,
                width: Int = 1, label: Localized? = nil, section: Int? = nil, row: String? = nil,
                columnKey: String? = nil, expected: String? = nil, actual: String? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.help = help
        self.position = position
        self.width = width
        self.label = label
        self.section = section
        self.row = row
        self.columnKey = columnKey
        self.expected = expected
        self.actual = actual
    }
}

/// What a rule looks at, with the facts several rules share worked out once per report.
public struct RuleInput: Sendable {
    public let report: AnnualReport
    public let document: TextDocument
    /// The same organ's report of the year before, when the caller knows it (cross-year rules).
    public var priorYear: PriorYearFigures?
    /// The one language the findings will be shown in, when the caller shows them in one (the
    /// `check` command's JSON and note): the rules then write their messages, helps and labels
    /// in it only, the other language's left empty (see `text(zh:en:)`). Nil for both (the
    /// service, whose notes and web pages use both). Expected and found values, and the texts
    /// other code compares (the helps of findings the note groups), are kept in both either way.
    public var language: Language?
    /// Every located row of the three tables, in table order (see `allRows`).
    let rows: [AnyRow]
    /// The cells of `rows` that hold anything but a whole number of zero or more (blank, dash,
    /// invalid, negative, fractional), in table order: the only ones the cell rules look at.
    let oddCells: [CellIndex]
    /// What the identities of sections 三 and 四 say about their blank and dash cells (nil when
    /// the table has none).
    let implied3: Implied?
    let implied4: Implied?
    /// Section 三's identities checked once, for the four section 三 rules and `implied3`.
    let table3Check: Table3Check?
    /// The figures of the prose before the tables, read once for the three narrative rules.
    let narrative: NarrativeScan
    public init(report: AnnualReport, document: TextDocument) {
        self.report = report
        self.document = document
        let rows = allRows(report)
        self.rows = rows
        let odd = CellIndex.odd(in: rows)
        self.oddCells = odd
        func hasUnknown(_ section: Int) -> Bool {
            odd.contains {
                guard rows[$0.row].section == section else { return false }
                let state = rows[$0.row].row.cells[$0.column].state
                return state == .blank || state == .dash
            }
        }
        let table3Check = Table3Check(report)
        self.table3Check = table3Check
        self.implied3 = hasUnknown(3) ? Implied.table3(table3Check) : nil
        self.implied4 = hasUnknown(4) ? Implied.table4(report) : nil
        self.narrative = NarrativeScan(report: report, document: document)
    }
}

/// A check with a stable code. Each rule returns its findings; the engine applies the
/// configured severity.
public protocol Rule: Sendable {
    /// Stable kebab-case code (`table3-row-total`).
    var code: Code { get }
    var defaultSeverity: Severity { get }
    /// One line describing what the rule checks.
    var summary: Localized { get }
    /// What to do about a finding of this rule, for `nianbao explain`.
    var help: Localized { get }
    /// An example of a finding, for `nianbao explain`.
    var example: Localized { get }
    func check(_ input: RuleInput) -> [Diagnostic]
    /// Appends the findings to `out`, what the engine calls: a rule of many findings writes them
    /// there (see `AppendingRule`), not into an array of its own the engine copies them from.
    func check(_ input: RuleInput, into out: inout [Diagnostic])
}

extension Rule {
    public func check(_ input: RuleInput, into out: inout [Diagnostic]) {
        let found = check(input)
        if out.isEmpty { out = found } else { out.append(contentsOf: found) }
    }
}

/// A rule that writes its findings straight into the engine's list (`check(_:into:)`); its
/// `check(_:)` gives them in an array of their own.
protocol AppendingRule: Rule {}

extension AppendingRule {
    func check(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        check(input, into: &out)
        return out
    }
}

extension Rule {
    /// A finding of this rule at its default severity.
    func finding(_ message: Localized, help: Localized, at position: SourcePosition? = nil, width: Int = 1,
                 label: Localized? = nil, section: Int? = nil, row: String? = nil, column: String? = nil,
                 expected: String? = nil, actual: String? = nil) -> Diagnostic {
        Diagnostic(code: code, severity: defaultSeverity, message: message, help: help, position: position,
                   width: width, label: label, section: section, row: row, columnKey: column,
                   expected: expected, actual: actual)
    }
}

/// The verdict on one report.
public enum Verdict: String, Sendable, Codable {
    case accepted, rejected
}

/// Runs the catalog with per-rule severities (ESLint style: a code mapped to error, warning or off).
public struct RuleEngine: Sendable {
    public var rules: [any Rule]
    public var severities: [String: Severity]

    public init(rules: [any Rule] = RuleCatalog.all, severities: [String: Severity] = [:]) {
        self.rules = rules
        self.severities = severities
    }

    public func run(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        // the rules are called where they stand (a `for rule in rules` copies each, its texts
        // retained and released)
        rules.withUnsafeBufferPointer { rules in
            for r in rules.indices {
                let severity = severities.isEmpty ? rules[r].defaultSeverity
                    : severities[rules[r].code.rawValue] ?? rules[r].defaultSeverity
                if severity == .off { continue }
                let start = out.count
                rules[r].check(input, into: &out)
                for i in start..<out.count { out[i].severity = severity }
            }
        }
        // A file that is not a report gets that one finding, not a list of everything missing.
        if Self.holds(out, .notAReport) {
            out.removeAll { $0.code != .notAReport }
        }
        // A table that could not be read with confidence gets its one finding, not the row, cell
        // and arithmetic findings of the reader's misplacements.
        if Self.holds(out, .tableUnreadable) {
            let unreadable = Set(out.filter { $0.code == .tableUnreadable }.compactMap(\.section))
            if !unreadable.isEmpty {
                out.removeAll { TableReadability.isSuppressed($0, unreadable: unreadable) }
            }
        }
        // one fix per row and per cell
        Consistency.resolve(&out, input)
        // errors first, then warnings; within each the most consequential first (a table
        // missing or unreadable, then wrong cells, then the edition, then the rest), each in
        // text order (keys sorted, then the findings moved to their places)
        func rank(_ s: Severity) -> Int {
            switch s {
            case .error: return 0
            case .warning: return 1
            case .off: return 2
            }
        }
        // the sort keys read once per finding, not twice per comparison
        var keys: [(Int, Int, Int, Int, Int)] = []
        keys.reserveCapacity(out.count)
        var sorted = true
        out.withUnsafeBufferPointer { out in
            for i in out.indices {
                let p = out[i].position ?? SourcePosition(line: Int.max, column: 0)
                keys.append((rank(out[i].severity), out[i].code.consequence.rawValue, p.line, p.column, i))
                if i > 0 && !(keys[i - 1] < keys[i]) { sorted = false }
            }
        }
        if sorted { return out }
        keys.sort { $0 < $1 }
        // the findings moved into their places along the permutation's cycles, none copied (the
        // buffer's `swapAt` moves; the array's copies)
        var placed = [Bool](repeating: false, count: out.count)
        out.withUnsafeMutableBufferPointer { out in
            for start in out.indices where !placed[start] {
                var i = start
                while true {
                    placed[i] = true
                    let from = keys[i].4
                    if from == start { break }
                    out.swapAt(i, from)
                    i = from
                }
            }
        }
        return out
    }

    /// Whether a finding of `code` is among `ds`, each read where it stands (`contains(where:)`
    /// copies every finding it looks at).
    static func holds(_ ds: [Diagnostic], _ code: Code) -> Bool {
        ds.withUnsafeBufferPointer { ds in
            for i in ds.indices where ds[i].code == code { return true }
            return false
        }
    }

    public static func verdict(_ diagnostics: [Diagnostic]) -> Verdict {
        diagnostics.contains { $0.severity == .error } ? .rejected : .accepted
    }
}
