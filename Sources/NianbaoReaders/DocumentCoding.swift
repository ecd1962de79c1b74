import NianbaoCore

/// The typed document in bytes, as the reader child sends it back: compact, read in one pass,
/// and safe against any bytes (the decoder checks every length and count against what is left,
/// so truncated or garbage input is a `NianbaoError`, never a trap or a huge allocation).
///
///     document := "NBD1" string(format) string(encoding or "") varint(blocks) block*
///     block    := 0x01 string(text) origin              (paragraph)
///               | 0x02 varint(rows) (varint(cells) cell*)*   (table)
///     cell     := string(text) varint(rowSpan) varint(columnSpan) origin confidence
///     origin   := 0x00 | 0x01 varint(line) varint(column) | 0x02 varint(table) varint(row) varint(column)
///               | 0x03 varint(page) | 0x04 varint(page) f32 f32 f32 f32 | 0x05 varint(n) | 0x06
///     confidence := 0x00 | 0x01 f32
///     string   := varint(byte count) UTF-8 bytes
///
/// Varints are unsigned LEB128 of at most five bytes (values up to `Int32.max`); floats are
/// IEEE 754 binary32, little-endian.
public enum DocumentCoding {
    static let magic: [UInt8] = Array("NBD1".utf8)

    // MARK: Encoding

