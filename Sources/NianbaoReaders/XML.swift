import CLibXML2

typealias XNode = UnsafeMutablePointer<xmlNode>

enum LibXML {
    /// `xmlInitParser` must run once before libxml2 is used from several threads.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static func localName(_ node: XNode) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    /// Whether the element's local name is `name` (ASCII, exact case).
    static func nameIs(_ node: XNode, _ name: StaticString) -> Bool {
        guard let n = node.pointee.name else { return false }
        return name.withUTF8Buffer { buf -> Bool in
            var i = 0
            while i < buf.count {
                if n[i] != buf[i] { return false }
                i += 1
            }
            return n[buf.count] == 0
        }
    }

    static func isElement(_ node: XNode) -> Bool { node.pointee.type == XML_ELEMENT_NODE }

    static func isText(_ node: XNode) -> Bool {
        node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE
    }

    static func namespaceHref(_ node: XNode) -> String? {
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    /// The text of a text or CDATA node (never expands entity references).
    static func textContent(_ node: XNode) -> String {
        guard let c = node.pointee.content else { return "" }
        return String(cString: c)
    }

    /// The concatenated direct text children of an element (entity references are skipped).
    static func directText(_ node: XNode) -> String {
        var s = ""
        var c = node.pointee.children
        while let child = c {
            if isText(child) { s += textContent(child) }
            c = child.pointee.next
        }
        return s
    }

    /// The value of the attribute with local name `name` (any namespace), entity references skipped.
    static func attribute(_ node: XNode, _ name: String) -> String? {
        var a = node.pointee.properties
        while let attr = a {
            if let n = attr.pointee.name, String(cString: n).caseInsensitiveEquals(name) {
                var s = ""
                var c = attr.pointee.children
                while let child = c {
                    if child.pointee.type == XML_TEXT_NODE, let content = child.pointee.content {
                        s += String(cString: content)
                    }
                    c = child.pointee.next
                }
                return s
            }
            a = attr.pointee.next
        }
        return nil
    }

    static func children(_ node: XNode) -> ChildSequence { ChildSequence(first: node.pointee.children) }

    struct ChildSequence: Sequence, IteratorProtocol {
        var first: XNode?
        mutating func next() -> XNode? {
            guard let n = first else { return nil }
            first = n.pointee.next
            return n
        }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            let lx = (x >= 0x41 && x <= 0x5A) ? x + 0x20 : x
            let ly = (y >= 0x41 && y <= 0x5A) ? y + 0x20 : y
            if lx != ly { return false }
        }
        return true
    }
}
