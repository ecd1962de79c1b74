import Foundation
import NianbaoKit

/// What the injected checker reports about one file.
///
/// The daemon never decides a verdict itself (except for files it cannot hand
/// to the checker at all, such as files over `maxFileSize`); it only moves
/// files and writes what the checker returned.
public struct DaemonCheckResult: Sendable {
    /// `true` → the report goes to `accepted/`, otherwise to `rejected/`.
    public var accepted: Bool
    public var errors: Int
    public var warnings: Int
    /// Encoded note bytes (already in the configured note encoding); `nil` = no note.
    public var note: [UInt8]?
    /// The machine-readable sidecar (`<name>.nianbao.json`).
    public var json: [UInt8]
    /// SHA-256 of the file as checked, lowercase hex.
    public var sha256: String
    public var organ: String?
    public var year: Int?
    public var edition: String?
    /// Rule codes that fired.
    public var rules: [String]
    /// Set when the file could not be checked at all (unsupported format, unreadable …).
    public var failureReason: String?
    /// The file's identity when it was read: if the file in `work/` no longer has it, the
    /// verdict is not about that file and it is checked again.
    public var identity: Pipeline.FileIdentity?

    public init(
        accepted: Bool,
        errors: Int = 0,
        warnings: Int = 0,
        note: [UInt8]? = nil,
        json: [UInt8],
        sha256: String,
        organ: String? = nil,
        year: Int? = nil,
        edition: String? = nil,
        rules: [String] = [],
        failureReason: String? = nil,
        identity: Pipeline.FileIdentity? = nil
    ) {
        self.identity = identity
        self.accepted = accepted
        self.errors = errors
        self.warnings = warnings
        self.note = note
        self.json = json
        self.sha256 = sha256
        self.organ = organ
        self.year = year
        self.edition = edition
        self.rules = rules
        self.failureReason = failureReason
    }
}

/// Checks one claimed file. `fileURLInWorkDir` is the file inside `work/`
/// (read it, do not move or delete it); `originalName` is the name the user gave it.
public typealias ReportChecker =
    @Sendable (_ fileURLInWorkDir: URL, _ originalName: String) async -> DaemonCheckResult
