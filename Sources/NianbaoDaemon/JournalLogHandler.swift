import CSystemd
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Fixed journal MESSAGE_IDs, one per event kind; `systemd/nianbao.catalog`
/// explains each (`journalctl -x`). Never change a published id.
public enum NianbaoMessageID {
    public static let started = "0078544955594169a424852e7612f8e8"
    public static let reportAccepted = "dc11c4143bfa4663b5eedb6818b5b182"
    public static let reportRejected = "4bf92b03f82c4301903c6205c31b2570"
    public static let reportFailed = "b1901c0a20794cb1934c656d7bf60bcc"
    public static let reloaded = "5de05129ee91432e9261d14102b96b53"
    public static let configError = "481414462cd146d5ac953eb48c998688"
    public static let stopping = "857816ab27444fa1aad724f1563f8bb2"

    public static let all: [String: String] = [
        "started": started, "reportAccepted": reportAccepted, "reportRejected": reportRejected,
        "reportFailed": reportFailed, "reloaded": reloaded, "configError": configError,
        "stopping": stopping,
    ]
}

/// Journal field names: A–Z, 0–9, `_`; not starting with a digit or `_`; at most 64 characters.
/// Returns `nil` when nothing usable is left.
public func journalFieldName(_ key: String) -> String? {
    var name = String(
        key.uppercased().unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A"..."Z", "0"..."9", "_": Character(scalar)
            default: "_"
            }
        })
    while let first = name.first, first == "_" || first.isNumber { name.removeFirst() }
    if name.count > 64 { name = String(name.prefix(64)) }
    return name.isEmpty ? nil : name
}

/// Syslog priority of a swift-log level (as in sd-daemon(3) and the journal's PRIORITY).
func syslogPriority(_ level: Logger.Level) -> Int {
    switch level {
    case .trace, .debug: 7
    case .info: 6
    case .notice: 5
    case .warning: 4
    case .error: 3
    case .critical: 2
    }
}

func flatten(_ value: Logger.MetadataValue) -> String {
    switch value {
    case .string(let string): string
    case .stringConvertible(let convertible): convertible.description
    case .array(let array): array.map(flatten).joined(separator: ",")
    case .dictionary(let dictionary):
        dictionary.sorted { $0.key < $1.key }.map { "\($0.key)=\(flatten($0.value))" }.joined(separator: ",")
    }
}

/// A swift-log handler that writes structured entries to the systemd journal
/// with sd_journal_sendv(3): MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, CODE_FILE,
/// CODE_LINE, CODE_FUNC and every metadata key as a field (name sanitised with
/// ``journalFieldName(_:)``; metadata `message_id` becomes MESSAGE_ID).
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    public let syslogIdentifier: String

    public init(label: String, syslogIdentifier: String = "nianbao") {
        self.label = label
        self.syslogIdentifier = syslogIdentifier
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    private static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
    ]

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("MESSAGE", event.message.description),
            ("PRIORITY", String(syslogPriority(event.level))),
            ("SYSLOG_IDENTIFIER", syslogIdentifier),
            ("CODE_FILE", event.file),
            ("CODE_LINE", String(event.line)),
            ("CODE_FUNC", event.function),
            ("LOGGER_LABEL", label),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            guard let name = journalFieldName(key), !Self.reserved.contains(name) else { continue }
            fields.append((name, flatten(value)))
        }
        Self.send(fields)
    }

    /// Sends one entry; values may contain newlines or any bytes.
    static func send(_ fields: [(String, String)]) {
        let buffers: [[UInt8]] = fields.map { Array("\($0.0)=\($0.1)".utf8) }
        let pointers = buffers.map { bytes -> UnsafeMutableRawPointer in
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
            return pointer
        }
        defer { pointers.forEach { $0.deallocate() } }
        var vectors = zip(pointers, buffers).map { iovec(iov_base: $0.0, iov_len: $0.1.count) }
        _ = sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}

/// A swift-log handler for stderr in the sd-daemon(3) style: each line starts
/// with `<N>` (syslog priority), followed by the message and `KEY=value` metadata.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    public let label: String
    let fileDescriptor: Int32

    public init(label: String, fileDescriptor: Int32 = STDERR_FILENO) {
        self.label = label
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        var line = "<\(syslogPriority(event.level))>\(event.message.description)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            guard let name = journalFieldName(key) else { continue }
            line += " \(name)=\(flatten(value))"
        }
        var bytes = Array(line.utf8)
        for i in bytes.indices where bytes[i] == 0x0A { bytes[i] = 0x20 }  // one line per entry
        bytes.append(0x0A)
        bytes.withUnsafeBytes { _ = write(fileDescriptor, $0.baseAddress, $0.count) }
    }
}

/// Whether a journald is listening on `path` (a leftover socket file with no
/// journald behind it does not count).
public func journalIsListening(socketPath: String = "/run/systemd/journal/socket") -> Bool {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard path(socketPath, fitsIn: capacity) else { return false }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: Array(socketPath.utf8) + [0])
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    return result == 0
}

private func path(_ path: String, fitsIn capacity: Int) -> Bool { path.utf8.count < capacity }

/// The handler the daemon should log with: the journal when systemd connected
/// stderr to it (`JOURNAL_STREAM` is set, as under `systemctl start`) and journald
/// is listening, otherwise stderr with `<N>` priority prefixes (run by hand, in a
/// container without journald, or with its output captured). `NIANBAO_LOG=journal`
/// or `NIANBAO_LOG=stderr` overrides the choice; `NIANBAO_LOG_LEVEL=debug` (or
/// `notice`, `warning`…) sets the level (default `info`).
///
/// Use as `LoggingSystem.bootstrap(makeJournalOrStderrLogHandler)`.
public func makeJournalOrStderrLogHandler(label: String) -> any LogHandler {
    let environment = ProcessInfo.processInfo.environment
    let level = environment["NIANBAO_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
    var journal: Bool
    switch environment["NIANBAO_LOG"] {
    case "journal": journal = true
    case "stderr": journal = false
    default: journal = environment["JOURNAL_STREAM"] != nil && journalIsListening()
    }
    if journal {
        var handler = JournalLogHandler(label: label)
        handler.logLevel = level
        return handler
    }
    var handler = StderrLogHandler(label: label)
    handler.logLevel = level
    return handler
}
