import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the text layer of a PDF through poppler's `pdftotext -bbox-layout -enc UTF-8 <file> -`, run
/// as a child process with a time limit and an output cap.
///
/// The words and their boxes are turned into the output convention of `DocxReader` (see
/// `PDFLayout`): prose as lines, the tables of sections 二, 三 and 四 rebuilt from geometry as one
/// line per row with TAB between cells. A PDF whose text holds (almost) no CJK characters or
/// letters has no text layer.
public struct PDFTextReader: Sendable {
    /// The `pdftotext` to run; nil means search `PATH`.
    public var executable: String?
    /// The time limit for one file.
    public var timeout: Duration
    /// The most output bytes accepted.
    public var maximumOutputBytes: Int

    public init(executable: String? = nil, timeout: Duration = .seconds(30), maximumOutputBytes: Int = 32 << 20) {
        self.executable = executable
        self.timeout = timeout
        self.maximumOutputBytes = maximumOutputBytes
    }

    /// The `pdftotext` found on `PATH`, if any.
    public static var executablePath: String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = dir.hasSuffix("/") ? "\(dir)pdftotext" : "\(dir)/pdftotext"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Whether `pdftotext` is installed (found on `PATH`).
    public static var isAvailable: Bool { executablePath != nil }

    /// Extracts the text of the PDF at `path`.
    public func text(fromFile path: String) throws(NianbaoError) -> String { try document(fromFile: path).text }

    /// The PDF's paragraphs and tables, each knowing its page.
    public func document(fromFile path: String) throws(NianbaoError) -> Document {
        guard let exe = executable ?? Self.executablePath else { throw .pdftotextMissing }
        guard access(exe, X_OK) == 0 else { throw .pdftotextMissing }
        guard access(path, R_OK) == 0 else { throw .io("cannot read \(path)") }
        // A path starting with "-" would be taken as an option.
        let arg = path.hasPrefix("-") ? "./" + path : path
        let result = try run(exe, ["pdftotext", "-bbox-layout", "-enc", "UTF-8", arg, "-"])
        if result.status != 0 {
            let message = String(decoding: result.stderr, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw .corrupt("pdftotext exited with status \(result.status)\(message.isEmpty ? "" : ": " + message)")
        }
        let document = PDFLayout.document(pages: PDFLayoutParser.pages(result.stdout))
        if !Self.hasTextLayer(document.text) || Self.isGarbled(bboxLayout: result.stdout) { throw .noTextLayer }
        return document
    }

    /// The PDF's text as `pdftotext -layout` lays it out, each visual line a paragraph on its
    /// page (a page's first line starts with the form feed that ends the page before): a second
    /// reading for a PDF whose tables the word boxes could not place (see `Pipeline.check`).
    public func layoutDocument(from bytes: [UInt8]) throws(NianbaoError) -> Document {
        guard let exe = executable ?? Self.executablePath else { throw .pdftotextMissing }
        let (fd, path) = try Descriptors.temporaryFile(prefix: "nianbao-", suffix: ".pdf").get()
        defer { unlink(path) }
        let ok = writeAll(fd, bytes)
        close(fd)
        guard ok else { throw .io("cannot write the temporary file \(path)") }
        let result = try run(exe, ["pdftotext", "-layout", "-enc", "UTF-8", path, "-"])
        guard result.status == 0 else { throw .corrupt("pdftotext exited with status \(result.status)") }
        var document = Document(format: .pdf)
        var page = 1
        var lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            page += line.utf8.filter { $0 == 0x0C }.count
            document.append(Document.Paragraph(String(line), origin: .page(page, box: nil)))
        }
        return document
    }

    /// The text of `pdftotext -bbox-layout` output (XHTML with a box for every word).
    static func text(fromBoundingBoxes xhtml: [UInt8]) -> String {
        PDFLayout.text(pages: PDFLayoutParser.pages(xhtml))
    }

    /// Extracts the text of a PDF given as bytes (written to a temporary file first).
    public func text(from bytes: [UInt8]) throws(NianbaoError) -> String { try document(from: bytes).text }

    /// The document of a PDF given as bytes (written to a temporary file first).
    public func document(from bytes: [UInt8]) throws(NianbaoError) -> Document {
        let (fd, path) = try Descriptors.temporaryFile(prefix: "nianbao-", suffix: ".pdf").get()
        defer { unlink(path) }
        let ok = writeAll(fd, bytes)
        close(fd)
        guard ok else { throw .io("cannot write the temporary file \(path)") }
        return try document(fromFile: path)
    }

    /// Whether extracted text looks like a text layer: at least 20 CJK characters or 100 letters,
    /// and not garbled. A PDF whose fonts carry no map from glyphs to characters (no
    /// `ToUnicode`, as some printers to PDF write) gives glyph numbers instead of text, most of
    /// them control characters: such a layer is no text (it is read by OCR, as a scan).
    public static func hasTextLayer(_ text: String) -> Bool {
        var cjk = 0, letters = 0, controls = 0, visible = 0
        for u in text.unicodeScalars {
            let v = u.value
            if (v >= 0x3400 && v <= 0x9FFF) || (v >= 0x20000 && v <= 0x3FFFF) || (v >= 0xF900 && v <= 0xFAFF) {
                cjk += 1
            } else if (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) {
                letters += 1
            } else if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C {
                controls += 1
            }
            if v > 0x20 || (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C) { visible += 1 }
        }
        if controls >= 20 && controls * 10 >= visible { return false }
        return cjk >= 20 || letters >= 100
    }

    /// Whether a page's words came out as glyph numbers, not text: a font without a map to
    /// characters gives its glyphs' numbers, the first ones control characters, which no text
    /// holds. A layer with at least 20 words holding one, a tenth of all, is garbled.
    static func isGarbled(bboxLayout bytes: [UInt8]) -> Bool {
        let close = Array("</word>".utf8)
        var words = 0, garbled = 0
        var i = 0
        while let k = ByteSearch.find(close, in: bytes, range: i..<bytes.count) {
            words += 1
            var j = k
            while j > i && bytes[j - 1] != UInt8(ascii: ">") {
                if bytes[j - 1] < 0x20 {
                    garbled += 1
                    break
                }
                j -= 1
            }
            i = k + close.count
        }
        return garbled >= 20 && garbled * 10 >= words
    }

    struct RunResult {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// Runs pdftotext as a child with the time limit and output cap (killed beyond either).
    private func run(_ exe: String, _ args: [String]) throws(NianbaoError) -> RunResult {
        var env: [String] = ["LC_ALL=C.UTF-8", "LANG=C.UTF-8"]
        if let p = getenv("PATH") { env.append("PATH=" + String(cString: p)) }
        if let h = getenv("HOME") { env.append("HOME=" + String(cString: h)) }
        let outcome = try ChildProcess(
            executable: exe, arguments: args, environment: env, standardInput: nil, timeout: timeout,
            maximumOutputBytes: maximumOutputBytes, name: "pdftotext"
        ).run()
        return RunResult(status: outcome.exitStatus ?? (128 + (outcome.signal ?? 0)), stdout: outcome.stdout,
                         stderr: outcome.stderr)
    }
}
