import NianbaoCore

/// Plain text as a document: its tables built from their separators (bars of Markdown and
/// box-drawn tables, TABs of text saved from Word or a spreadsheet; see `TableMarkup`), every
/// other line a paragraph. A cell's text is what its separators enclose, trimmed; its origin is
/// the line and column where that text starts (for an empty cell, where the cell starts).
public enum TextTables {
    /// The document of a decoded text.
    public static func document(_ text: String, encoding: String? = nil) -> Document {
        let doc = TextDocument(text)
        var document = Document(format: .txt, encoding: encoding)
        var inTable = false
        for l in doc.lines.indices {
            // a rule between two rows (`|---|---|`) is part of its table
            if inTable, doc.cells[l] == nil, isRule(doc.originalLines[l]),
               l + 1 < doc.lines.count, doc.cells[l + 1] != nil { continue }
            guard let spans = doc.cells[l] else {
                document.append(Document.Paragraph(doc.originalText(line: l)))
                inTable = false
                continue
            }
            let original = doc.originalLines[l]
            let cells = spans.map { span -> Document.Cell in
                var s = span.lowerBound, e = span.upperBound
                while s < e && isBlank(doc.lines[l][s]) { s += 1 }
                while e > s && isBlank(doc.lines[l][e - 1]) { e -= 1 }
                return Document.Cell(TextDocument.string(original.scalars(s..<e)), origin: .text(line: l + 1, column: (s < e ? s : span.lowerBound) + 1))
            }
            document.append(Document.Row(cells: cells), startsTable: !inTable)
            inTable = true
        }
        return document
    }

    static func isBlank(_ v: UInt32) -> Bool { TextDocument.isSpace(v) }

    /// A line of rule characters only (`|---|:--:|`, `+---+`, `├──┼──┤`).
    static func isRule(_ line: TextLine) -> Bool {
        line.contains { !isBlank($0) } && line.allSatisfy { v in
            isBlank(v) || v == 0x2D || v == 0x3D || v == 0x3A || v == 0x2B || TableMarkup.isSeparator(v) || TableMarkup.isBoxDrawing(v)
        }
    }
}
