#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NianbaoReaders
import NianbaoCore

/// The one way a file becomes a checked report, for `check`, `extract` and the daemon alike:
/// read the file once (never following a symlink where asked), tell its format once, hand it to
/// the reader for that format (untrusted binary formats in a child process), then extract, run
/// the rules and build the JSON.
public struct Pipeline: Sendable {
    public var options: CheckOptions
    /// Where .docx and web pages are parsed; nil parses them in this process.
    public var isolation: ReaderIsolation?
    public var pdf: PDFTextReader
    /// LibreOffice, for .doc, .rtf, .odt and .wps (converted to .docx in the reader child).
    public var office: OfficeConverter
    /// OCR, for scans (images, PDFs without a text layer); nil leaves them unread.
    public var ocr: ScanReader?

    public init(options: CheckOptions = CheckOptions(), isolation: ReaderIsolation? = nil,
                pdf: PDFTextReader = PDFTextReader(), office: OfficeConverter = OfficeConverter(),
                ocr: ScanReader? = ScanReader()) {
        self.options = options
        self.isolation = isolation
        self.pdf = pdf
        self.office = office
        self.ocr = ocr
    }

    /// What sits at a path when it is not a regular file.
    public enum EntryKind: String, Sendable {
        case symlink, directory, fifo, socket, device

        init?(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFLNK: self = .symlink
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            case S_IFCHR, S_IFBLK: self = .device
            default: return nil
            }
        }

