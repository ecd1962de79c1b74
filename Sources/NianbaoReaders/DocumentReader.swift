#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NianbaoText
import NianbaoCore

/// What a reader made of a document.
public struct ReaderOutput: Sendable, Equatable {
    /// The paragraphs and tables, each knowing where it came from.
    public var document: Document
    /// For a scan read by OCR: how sure it was of each figure, and the pages whose table
    /// could not be cut (lines and fields of `document.textView`); nil for a document read
    /// from its text.
    public var ocr: OCRConfidence?

    /// The document's text view (see `Document.textView`).
    public var text: String { document.text }
    /// The format told from the content.
    public var format: DocumentFormat { document.format }
    /// The character encoding, for text and HTML ("utf-8", "gb18030", "utf-16le"…); nil otherwise.
    public var encoding: String? { document.encoding }

    public init(document: Document) { self.document = document }

    /// The output of reading `text` as plain text (its tables found from their separators).
    public init(text: String, format: DocumentFormat, encoding: String?) {
        var document = TextTables.document(text, encoding: encoding)
        document.format = format
        self.document = document
    }
}

/// What a reader is given: the file's bytes, and its path when it is on disk (for readers that
/// hand the file to another program).
public struct ReaderSource: Sendable {
    public var bytes: [UInt8]
    public var path: String?
    public init(bytes: [UInt8], path: String? = nil) {
        self.bytes = bytes
        self.path = path
    }
}

/// A reader of one document format. Adding a format is one type conforming to this protocol,
/// plus its line in `DocumentReader.readers`.
public protocol FormatReader: Sendable {
    /// The format it reads (as told by `FormatDetector`).
    var format: DocumentFormat { get }
    /// Whether it parses untrusted binary structure in this process (then, given a
    /// `ReaderIsolation`, it runs in a child process instead).
    var parsesInProcess: Bool { get }
    func read(_ source: ReaderSource) throws(NianbaoError) -> Document
}

/// Plain text: decoded (UTF-8, UTF-16 with a BOM, GB18030); lines as paragraphs, and tables
/// from their separators (bars, TABs; see `TextTables`).
public struct PlainTextFormatReader: FormatReader {
    public init() {}
    public var format: DocumentFormat { .txt }
    public var parsesInProcess: Bool { false }
    public func read(_ source: ReaderSource) throws(NianbaoError) -> Document {
        switch TextDecoder.attempt(source.bytes) {
        case .text(let text, let encoding):
            return EmbeddedHTMLTables.document(text, encoding: encoding.reportName)
                ?? TextTables.document(text, encoding: encoding.reportName)
        case .refused(let refusal):
            switch refusal.kind {
            case .empty: throw .corrupt("the file is empty")
            case .binary: throw .unsupported(.unknown)
            case .undecodable: throw .corrupt(refusal.description)
            }
        }
    }
}

/// Word 2007+ (.docx), see `DocxReader`.
public struct DocxFormatReader: FormatReader {
    public init() {}
    public var format: DocumentFormat { .docx }
    public var parsesInProcess: Bool { true }
    public func read(_ source: ReaderSource) throws(NianbaoError) -> Document {
        try DocxReader.document(from: source.bytes)
    }
}

/// Web pages, see `HTMLReader`.
public struct HTMLFormatReader: FormatReader {
    public init() {}
    public var format: DocumentFormat { .html }
    public var parsesInProcess: Bool { true }
    public func read(_ source: ReaderSource) throws(NianbaoError) -> Document {
        try HTMLReader.document(from: source.bytes)
    }
}

/// PDF through poppler's `pdftotext` (a child process of its own); each line knows its page.
public struct PDFFormatReader: FormatReader {
    public var pdf: PDFTextReader
    public init(pdf: PDFTextReader = PDFTextReader()) { self.pdf = pdf }
    public var format: DocumentFormat { .pdf }
    public var parsesInProcess: Bool { false }
    public func read(_ source: ReaderSource) throws(NianbaoError) -> Document {
        if let path = source.path { return try pdf.document(fromFile: path) }
        return try pdf.document(from: source.bytes)
    }
}

/// Word 97-2003 (.doc), RTF, OpenDocument text (.odt) and Kingsoft WPS (.wps): converted to .docx
/// by LibreOffice (see `OfficeConverter`), then read by `DocxReader`, so that their cells and
/// places are exactly those of the same document saved as .docx.
public struct ConvertedFormatReader: FormatReader {
    public var format: DocumentFormat
    public var converter: OfficeConverter
    public init(format: DocumentFormat, converter: OfficeConverter = OfficeConverter()) {
        self.format = format
        self.converter = converter
    }
    public var parsesInProcess: Bool { true }
    public func read(_ source: ReaderSource) throws(NianbaoError) -> Document {
        try Self.document(fromConverted: try converter.convertToDocx(source.bytes, from: format), format: format)
    }

