#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NianbaoText

/// What a reader made of a document.
public struct ReaderOutput: Sendable, Equatable {
    /// The text, in the reader output convention (paragraphs as lines, table rows as TAB-joined
    /// cells).
    public var text: String
    /// The format told from the content.
    public var format: DocumentFormat
    /// The character encoding, for text and HTML ("utf-8", "gb18030", "utf-16le"…); nil otherwise.
    public var encoding: String?

    public init(text: String, format: DocumentFormat, encoding: String?) {
        self.text = text
        self.format = format
        self.encoding = encoding
    }
}

/// Detects a document's format and reads its text with the matching reader.
public enum DocumentReader {
    /// The largest file read.
    public static let maximumFileBytes = 256 << 20

    /// Reads a document given as bytes. PDFs are written to a temporary file for `pdftotext`.
    public static func read(
        bytes: [UInt8], fileName: String, pdf: PDFTextReader = PDFTextReader()
    ) throws(ReaderError) -> ReaderOutput {
        let format = FormatDetector.detect(bytes: bytes, fileName: fileName)
        switch format {
        case .pdf:
            return ReaderOutput(text: try pdf.text(from: bytes), format: .pdf, encoding: nil)
        default:
            return try readInMemory(bytes: bytes, format: format)
        }
    }

    /// Reads the document at `path`; a PDF is handed to `pdftotext` directly.
    public static func read(fileAt path: String, pdf: PDFTextReader = PDFTextReader()) throws(ReaderError)
        -> ReaderOutput
    {
        let bytes = try readFile(path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let format = FormatDetector.detect(bytes: bytes, fileName: name)
        if format == .pdf {
            return ReaderOutput(text: try pdf.text(fromFile: path), format: .pdf, encoding: nil)
        }
        return try readInMemory(bytes: bytes, format: format)
    }

    /// Reads a document whose format was already told (by `FormatDetector`), once: plain text is
    /// decoded here; .docx and web pages are parsed in a child process when `isolation` is given
    /// (in this process otherwise); a PDF goes to `pdftotext` (a child process of its own), from
    /// `pdfPath` when the file is on disk.
    public static func read(
        bytes: [UInt8], format: DocumentFormat, pdfPath: String?, isolation: ReaderIsolation?,
        pdf: PDFTextReader = PDFTextReader()
    ) throws(ReaderError) -> ReaderOutput {
        switch format {
        case .pdf:
            let text: String
            if let pdfPath { text = try pdf.text(fromFile: pdfPath) } else { text = try pdf.text(from: bytes) }
            return ReaderOutput(text: text, format: .pdf, encoding: nil)
        case .docx, .html:
            if let isolation { return try isolation.read(bytes: bytes, format: format) }
            return try readInMemory(bytes: bytes, format: format)
        default:
            return try readInMemory(bytes: bytes, format: format)
        }
    }

    static func readInMemory(bytes: [UInt8], format: DocumentFormat) throws(ReaderError) -> ReaderOutput {
        switch format {
        case .txt:
            do {
                let (text, encoding) = try TextDecoder.decode(bytes)
                return ReaderOutput(text: text, format: .txt, encoding: encoding.reportName)
            } catch {
                switch error.kind {
                case .empty: throw .corrupt("the file is empty")
                case .binary: throw .unsupported(.unknown)
                case .undecodable: throw .corrupt(error.description)
                }
            }
        case .docx:
            return ReaderOutput(text: try DocxReader.text(from: bytes), format: .docx, encoding: nil)
        case .html:
            let (text, encoding) = try HTMLReader.text(from: bytes)
            return ReaderOutput(text: text, format: .html, encoding: encoding)
        case .pdf:
            return ReaderOutput(text: try PDFTextReader().text(from: bytes), format: .pdf, encoding: nil)
        default:
            if bytes.isEmpty { throw .corrupt("the file is empty") }
            throw .unsupported(format)
        }
    }

    static func readFile(_ path: String) throws(ReaderError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("cannot open \(path) (errno \(errno))") }
        defer { close(fd) }
        return try readAll(fd: fd, name: path)
    }

    /// Everything readable from `fd`, up to `maximumFileBytes`.
    static func readAll(fd: Int32, name: String) throws(ReaderError) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(name) (errno \(errno))")
            }
            if n == 0 { break }
            if out.count + n > maximumFileBytes {
                throw .tooLarge("the file is larger than \(maximumFileBytes) bytes")
            }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
