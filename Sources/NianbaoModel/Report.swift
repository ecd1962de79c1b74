import NianbaoCore

/// What a table cell holds, as written.
public enum CellState: String, Sendable, Hashable, Codable {
    /// A number (`value` is set).
    case number
    /// The cell exists but is empty.
    case blank
    /// Written as "-", "/", "—" or "无".
    case dash
    /// The row has fewer cells than the format; nothing was written for this position.
    case missing
    /// Text that is not a number.
    case invalid
}

/// One table cell.
public struct Cell: Sendable, Hashable {
    public var value: Double?
    /// The cell's text as written (trimmed), "" when blank or missing.
    public var text: String
    /// A unit written in the cell (元, 万元), if any.
    public var unit: String?
    public var state: CellState
    /// Where the cell's text starts; nil when missing (for a blank cell: where it would start, if known).
    public var position: SourcePosition?
    /// Scalars the text spans in its line (for underlining).
    public var width: Int

    public init(value: Double?, text: String, unit: String?, state: CellState, position: SourcePosition?, width: Int = 1) {
        self.value = value
        self.text = text
        self.unit = unit
        self.state = state
        self.position = position
        self.width = width
    }

    public static let missing = Cell(value: nil, text: "", unit: nil, state: .missing, position: nil, width: 0)

    /// The value used in arithmetic: the number, or 0 for a blank or dash cell.
    public var arithmeticValue: Double? {
        switch state {
        case .number: return value
        case .blank, .dash: return 0
        case .missing, .invalid: return nil
        }
    }
}

/// A row of cells as found in the text.
public struct RowCells: Sendable, Hashable {
    /// The cells in format order, always as many as the format has columns.
    public var cells: [Cell]
    /// How many cells the text held for this row (values, dashes, invalid text and blanks).
    public var found: Int
    /// True when each cell is known to sit in its own column: the text held exactly the
    /// format's number of cells. A short or long row keeps its cells in reading order.
    public var aligned: Bool { found == cells.count }
    /// Values beyond the format's column count (a row with too many numbers).
    public var extra: [Cell]
    /// The row's cells were written on a grid wider than the format's, with empty cells before
    /// its figures, and the columns of its blank cells were told only by leaving those out: its
    /// blanks are reported, but no sum is worked out through it.
    public var columnsGuessed = false
    /// Whether the row's cells may enter the format's sums: aligned, its columns not guessed.
    public var trusted: Bool { aligned && !columnsGuessed }

    public init(cells: [Cell], found: Int, extra: [Cell] = []) {
        self.cells = cells
        self.found = found
        self.extra = extra
    }

    public static func missing(count: Int) -> RowCells {
        RowCells(cells: Array(repeating: .missing, count: count), found: 0)
    }
}

/// A row label as written, with where it was found.
public struct WrittenLabel: Sendable, Hashable {
    /// The label text as the report writes it (whitespace removed, original characters).
    public var text: String
    public var position: SourcePosition
    public init(text: String, position: SourcePosition) {
        self.text = text
        self.position = position
    }
}

public struct Table2Row: Sendable, Hashable {
    /// Block caption, e.g. 第二十条第（九）项.
    public var block: String
    public var key: String
    /// The format's label.
    public var label: String
    public var written: WrittenLabel?
    public var columns: [String]
    public var row: RowCells

    public init(block: String, key: String, label: String, written: WrittenLabel?, columns: [String], row: RowCells) {
        self.block = block
        self.key = key
        self.label = label
        self.written = written
        self.columns = columns
        self.row = row
    }
}

public struct Table2: Sendable, Hashable {
    public var rows: [Table2Row]
    /// A unit stated in the amount column's header (e.g. 万元 in "采购总金额(单位:万元,保留4位小数)").
    public var amountHeaderUnit: String?
    /// The header lines' text (for header-label checks), with the first line.
    public var headerText: String
    public var headerPosition: SourcePosition?
    /// The header's span in `TextDocument.compact`, for rules that look for header labels.
    public var headerRange: Range<Int>

    public init(rows: [Table2Row], amountHeaderUnit: String?, headerText: String, headerPosition: SourcePosition?, headerRange: Range<Int>) {
        self.rows = rows
        self.amountHeaderUnit = amountHeaderUnit
        self.headerText = headerText
        self.headerPosition = headerPosition
        self.headerRange = headerRange
    }
}

public struct Table3Row: Sendable, Hashable {
    public var key: String
    public var label: String
    /// The label as written; nil when the row was not found.
    public var written: WrittenLabel?
    public var row: RowCells
    public var present: Bool { written != nil }

