import NianbaoText
import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain text or Markdown whose tables are written as HTML (`<table><tr><td>…`), as document
/// converters that keep merged cells write them (a Word report turned into Markdown by tools
/// built on mammoth, MinerU or Marker, often with a whole table on one line): the tables are
/// read by the HTML reader's table walker, cell by cell with their spans; the text around them is
/// read as plain text is (lines as paragraphs, Markdown and TAB tables from their separators).
///
/// A paragraph keeps its line in the file; a cell of an HTML table is placed by its table (counted
/// among the document's tables), row and column, as a web page's is.
public enum EmbeddedHTMLTables {
    /// The most bytes a text may hold for its HTML tables to be read (a larger file is read as
    /// plain text, as before).
    static let maximumBytes = HTMLReader.maximumBytes

    /// Whether the UTF-8 text `u` holds an HTML table: a `<table` opening tag and a cell or row
    /// tag after it (and is no larger than a web page may be).
    public static func holdsTable(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count <= maximumBytes, let first = openTag(in: u, from: 0) else { return false }
        return hasCellTag(in: u, from: first)
    }

    /// The document of `text` when it holds an HTML table (see `holdsTable`); nil otherwise, and
    /// then the text is read as plain text. It parses HTML: where readers run in a child
    /// process, the pipeline reads such a text there (`PlainTextFormatReader`).
    public static func document(_ text: String, encoding: String?) -> Document? {
        var text = text
        return text.withUTF8 { u -> Document? in
            guard u.count <= maximumBytes, let first = openTag(in: u, from: 0) else { return nil }
            guard hasCellTag(in: u, from: first) else { return nil }
            return read(u, encoding: encoding)
        }
    }

    // MARK: - Reading

    private static func read(_ u: UnsafeBufferPointer<UInt8>, encoding: String?) -> Document {
        var document = Document(format: .txt, encoding: encoding)
        var tables = 0
        var line = 1  // the 1-based line of `u[at]`
        var at = 0
        // text before, between and after the tables: read as plain text, its lines kept
        func plain(_ range: Range<Int>, startingLine: Int) {
            guard !range.isEmpty else { return }
            let piece = String(decoding: UnsafeBufferPointer(rebasing: u[range]), as: UTF8.self)
            var column = 1
            if range.lowerBound > 0 && u[range.lowerBound - 1] != 0x0A {
                // the tail of a line a table ended on: its column on that line
                var s = range.lowerBound
                while s > 0 && u[s - 1] != 0x0A { s -= 1 }
                column = String(decoding: UnsafeBufferPointer(rebasing: u[s..<range.lowerBound]), as: UTF8.self)
                    .unicodeScalars.count + 1
            }
            // the piece's places as the file's
            func shifted(_ origin: Document.Origin?) -> Document.Origin? {
                guard case .text(let l, let c)? = origin else { return origin }
                return .text(line: l + startingLine - 1, column: l == 1 ? c + column - 1 : c)
            }
            for block in TextTables.document(piece).blocks {
                switch block {
                case .paragraph(var p):
                    p.origin = shifted(p.origin)
                    if p.text.unicodeScalars.contains(where: { !TextDocument.isSpace($0.value) }) { document.append(p) }
                case .table(let t):
                    var first = true
                    for var row in t.rows {
                        for i in row.cells.indices { row.cells[i].origin = shifted(row.cells[i].origin) }
                        document.append(row, startsTable: first)
                        first = false
                    }
                }
            }
        }
        while let open = openTag(in: u, from: at) {
            let end = closeOfTable(in: u, openingAt: open)
            plain(at..<open, startingLine: line)
            line += newlines(in: u, at..<end)
            let fragment = HTMLReader.fragment(UnsafeBufferPointer(rebasing: u[open..<end]))
            for item in fragment.items {
                switch item {
                case .line(let text):
                    document.append(Document.Paragraph(text, origin: .text(line: line, column: 1)))
                case .row(var cells, let table, let startsTable):
                    for i in cells.indices {
                        if case .cell(_, let r, let c)? = cells[i].origin {
                            cells[i].origin = .cell(table: tables + table, row: r, column: c)
                        }
                    }
                    document.append(Document.Row(cells: cells), startsTable: startsTable)
                }
            }
            tables += fragment.tables
            at = end
        }
        plain(at..<u.count, startingLine: line)
        return document
    }

    private static func newlines(in u: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var n = 0
        for i in range where u[i] == 0x0A { n += 1 }
        return n
    }

    // MARK: - Finding the tables

    /// The offset of the next `<table` opening tag (any case, followed by a space, `>` or `/`)
    /// at or after `from`.
    static func openTag(in u: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while let lt = next(0x3C, in: u, from: i) {
            if matches(u, at: lt + 1, "table"), lt + 6 < u.count, isTagEnd(u[lt + 6]) { return lt }
            i = lt + 1
        }
        return nil
    }

    /// Whether a `<td`, `<th` or `<tr` tag follows `from`.
    static func hasCellTag(in u: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        var i = from
        while let lt = next(0x3C, in: u, from: i) {
            if lt + 3 < u.count, matches(u, at: lt + 1, "t"), u[lt + 2] | 0x20 == 0x64 || u[lt + 2] | 0x20 == 0x68
                || u[lt + 2] | 0x20 == 0x72, isTagEnd(u[lt + 3]) { return true }
            i = lt + 1
        }
        return false
    }

    /// The offset just past the `</table>` that closes the table opened at `open` (nested
    /// tables counted), or the text's end when it is never closed.
    static func closeOfTable(in u: UnsafeBufferPointer<UInt8>, openingAt open: Int) -> Int {
        var depth = 0
        var i = open
        while let lt = next(0x3C, in: u, from: i) {
            if matches(u, at: lt + 1, "table"), lt + 6 < u.count, isTagEnd(u[lt + 6]) {
                depth += 1
            } else if matches(u, at: lt + 1, "/table") {
                depth -= 1
                if depth == 0 {
                    guard let gt = next(0x3E, in: u, from: lt) else { return u.count }
                    return gt + 1
                }
            }
            i = lt + 1
        }
        return u.count
    }

    private static func next(_ byte: UInt8, in u: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < u.count, let base = u.baseAddress else { return nil }
        guard let p = memchr(base + from, Int32(byte), u.count - from) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `u` holds `word` (ASCII, lower case) at `at`, in any case.
    private static func matches(_ u: UnsafeBufferPointer<UInt8>, at: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at + n <= u.count else { return false }
        let w = word.utf8Start
        for k in 0..<n {
            let c = u[at + k]
            let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            if lower != w[k] { return false }
        }
        return true
    }

    private static func isTagEnd(_ c: UInt8) -> Bool { c == 0x3E || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x2F }
}
