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
    public func text(fromFile path: String) throws(ReaderError) -> String { try document(fromFile: path).text }

    /// The PDF's lines (table rows as TAB-joined cells), each knowing its page.
    public func document(fromFile path: String) throws(ReaderError) -> PositionedDocument {
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
        if !Self.hasTextLayer(document.text) { throw .noTextLayer }
        return document
    }

    /// The text of `pdftotext -bbox-layout` output (XHTML with a box for every word).
    static func text(fromBoundingBoxes xhtml: [UInt8]) -> String {
        PDFLayout.text(pages: PDFLayoutParser.pages(xhtml))
    }

    /// Extracts the text of a PDF given as bytes (written to a temporary file first).
    public func text(from bytes: [UInt8]) throws(ReaderError) -> String { try document(from: bytes).text }

    /// The document of a PDF given as bytes (written to a temporary file first).
    public func document(from bytes: [UInt8]) throws(ReaderError) -> PositionedDocument {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(dir)/nianbao-XXXXXX.pdf".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { throw .io("cannot create a temporary file in \(dir)") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
        close(fd)
        guard ok else { throw .io("cannot write the temporary file \(path)") }
        return try document(fromFile: path)
    }

    /// Whether extracted text looks like a text layer: at least 20 CJK characters or 100 letters.
    public static func hasTextLayer(_ text: String) -> Bool {
        var cjk = 0, letters = 0
        for u in text.unicodeScalars {
            let v = u.value
            if (v >= 0x3400 && v <= 0x9FFF) || (v >= 0x20000 && v <= 0x3FFFF) || (v >= 0xF900 && v <= 0xFAFF) {
                cjk += 1
            } else if (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) {
                letters += 1
            }
            if cjk >= 20 || letters >= 100 { return true }
        }
        return false
    }

    struct RunResult {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    private func run(_ exe: String, _ args: [String]) throws(ReaderError) -> RunResult {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw .io("pipe failed (errno \(errno))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw .io("pipe failed (errno \(errno))")
        }
        // Other children spawned concurrently must not inherit these ends.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var env: [String] = ["LC_ALL=C.UTF-8", "LANG=C.UTF-8"]
        if let p = getenv("PATH") { env.append("PATH=" + String(cString: p)) }
        if let h = getenv("HOME") { env.append("HOME=" + String(cString: h)) }

        var pid: pid_t = 0
        let spawnResult = withCStrings(args) { argv in
            withCStrings(env) { envp in
                posix_spawn(&pid, exe, &actions, nil, argv, envp)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawnResult == 0 else { throw .io("cannot run \(exe) (error \(spawnResult))") }

        let deadline = Self.now() + timeout
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var failure: ReaderError?
        while open[0] || open[1] {
            let remaining = deadline - Self.now()
            if remaining <= .zero {
                failure = .timeout
                break
            }
            let ms = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            var fds = [
                pollfd(fd: open[0] ? outPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0),
            ]
            let r = poll(&fds, 2, ms)
            if r < 0 {
                if errno == EINTR { continue }
                failure = .io("poll failed (errno \(errno))")
                break
            }
            if r == 0 { continue }
            for i in 0..<2 where open[i] && fds[i].revents != 0 {
                let fd = i == 0 ? outPipe[0] : errPipe[0]
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    open[i] = false
                } else if n == 0 {
                    open[i] = false
                } else if i == 0 {
                    stdout.append(contentsOf: buffer[0..<n])
                    if stdout.count > maximumOutputBytes {
                        failure = .tooLarge("pdftotext produced more than \(maximumOutputBytes) bytes")
                    }
                } else if stderr.count < 8192 {
                    stderr.append(contentsOf: buffer[0..<min(n, 8192 - stderr.count)])
                }
            }
            if failure != nil { break }
        }
        var status: Int32 = 0
        if let failure {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw failure
        }
        // Both pipes are closed: the child is exiting; still bound the wait.
        while true {
            let w = waitpid(pid, &status, WNOHANG)
            if w == pid { break }
            if w < 0 && errno != EINTR { break }
            if Self.now() >= deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                throw .timeout
            }
            usleep(5_000)
        }
        let exited = status & 0x7F == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return RunResult(status: code, stdout: stdout, stderr: stderr)
    }

    private static func now() -> ContinuousClock.Instant { ContinuousClock.now }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
