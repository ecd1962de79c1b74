import Configuration
import Foundation
import NianbaoKit
import SystemPackage
import NianbaoCore
import NianbaoRules
import NianbaoRender

/// Everything the drop-folder daemon needs to run.
///
/// Loaded by ``DaemonConfig/load(configFile:environment:overrides:)`` from, in
/// order of precedence: command-line overrides, `NIANBAO_*` environment
/// variables, the YAML file, built-in defaults.
public struct DaemonConfig: Sendable, Equatable {

    /// Where users drop reports.
    public var inbox: URL
    public var accepted: URL
    public var rejected: URL
    /// Where a report sits while it is being checked; must be on the same filesystem as `inbox`.
    /// Each instance of the service works in its own folder inside it (`instanceWork`).
    public var work: URL
    /// This server's name among the instances sharing one inbox (default: the host name).
    public var instance: String
    /// The folder this instance claims into: `work/<instance>`.
    public var instanceWork: URL { work.appendingPathComponent(instance, isDirectory: true) }
    /// How long an instance may be silent before another takes over what it left in `work/`.
    public var instanceLease: Duration
    /// How often `inbox` is scanned.
    public var pollInterval: Duration
    /// How long size and mtime must stay unchanged before a file is taken.
    public var settleTime: Duration
    /// Extra fnmatch(3) patterns ignored in `inbox`, on top of ``DaemonConfig/builtinIgnorePatterns``.
    public var ignorePatterns: [String]
    /// Larger files are rejected with a note and never read.
    public var maxFileSize: Int64
    /// How many reports are checked at the same time.
    public var workers: Int
    /// How many claimed files may wait for a worker; the rest stay in the inbox until there is
    /// room (a burst of thousands is claimed as the queue drains, oldest first).
    public var queueLength: Int
    public var language: Language
    public var noteEncoding: NoteEncoding
    /// Rule code → severity overrides (`error`, `warning`, `info`, `off`).
    public var ruleSeverities: [String: String]
    /// Whether a note is also written as a web page (`<name>.审核意见.html`).
    public var htmlNotes = true
    /// Whether the data folder's overview page (`index.html`) is kept current.
    public var overview = true
    /// A text file naming the organs expected to report, one per line: the overview lists
    /// those that have not.
    public var organsFile: URL?
    /// Where the service keeps its own state on local disk (never the shared folders): the
    /// index of published results. Default: `$STATE_DIRECTORY` (systemd's `StateDirectory=`),
    /// else `$XDG_STATE_HOME/nianbao`, else `~/.local/state/nianbao`.
    public var stateDirectory: URL = DaemonConfig.defaultStateDirectory()

    /// The default ``stateDirectory`` for an environment.
    public static func defaultStateDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let given = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !given.isEmpty {
            return URL(fileURLWithPath: String(given), isDirectory: true)
        }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("nianbao", isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".local/state/nianbao", isDirectory: true)
    }
    /// Read scans (image-only PDFs, .png/.jpg/.tif) by OCR; off leaves them unread
    /// (`no-text-layer`, `unsupported-format`), as before OCR.
    public var ocr = true
    /// How many scans are read by OCR at the same time (the others wait; text reports do not).
    public var ocrWorkers = 1
    /// The time limit for reading one scan.
    public var ocrTimeout: Duration = .seconds(120)

    /// Names that are never taken from `inbox`: hidden files (this covers rsync's
    /// `.name.XXXXXX` and LibreOffice's `.~lock.*#`), Office owner files, partial downloads.
    public static let builtinIgnorePatterns: [String] = [
        ".*", "~$*", ".~lock.*#", "*.tmp", "*.part", "*.crdownload",
    ]

    public static let defaultPollInterval: Duration = .seconds(2)
    public static let defaultSettleTime: Duration = .seconds(2)
    public static let defaultMaxFileSize: Int64 = 50 * 1024 * 1024

    /// The layout `<dataDir>/{inbox,accepted,rejected,work}` with all other values at their defaults.
    public init(dataDirectory: URL) {
        inbox = dataDirectory.appendingPathComponent("inbox", isDirectory: true)
        accepted = dataDirectory.appendingPathComponent("accepted", isDirectory: true)
        rejected = dataDirectory.appendingPathComponent("rejected", isDirectory: true)
        work = dataDirectory.appendingPathComponent("work", isDirectory: true)
        instance = Self.hostName()
        instanceLease = .seconds(120)
        pollInterval = Self.defaultPollInterval
        settleTime = Self.defaultSettleTime
        ignorePatterns = []
        maxFileSize = Self.defaultMaxFileSize
        workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        queueLength = 256
        language = .zh
        noteEncoding = .windows
        ruleSeverities = [:]
    }

    /// Defaults without any configuration file: `./nianbao-data/…` under the current directory.
    public static var defaults: DaemonConfig {
        DaemonConfig(
            dataDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent("nianbao-data", isDirectory: true)
        )
    }

    /// All patterns in force (built-in first).
    public var allIgnorePatterns: [String] { Self.builtinIgnorePatterns + ignorePatterns }

    /// Whether a name in `inbox` is left alone.
    public func isIgnored(_ name: String) -> Bool {
        IgnoreMatcher(self).matches(name)
    }
}

