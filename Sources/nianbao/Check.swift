import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NianbaoKit
import NianbaoCore
import NianbaoRules
import NianbaoRender
import NianbaoReaders
import NianbaoConfig

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json, html }
extension Language: ExpressibleByArgument {}

/// The rule severities a configuration sets, checked against the rule catalog.
func ruleSeverities(from config: DaemonConfig) throws -> [String: Severity] {
    try config.checkSeverities()
}

func isoNow() -> String { Checker.timestampNow() }

/// Standard output through one buffer, written out in large pieces (one `write` per 256 KiB,
/// not one per document or line).
struct StandardOutput {
    private var buffer: [UInt8] = []
    private let limit = 256 * 1024

    init() { buffer.reserveCapacity(limit + 64 * 1024) }

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= limit { flush() }
    }

    /// A JSON writer's bytes so far, once it holds a full piece (or at once, `now`), leaving it
    /// empty to go on. The writer is a buffer of its own: its bytes are written out from where
    /// they are, not copied into this one first, and until then they stay in it.
    mutating func write(draining w: JSONWriter, now: Bool = false) {
        guard now || w.byteCount >= limit else { return }
        flush()
        w.drain { Self.writeOut(UnsafeRawBufferPointer($0)) }
    }

    mutating func flush() {
        buffer.withUnsafeBytes { Self.writeOut($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeOut(_ raw: UnsafeRawBufferPointer) {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(STDOUT_FILENO, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing more can be said there
            }
            done += n
        }
    }
}

/// For the command line: the input for the file at `path` (symlinks followed, as a user named
/// it), or nil, said on stderr, when the file cannot be read at all: an I/O error, not a verdict.
func loadInput(_ path: String, pipeline: Pipeline, language: Language = .zh) -> CheckInput? {
    let read = readInput(path, pipeline: pipeline, language: language)
    return read.readable ? read.input : nil
}

/// The input for `path`, or (said on stderr) why it cannot be read, as the input the checker
/// makes of that failure: a document saying why, for `--format json`.
func readInput(_ path: String, pipeline: Pipeline, language: Language) -> (input: CheckInput, readable: Bool) {
    if path == "-" {
        // standard input: read once, told by its content like any file
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        return (pipeline.input(fileName: "-", bytes: bytes), true)
    }
    switch Pipeline.readHashed(path) {
    case .success(let (bytes, sha256)):
        var input = pipeline.input(fileName: lastPathComponent(path), bytes: bytes, path: path)
        input.sha256 = sha256
        return (input, true)
    case .failure(let failure):
        FileHandle.standardError.write(Data("nianbao: \(whyUnreadable(path, failure, language))\n".utf8))
        return (pipeline.input(fileName: lastPathComponent(path), failure: failure), false)
    }
}

/// The file's name in `path`, as `NSString.lastPathComponent` gives it: what follows the last
/// `/`. A path whose every `/` stands alone as a character (an ASCII byte on each side: nothing
/// joins those into one), none doubled and none at the end (nearly every path) is cut here at
/// bytes, without bridging it to `NSString`; any other is left to Foundation's rules.
func lastPathComponent(_ path: String) -> String {
    let slash = UInt8(ascii: "/")
    let name: String?? = path.utf8.withContiguousStorageIfAvailable { b -> String? in
        guard !b.isEmpty else { return nil }
        var start = 0
        for i in b.indices where b[i] == slash {
            guard i + 1 < b.count, b[i + 1] != slash, b[i + 1] < 0x80, i == 0 || b[i - 1] < 0x80 else { return nil }
            start = i + 1
        }
        return start == 0 ? path : String(decoding: b[start...], as: UTF8.self)
    }
    if let name, let name { return name }
    return (path as NSString).lastPathComponent
}

/// Why a file named on the command line cannot be read (see `Pipeline.unopened`), in the user's
/// language.
func whyUnreadable(_ path: String, _ failure: NianbaoError, _ language: Language) -> String {
    let kind = failure.fields["kind"].flatMap(Pipeline.EntryKind.init(rawValue:))
    let code: Int32 = if case .errno(let code)? = failure.cause { code } else { 0 }
    let zh: String
    switch (kind, code) {
    case (.directory?, _), (nil, EISDIR): zh = "是目录，不是文件"
    case (let kind?, _): zh = "不是普通文件（\(kind.rawValue)）"
    case (nil, ENOENT): zh = "没有这个文件"
    case (nil, EACCES), (nil, EPERM): zh = "没有读取权限"
    default: zh = String(cString: strerror(code))
    }
    let en = kind == .directory ? "is a directory" : kind.map { "not a regular file (\($0.name.en))" } ?? String(cString: strerror(code))
    return language == .zh ? "无法读取 \(path)：\(zh)" : "cannot read \(path): \(en)"
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check reports and print the findings (exit 0: all accepted, 1: any rejected, 2: usage or I/O error)."
    )

    @Argument(help: "Report files (.txt, .docx, .html, .mht, .pdf, .doc, .rtf, .odt, .wps, .ofd, scans).") var files: [String]
    @Option(help: "Output: text (annotated, like a compiler), json (nianbao.report/2) or html (the note as a web page, one per file).") var format: OutputFormat = .text
    @Option(help: "Language of the messages: zh or en.") var lang: Language = .zh
    @Option(help: "A nianbao.yaml whose rules: entries set severities (\"cell-blank=warning\").") var config: String?

    func run() async throws {
        let severities: [String: Severity]
        do {
            severities = config == nil ? [:] : try ruleSeverities(from: await DaemonConfig.load(configFile: config, environment: [:]))
        } catch {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var options = CheckOptions(language: lang, severities: severities)
        // the web page note shows both languages; JSON and the text note only `lang`
        options.findingsInLanguageOnly = format != .html
        let pipeline = Pipeline(options: options, isolation: ReaderIsolation.currentExecutable())
        // colour on a terminal, unless NO_COLOR is set (https://no-color.org)
        let tty = isatty(STDOUT_FILENO) == 1 && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        let progress = isatty(STDERR_FILENO) == 1 && files.count > 1
        // on a terminal each file's result is shown as soon as it is known
        let interactive = isatty(STDOUT_FILENO) == 1
        var anyRejected = false
        var unreadable = 0
        var out = StandardOutput()
        // JSON: always an array, one document per file named, in order (a file that cannot be
        // read too: its document says why), written as they come
        let json = JSONWriter(capacity: 128 * 1024)
        if format == .json { json.beginArray() }
        for (i, path) in files.enumerated() {
            if progress { FileHandle.standardError.write(Data("\r[\(i + 1)/\(files.count)] \(path)\u{1B}[K".utf8)) }
            let (input, readable) = readInput(path, pipeline: pipeline, language: lang)
            if !readable {
                unreadable += 1
                guard format == .json else { continue }
            }
            let name = input.fileName
            let result = pipeline.check(input, checkedAt: isoNow())
            if result.verdict == .rejected && input.failure?.code != .fileUnreadable && input.failure?.code != .notARegularFile {
                anyRejected = true
            }
            switch format {
            case .json:
                result.json.write(into: json)
                out.write(draining: json, now: interactive)
            case .text:
                out.write(result.note(fileName: name, language: lang, color: tty))
                out.write("\n")
            case .html:
                out.write(result.htmlNoteBytes(fileName: name, language: lang))
            }
            if interactive { out.flush() }
        }
        if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if format == .json {
            json.endArray()
            out.write(draining: json, now: true)
            out.write("\n")
        }
        out.flush()
        // a rejection is the answer the caller most needs: it decides the status even when
        // another file could not be read, which is said on stderr
        if unreadable > 0 && (anyRejected || unreadable < files.count) {
            FileHandle.standardError.write(Data((lang == .zh
                ? "nianbao：\(files.count) 个文件中有 \(unreadable) 个未能读取（见上）\n"
                : "nianbao: \(unreadable) of \(files.count) files could not be read (see above)\n").utf8))
        }
        if anyRejected { throw ExitCode(1) }
        if unreadable > 0 { throw ExitCode(2) }
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule with its code, default severity and description.")
    @Option(help: "Language: zh or en.") var lang: Language = .zh
    func run() {
        for r in RuleCatalog.all {
            let code = r.code.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0)
            let sev = r.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            print("\(code)\(sev)\(r.summary.text(lang))")
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain one rule, with an example.")
    @Argument(help: "Rule code, e.g. table3-row-total.") var code: String
    @Option(help: "Language: zh or en.") var lang: Language = .zh
    func run() throws {
        guard let r = RuleCatalog.rule(code) else {
            FileHandle.standardError.write(Data("nianbao: unknown rule \(code); see `nianbao rules`\n".utf8))
            throw ExitCode(2)
        }
        print("\(r.code.rawValue) (\(r.defaultSeverity.rawValue))")
        print(r.summary.text(lang))
        print("")
        print(lang == .zh ? "示例：" : "Example:")
        print("  " + r.example.text(lang))
        print("")
        print((lang == .zh ? "帮助：" : "Help: ") + r.help.text(lang))
    }
}
