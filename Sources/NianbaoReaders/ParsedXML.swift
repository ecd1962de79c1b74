import NianbaoCore
import CLibXML2

/// One XML file parsed by libxml2 (no network, no DTD, no entities), freed with the value.
final class ParsedXML {
    let doc: xmlDocPtr
    let root: XNode

    init(_ xml: [UInt8], name: String) throws(NianbaoError) {
        _ = LibXML.initialized
        if xml.isEmpty { throw .corrupt("\(name) is empty") }
        let head = FormatDetector.asciiHead(xml, limit: 4096)
        if ByteSearch.find(Array("<!doctype".utf8), in: head, range: 0..<head.count) != nil
            || ByteSearch.find(Array("<!entity".utf8), in: head, range: 0..<head.count) != nil
        {
            throw .hostile("\(name) declares a DTD")
        }
        guard xml.count < Int(Int32.max) else { throw .tooLarge("\(name) is too large") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = xml.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                xmlReadMemory(p, Int32(buf.count), name, nil, options)
            }
        }
        guard let parsed else { throw .corrupt("\(name) is not well-formed XML") }
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil {
            xmlFreeDoc(parsed)
            throw .hostile("\(name) declares a DTD")
        }
        guard let root = xmlDocGetRootElement(parsed) else {
            xmlFreeDoc(parsed)
            throw .corrupt("\(name) has no root element")
        }
        self.doc = parsed
        self.root = root
    }

    deinit { xmlFreeDoc(doc) }

    /// The child elements of `node` with local name `name` (any prefix, or none).
    func children(of node: XNode, named name: String) -> [XNode] {
        LibXML.children(node).filter { LibXML.isElement($0) && LibXML.localName($0) == name }
    }

    /// The elements under `node` with local name `name`, in document order, not below `limit` levels.
    func descendants(of node: XNode, named name: String, limit: Int) -> [XNode] {
        var out: [XNode] = []
        func walk(_ n: XNode, _ depth: Int) {
            guard depth < limit else { return }
            for c in LibXML.children(n) where LibXML.isElement(c) {
                if LibXML.localName(c) == name { out.append(c) }
                walk(c, depth + 1)
            }
        }
        walk(node, 0)
        return out
    }
}