extension NianbaoError {
    /// A configuration value that could not be used (`config-invalid`): `配置项 KEY：MESSAGE`,
    /// for the operator, with the key as its field `key`.
    public static func config(key: String, message: String) -> NianbaoError {
        .said(.configInvalid, "配置项 \(key)：\(message)", fields: ["key": key])
    }
}

extension DaemonConfig {
    /// The keys understood in the YAML file, as `NIANBAO_<KEY>` environment
    /// variables (upper case) and in `overrides`.
    public static let keys: [String] = [
        "data_dir", "inbox", "accepted", "rejected", "work", "instance", "instance_lease", "poll_interval", "settle_time",
        "ignore", "max_file_size", "workers", "queue_length", "language", "note_encoding", "rules",
        "html_notes", "overview", "organs", "state_dir",
    ]

    /// Loads the configuration.
    ///
    /// - Parameters:
    ///   - configFile: a YAML file (see `Config/nianbao.yaml`). `nil` → `NIANBAO_CONFIG`
    ///     from `environment` if set, otherwise no file (defaults under `./nianbao-data`).
    ///     A named file that does not exist is an error.
    ///   - environment: `NIANBAO_<KEY>` variables override the file (`NIANBAO_POLL_INTERVAL=5`).
    ///     Lists are comma-separated (`NIANBAO_RULES=cell-blank=warning,period-missing=off`).
    ///   - overrides: highest precedence, e.g. from command-line options (`["inbox": "/srv/in"]`).
    ///     Keys are those in ``keys``; list values are comma-separated.
    public static func load(
        configFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        overrides: [String: String] = [:]
    ) async throws -> DaemonConfig {
        var providers: [any ConfigProvider] = []
        for key in overrides.keys where !keys.contains(key) {
            throw NianbaoError.config(key: key, message: "未知的配置项 unknown key")
        }
        providers.append(
            EnvironmentVariablesProvider(environmentVariables: overrides.reduce(into: [:]) {
                $0[$1.key.uppercased()] = $1.value
            }))
        var stripped: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("NIANBAO_") && name != "NIANBAO_CONFIG" {
            stripped[String(name.dropFirst("NIANBAO_".count))] = value
        }
        providers.append(EnvironmentVariablesProvider(environmentVariables: stripped))

        let path = configFile ?? environment["NIANBAO_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        var baseDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        if let path {
            guard FileManager.default.fileExists(atPath: path) else {
                throw NianbaoError.config(key: "config", message: "找不到配置文件 \(path)")
            }
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw NianbaoError.config(key: "config", message: "无法读取配置文件 \(path)：\(error)")
            }
            // Relative paths in the file are relative to the file's directory.
            baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try checkRulesIsAList(path)
        }
        let reader = ConfigReader(providers: providers)
        // Environment/override paths are relative to the current directory; we cannot
        // tell them apart from file values here, so resolve all against one base:
        // the file's directory when a file is used, else the current directory.
        return try parse(reader: reader, baseDirectory: baseDirectory)
    }

    static func parse(reader: ConfigReader, baseDirectory: URL) throws -> DaemonConfig {
        func path(_ string: String) -> URL {
            let expanded = (string as NSString).expandingTildeInPath
            if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded, isDirectory: true) }
            return baseDirectory.appendingPathComponent(expanded, isDirectory: true).standardizedFileURL
        }
        func nonEmpty(_ key: String) -> String? {
            guard let value = reader.string(forKey: ConfigKey(key))?.trimmingCharacters(in: .whitespaces),
                !value.isEmpty
            else { return nil }
            return value
        }
        func list(_ key: String) -> [String]? {
            if let array = reader.stringArray(forKey: ConfigKey(key)) { return array }
            guard let value = nonEmpty(key) else { return nil }
            return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }

        var config = DaemonConfig(dataDirectory: path(nonEmpty("data_dir") ?? "nianbao-data"))
        if let value = nonEmpty("inbox") { config.inbox = path(value) }
        if let value = nonEmpty("accepted") { config.accepted = path(value) }
        if let value = nonEmpty("rejected") { config.rejected = path(value) }
        if let value = nonEmpty("work") { config.work = path(value) }
        if let value = nonEmpty("instance") {
            guard Self.isValidInstance(value) else {
                throw NianbaoError.config(key: "instance", message: "应为字母、数字、-、_ 或 . 组成的名称（不以 . 开头），实为 “\(value)”")
            }
            config.instance = value
        }
        if let value = nonEmpty("instance_lease") {
            config.instanceLease = try parseDuration(value, key: "instance_lease", minimum: 1)
        }
        if let value = nonEmpty("poll_interval") {
            config.pollInterval = try parseDuration(value, key: "poll_interval", minimum: 0.05)
        }
        if let value = nonEmpty("settle_time") {
            config.settleTime = try parseDuration(value, key: "settle_time", minimum: 0)
        }
        if let patterns = list("ignore") { config.ignorePatterns = patterns.filter { !$0.isEmpty } }
        if let value = nonEmpty("max_file_size") {
            config.maxFileSize = try parseSize(value, key: "max_file_size")
        }
        if let value = nonEmpty("workers") {
            guard let workers = Int(value), (1...256).contains(workers) else {
                throw NianbaoError.config(key: "workers", message: "应为 1–256 的整数，实为 “\(value)”")
            }
            config.workers = workers
        }
        if let value = nonEmpty("queue_length") {
            guard let length = Int(value), (1...100_000).contains(length) else {
                throw NianbaoError.config(key: "queue_length", message: "应为 1–100000 的整数，实为 “\(value)”")
            }
            config.queueLength = length
        }
        config.queueLength = max(config.queueLength, config.workers)
        if let value = nonEmpty("language") {
            guard let language = Language(rawValue: value.lowercased()) else {
                throw NianbaoError.config(key: "language", message: "应为 zh 或 en，实为 “\(value)”")
            }
            config.language = language
        }
        if let value = nonEmpty("note_encoding") {
            guard let encoding = NoteEncoding(rawValue: value.lowercased()) else {
                throw NianbaoError.config(
                    key: "note_encoding", message: "应为 utf-8-bom-crlf 或 utf-8，实为 “\(value)”")
            }
            config.noteEncoding = encoding
        }
        func flag(_ key: String) throws -> Bool? {
            guard let value = nonEmpty(key)?.lowercased() else { return nil }
            switch value {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default: throw NianbaoError.config(key: key, message: "应为 true 或 false，实为 “\(value)”")
            }
        }
        if let value = try flag("html_notes") { config.htmlNotes = value }
        if let value = try flag("overview") { config.overview = value }
        if let value = try flag("ocr") { config.ocr = value }
        if let value = nonEmpty("ocr_workers") {
            guard let n = Int(value), (1...64).contains(n) else {
                throw NianbaoError.config(key: "ocr_workers", message: "应为 1–64 的整数，实为 “\(value)”")
            }
            config.ocrWorkers = n
        }
        if let value = nonEmpty("ocr_timeout") {
            config.ocrTimeout = try parseDuration(value, key: "ocr_timeout", minimum: 1)
        }
        if let value = nonEmpty("organs") { config.organsFile = URL(fileURLWithPath: path(value).path) }
        if let value = nonEmpty("state_dir") { config.stateDirectory = path(value) }
        if let entries = list("rules") {
            for entry in entries where !entry.isEmpty {
                let parts = entry.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                // the rules' own severities: one type for rules and configuration
                guard parts.count == 2, !parts[0].isEmpty, Severity(rawValue: parts[1].lowercased()) != nil
                else {
                    throw NianbaoError.config(
                        key: "rules", message: "条目应为 代码=error|warning|off，实为 “\(entry)”")
                }
                config.ruleSeverities[parts[0]] = parts[1].lowercased()
            }
            // codes checked against the catalog when the file is read, not at the first report
            _ = try config.checkSeverities()
        }
        let directories = [config.inbox, config.accepted, config.rejected, config.work].map(\.path)
        guard Set(directories).count == 4 else {
            throw NianbaoError.config(key: "inbox/accepted/rejected/work", message: "四个目录必须互不相同")
        }
        return config
    }

    /// The host name, as an instance name (a name that could not be a folder's becomes "local").
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "local" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return isValidInstance(name) ? name : "local"
    }

    static func isValidInstance(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    /// `2`, `2.5`, `2s`, `500ms`, `1m`.
    /// `rules:` written as a map (`cell-blank: warning`) would be read as nothing at all:
    /// refuse it, so that a severity someone set is never silently ignored.
    static func checkRulesIsAList(_ path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        var inRules = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if !line.hasPrefix(" ") && !line.hasPrefix("\t") && !line.hasPrefix("-") {
                inRules = line.hasPrefix("rules:")
                continue
            }
            let entry = line.trimmingCharacters(in: .whitespaces)
            if inRules && !entry.hasPrefix("-") && entry.contains(":") {
                throw NianbaoError.config(
                    key: "rules",
                    message: "应为列表，每项写成 - \"代码=级别\"（如 - \"cell-blank=warning\"），实为 “\(entry)”")
            }
        }
    }

    static func parseDuration(_ text: String, key: String, minimum: Double) throws -> Duration {
        let lower = text.lowercased()
        var number = Substring(lower)
        var scale = 1.0
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0)] where lower.hasSuffix(suffix) {
            number = lower.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite,
            value * scale >= minimum, value * scale <= 3600
        else {
            throw NianbaoError.config(key: key, message: "应为 \(minimum)–3600 秒（如 2、0.5、500ms），实为 “\(text)”")
        }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    /// `52428800`, `50MiB`, `50M`, `512KiB`, `1GiB`.
    static func parseSize(_ text: String, key: String) throws -> Int64 {
        let lower = text.lowercased().replacingOccurrences(of: " ", with: "")
        let units: [(String, Int64)] = [
            ("gib", 1 << 30), ("mib", 1 << 20), ("kib", 1 << 10), ("gb", 1 << 30), ("mb", 1 << 20),
            ("kb", 1 << 10), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10), ("b", 1),
        ]
        var digits = Substring(lower)
        var factor: Int64 = 1
        for (suffix, value) in units where lower.hasSuffix(suffix) {
            digits = lower.dropLast(suffix.count)
            factor = value
            break
        }
        guard let count = Int64(digits), count > 0, count <= Int64.max / factor else {
            throw NianbaoError.config(key: key, message: "应为正的字节数（如 50MiB），实为 “\(text)”")
        }
        return count * factor
    }
}

