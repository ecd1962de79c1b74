import NianbaoModel
import NianbaoCore

extension Diagnostic {
    /// `expected` as shown in `language`: the words of that language, else the figure or text.
    public func expected(_ language: Language) -> String? { expectedText?.text(language) ?? expected }
    /// `actual` as shown in `language`.
    public func actual(_ language: Language) -> String? { actualText?.text(language) ?? actual }
}

extension RuleInput {
    /// A finding's text in the languages it will be shown in: both, or only `language` when the
    /// caller named one (the other left empty, and its words not even made). For messages,
    /// helps and labels; not for expected and found values, nor for texts compared with others.
    @inline(__always)
    func text(zh: @autoclosure () -> String, en: @autoclosure () -> String) -> Localized {
        Localized(zh: language == .en ? "" : zh(), en: language == .zh ? "" : en())
    }
}

extension Rule {
    /// A finding whose expected and found values are words in each language; the Chinese text is
    /// the stored `expected`/`actual`.
    func finding(_ message: Localized, help: Localized, at position: SourcePosition? = nil, width: Int = 1,
                 label: Localized? = nil, section: Int? = nil, row: String? = nil, column: String? = nil,
                 expected: Localized?, actual: Localized?) -> Diagnostic {
        var d = finding(message, help: help, at: position, width: width, label: label, section: section, row: row,
                        column: column, expected: expected?.zh, actual: actual?.zh)
        d.expectedText = expected
        d.actualText = actual
        return d
    }
}

/// A row's and a column's name for messages, in both languages.
enum Label {
    /// The format's label of the row `key`, with the Chinese `label` the report's table uses.
    static func row(_ key: String, label: String? = nil) -> Localized {
        // the edition whose row has this Chinese label, when the editions word it differently
        let both = Names.rows[key]
        let names = both?.y2021?.zh == label ? both?.y2021 : both?.y2019?.zh == label ? both?.y2019 : both?.y2021
        return Localized(zh: label ?? names?.zh ?? key, en: names?.en ?? key)
    }

    /// A column's name.
    static func column(section: Int, row: String?, key: String) -> Localized {
        let names = section == 2 ? Names.table2Columns[Names.ColumnOf(row: row, key: key)]
            : FormatSpec.columnLabel(section: section, row: row, key: key)
        return Localized(zh: names?.zh ?? key, en: names?.en ?? key)
    }

    /// The format's row and section 二 column names by key, looked up once for the process
    /// (`FormatSpec.rowLabel` and `columnLabel` search both editions on every call).
    private enum Names {
        typealias Name = (zh: String, en: String)
        /// Each row key's names as `FormatSpec.y2021.rowLabel` and `FormatSpec.y2019.rowLabel` give them.
        static let rows: [String: (y2021: Name?, y2019: Name?)] = {
            var out: [String: (y2021: Name?, y2019: Name?)] = [:]
            for spec in [FormatSpec.y2021, .y2019] {
                for key in spec.table3Rows.map(\.key) + spec.table2.flatMap({ $0.rows.map(\.key) }) {
                    out[key] = (FormatSpec.y2021.rowLabel(key), FormatSpec.y2019.rowLabel(key))
                }
            }
            return out
        }()

        struct ColumnOf: Hashable {
            var row: String?
            var key: String
        }
        /// Section 二's column names as `FormatSpec.columnLabel` gives them, for every row key
        /// (and none) and column key of either edition.
        static let table2Columns: [ColumnOf: Name] = {
            var out: [ColumnOf: Name] = [:]
            let blocks = FormatSpec.y2021.table2 + FormatSpec.y2019.table2
            let rows: [String?] = [nil] + blocks.flatMap { $0.rows.map(\.key) }
            for row in rows {
                for key in blocks.flatMap(\.columnKeys) {
                    if let names = FormatSpec.columnLabel(section: 2, row: row, key: key) { out[ColumnOf(row: row, key: key)] = names }
                }
            }
            return out
        }()
    }

    /// A count in words: “7 个数值” / “7 values”.
    static func values(_ n: Int) -> Localized {
        n >= 0 && n < smallValues.count ? smallValues[n] : Localized(zh: "\(n) 个数值", en: n == 1 ? "1 value" : "\(n) values")
    }

    /// The counts of values a row can hold (section 四's table has 15 columns, a row read twice
    /// 30), made once for the process: a finding on a row names two.
    private static let smallValues = (0..<64).map { n in Localized(zh: "\(n) 个数值", en: n == 1 ? "1 value" : "\(n) values") }
}

/// Words that stand for a value that is not a figure.
extension Localized {
    static let absent = Localized(zh: "无", en: "none")
    static let blankCell = Localized(zh: "空白", en: "blank")
    static let empty = Localized(zh: "", en: "")
    /// What a total whose number the identities cannot give should hold (its `expected`).
    public static let sumOfParts = Localized(zh: "所列各数之和", en: "the sum of its parts")
    /// What a blank cell should hold when the identities give it a number only once the other
    /// errors are corrected (its `expected`).
    public static let fromIdentities = Localized(zh: "按勾稽关系推算的数", en: "the number the identities give")
    /// What a missing row holds (its `actual`); a row found under another label says that label.
    public static let noSuchRow = Localized(zh: "无此行", en: "no such row")
    /// The report's (or the format's) own Chinese text: as it is in a Chinese note, in quotes in
    /// an English one.
    static func quoted(_ text: String) -> Localized { Localized(zh: text, en: "\"\(text)\"") }
}