    public init(key: String, label: String, written: WrittenLabel?, row: RowCells) {
        self.key = key
        self.label = label
        self.written = written
        self.row = row
    }
}

public struct Table3: Sendable, Hashable {
    public var rows: [Table3Row]
    /// Text of the header (corner note and column labels) as written.
    public var headerText: String
    public var headerPosition: SourcePosition?
    /// The header's span in `TextDocument.compact`, for rules that look for header labels.
    public var headerRange: Range<Int>
    /// Whether the values were read in the order the text gives them, the labels of some rows
    /// written apart from their values (text copied out of a PDF in drawing order): the table
    /// was read, but the text's order is not the table's.
    public var valuesInOrder = false
    /// Rows not found in their place whose labels are written elsewhere in the table (text out
    /// of the table's order): not missing rows, but a table its text does not let be read.
    public var labelsOutOfPlace: [String] = []
    public func row(_ key: String) -> Table3Row? { rows.first { $0.key == key } }

    public init(rows: [Table3Row], headerText: String, headerPosition: SourcePosition?, headerRange: Range<Int>) {
        self.rows = rows
        self.headerText = headerText
        self.headerPosition = headerPosition
        self.headerRange = headerRange
    }
}

public struct Table4: Sendable, Hashable {
    public var row: RowCells
    public var headerText: String
    public var headerPosition: SourcePosition?
    /// The header's span in `TextDocument.compact`, for rules that look for header labels.
    public var headerRange: Range<Int>

    public init(row: RowCells, headerText: String, headerPosition: SourcePosition?, headerRange: Range<Int>) {
        self.row = row
        self.headerText = headerText
        self.headerPosition = headerPosition
        self.headerRange = headerRange
    }
}

/// One of the six section headings as found.
public struct SectionHeading: Sendable, Hashable {
    public var number: Int
    /// Heading text as written (after the numeral), whitespace removed.
    public var heading: String
    public var line: Int
    /// True when it is one of the accepted variants rather than the format's wording.
    public var isVariant: Bool
    /// The number the heading is written with when it is not the section's own (0: no numeral);
    /// nil when it is numbered right.
    public var numberedAs: Int?

    public init(number: Int, heading: String, line: Int, isVariant: Bool, numberedAs: Int? = nil) {
        self.number = number
        self.heading = heading
        self.line = line
        self.isVariant = isVariant
        self.numberedAs = numberedAs
    }
}

public struct ReportPeriod: Sendable, Hashable {
    public var from: (year: Int, month: Int, day: Int)
    public var to: (year: Int, month: Int, day: Int)
    public var position: SourcePosition
    public init(from: (Int, Int, Int), to: (Int, Int, Int), position: SourcePosition) {
        self.from = (from.0, from.1, from.2)
        self.to = (to.0, to.1, to.2)
        self.position = position
    }
    public static func == (a: ReportPeriod, b: ReportPeriod) -> Bool {
        a.from == b.from && a.to == b.to && a.position == b.position
    }
    public func hash(into h: inout Hasher) {
        h.combine(from.year); h.combine(from.month); h.combine(from.day)
        h.combine(to.year); h.combine(to.month); h.combine(to.day)
    }
    public var fromISO: String { ReportPeriod.iso(from) }
    public var toISO: String { ReportPeriod.iso(to) }
    static func iso(_ d: (year: Int, month: Int, day: Int)) -> String {
        func p(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(d.year)-\(p(d.month))-\(p(d.day))"
    }
}

/// Everything read from one report.
public struct AnnualReport: Sendable, Hashable {
    public var title: String?
    public var titleLine: Int?
    public var organ: String?
    public var year: Int?
    /// The edition the year calls for (nil without a year).
    public var edition: Edition?
    /// The edition the tables belong to, by the labels only one edition uses and by the rows of
    /// section 三 (nil when no table told).
    public var tableEdition: Edition?
    /// The edition section 二's table was read as: its own labels, else `tableEdition`, else the year's.
    public var table2Edition: Edition?
    /// The edition section 三's table was read as: the one whose rows the table holds (one
    /// （六）其他处理 row, or its three sub-items), else as for `table2Edition`.
    public var table3Edition: Edition?
    public var period: ReportPeriod?
    public var sections: [SectionHeading]
    public var table2: Table2?
    public var table3: Table3?
    public var table4: Table4?

    public init() {
        sections = []
    }

    /// The format whose tables were read: each table's own edition, else the tables', else the
    /// year's, else 2021.
    public var format: FormatSpec {
        let base = tableEdition ?? edition ?? .y2021
        return FormatSpec.combined(table2: table2Edition ?? base, table3: table3Edition ?? base)
    }
}
