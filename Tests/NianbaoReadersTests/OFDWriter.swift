import Foundation

@testable import NianbaoReaders
import NianbaoCore

/// Writes OFD documents (GB/T 33190-2016) for the tests: a zip holding `OFD.xml` →
/// `Doc_0/Document.xml` → `Doc_0/Pages/Page_N/Content.xml`, each line of text a `TextObject`
/// with a `Boundary`, a `Size` and a `TextCode` (`X`, `Y` as the baseline, `DeltaX`), in mm.
///
/// The content is a document as the Word reader read it (a generated report saved as .docx):
/// paragraphs as lines of text, table rows laid out on a grid (each cell at the left of its
/// grid column, merged cells spanning theirs, a row per line), pages broken where the page is
/// full, as an office's OFD export of the same report would place them. The options give the
/// variations of producers the reader must take.
struct OFDWriter {
    enum Placement: CaseIterable {
        /// `Boundary` is the run's box, `X`/`Y` relative to it.
        case boundary
        /// `Boundary` is the whole page, the run placed by `CTM="1 0 0 1 x y"`.
        case ctm
        /// `Boundary` is the whole page, `X`/`Y` the run's position on the page.
        case absolute
    }

    /// The namespace prefix ("ofd" or none: a default namespace).
    var prefix = "ofd"
    var placement = Placement.boundary
    /// `DeltaX` as `g N v` runs where the advances repeat.
    var gRuns = false
    /// A font file in the package (its bytes are not a real font; only the text is read).
    var embeddedFont = false
    /// One `TextCode` per glyph, each with its own `X` (as some producers write every character).
    var codePerGlyph = false
    /// Page size in mm (landscape A4).
    var pageWidth = 297.0
    var pageHeight = 210.0
    var margin = 15.0
    var size = 2.6
    var lineHeight = 5.5

    /// An OFD of the document's lines: table rows (their cells at their grid columns) on a
    /// grid, other lines as text.
    func ofd(_ document: Document) throws -> [UInt8] {
        let document = document.textView
        var pages: [[String]] = [[]]
        var y = margin
        var id = 10
        func newLineSpace() {
            y += lineHeight
            if y > pageHeight - margin {
                pages.append([])
                y = margin + lineHeight
            }
        }
        // grid columns of each table: the widest single-column cell sets the column's width
        var widths: [Int: [Int: Double]] = [:]
        for (i, line) in document.lines.enumerated() {
            guard case .tableRow(let t, _, let columns)? = document.origins[i] else { continue }
            let cells = document.cells[i]!.map { String(String.UnicodeScalarView(Array(line.unicodeScalars)[$0])) }
            for (c, cell) in cells.enumerated() where c < columns.count {
                let next = c + 1 < columns.count ? columns[c + 1] : columns[c] + 1
                guard next - columns[c] == 1 else { continue }
                widths[t, default: [:]][columns[c]] = max(widths[t]?[columns[c]] ?? 6, textWidth(cell) + 2)
            }
        }
        for (i, line) in document.lines.enumerated() {
            newLineSpace()
            if case .tableRow(let t, _, let columns)? = document.origins[i] {
                let cells = document.cells[i]!.map { String(String.UnicodeScalarView(Array(line.unicodeScalars)[$0])) }
                let w = widths[t] ?? [:]
                for (c, cell) in cells.enumerated() where !cell.isEmpty {
                    let column = c < columns.count ? columns[c] : c
                    let x = margin + (0..<column).reduce(0.0) { $0 + (w[$1] ?? 6) }
                    id += 1
                    pages[pages.count - 1].append(textObject(cell, x: x, baseline: y, id: id))
                }
            } else if !line.isEmpty {
                // prose wraps at the right margin
                var rest = Substring(line)
                while !rest.isEmpty {
                    var width = 0.0
                    var end = rest.startIndex
                    while end < rest.endIndex {
                        let w = textWidth(String(rest[end]))
                        if width + w > pageWidth - 2 * margin { break }
                        width += w
                        end = rest.index(after: end)
                    }
                    if end == rest.startIndex { end = rest.index(after: end) }
                    id += 1
                    pages[pages.count - 1].append(textObject(String(rest[..<end]), x: margin, baseline: y, id: id))
                    rest = rest[end...]
                    if !rest.isEmpty { newLineSpace() }
                }
            }
        }
        return try package(pages: pages)
    }

    func textWidth(_ s: String) -> Double {
        s.unicodeScalars.reduce(0.0) { $0 + advance($1) }
    }

    func advance(_ u: Unicode.Scalar) -> Double { u.value >= 0x2E80 ? size : size * 0.5 }

