import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where untrusted binary formats are parsed: in a child process with a memory, CPU and time
/// limit, so that a file that makes a parser trap, loop or allocate without bound costs one
/// finding (`reader-crashed`, `timeout`, `too-large`) instead of the process that read it.
///
/// The child is a helper executable (the `nianbao` program itself; for a scan, the OCR helper
/// `nianbao-ocr` beside it, the one program that links Tesseract: see `forScans()`) run as
/// `HELPER read-document --format FORMAT --memory-limit BYTES`, with the document on its standard
/// input. It answers on standard output with one header line and the typed document in the
/// encoding of `DocumentCoding` (paragraphs and table cells with their places, never text to
/// split again), or the reader's error:
///
///     nianbao-read/3 ok\n<document>
///     nianbao-read/3 error CODE\n<the error's other fields, see encodeFailure>
///
/// and exits 0. A child that exits otherwise, or is ended by a signal, crashed on the file.
public struct ReaderIsolation: Sendable, Equatable {
    /// The subcommand the helper serves.
    public static let subcommand = "read-document"
    static let header = "nianbao-read/3"

    /// The program run as the child.
    public var helperExecutable: String
    /// Wall-clock limit for one file (the CPU limit is set to the same number of seconds).
    public var timeout: Duration
    /// The child's address-space limit.
    public var memoryLimitBytes: Int
    /// The most output accepted from the child.
    public var maximumOutputBytes: Int

    public init(helperExecutable: String, timeout: Duration = .seconds(60), memoryLimitBytes: Int = 3 << 30,
                maximumOutputBytes: Int = 64 << 20) {
        self.helperExecutable = helperExecutable
        self.timeout = timeout
        self.memoryLimitBytes = memoryLimitBytes
        self.maximumOutputBytes = maximumOutputBytes
    }

