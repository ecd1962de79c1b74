import NianbaoCore
import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tidies the table grid of a document LibreOffice converted to .docx, before the Word reader
/// reads it: LibreOffice rounds cell edges to whole twips when it saves .doc and .rtf, and where
/// two rows' edges then differ by a twip or two it adds a grid column that narrow (1 twip) to
/// the table. No one sees that column, but it would count in a finding's place ("column 7"
/// where Word shows the sixth). Grid columns narrower than `sliverTwips` are folded into their
/// neighbours: removed from `w:tblGrid`, and every `w:gridSpan` and `w:gridBefore` that covered
/// them made that much shorter. Everything else is left as LibreOffice wrote it.
enum ConvertedGrid {
    /// 15 twips: a quarter of a millimetre.
    static let sliverTwips = 15

    static func foldingSlivers(_ xml: [UInt8]) throws(NianbaoError) -> [UInt8] {
        let parsed = try ParsedXML(xml, name: "word/document.xml")
        var changed = false
        for table in parsed.descendants(of: parsed.root, named: "tbl", limit: 200) {
            guard let grid = parsed.children(of: table, named: "tblGrid").first else { continue }
            let columns = parsed.children(of: grid, named: "gridCol")
            let widths = columns.map { LibXML.attribute($0, "w").flatMap { Int($0) } ?? Int.max }
            let sliver = widths.map { $0 < sliverTwips }
            guard sliver.contains(true), sliver.contains(false) else { continue }
            changed = true
            // how many real columns lie in [from, to)
            func real(_ from: Int, _ to: Int) -> Int {
                guard from < to else { return 0 }
                return (from..<to).reduce(0) { $0 + ($1 < sliver.count && sliver[$1] ? 0 : 1) }
            }
            for row in parsed.children(of: table, named: "tr") {
                var position = 0
                if let trPr = parsed.children(of: row, named: "trPr").first,
                   let before = parsed.children(of: trPr, named: "gridBefore").first,
                   let value = LibXML.attribute(before, "val").flatMap({ Int($0) })
                {
                    position = max(0, min(value, 64))
                    setValue(before, real(0, position))
                }
                for cell in parsed.children(of: row, named: "tc") {
                    var span = 1
                    var spanNode: XNode?
                    if let tcPr = parsed.children(of: cell, named: "tcPr").first,
                       let node = parsed.children(of: tcPr, named: "gridSpan").first
                    {
                        spanNode = node
                        span = max(1, min(LibXML.attribute(node, "val").flatMap { Int($0) } ?? 1, 64))
                    }
                    let kept = real(position, position + span)
                    if let spanNode, kept >= 1, kept != span { setValue(spanNode, kept) }
                    position += span
                }
            }
            for (i, column) in columns.enumerated() where sliver[i] {
                xmlUnlinkNode(column)
                xmlFreeNode(column)
            }
        }
        guard changed else { return xml }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemory(parsed.doc, &buffer, &size)
        guard let buffer, size > 0 else { throw .io("cannot write the converted document's XML") }
        defer { free(buffer) }  // libxml2 allocates with malloc unless told otherwise
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    /// Sets the element's `val` attribute (in the namespace it has).
    private static func setValue(_ node: XNode, _ value: Int) {
        var a = node.pointee.properties
        while let attr = a {
            if let n = attr.pointee.name, String(cString: n) == "val" {
                _ = xmlSetNsProp(node, attr.pointee.ns, n, String(value))
                return
            }
            a = attr.pointee.next
        }
    }
}