    var p: String { prefix.isEmpty ? "" : prefix + ":" }
    var namespace: String { prefix.isEmpty ? "xmlns=\"http://www.ofdspec.org/2016\"" : "xmlns:\(prefix)=\"http://www.ofdspec.org/2016\"" }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// One run of text whose baseline starts at (x, baseline) on the page.
    func textObject(_ text: String, x: Double, baseline: Double, id: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        let advances = scalars.dropLast().map(advance)
        var delta: [String] = []
        var i = 0
        while i < advances.count {
            var j = i
            while j < advances.count && advances[j] == advances[i] { j += 1 }
            if gRuns && j - i > 2 {
                delta.append("g \(j - i) \(fmt(advances[i]))")
            } else {
                for k in i..<j { delta.append(fmt(advances[k])) }
            }
            i = j
        }
        let width = textWidth(text)
        let top = baseline - size
        let boundary: String, ctm: String, codeX: Double, codeY: Double
        switch placement {
        case .boundary:
            boundary = "\(fmt(x)) \(fmt(top)) \(fmt(width)) \(fmt(size * 1.2))"
            ctm = ""
            (codeX, codeY) = (0, size)
        case .ctm:
            boundary = "0 0 \(fmt(pageWidth)) \(fmt(pageHeight))"
            ctm = " CTM=\"1 0 0 1 \(fmt(x)) \(fmt(top))\""
            (codeX, codeY) = (0, size)
        case .absolute:
            boundary = "0 0 \(fmt(pageWidth)) \(fmt(pageHeight))"
            ctm = ""
            (codeX, codeY) = (x, baseline)
        }
        let deltaAttribute = delta.isEmpty ? "" : " DeltaX=\"\(delta.joined(separator: " "))\""
        var codes = "<\(p)TextCode X=\"\(fmt(codeX))\" Y=\"\(fmt(codeY))\"\(deltaAttribute)>\(Self.escape(text))</\(p)TextCode>"
        if codePerGlyph {
            codes = ""
            var at = codeX
            for u in scalars {
                codes += "<\(p)TextCode X=\"\(fmt(at))\" Y=\"\(fmt(codeY))\">\(Self.escape(String(u)))</\(p)TextCode>"
                at += advance(u)
            }
        }
        return "<\(p)TextObject ID=\"\(id)\" Boundary=\"\(boundary)\"\(ctm) Font=\"2\" Size=\"\(fmt(size))\">"
            + "<\(p)FillColor Value=\"0 0 0\"/>" + codes + "</\(p)TextObject>"
    }

    func fmt(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    func package(pages: [[String]]) throws -> [UInt8] {
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        var entries: [(path: String, data: Data)] = []
        entries.append(("OFD.xml", Data((head + """
            <\(p)OFD \(namespace) Version="1.0" DocType="OFD"><\(p)DocBody><\(p)DocInfo>\
            <\(p)DocID>6c3e2b8a0f6d4b0e9a1c1f0e5d4c3b2a</\(p)DocID><\(p)Creator>nianbao tests</\(p)Creator>\
            </\(p)DocInfo><\(p)DocRoot>Doc_0/Document.xml</\(p)DocRoot></\(p)DocBody></\(p)OFD>
            """).utf8)))
        var pageList = ""
        for i in pages.indices {
            pageList += "<\(p)Page ID=\"\(i + 1)\" BaseLoc=\"Pages/Page_\(i)/Content.xml\"/>"
        }
        entries.append(("Doc_0/Document.xml", Data((head + """
            <\(p)Document \(namespace)><\(p)CommonData><\(p)MaxUnitID>999999</\(p)MaxUnitID><\(p)PageArea>\
            <\(p)PhysicalBox>0 0 \(fmt(pageWidth)) \(fmt(pageHeight))</\(p)PhysicalBox></\(p)PageArea>\
            <\(p)PublicRes>PublicRes.xml</\(p)PublicRes></\(p)CommonData><\(p)Pages>\(pageList)</\(p)Pages></\(p)Document>
            """).utf8)))
        let fontFile = embeddedFont ? "<\(p)FontFile>font_2.ttf</\(p)FontFile>" : ""
        entries.append(("Doc_0/PublicRes.xml", Data((head + """
            <\(p)Res \(namespace) BaseLoc="Res"><\(p)Fonts><\(p)Font ID="2" FontName="宋体" FamilyName="宋体">\(fontFile)\
            </\(p)Font></\(p)Fonts></\(p)Res>
            """).utf8)))
        if embeddedFont { entries.append(("Doc_0/Res/font_2.ttf", Data([0, 1, 0, 0] + Array(repeating: 0x41, count: 200)))) }
        for (i, objects) in pages.enumerated() {
            entries.append(("Doc_0/Pages/Page_\(i)/Content.xml", Data((head + """
                <\(p)Page \(namespace)><\(p)Content><\(p)Layer ID="\(i + 2)">\(objects.joined())</\(p)Layer></\(p)Content></\(p)Page>
                """).utf8)))
        }
        return try ZipBuilder.zip(entries)
    }
}