extension DaemonConfig {
    /// The rule severities the configuration sets, checked against the rule catalog
    /// (`rules:` entries "code=error|warning|off", the rules' own `Severity`).
    public func checkSeverities() throws -> [String: Severity] {
        var out: [String: Severity] = [:]
        for (code, value) in ruleSeverities {
            guard let rule = RuleCatalog.rule(code) else {
                throw NianbaoError.config(key: "rules", message: "未知的规则代码 “\(code)”（见 nianbao rules） unknown rule code")
            }
            // a file that could not be read has nothing else to show: its finding is always an
            // error, and a setting that would say otherwise is refused rather than ignored
            guard !(rule is IntakeRule) else {
                throw NianbaoError.config(
                    key: "rules",
                    message: "“\(code)” 说明文件本身无法读取，总是错误，不能改变级别 (\(code) is about reading the file itself: always an error, its severity cannot be set)")
            }
            guard let severity = Severity(rawValue: value.lowercased()) else {
                throw NianbaoError.config(key: "rules", message: "规则 \(code) 的级别应为 error、warning 或 off")
            }
            out[code] = severity
        }
        return out
    }

    /// How reports are checked under this configuration: language and rule severities.
    public func checkOptions() throws -> CheckOptions {
        var options = CheckOptions(language: language, severities: try checkSeverities())
        options.htmlNotes = htmlNotes
        return options
    }
}

/// The ignore patterns as C strings, made once for a whole scan rather than once per name.
public struct IgnoreMatcher {
    private let patterns: [[CChar]]
    public init(_ config: DaemonConfig) { patterns = config.allIgnorePatterns.map { Array($0.utf8CString) } }
    public func matches(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { cName in
                for (i, b) in bytes.enumerated() { cName[i] = CChar(bitPattern: b) }
                cName[bytes.count] = 0
                return patterns.contains { fnmatch($0, cName.baseAddress!, 0) == 0 }
            }
        }
    }
}
