import CLibXML2
import NianbaoCore

/// Reads an OFD document (GB/T 33190-2016, the Chinese fixed-layout format): a zip of XML files,
/// `OFD.xml` → `DocBody/DocRoot` (the document's `Document.xml`) → `Pages/Page@BaseLoc` (each
/// page's `Content.xml`) → `Layer` → `TextObject`s, each with a `Boundary` ("x y w h", in mm),
/// an optional `CTM` ("a b c d e f") and `Size`, holding `TextCode` runs with `X`, `Y` (the
/// baseline) and `DeltaX` (the advances between glyphs, `g N v` standing for N times v).
///
/// Every glyph is placed on its page in points, and the glyphs of a run are grouped into words
/// (split at spaces and at gaps wider than half the font size); the pages of words go to the
/// same geometric table builder as a PDF's (`PDFLayout`), so cells and places (page, row,
/// column) come out as for a PDF. Producers differ and all are taken: namespace prefix `ofd:`
/// or none, text placed by the CTM or by the boundary's offset, `DeltaX` with or without `g`
/// runs, fonts embedded or not (only the text is read), `PageBlock`s nesting objects.
public enum OFDReader {
    /// Limits against hostile files.
    public struct Limits: Sendable {
        public var maximumEntries = 20_000
        /// The largest XML file of the package, counted while it is inflated.
        public var maximumXMLBytes = 64 << 20
        /// All the XML inflated for one document.
        public var maximumTotalBytes = 256 << 20
        public var maximumPages = 2000
        public var maximumDepth = 100
        public var maximumGlyphs = 2_000_000
        public init() {}
    }

    static let pointsPerMillimetre = 72.0 / 25.4

    public static func document(from bytes: [UInt8], limits: Limits = Limits()) throws(NianbaoError) -> Document {
        var reader = try Package(bytes: bytes, limits: limits)
        let pages = try reader.pages()
        var document = PDFLayout.document(pages: pages)
        document.format = .ofd
        if !PDFTextReader.hasTextLayer(document.text) {
            throw .noTextLayer
        }
        return document
    }

    /// The package: its zip entries and the XML read from it.
    struct Package {
        var bytes: [UInt8]
        var entries: [String: ZipStructure.Entry] = [:]
        var limits: Limits
        var inflated = 0
        var glyphs = 0

        init(bytes: [UInt8], limits: Limits) throws(NianbaoError) {
            self.bytes = bytes
            self.limits = limits
            guard bytes.starts(with: [0x50, 0x4B]) else { throw .corrupt("not a zip archive") }
            let list = try ZipStructure.entries(bytes)
            if list.count > limits.maximumEntries { throw .hostile("the OFD holds more than \(limits.maximumEntries) entries") }
            for e in list where !e.isDirectory { entries[Self.normalise(e.name).lowercased()] = e }
        }

        /// A package path without a leading "/" or "./", with "a/../" folded.
        static func normalise(_ path: String) -> String {
            var parts: [Substring] = []
            for part in path.replacingOccurrences(of: "\\", with: "/").split(separator: "/") {
                if part == "." || part.isEmpty { continue }
                if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
                parts.append(part)
            }
            return parts.joined(separator: "/")
        }

        /// `location` as written in the file at `base` (absolute when it starts with "/").
        static func resolve(_ location: String, from base: String) -> String {
            let trimmed = TextAssembly.trim(location)
            if trimmed.hasPrefix("/") { return normalise(trimmed) }
            let folder = base.split(separator: "/").dropLast().joined(separator: "/")
            return normalise(folder.isEmpty ? trimmed : folder + "/" + trimmed)
        }

        mutating func xml(_ path: String) throws(NianbaoError) -> ParsedXML {
            guard let entry = entries[path.lowercased()] else { throw .corrupt("the OFD package has no \(path)") }
            if entry.uncompressedSize > limits.maximumXMLBytes {
                throw .tooLarge("\(path) declares \(entry.uncompressedSize) bytes (limit \(limits.maximumXMLBytes))")
            }
            let data = try ZipStructure.contents(of: entry, in: bytes, cap: limits.maximumXMLBytes)
            inflated += data.count
            if inflated > limits.maximumTotalBytes { throw .hostile("the OFD's XML inflates to more than \(limits.maximumTotalBytes) bytes") }
            return try ParsedXML(data, name: path)
        }

