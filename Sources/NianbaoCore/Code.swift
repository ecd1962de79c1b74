/// A finding's stable kebab-case code (`table3-wrong-cell`), with what the note and the engine
/// need to know about its findings: how much they weigh, whether they stand on a table that
/// could not be read, and how the note groups them.
///
/// Codes are the static members below; the string is what notes, JSON and configuration files
/// carry, and never changes. A code cannot be made from a literal elsewhere, so a typo does not
/// compile.
public struct Code: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The code as written in notes, JSON and configuration (`table3-wrong-cell`).
    public let rawValue: String
    /// Where the note puts its findings among the errors (and among the warnings).
    public let consequence: Consequence
    /// Whether its findings go when their table could not be read with confidence.
    public let onUnreadableTable: OnUnreadableTable
    /// How the note gathers several of its findings into one.
    public let grouping: Grouping

    /// How much a finding weighs in the note's order: what makes the rest moot comes first.
    public enum Consequence: Int, Sendable, Comparable {
        /// The file is not a report, or could not be read.
        case document
        /// A table is missing or could not be read: its figures cannot be checked at all.
        case table
        /// Cells hold wrong, blank or misplaced figures (the arithmetic, the cell and row checks).
        case cells
        /// The tables follow the wrong edition of the format.
        case edition
        /// Everything else: headings, the title, the period, labels, units, the narrative.
        case other

        public static func < (a: Consequence, b: Consequence) -> Bool { a.rawValue < b.rawValue }
    }

    /// What becomes of a finding when a table could not be read with confidence (its rows,
    /// cells and sums would be the reader's mistakes, not the office's).
    public enum OnUnreadableTable: Sendable {
        /// Kept: it is not about a table's figures.
        case kept
        /// Dropped when the table of its section is the unreadable one.
        case droppedWithItsTable
        /// Dropped when section 三's or 四's table is unreadable (the narrative is checked
        /// against their figures).
        case droppedWithTable3Or4
    }

    /// How the note gathers findings of one code.
    public enum Grouping: Sendable {
        /// Each finding on its own.
        case alone
        /// Blank cells: a table, rows or a column of them, or the cells of one row, as one.
        case blankCells
        /// Cells holding a dash: a column or a row of them as one.
        case dashCells
        /// The rows a table lacks, as one list.
        case missingRows
        /// Rows holding the same wrong count of values, as one; it also covers the blank cells
        /// of such a row (which columns they sit in cannot be told).
        case rowCounts
        /// The sections a report lacks, as one list.
        case missingSections
        /// Findings on one line of prose (the title, a sentence), as one.
        case proseLine
    }

    private init(_ rawValue: String, _ consequence: Consequence = .other, onUnreadableTable: OnUnreadableTable = .kept,
                 grouping: Grouping = .alone) {
        self.rawValue = rawValue
        self.consequence = consequence
        self.onUnreadableTable = onUnreadableTable
        self.grouping = grouping
    }

    /// The code written `rawValue`; nil for a string that is no code.
    public init?(rawValue: String) {
        guard let code = Code.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = code
    }

    public var description: String { rawValue }
    public static func == (a: Code, b: Code) -> Bool { a.rawValue == b.rawValue }
    public func hash(into h: inout Hasher) { h.combine(rawValue) }
    public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }

    // MARK: - The report's structure

    public static let notAReport = Code("not-a-report", .document)
    public static let sectionMissing = Code("section-missing", grouping: .missingSections)
    public static let sectionOrder = Code("section-order")
    public static let sectionMisnumbered = Code("section-misnumbered")
    public static let sectionHeadingVariant = Code("section-heading-variant")
    public static let titleMissing = Code("title-missing", grouping: .proseLine)
    public static let periodMissing = Code("period-missing")
    public static let periodMismatch = Code("period-mismatch")
    public static let editionMismatch = Code("edition-mismatch", .edition)
    public static let tableEditionMismatch = Code("table-edition-mismatch", .edition)
    public static let tableMissing = Code("table-missing", .table)
    public static let tableUnreadable = Code("table-unreadable", .table)

    // MARK: - Rows and cells

    public static let rowMissing = Code("row-missing", .cells, onUnreadableTable: .droppedWithItsTable, grouping: .missingRows)
    public static let rowCellCount = Code("row-cell-count", .cells, onUnreadableTable: .droppedWithItsTable, grouping: .rowCounts)
    public static let cellBlank = Code("cell-blank", .cells, onUnreadableTable: .droppedWithItsTable, grouping: .blankCells)
    public static let cellDash = Code("cell-dash", .cells, onUnreadableTable: .droppedWithItsTable, grouping: .dashCells)
    public static let cellInvalid = Code("cell-invalid", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let cellNegative = Code("cell-negative", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let cellFractional = Code("cell-fractional", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let amountUnit = Code("amount-unit", onUnreadableTable: .droppedWithItsTable)
    public static let labelDeviation = Code("label-deviation", onUnreadableTable: .droppedWithItsTable)

    // MARK: - Arithmetic

    public static let table3WrongCell = Code("table3-wrong-cell", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let table3Identity = Code("table3-identity", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let table3RowTotal = Code("table3-row-total", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let table3TotalRow = Code("table3-total-row", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let table4Total = Code("table4-total", .cells, onUnreadableTable: .droppedWithItsTable)
    public static let table3CarryoverMismatch = Code("table3-carryover-mismatch", onUnreadableTable: .droppedWithItsTable)

    // MARK: - The narrative

    public static let narrativeRequests = Code("narrative-requests", onUnreadableTable: .droppedWithTable3Or4, grouping: .proseLine)
    public static let narrativePartsSum = Code("narrative-parts-sum", onUnreadableTable: .droppedWithTable3Or4, grouping: .proseLine)
    public static let narrativePercentage = Code("narrative-percentage", onUnreadableTable: .droppedWithTable3Or4, grouping: .proseLine)
    public static let narrativePartExceedsWhole = Code("narrative-part-exceeds-whole", onUnreadableTable: .droppedWithTable3Or4,
                                                       grouping: .proseLine)

    /// A figure of a scan read with low confidence that breaks an identity (see `OCRUncertain`).
    public static let ocrUncertain = Code("ocr-uncertain", .cells)

    // MARK: - The file (raised by the pipeline, the readers and the service)

    public static let fileUnreadable = Code("file-unreadable", .document)
    public static let notARegularFile = Code("not-a-regular-file", .document)
    public static let fileTooLarge = Code("file-too-large", .document)
    public static let fileTooLong = Code("file-too-long", .document)
    public static let unsupportedFormat = Code("unsupported-format", .document)
    public static let corruptFile = Code("corrupt-file", .document)
    public static let tooLarge = Code("too-large", .document)
    public static let hostileFile = Code("hostile-file", .document)
    public static let timeout = Code("timeout", .document)
    public static let noTextLayer = Code("no-text-layer", .document)
    public static let pdftotextMissing = Code("pdftotext-missing", .document)
    public static let libreofficeMissing = Code("libreoffice-missing", .document)
    public static let conversionFailed = Code("conversion-failed", .document)
    public static let ocrMissing = Code("ocr-missing", .document)
    public static let ioError = Code("io-error", .document)
    public static let readerCrashed = Code("reader-crashed", .document)
    public static let checkCrashed = Code("check-crashed", .document)

    // MARK: - The service's own failures (never a finding of a report: not in `all`, not in the catalogue)

    /// A code of a failure of the service itself, which no report's note or JSON carries.
    private init(service rawValue: String) {
        self.init(rawValue, .document)
    }

    /// A configuration value that cannot be used.
    public static let configInvalid = Code(service: "config-invalid")
    /// Another process serves this instance name.
    public static let instanceInUse = Code(service: "instance-in-use")
    /// Bytes that are not a `nianbao.report/…` document.
    public static let notAReportDocument = Code(service: "not-a-report-document")
    /// The index of published results (SQLite) failed.
    public static let indexFailed = Code(service: "index-failed")

    /// Every code.
    public static let all: [Code] = [
        notAReport, sectionMissing, sectionOrder, sectionMisnumbered, sectionHeadingVariant, titleMissing, periodMissing,
        periodMismatch, editionMismatch, tableEditionMismatch, tableMissing, tableUnreadable,
        rowMissing, rowCellCount, cellBlank, cellDash, cellInvalid, cellNegative, cellFractional, amountUnit, labelDeviation,
        table3WrongCell, table3Identity, table3RowTotal, table3TotalRow, table4Total, table3CarryoverMismatch,
        narrativeRequests, narrativePartsSum, narrativePercentage, narrativePartExceedsWhole, ocrUncertain,
        fileUnreadable, notARegularFile, fileTooLarge, fileTooLong, unsupportedFormat, corruptFile, tooLarge, hostileFile,
        timeout, noTextLayer, pdftotextMissing, libreofficeMissing, conversionFailed, ocrMissing, ioError, readerCrashed, checkCrashed,
    ]
}
