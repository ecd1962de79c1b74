#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NianbaoReaders
import NianbaoCore
import NianbaoModel
import NianbaoRules
import NianbaoRender

/// Everything a caller needs to publish one checked file, decided by the library alone: what is
/// published (the verdict, and the exact bytes of the note and the JSON to write beside the
/// report) and what is recorded of it (the journal's figures, the history's record and the
/// summary's row). The daemon moves files and writes these; it never decides a verdict or
/// writes a note itself.
public struct CheckOutcome: Sendable {
    // MARK: What is published

    public var verdict: Verdict
    /// The note in the configured encoding; nil when there is nothing to say (accepted, no warnings).
    public var note: [UInt8]?
    /// The same note as one self-contained web page (UTF-8), when asked for and there is a note.
    public var htmlNote: [UInt8]?
    /// The `nianbao.report/2` document, compact (no whitespace between tokens): it is written
    /// beside every report, and indentation would make it nearly twice the size on disk.
    /// (`check --format json` prints the same document indented.)
    public var json: [UInt8]
    /// SHA-256 of the bytes checked, lowercase hex.
    public var sha256: String
    /// Set when the file was not read as a report at all (too large, not readable, a format no
    /// reader takes…); it is also the one finding in `recorded.rules`.
    public var failure: NianbaoError?
    /// The file's identity when it was read: a file that no longer has it was written to since,
    /// and this verdict is not about it.
    public var identity: Pipeline.FileIdentity?

    // MARK: What is recorded

    /// What the journal, the history and the summary keep of this check.
    public var recorded: Recorded

    /// What is recorded of a check besides the files published.
    public struct Recorded: Sendable {
        public var errors: Int
        public var warnings: Int
        /// Rule codes that fired, in the order of the findings.
        public var rules: [String]
        public var organ: String?
        public var year: Int?
        /// The edition the tables follow (`2019` or `2021`).
        public var edition: String?
        /// What the history keeps of this check (file name and folder to be set where it is
        /// published): organ, year, hash, verdict, the carry-over row and the findings.
        public var prior: PriorReport?
        /// Every figure of tables 三 and 四 as read (nil where not a number), for summaries:
        /// table 三 by row key, seven values a row; table 四, fifteen values.
        public var table3Figures: [String: [Int?]] = [:]
        public var table4Figures: [Int?] = []
    }

    public var accepted: Bool { verdict == .accepted }

    public init(verdict: Verdict, errors: Int = 0, warnings: Int = 0, rules: [String] = [], note: [UInt8]? = nil,
                json: [UInt8], sha256: String, organ: String? = nil, year: Int? = nil, edition: String? = nil,
                failure: NianbaoError? = nil, identity: Pipeline.FileIdentity? = nil) {
        self.verdict = verdict
        self.note = note
        self.json = json
        self.sha256 = sha256
        self.failure = failure
        self.identity = identity
        recorded = Recorded(errors: errors, warnings: warnings, rules: rules, organ: organ, year: year, edition: edition)
    }

    /// The outcome of a checked report: a note when it is rejected or has warnings, or when it
    /// is a resubmission (which the note opens with: what changed since the earlier one).
    public init(_ result: CheckResult, fileName: String, language: Language, noteEncoding: NoteEncoding,
                failure: NianbaoError? = nil, identity: Pipeline.FileIdentity? = nil, resubmission: Resubmission? = nil,
                html: Bool = false) {
        let wantsNote = result.verdict == .rejected || result.warnings > 0 || resubmission != nil
        let preface = resubmission?.preface(language: language) ?? ""
        // grouped once for the text note and the page
        let groups = wantsNote ? result.noteGroups : nil
        self.init(
            verdict: result.verdict, errors: result.errors, warnings: result.warnings, rules: result.rulesFired,
            note: wantsNote ? noteEncoding.encode(preface + result.note(fileName: fileName, language: language, groups: groups)) : nil,
            json: result.json.bytes(pretty: false), sha256: result.sha256, organ: result.report?.organ,
            year: result.report?.year, edition: (result.report?.tableEdition ?? result.report?.edition)?.rawValue,
            failure: failure, identity: identity)
        if html && wantsNote {
            htmlNote = result.htmlNoteBytes(fileName: fileName, language: language, preface: preface, groups: groups)
        }
        func figures(_ cells: [Cell]) -> [Int?] { cells.map { $0.state == .number ? $0.value.map { Int($0) } : nil } }
        for row in result.report?.table3?.rows ?? [] { recorded.table3Figures[row.key] = figures(row.row.cells) }
        recorded.table4Figures = result.report?.table4.map { figures($0.row.cells) } ?? []
        recorded.prior = PriorReport(
            file: fileName, folder: "", organ: result.report?.organ, year: result.report?.year, sha256: result.sha256,
            verdict: result.verdict, checkedAt: result.json.checkedAt, carryNext: recorded.table3Figures["carry_next"] ?? [],
            findings: result.diagnostics.map { PriorFinding($0, language: language) })
    }
}