        public var name: Localized {
            switch self {
            case .symlink: return Localized(zh: "符号链接（快捷方式）", en: "a symbolic link")
            case .directory: return Localized(zh: "文件夹", en: "a folder")
            case .fifo: return Localized(zh: "命名管道", en: "a named pipe")
            case .socket: return Localized(zh: "套接字", en: "a socket")
            case .device: return Localized(zh: "设备文件", en: "a device")
            }
        }
    }

    /// Why a file could not be opened or read at all: `not-a-regular-file` for a link, folder or
    /// device (its kind as the field `kind`), otherwise `file-unreadable` with the system's
    /// reason (missing, no permission…); the errno is the cause.
    public static func unopened(_ path: String, errno code: Int32, kind: EntryKind? = nil) -> NianbaoError {
        if let kind {
            return NianbaoError(
                code: .notARegularFile, operation: "open", path: path, cause: .errno(code),
                message: Localized(zh: "收件目录中的这一项是\(kind.name.zh)，不是报告文件本身；服务没有读取它",
                                   en: "This entry of the inbox is \(kind.name.en), not a report file; it was not read"),
                help: Localized(zh: "请把报告文件本身（.docx、.pdf、.txt 或网页文件）放入收件目录，不要放快捷方式或文件夹。",
                                en: "Drop the report file itself (.docx, .pdf, .txt or web page), not a link or a folder."),
                fields: ["kind": kind.rawValue])
        }
        let reason = String(cString: strerror(code))
        return NianbaoError(
            code: .fileUnreadable, operation: "open", path: path, cause: .errno(code),
            message: Localized(zh: "服务器无法读取此文件（\(reason)）", en: "The server cannot read this file (\(reason))"),
            help: Localized(zh: "请重新提交；如仍失败，请联系管理员。", en: "Submit it again; if that fails, contact the operator."))
    }

    /// What identifies the content of a file at one moment: if any of these differ later, the
    /// file was written to (or replaced) since. (ctime is left out: a rename changes it.)
    public struct FileIdentity: Sendable, Equatable {
        public var size: Int64
        public var mtimeNanoseconds: Int64
        public var inode: UInt64
        public var device: UInt64

        init(_ info: stat) {
            size = Int64(info.st_size)
            mtimeNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            inode = UInt64(info.st_ino)
            device = UInt64(info.st_dev)
        }

        /// The identity of what is at `path` now (a link is not followed); nil if nothing is.
        public static func of(_ path: String) -> FileIdentity? {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            return FileIdentity(info)
        }
    }

    /// The bytes of the file at `path`, read through one descriptor. With `followSymlinks`
    /// false, a symlink is refused (`ELOOP`); anything but a regular file is refused.
    public static func readFile(_ path: String, followSymlinks: Bool = true) -> Result<[UInt8], NianbaoError> {
        readSnapshot(path, followSymlinks: followSymlinks).map(\.bytes)
    }

    /// The bytes of the file at `path` and their SHA-256, hashed as they were read.
    public static func readHashed(_ path: String, followSymlinks: Bool = true)
        -> Result<(bytes: [UInt8], sha256: String), NianbaoError>
    {
        readForCheck(path, maximumBytes: .max, followSymlinks: followSymlinks).map { ($0.bytes ?? [], $0.sha256) }
    }

    /// The bytes of the file at `path` and the identity of the file they were read from (taken
    /// from the same descriptor before the read and checked again after it).
    public static func readSnapshot(_ path: String, followSymlinks: Bool = true)
        -> Result<(bytes: [UInt8], identity: FileIdentity), NianbaoError>
    {
        readForCheck(path, maximumBytes: .max, followSymlinks: followSymlinks).map { ($0.bytes ?? [], $0.identity) }
    }

    /// The checker's input for a file already in memory. `path` lets pdftotext read a PDF from
    /// disk instead of a temporary copy.
    public func input(fileName: String, bytes: [UInt8], path: String? = nil) -> CheckInput {
        let (format, decoded) = FormatDetector.detectDecoding(bytes: bytes, fileName: fileName)
        // plain text (and an empty file) is decoded by the checker, which names what is wrong,
        // unless telling its format decoded it already
        if format == .txt || bytes.isEmpty {
            var input = CheckInput(fileName: fileName, bytes: bytes, format: "txt")
            if let decoded {
                input.encoding = decoded.encoding.reportName
                // tables written as HTML are parsed as web pages are: in the reader child
                if let isolation, decoded.utf8.withUnsafeBufferPointer(EmbeddedHTMLTables.holdsTable) {
                    do {
                        input.content = .document(try isolation.read(bytes: bytes, format: .txt, office: office).document)
                    } catch {
                        var failure = error
                        failure.path = path
                        input.failure = failure
                    }
                    return input
                }
                input.content = .text(decoded)
            }
            return input
        }
        do {
            var out = try DocumentReader.read(bytes: bytes, format: format, pdfPath: path, isolation: isolation, pdf: pdf,
                                             office: office, ocr: ocr)
            if out.ocr != nil { OCRText.snapHeadings(&out.document) }
            var input = CheckInput(fileName: fileName, bytes: bytes, format: out.format.reportName, encoding: out.encoding)
            input.content = .document(out.document)
            input.ocr = out.ocr
            return input
        } catch {
            var failure = error
            failure.path = path
            return CheckInput(fileName: fileName, bytes: bytes, format: format.reportName, failure: failure)
        }
    }

    /// The input for the file at `path`; a file that cannot be opened becomes a
    /// `file-unreadable` failure that the note explains.
    public func input(fileName: String, path: String, followSymlinks: Bool = false) -> CheckInput {
        switch Self.readSnapshot(path, followSymlinks: followSymlinks) {
        case .success(let (bytes, identity)):
            var input = input(fileName: fileName, bytes: bytes, path: path)
            input.identity = identity
            // what was read is what is checked: a file that changed while it was read is
            // reported by the identity not matching its size
            if identity.size != Int64(bytes.count) { input.identity?.size = -1 }
            return input
        case .failure(let failure):
            return input(fileName: fileName, failure: failure)
        }
    }

    /// The input for a file that could not be opened (see `unopened`): the failure, which the
    /// note explains.
    public func input(fileName: String, failure: NianbaoError) -> CheckInput {
        CheckInput(fileName: fileName, bytes: [], format: "unknown", failure: failure)
    }

    /// Reads, extracts and checks.
    public func check(_ input: CheckInput, checkedAt: String) -> CheckResult {
        let result = Checker.check(input, options: options, checkedAt: checkedAt)
        let read = secondReading(of: input, after: result, checkedAt: checkedAt) ?? result
        return readingByOCR(of: input, after: read, checkedAt: checkedAt) ?? read
    }

    /// Findings that a page the text layer leaves out (a scanned page, a table pasted as a
    /// picture) can cause: its table or section is missing, or a table broken off.
    static let missingPageCodes: Set<Code> = readingCodes.union([.sectionMissing])

    /// A report whose text leaves out what is drawn as a picture is read again by OCR, every
    /// page as a scan, when its reading misses a table or a section: a PDF exported with its text
    /// but with pages that hold none (a scanned page put in among the others, a page printed as
    /// an image), and a .docx holding pictures (a table pasted into Word as an image), printed
    /// to PDF by LibreOffice first. The OCR reading is kept when fewer tables, sections or rows are missing from it (its
    /// figures carry OCR's honesty: a doubtful one is `ocr-uncertain`, not an error against the
    /// office).
    func readingByOCR(of input: CheckInput, after result: CheckResult, checkedAt: String) -> CheckResult? {
        guard let ocr, input.ocr == nil, let document = input.document,
              result.diagnostics.contains(where: { $0.severity == .error && Self.missingPageCodes.contains($0.code) })
        else { return nil }
        let pdfBytes: [UInt8]
        if input.format == DocumentFormat.pdf.reportName && !document.pagesWithoutText.isEmpty {
            pdfBytes = input.bytes
        } else if input.format == DocumentFormat.docx.reportName, DocxReader.holdsPictures(input.bytes),
                  office.isAvailable, let printed = try? office.convertToPDF(docx: input.bytes) {
            pdfBytes = printed
        } else {
            return nil
        }
        guard var out = try? DocumentReader.readByOCR(pdf: pdfBytes, path: nil, isolation: isolation, ocr: ocr) else { return nil }
        OCRText.snapHeadings(&out.document)
        var again = input
        again.content = .document(out.document)
        again.ocr = out.ocr
        let other = Checker.check(again, options: options, checkedAt: checkedAt)
        // kept when it finds more of the report: fewer tables, sections or rows missing (what is
        // wrong in the tables it finds is then the report's, read with OCR's honesty)
        func missing(_ r: CheckResult) -> Int {
            r.diagnostics.count { $0.severity == .error && Self.missingPageCodes.contains($0.code) }
        }
        guard missing(other) < missing(result) else { return nil }
        var kept = other
        kept.picturesRead = true
        return kept
    }

    /// Findings that can come from a reader misplacing a table's words as well as from the report.
    static let readingCodes: Set<Code> = [.tableUnreadable, .tableMissing, .rowMissing, .rowCellCount]

    /// A PDF whose tables its word boxes could not place (a web page printed to PDF draws its
    /// table cells otherwise than Word does) is read a second time from its text laid out in
    /// columns (`pdftotext -layout`), and that reading is kept when it finds fewer errors and no
    /// unreadable table. A misreading adds findings, it does not take any away, so the reading
    /// with fewer errors is the closer one; a report whose figures are wrong is wrong in both.
    func secondReading(of input: CheckInput, after result: CheckResult, checkedAt: String) -> CheckResult? {
        guard input.format == DocumentFormat.pdf.reportName, input.ocr == nil, input.document != nil,
              result.diagnostics.contains(where: { $0.severity == .error && Self.readingCodes.contains($0.code) }),
              let document = try? pdf.layoutDocument(from: input.bytes) else { return nil }
        var again = input
        again.content = .document(document)
        let other = Checker.check(again, options: options, checkedAt: checkedAt)
        guard !other.diagnostics.contains(where: { $0.code == .tableUnreadable }), other.errors < result.errors else { return nil }
        return other
    }
}