        mutating func pages() throws(NianbaoError) -> [PDFPage] {
            let root = try xml("OFD.xml")
            guard let docRoot = root.descendants(of: root.root, named: "DocRoot", limit: limits.maximumDepth).first else {
                throw .corrupt("OFD.xml names no DocRoot")
            }
            let documentPath = Self.resolve(LibXML.directText(docRoot), from: "OFD.xml")
            let document = try xml(documentPath)
            var defaultBox = Box(x: 0, y: 0, width: 210, height: 297)
            if let area = document.descendants(of: document.root, named: "PageArea", limit: limits.maximumDepth).first,
               let physical = document.children(of: area, named: "PhysicalBox").first,
               let box = Box(LibXML.directText(physical))
            {
                defaultBox = box
            }
            let pageNodes = document.descendants(of: document.root, named: "Page", limit: limits.maximumDepth)
                .filter { LibXML.attribute($0, "BaseLoc") != nil }
            if pageNodes.isEmpty { throw .corrupt("Document.xml lists no pages") }
            if pageNodes.count > limits.maximumPages { throw .tooLarge("the OFD has more than \(limits.maximumPages) pages") }
            var pages: [PDFPage] = []
            for node in pageNodes {
                let path = Self.resolve(LibXML.attribute(node, "BaseLoc") ?? "", from: documentPath)
                let content = try xml(path)
                var box = defaultBox
                if let area = content.children(of: content.root, named: "Area").first,
                   let physical = content.children(of: area, named: "PhysicalBox").first,
                   let own = Box(LibXML.directText(physical))
                {
                    box = own
                }
                var words: [PDFWord] = []
                for layer in content.descendants(of: content.root, named: "Layer", limit: limits.maximumDepth) {
                    try objects(in: layer, content: content, transform: .identity, depth: 0, into: &words)
                }
                words.sort { ($0.y1, $0.x0) < ($1.y1, $1.x0) }
                let k = OFDReader.pointsPerMillimetre
                pages.append(PDFPage(width: box.width * k, height: box.height * k, words: words))
            }
            return pages
        }

        /// The text objects under `parent` (a layer or a page block), in page coordinates.
        mutating func objects(in parent: XNode, content: ParsedXML, transform: Affine, depth: Int,
                              into words: inout [PDFWord]) throws(NianbaoError) {
            if depth > limits.maximumDepth { throw .hostile("the OFD nests page blocks deeper than \(limits.maximumDepth)") }
            for child in LibXML.children(parent) where LibXML.isElement(child) {
                if LibXML.nameIs(child, "PageBlock") {
                    try objects(in: child, content: content, transform: transform, depth: depth + 1, into: &words)
                } else if LibXML.nameIs(child, "TextObject") {
                    try text(child, transform: transform, into: &words)
                }
            }
        }