extension Pipeline {
    /// file → reader → extraction → rules → outcome, for a file on disk that nobody else should
    /// make this process follow: a symlink is refused, never followed; a file over
    /// `maximumBytes` is hashed but not read (`file-too-large`); the file is hashed while it is
    /// read, once.
    public func outcome(ofFileAt path: String, fileName: String, maximumBytes: Int64, noteEncoding: NoteEncoding,
                        checkedAt: String) -> CheckOutcome {
        let language = options.language
        switch Self.readForCheck(path, maximumBytes: maximumBytes) {
        case .success(let read) where read.bytes == nil:
            let failure = Self.tooLarge(size: read.identity.size, limit: maximumBytes)
            return refusal(fileName: fileName, sha256: read.sha256, byteCount: Int(read.identity.size),
                           failure: failure, noteEncoding: noteEncoding, checkedAt: checkedAt, identity: read.identity)
        case .success(let read):
            let bytes = read.bytes ?? []
            var input = input(fileName: fileName, bytes: bytes, path: path)
            input.sha256 = read.sha256
            var identity = read.identity
            // what was read is what is checked: a file that changed while it was read is
            // reported by the identity not matching its size
            if identity.size != Int64(bytes.count) { identity.size = -1 }
            let result = check(input, checkedAt: checkedAt)
            let resubmission = input.failure == nil
                ? options.history.flatMap { Resubmission.of(result, history: $0, language: language) } : nil
            return CheckOutcome(result, fileName: fileName, language: language, noteEncoding: noteEncoding,
                                failure: input.failure, identity: identity, resubmission: resubmission, html: options.htmlNotes)
        case .failure(let failure):
            let input = input(fileName: fileName, failure: failure)
            let result = check(input, checkedAt: checkedAt)
            return CheckOutcome(result, fileName: fileName, language: language, noteEncoding: noteEncoding,
                                failure: input.failure, html: options.htmlNotes)
        }
    }

    /// A file that is not checked at all (its last check never ended, say): rejected with one
    /// catalogued finding that says why, hashed without being read into memory.
    public func refusal(ofFileAt path: String, fileName: String, failure: NianbaoError, noteEncoding: NoteEncoding,
                        checkedAt: String) -> CheckOutcome {
        let read = try? Self.readForCheck(path, maximumBytes: -1).get()
        return refusal(fileName: fileName, sha256: read?.sha256 ?? "", byteCount: Int(read?.identity.size ?? 0),
                       failure: failure, noteEncoding: noteEncoding, checkedAt: checkedAt, identity: read?.identity)
    }

    func refusal(fileName: String, sha256: String, byteCount: Int, failure: NianbaoError, noteEncoding: NoteEncoding,
                 checkedAt: String, identity: FileIdentity?) -> CheckOutcome {
        let result = Checker.refusal(fileName: fileName, sha256: sha256, byteCount: byteCount, format: "unknown",
                                     failure: failure, options: options, checkedAt: checkedAt)
        return CheckOutcome(result, fileName: fileName, language: options.language, noteEncoding: noteEncoding,
                            failure: failure, identity: identity, html: options.htmlNotes)
    }