    /// What LibreOffice wrote, read by the Word reader (its grid tidied, see `ConvertedGrid`),
    /// as a document of `format`. (The fuzzer calls it directly, LibreOffice being upstream's.)
    public static func document(fromConverted docx: [UInt8], format: DocumentFormat) throws(NianbaoError) -> Document {
        var document: Document
        do {
            let limits = DocxReader.Limits()
            let xml = try ConvertedGrid.foldingSlivers(try DocxReader.documentXML(from: docx, limits: limits))
            document = try DocxReader.document(fromDocumentXML: xml, limits: limits)
        } catch {
            if error.code == .corruptFile {
                throw .conversionFailed(format, "LibreOffice wrote a document the Word reader cannot read (\(error.detail))")
            }
            throw error
        }
        document.format = format
        return document
    }
}

/// OFD (GB/T 33190-2016), see `OFDReader`.
public struct OFDFormatReader: FormatReader {
    public init() {}
    public var format: DocumentFormat { .ofd }
    public var parsesInProcess: Bool { true }
    public func read(_ source: ReaderSource) throws(NianbaoError) -> Document {
        try OFDReader.document(from: source.bytes)
    }
}

/// Reads documents with the reader for their format.
public enum DocumentReader {
    /// The largest file read.
    public static let maximumFileBytes = 256 << 20

    /// The readers, one per readable format.
    public static let readers: [any FormatReader] = [
        PlainTextFormatReader(), DocxFormatReader(), HTMLFormatReader(), PDFFormatReader(), OFDFormatReader(),
        ConvertedFormatReader(format: .doc), ConvertedFormatReader(format: .rtf), ConvertedFormatReader(format: .odt),
        ConvertedFormatReader(format: .wps),
    ]

    /// The formats read by converting them to .docx with LibreOffice.
    public static let convertedFormats: Set<DocumentFormat> = [.doc, .rtf, .odt, .wps]

    public static func reader(for format: DocumentFormat, pdf: PDFTextReader = PDFTextReader(),
                              office: OfficeConverter = OfficeConverter()) -> (any FormatReader)? {
        if format == .pdf { return PDFFormatReader(pdf: pdf) }
        if convertedFormats.contains(format) { return ConvertedFormatReader(format: format, converter: office) }
        return readers.first { $0.format == format }
    }

    /// Reads a document given as bytes, telling its format from its content.
    public static func read(
        bytes: [UInt8], fileName: String, pdf: PDFTextReader = PDFTextReader(), office: OfficeConverter = OfficeConverter(),
        ocr: ScanReader? = ScanReader()
    ) throws(NianbaoError) -> ReaderOutput {
        let format = FormatDetector.detect(bytes: bytes, fileName: fileName)
        return try read(bytes: bytes, format: format, pdfPath: nil, isolation: nil, pdf: pdf, office: office, ocr: ocr)
    }