    /// The running program as its own helper (`/proc/self/exe`, which stays valid while the
    /// program file is replaced by an upgrade); nil where that cannot be resolved.
    public static func currentExecutable() -> ReaderIsolation? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return ReaderIsolation(helperExecutable: "/proc/self/exe")
    }

    /// Reads `bytes` (already told to be `format`, a .docx or web page) in the child.
    /// A format read through LibreOffice is converted in the child too, with `office`'s program
    /// and limits.
    public func read(bytes: [UInt8], format: DocumentFormat, office: OfficeConverter = OfficeConverter(),
                     ocr: ScanReader? = nil, progress: @escaping (_ page: Int, _ pages: Int) -> Void = { _, _ in })
        throws(NianbaoError) -> ReaderOutput
    {
        let input = try Self.anonymousFile(holding: bytes)
        defer { close(input) }
        // OCR has its own time limit (the child's deadline), with room to end on it cleanly
        let timeout = ocr.map { max(self.timeout, $0.timeout + .seconds(15)) } ?? self.timeout
        let seconds = max(1, Int(timeout.components.seconds))
        var arguments = ["nianbao", Self.subcommand, "--format", format.rawValue,
                         "--memory-limit", String(memoryLimitBytes), "--cpu-limit", String(seconds)]
        if let ocr { arguments += ["--ocr-timeout", String(max(1, Int(ocr.timeout.components.seconds)))] }
        if DocumentReader.convertedFormats.contains(format) {
            if let soffice = office.executable { arguments += ["--soffice", soffice] }
            arguments += ["--conversion-timeout", String(max(1, Int(office.timeout.components.seconds)))]
        }
        var child = ChildProcess(
            executable: helperExecutable,
            arguments: arguments,
            environment: ChildProcess.readerEnvironment(), standardInput: input, timeout: timeout,
            maximumOutputBytes: maximumOutputBytes, name: "the \(format.rawValue) reader")
        // a scan's progress comes on standard error, a line a page; the answer on standard output
        if ocr != nil {
            child.standardErrorLine = { line in
                guard let (page, pages) = Self.decodeProgress(line) else { return false }
                progress(page, pages)
                return true
            }
        }
        let outcome = try child.run()
        if let signal = outcome.signal {
            if signal == SIGXCPU, let ocr { throw .scanTimeout(seconds: max(1, Int(ocr.timeout.components.seconds))) }
            throw .crashed(signal == SIGXCPU ? "CPU time limit" : "signal \(signal)")
        }
        return try Self.decodeAnswer(outcome.stdout, exitStatus: outcome.exitStatus ?? -1, stderr: outcome.stderr)
    }

    /// These limits, with the OCR helper as the child: a scan is read by the one program that
    /// links Tesseract (`read(bytes:format:office:ocr:progress:)` with `ocr`).
    public func forScans() throws(NianbaoError) -> ReaderIsolation {
        var scans = self
        scans.helperExecutable = try Self.ocrHelper()
        return scans
    }

    /// The OCR helper's path, or `helperMissing`.
    static func ocrHelper() throws(NianbaoError) -> String {
        guard let helper = ScanReader.helperExecutable() else { throw helperMissing }
        return helper
    }

    /// No OCR helper beside this program or on `PATH`.
    static var helperMissing: NianbaoError {
        .ocrMissing("the OCR helper \(ScanReader.helperName) is not installed beside nianbao")
    }

    static func decodeAnswer(_ out: [UInt8], exitStatus: Int32, stderr: [UInt8]) throws(NianbaoError) -> ReaderOutput {
        guard exitStatus == 0, let newline = out.firstIndex(of: 0x0A) else {
            let first = String(decoding: stderr, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
            throw .crashed("exit status \(exitStatus)\(first.map { ": " + $0 } ?? "")")
        }
        let fields = String(decoding: out[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        guard fields.count >= 2, fields[0] == header else { throw .crashed("unexpected answer from the reader") }
        if fields[1] == "ok", fields.count == 2 {
            return ReaderOutput(document: try DocumentCoding.decode(Array(out[(newline + 1)...])))
        }
        // a scan: a line of the figures' confidences, then the document
        if fields[1] == "ok", fields.count == 3, fields[2] == "ocr" {
            let start = newline + 1
            guard let end = out[start...].firstIndex(of: 0x0A) else { throw .crashed("unexpected answer from the reader") }
            var output = ReaderOutput(document: try DocumentCoding.decode(Array(out[(end + 1)...])))
            output.ocr = decodeOCR(Substring(String(decoding: out[start..<end], as: UTF8.self)))
            return output
        }
        if fields[1] == "error", fields.count == 3, let code = Code(rawValue: String(fields[2])),
           let error = decodeFailure(code: code, Array(out[(newline + 1)...])) {
            throw error
        }
        throw .crashed("unexpected answer from the reader")
    }

    /// The fields of a failure after its code, so that the parent rebuilds the very error the
    /// child met: operation, path, cause, message and help, each as its length in bytes, a
    /// space, and its bytes. A path or cause that is absent is the field `-`; a present one
    /// starts with `+` (a path, or a cause in words) or `#` (a cause that is an errno).
    static func encodeFailure(_ error: NianbaoError) -> [UInt8] {
        let cause: String = switch error.cause {
        case .errno(let code)?: "#" + String(code)
        case .error(let text)?: "+" + text
        case nil: "-"
        }
        var out: [UInt8] = []
        for field in [error.operation, error.path.map { "+" + $0 } ?? "-", cause,
                      error.message.zh, error.message.en, error.help.zh, error.help.en] {
            out.append(contentsOf: "\(field.utf8.count) ".utf8)
            out.append(contentsOf: field.utf8)
        }
        return out
    }

    /// The failure with `code` whose other fields `encodeFailure` wrote; nil if they are not whole.
    static func decodeFailure(code: Code, _ bytes: [UInt8]) -> NianbaoError? {
        var fields: [String] = []
        var i = 0
        while i < bytes.count {
            guard let space = bytes[i...].firstIndex(of: 0x20),
                  let count = Int(String(decoding: bytes[i..<space], as: UTF8.self)), count >= 0,
                  count <= bytes.count - space - 1 else { return nil }
            fields.append(String(decoding: bytes[(space + 1)..<(space + 1 + count)], as: UTF8.self))
            i = space + 1 + count
        }
        guard fields.count == 7 else { return nil }
        func present(_ field: String) -> String? { field.hasPrefix("+") ? String(field.dropFirst()) : nil }
        let cause: NianbaoError.Cause? = if let text = present(fields[2]) {
            .error(text)
        } else if fields[2].hasPrefix("#"), let errno = Int32(fields[2].dropFirst()) {
            .errno(errno)
        } else {
            nil
        }
        return NianbaoError(code: code, operation: fields[0], path: present(fields[1]), cause: cause,
                            message: Localized(zh: fields[3], en: fields[4]), help: Localized(zh: fields[5], en: fields[6]))
    }

    /// The line a reader child writes to its standard error as it starts a page of a scan.
    static func encodeProgress(page: Int, of pages: Int) -> String { "\(header) page \(page) \(pages)\n" }

    /// The page and page count of a progress line; nil for any other line.
    static func decodeProgress(_ line: String) -> (Int, Int)? {
        let f = line.split(separator: " ")
        guard f.count == 4, f[0] == header, f[1] == "page", let page = Int(f[2]), let pages = Int(f[3]),
              page >= 1, page <= pages else { return nil }
        return (page, pages)
    }

    /// `pages:N unreadable:P1,P2 LINE:FIELD:PAGE:CONFIDENCE:TEXT …` (figures hold no space or colon).
    static func encodeOCR(_ ocr: OCRConfidence) -> String {
        var parts = ["pages:\(ocr.pageCount)", "unreadable:" + ocr.unreadableTablePages.map(String.init).joined(separator: ",")]
        for line in ocr.cells.keys.sorted() {
            for (field, cell) in ocr.cells[line]!.sorted(by: { $0.key < $1.key }) {
                let text = String(cell.text.unicodeScalars.filter { $0 != " " && $0 != ":" && $0 != "\n" }.map(Character.init))
                parts.append("\(line):\(field):\(cell.page):\(Int(cell.confidence.rounded())):\(text)")
            }
        }
        return parts.joined(separator: " ")
    }

    static func decodeOCR(_ s: Substring) -> OCRConfidence {
        var out = OCRConfidence()
        for item in s.split(separator: " ") {
            let f = item.split(separator: ":", omittingEmptySubsequences: false)
            if f.count == 2, f[0] == "pages" { out.pageCount = Int(f[1]) ?? 0; continue }
            if f.count == 2, f[0] == "unreadable" { out.unreadableTablePages = f[1].split(separator: ",").compactMap { Int($0) }; continue }
            guard f.count == 5, let line = Int(f[0]), let field = Int(f[1]), let page = Int(f[2]), let conf = Int(f[3]) else { continue }
            out.cells[line, default: [:]][field] = OCRConfidence.Cell(page: page, text: String(f[4]), confidence: Double(conf))
        }
        return out
    }

    /// A file with no name holding `bytes`, positioned at its start (the child's stdin).
    static func anonymousFile(holding bytes: [UInt8]) throws(NianbaoError) -> Int32 {
        let (fd, path) = try Descriptors.temporaryFile(prefix: "nianbao-read-").get()
        unlink(path)
        let ok = writeAll(fd, bytes)
        guard ok, lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw .io("cannot write a temporary file (\(path))")
        }
        return fd
    }

    // MARK: The child's side

    /// The child's entry point: the program that is its own helper calls this with the
    /// arguments after `read-document` (`--format FORMAT`, and optionally `--memory-limit
    /// BYTES`, `--cpu-limit SECONDS`, `--soffice PATH`, `--conversion-timeout SECONDS`,
    /// `--ocr-timeout SECONDS`; `--option=value` too) and exits with the status returned.
    /// Arguments it does not understand are said on standard error, with status 2.
    /// `scanEngine`: what reads a scan in this program (the OCR helper's Tesseract); nil in
    /// `nianbao`, which hands scans to the helper.
    public static func main(arguments: [String], scanEngine: (any ScanEngine)? = nil) -> Int32 {
        var values: [String: String] = [:]
        let known: Set<String> = ["format", "memory-limit", "cpu-limit", "soffice", "conversion-timeout", "ocr-timeout"]
        let numeric: Set<String> = ["memory-limit", "cpu-limit", "conversion-timeout", "ocr-timeout"]
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            guard argument.hasPrefix("--") else { return usage("unexpected argument '\(argument)'") }
            var name = String(argument.dropFirst(2))
            let value: String
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            } else {
                guard i + 1 < arguments.count else { return usage("missing value for '--\(name)'") }
                i += 1
                value = arguments[i]
            }
            guard known.contains(name) else { return usage("unknown option '--\(name)'") }
            guard !numeric.contains(name) || Int(value) != nil else {
                return usage("the value '\(value)' of '--\(name)' is not a number")
            }
            values[name] = value
            i += 1
        }
        guard let format = values["format"] else { return usage("missing '--format'") }
        return serve(
            format: DocumentFormat(rawValue: format) ?? .unknown, memoryLimitBytes: values["memory-limit"].flatMap { Int($0) } ?? 0,
            cpuSeconds: values["cpu-limit"].flatMap { Int($0) } ?? 0,
            office: OfficeConverter(executable: values["soffice"],
                                    timeout: .seconds(max(1, values["conversion-timeout"].flatMap { Int($0) } ?? 30))),
            ocr: values["ocr-timeout"].flatMap { Int($0) }.map {
                var reader = ScanReader(timeout: .seconds(max(1, $0)))
                reader.engine = scanEngine
                return reader
            })
    }

    private static func usage(_ message: String) -> Int32 {
        let text = "Error: \(message)\nUsage: \(subcommand) --format <format> [--memory-limit <bytes>] [--cpu-limit <seconds>] "
            + "[--soffice <path>] [--conversion-timeout <seconds>] [--ocr-timeout <seconds>]\n"
        _ = NianbaoReaders.writeAll(2, Array(text.utf8))
        return 2
    }

    /// Serves one `read-document` request: limits itself, reads the document from standard
    /// input, writes the answer to standard output. Returns the exit status.
    public static func serve(format: DocumentFormat, memoryLimitBytes: Int, cpuSeconds: Int,
                             office: OfficeConverter = OfficeConverter(), ocr: ScanReader? = nil) -> Int32 {
        setLimit(RLIMIT_CORE, 0)
        if memoryLimitBytes > 0 { setLimit(RLIMIT_AS, UInt(memoryLimitBytes)) }
        if cpuSeconds > 0 { setLimit(RLIMIT_CPU, UInt(cpuSeconds)) }
        var answer: [UInt8]
        do throws(NianbaoError) {
            let bytes = try DocumentReader.readAll(fd: 0, name: "standard input")
            let out = if let ocr, format == .image || format == .pdf {
                try DocumentReader.scanInMemory(bytes: bytes, format: format, pdfPath: nil, ocr: ocr) { page, pages in
                    _ = NianbaoReaders.writeAll(2, Array(encodeProgress(page: page, of: pages).utf8))
                }
            } else {
                try DocumentReader.readInMemory(bytes: bytes, format: format, office: office)
            }
            if let ocr = out.ocr {
                answer = Array("\(header) ok ocr\n".utf8)
                answer.append(contentsOf: encodeOCR(ocr).utf8)
                answer.append(0x0A)
            } else {
                answer = Array("\(header) ok\n".utf8)
            }
            answer.append(contentsOf: DocumentCoding.encode(out.document))
        } catch {
            answer = Array("\(header) error \(error.code.rawValue)\n".utf8)
            answer.append(contentsOf: encodeFailure(error))
        }
        return NianbaoReaders.writeAll(1, answer) ? 0 : 1
    }

    #if canImport(Glibc)
    typealias Resource = __rlimit_resource
    #else
    typealias Resource = Int32
    #endif

    private static func setLimit(_ resource: Resource, _ value: UInt) {
        var limit = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(value))
        #if canImport(Glibc)
        _ = setrlimit(__rlimit_resource_t(resource.rawValue), &limit)
        #else
        _ = setrlimit(resource, &limit)
        #endif
    }
}