        /// A text object's runs as words.
        mutating func text(_ object: XNode, transform: Affine, into words: inout [PDFWord]) throws(NianbaoError) {
            let boundary = Box(LibXML.attribute(object, "Boundary") ?? "") ?? Box(x: 0, y: 0, width: 0, height: 0)
            let ctm = Affine(LibXML.attribute(object, "CTM") ?? "") ?? .identity
            // object space → boundary (CTM) → page (the boundary's origin) → the enclosing blocks
            let toPage = ctm.then(Affine(a: 1, b: 0, c: 0, d: 1, e: boundary.x, f: boundary.y)).then(transform)
            let size = Double(TextAssembly.trim(LibXML.attribute(object, "Size") ?? "")).flatMap { $0 > 0 ? $0 : nil } ?? 3.5
            let scale = toPage.scale
            var penX = 0.0, penY = 0.0
            let k = OFDReader.pointsPerMillimetre
            // a word goes on across the object's runs (producers that write one run per glyph)
            // until a space, a gap, a step back or another baseline
            var current: (x0: Double, x1: Double, baseline: Double, text: String.UnicodeScalarView)?
            func flush() {
                guard let w = current, !w.text.isEmpty else { current = nil; return }
                let top = w.baseline - 0.88 * size * scale, bottom = w.baseline + 0.12 * size * scale
                words.append(PDFWord(x0: w.x0 * k, y0: top * k, x1: w.x1 * k, y1: bottom * k, text: String(w.text)))
                current = nil
            }
            for code in LibXML.children(object) where LibXML.isElement(code) && LibXML.nameIs(code, "TextCode") {
                let string = LibXML.directText(code)
                let scalars = Array(string.unicodeScalars)
                glyphs += scalars.count
                if glyphs > limits.maximumGlyphs { throw .tooLarge("the OFD holds more than \(limits.maximumGlyphs) characters") }
                if let x = LibXML.attribute(code, "X").flatMap({ Double(TextAssembly.trim($0)) }) { penX = x }
                if let y = LibXML.attribute(code, "Y").flatMap({ Double(TextAssembly.trim($0)) }) { penY = y }
                let deltas = Self.deltas(LibXML.attribute(code, "DeltaX") ?? "", limit: scalars.count)
                var x = penX
                for (i, u) in scalars.enumerated() {
                    let wide = u.value >= 0x2E80
                    let advance = i < deltas.count ? deltas[i] : (deltas.last ?? (wide ? size : size * 0.5))
                    let glyphWidth = (wide ? size : size * 0.5) * scale
                    let p = toPage.apply(x, penY)
                    if u.properties.isWhitespace || u == "\u{3000}" {
                        flush()
                    } else {
                        if let w = current,
                           p.x - w.x1 > 0.5 * size * scale || p.x < w.x1 - 0.5 * glyphWidth
                            || abs(p.y - w.baseline) > 0.2 * size * scale
                        {
                            flush()
                        }
                        if current == nil { current = (p.x, p.x + glyphWidth, p.y, String.UnicodeScalarView()) }
                        current!.text.append(u)
                        current!.x1 = max(current!.x1, p.x + glyphWidth)
                    }
                    x += advance
                }
                penX = x
            }
            flush()
        }

        /// The advances of `DeltaX` ("1.2 3.5 g 4 3.5 …"), at most `limit`.
        static func deltas(_ s: String, limit: Int) -> [Double] {
            var out: [Double] = []
            let tokens = s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
            var i = 0
            while i < tokens.count && out.count < limit {
                if tokens[i] == "g", i + 2 < tokens.count, let n = Int(tokens[i + 1]), let v = Double(tokens[i + 2]) {
                    for _ in 0..<max(0, min(n, limit - out.count)) { out.append(v) }
                    i += 3
                } else {
                    if let v = Double(tokens[i]) { out.append(v) }
                    i += 1
                }
            }
            return out
        }
    }

    /// A rectangle "x y w h" in mm.
    struct Box {
        var x, y, width, height: Double
        init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
        init?(_ s: String) {
            let v = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }).compactMap { Double($0) }
            guard v.count == 4, v.allSatisfy(\.isFinite) else { return nil }
            self.init(x: v[0], y: v[1], width: v[2], height: v[3])
        }
    }

    /// An affine map (x, y) → (a x + c y + e, b x + d y + f), as OFD's CTM.
    struct Affine {
        var a, b, c, d, e, f: Double
        static let identity = Affine(a: 1, b: 0, c: 0, d: 1, e: 0, f: 0)
        init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
            self.a = a
            self.b = b
            self.c = c
            self.d = d
            self.e = e
            self.f = f
        }
        init?(_ s: String) {
            let v = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }).compactMap { Double($0) }
            guard v.count == 6, v.allSatisfy(\.isFinite) else { return nil }
            self.init(a: v[0], b: v[1], c: v[2], d: v[3], e: v[4], f: v[5])
        }
        func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) { (a * x + c * y + e, b * x + d * y + f) }
        /// This map, then `next`.
        func then(_ next: Affine) -> Affine {
            Affine(a: next.a * a + next.c * b, b: next.b * a + next.d * b,
                   c: next.a * c + next.c * d, d: next.b * c + next.d * d,
                   e: next.a * e + next.c * f + next.e, f: next.b * e + next.d * f + next.f)
        }
        /// How much it scales lengths (the square root of the determinant's magnitude).
        var scale: Double {
            let s = abs(a * d - b * c).squareRoot()
            return s > 0 && s.isFinite ? s : 1
        }
    }
}