    /// The bytes of `document`.
    public static func encode(_ document: Document) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        out.append(contentsOf: magic)
        string(document.format.rawValue, into: &out)
        string(document.encoding ?? "", into: &out)
        varint(document.blocks.count, into: &out)
        for block in document.blocks {
            switch block {
            case .paragraph(let p):
                out.append(0x01)
                string(p.text, into: &out)
                origin(p.origin, into: &out)
            case .table(let t):
                out.append(0x02)
                varint(t.rows.count, into: &out)
                for row in t.rows {
                    varint(row.cells.count, into: &out)
                    for cell in row.cells {
                        string(cell.text, into: &out)
                        varint(cell.rowSpan, into: &out)
                        varint(cell.columnSpan, into: &out)
                        origin(cell.origin, into: &out)
                        if let c = cell.confidence {
                            out.append(0x01)
                            float(c, into: &out)
                        } else {
                            out.append(0x00)
                        }
                    }
                }
            }
        }
        return out
    }

    static func varint(_ value: Int, into out: inout [UInt8]) {
        var v = UInt32(clamping: max(0, value))
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            varint(bytes.count, into: &out)
            out.append(contentsOf: bytes)
        }
    }

    static func float(_ f: Float, into out: inout [UInt8]) {
        let bits = f.bitPattern
        for k in 0..<4 { out.append(UInt8((bits >> (8 * k)) & 0xFF)) }
    }

    static func origin(_ o: Document.Origin?, into out: inout [UInt8]) {
        switch o {
        case nil:
            out.append(0x00)
        case .text(let l, let c)?:
            out.append(0x01)
            varint(l, into: &out)
            varint(c, into: &out)
        case .cell(let t, let r, let c)?:
            out.append(0x02)
            varint(t, into: &out)
            varint(r, into: &out)
            varint(c, into: &out)
        case .page(let p, nil)?:
            out.append(0x03)
            varint(p, into: &out)
        case .page(let p, let box?)?:
            out.append(0x04)
            varint(p, into: &out)
            for f in [box.x0, box.y0, box.x1, box.y1] { float(f, into: &out) }
        case .paragraph(let n)?:
            out.append(0x05)
            varint(n, into: &out)
        case .pageTitle?:
            out.append(0x06)
        }
    }

    // MARK: Decoding

    /// The document in `bytes`.
    /// - Throws: `NianbaoError.crashed` naming what is wrong when the bytes are not a whole,
    ///   well-formed document (truncated, garbage, trailing bytes, invalid UTF-8).
    public static func decode(_ bytes: [UInt8]) throws(NianbaoError) -> Document {
        try bytes.withUnsafeBufferPointer { buffer throws(NianbaoError) -> Document in
            var reader = Reader(bytes: buffer)
            return try reader.document()
        }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        var remaining: Int { bytes.count - at }

        static func bad(_ what: String) -> NianbaoError { .crashed("the reader's answer is not a document (\(what))") }

        mutating func document() throws(NianbaoError) -> Document {
            guard remaining >= 4, Array(bytes[0..<4]) == DocumentCoding.magic else { throw Self.bad("no header") }
            at = 4
            guard let format = DocumentFormat(rawValue: try string()) else { throw Self.bad("unknown format") }
            let encoding = try string()
            var document = Document(format: format, encoding: encoding.isEmpty ? nil : encoding)
            // every block takes at least two bytes: a count above that is a lie
            let count = try count(minimumBytesEach: 2)
            document.blocks.reserveCapacity(count)
            for _ in 0..<count {
                switch try byte() {
                case 0x01:
                    let text = try string()
                    let origin = try origin()
                    document.blocks.append(.paragraph(Document.Paragraph(text, origin: origin)))
                case 0x02:
                    let rows = try self.count(minimumBytesEach: 1)
                    var table = Document.Table()
                    table.rows.reserveCapacity(rows)
                    for _ in 0..<rows {
                        let cells = try self.count(minimumBytesEach: 5)
                        var row = Document.Row(cells: [])
                        row.cells.reserveCapacity(cells)
                        for _ in 0..<cells {
                            let text = try string()
                            let rowSpan = try varint(), columnSpan = try varint()
                            let origin = try origin()
                            let confidence: Float?
                            switch try byte() {
                            case 0x00: confidence = nil
                            case 0x01: confidence = try float()
                            default: throw Self.bad("bad confidence")
                            }
                            row.cells.append(Document.Cell(text, rowSpan: rowSpan, columnSpan: columnSpan, origin: origin,
                                                           confidence: confidence))
                        }
                        table.rows.append(row)
                    }
                    document.blocks.append(.table(table))
                default:
                    throw Self.bad("unknown block")
                }
            }
            guard remaining == 0 else { throw Self.bad("bytes after the document") }
            return document
        }

        mutating func byte() throws(NianbaoError) -> UInt8 {
            guard at < bytes.count else { throw Self.bad("truncated") }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func varint() throws(NianbaoError) -> Int {
            var value: UInt64 = 0
            for k in 0..<5 {
                let b = try byte()
                value |= UInt64(b & 0x7F) << (7 * UInt64(k))
                if b < 0x80 {
                    guard value <= UInt64(Int32.max) else { throw Self.bad("number out of range") }
                    return Int(value)
                }
            }
            throw Self.bad("number too long")
        }

        /// A count of items that each take at least `minimumBytesEach` bytes.
        mutating func count(minimumBytesEach: Int) throws(NianbaoError) -> Int {
            let n = try varint()
            guard n <= remaining / minimumBytesEach else { throw Self.bad("count beyond the data") }
            return n
        }

        mutating func string() throws(NianbaoError) -> String {
            let n = try varint()
            guard n <= remaining else { throw Self.bad("truncated") }
            let slice = UnsafeBufferPointer(rebasing: bytes[at..<(at + n)])
            at += n
            guard let s = String(validating: slice, as: UTF8.self) else { throw Self.bad("invalid UTF-8") }
            return s
        }

        mutating func float() throws(NianbaoError) -> Float {
            var bits: UInt32 = 0
            for k in 0..<4 { bits |= UInt32(try byte()) << (8 * UInt32(k)) }
            return Float(bitPattern: bits)
        }

        mutating func origin() throws(NianbaoError) -> Document.Origin? {
            switch try byte() {
            case 0x00: return nil
            case 0x01: return try .text(line: varint(), column: varint())
            case 0x02: return try .cell(table: varint(), row: varint(), column: varint())
            case 0x03: return try .page(varint(), box: nil)
            case 0x04:
                let p = try varint()
                let x0 = try float(), y0 = try float(), x1 = try float(), y1 = try float()
                return .page(p, box: Document.Box(x0: x0, y0: y0, x1: x1, y1: y1))
            case 0x05: return try .paragraph(varint())
            case 0x06: return .pageTitle
            default: throw Self.bad("unknown origin")
            }
        }
    }
}