    /// Reads the document at `path`; a PDF is handed to `pdftotext` directly.
    public static func read(fileAt path: String, pdf: PDFTextReader = PDFTextReader(), ocr: ScanReader? = ScanReader())
        throws(NianbaoError) -> ReaderOutput
    {
        let bytes = try readFile(path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let format = FormatDetector.detect(bytes: bytes, fileName: name)
        return try read(bytes: bytes, format: format, pdfPath: path, isolation: nil, pdf: pdf, ocr: ocr)
    }

    /// Reads a document whose format was already told (by `FormatDetector`), once, with the
    /// reader for its format. A reader that parses untrusted structure in-process runs in a
    /// child process when `isolation` is given. A scan (an image, a PDF without a text layer) is
    /// read by `ocr` (in the child too); nil leaves it unread (`no-text-layer`, `unsupported-format`).
    public static func read(
        bytes: [UInt8], format: DocumentFormat, pdfPath: String?, isolation: ReaderIsolation?,
        pdf: PDFTextReader = PDFTextReader(), office: OfficeConverter = OfficeConverter(), ocr: ScanReader? = nil
    ) throws(NianbaoError) -> ReaderOutput {
        if format == .image, let ocr, !bytes.isEmpty {
            return try readScan(bytes: bytes, format: format, pdfPath: pdfPath, isolation: isolation, ocr: ocr)
        }
        if format == .pdf, let ocr {
            do {
                return try read(bytes: bytes, format: format, pdfPath: pdfPath, isolation: isolation, pdf: pdf, office: office,
                                ocr: nil)
            } catch let error where error.code == .noTextLayer {
                return try readScan(bytes: bytes, format: format, pdfPath: pdfPath, isolation: isolation, ocr: ocr)
            }
        }
        guard let reader = reader(for: format, pdf: pdf, office: office) else {
            if bytes.isEmpty { throw .corrupt("the file is empty") }
            throw .unsupported(format)
        }
        // no child is started for a conversion that cannot run
        if convertedFormats.contains(format), !office.isAvailable { throw .converterMissing(format) }
        if reader.parsesInProcess, let isolation {
            return try isolation.read(bytes: bytes, format: format, office: office)
        }
        return ReaderOutput(document: try reader.read(ReaderSource(bytes: bytes, path: pdfPath)))
    }

    /// A PDF read by OCR, page by page as a scan, whether or not it has a text layer (for a PDF
    /// whose text pages leave out pages that are pictures: see `Pipeline.check`).
    public static func readByOCR(pdf bytes: [UInt8], path: String?, isolation: ReaderIsolation?, ocr: ScanReader)
        throws(NianbaoError) -> ReaderOutput
    {
        try readScan(bytes: bytes, format: .pdf, pdfPath: path, isolation: isolation, ocr: ocr)
    }

    /// A scan read by OCR, in the child when `isolation` is given.
    static func readScan(bytes: [UInt8], format: DocumentFormat, pdfPath: String?, isolation: ReaderIsolation?,
                         ocr: ScanReader) throws(NianbaoError) -> ReaderOutput {
        guard ScanReader.hasData else {
            throw .ocrMissing("the Tesseract data for chi_sim or eng is not installed")
        }
        let progress = ocr.observer?.page ?? { _, _ in }
        func read() throws(NianbaoError) -> ReaderOutput {
            do {
                if let isolation { return try isolation.forScans().read(bytes: bytes, format: format, ocr: ocr, progress: progress) }
                return try scanInMemory(bytes: bytes, format: format, pdfPath: pdfPath, ocr: ocr, progress: progress)
            } catch let error where error.code == .timeout && !error.isScanTimeout {
                // the reader child ended at its deadline: the scan's own limit, said as such
                throw .scanTimeout(seconds: max(1, Int(ocr.timeout.components.seconds)))
            }
        }
        // from here the scan waits in the lane of scans, not in its caller's
        ocr.observer?.waiting()
        defer { ocr.observer?.ended() }
        if let gate = ocr.gate { return try gate.run(read) }
        return try read()
    }

    /// A scan read by OCR in this process: by its engine in the OCR helper, anywhere else by
    /// the helper run as a reader child.
    static func scanInMemory(bytes: [UInt8], format: DocumentFormat, pdfPath: String?, ocr: ScanReader,
                             progress: @escaping (Int, Int) -> Void = { _, _ in }) throws(NianbaoError) -> ReaderOutput {
        guard let engine = ocr.engine else {
            return try ReaderIsolation(helperExecutable: ReaderIsolation.ocrHelper())
                .read(bytes: bytes, format: format, ocr: ocr, progress: progress)
        }
        let scanned: ScannedDocument
        if format == .pdf {
            if let pdfPath {
                scanned = try engine.scanned(pdfAt: pdfPath, by: ocr, progress: progress)
            } else {
                let (fd, path) = try Descriptors.temporaryFile(prefix: "nianbao-scan-", suffix: ".pdf").get()
                defer { unlink(path) }
                let ok = writeAll(fd, bytes)
                close(fd)
                guard ok else { throw .io("cannot write the temporary file \(path)") }
                scanned = try engine.scanned(pdfAt: path, by: ocr, progress: progress)
            }
        } else {
            scanned = try engine.scanned(image: bytes, by: ocr, progress: progress)
        }
        let (document, confidence) = scanned.document(format: format)
        var out = ReaderOutput(document: document)
        out.ocr = confidence
        return out
    }

    /// Reads in this process (the reader child's side of isolation, and tests).
    static func readInMemory(bytes: [UInt8], format: DocumentFormat, office: OfficeConverter = OfficeConverter())
        throws(NianbaoError) -> ReaderOutput
    {
        try read(bytes: bytes, format: format, pdfPath: nil, isolation: nil, office: office)
    }

    static func readFile(_ path: String) throws(NianbaoError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("cannot open \(path) (errno \(errno))") }
        defer { close(fd) }
        return try readAll(fd: fd, name: path)
    }

    /// Everything readable from `fd`, up to `maximumFileBytes`.
    static func readAll(fd: Int32, name: String) throws(NianbaoError) -> [UInt8] {
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