    /// `file-too-large`: what the note says of a file over the limit.
    public static func tooLarge(size: Int64, limit: Int64) -> NianbaoError {
        func mib(_ bytes: Int64) -> String {
            let tenths = (bytes * 10 + 524_288) / 1_048_576
            return "\(tenths / 10).\(tenths % 10) MiB"
        }
        return NianbaoError(
            code: .fileTooLarge,
            message: Localized(zh: "文件大小 \(mib(size)) 超过上限 \(mib(limit))，未审核",
                               en: "The file is \(mib(size)), over the limit of \(mib(limit)); it was not checked"),
            help: Localized(zh: "年度报告的文字不会这么大：请确认提交的是报告本身；图片较多时请压缩图片后另存为 .docx 或 .pdf。",
                            en: "A report's text is never this large: check that the file is the report itself, or compress its pictures."))
    }

    /// What was read of a file: its bytes (nil when it is over the limit and was only hashed),
    /// their SHA-256, and the identity of the file they came from.
    struct ReadForCheck {
        var bytes: [UInt8]?
        var sha256: String
        var identity: FileIdentity
    }

    /// Reads the file at `path` through one descriptor (a symlink refused unless
    /// `followSymlinks`, anything but a regular file refused), hashing while it reads: the one
    /// way this library reads a file. Over `maximumBytes` (when that is ≥ 0) the file is
    /// hashed without its bytes being kept; a negative limit only hashes.
    static func readForCheck(_ path: String, maximumBytes: Int64, followSymlinks: Bool = false)
        -> Result<ReadForCheck, NianbaoError>
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            let code = errno
            var info = stat()
            if code == ELOOP, !followSymlinks, lstat(path, &info) == 0, let kind = EntryKind(mode: info.st_mode) {
                return .failure(Self.unopened(path, errno: code, kind: kind))
            }
            return .failure(Self.unopened(path, errno: code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Self.unopened(path, errno: errno)) }
        if let kind = EntryKind(mode: info.st_mode) {
            return .failure(Self.unopened(path, errno: kind == .directory ? EISDIR : EINVAL, kind: kind))
        }
        let keep = maximumBytes >= 0 && Int64(info.st_size) <= maximumBytes
        var out: [UInt8] = []
        if keep { out.reserveCapacity(Int(max(0, info.st_size))) }
        var hasher = FileHash.Streaming()
        var total: Int64 = 0
        var kept = keep
        // through a buffer that is not cleared first (a report is read in one or two reads)
        let failed: Int32? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 << 10) { buffer in
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return nil }
                let chunk = UnsafeBufferPointer(rebasing: buffer[0..<n])
                hasher.update(UnsafeRawBufferPointer(chunk))
                total += Int64(n)
                // a file that grows past the limit while it is read is not kept either
                if kept && maximumBytes >= 0 && total > maximumBytes {
                    kept = false
                    out = []
                }
                if kept { out.append(contentsOf: chunk) }
            }
        }
        if let failed { return .failure(Self.unopened(path, errno: failed)) }
        // a writer still at work: the identity after the read, which a later check compares
        var after = stat()
        let identity = fstat(fd, &after) == 0 ? FileIdentity(after) : FileIdentity(info)
        return .success(ReadForCheck(bytes: kept ? out : nil, sha256: hasher.finish(), identity: identity))
    }
}

extension NianbaoError {
    /// `check-crashed`: the last check of this file never ended (the process died in it).
    public static let checkCrashed = NianbaoError(
        code: .checkCrashed,
        message: Localized(zh: "审核此文件时服务意外中止，未能完成审核；为保护其他报告，此文件不再自动审核",
                           en: "The service stopped while checking this file; to protect the other reports it is not checked again"),
        help: Localized(zh: "请用 Word 或 WPS 打开原文件，另存为新的 .docx（或导出为 .pdf）后重新提交；如仍出现此提示，请把文件交给管理员。",
                        en: "Open the original in Word or WPS, save it as a new .docx (or export .pdf) and submit again; if this recurs, give the file to the operator."))
}

extension FileHash {
    /// SHA-256 of the file at `path` (a symlink is not followed), read in pieces; nil if it
    /// cannot be read.
    public static func sha256(ofFileAt path: String) -> String? {
        try? Pipeline.readForCheck(path, maximumBytes: -1).get().sha256
    }
}
