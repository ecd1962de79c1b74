import CSQLite
import Dispatch
import Foundation
import NianbaoKit
import NianbaoSummary
import Synchronization
import NianbaoModel
import NianbaoRender
import NianbaoConfig
import NianbaoCore

#if canImport(Glibc)
    import Glibc
#endif

/// One published result as the index keeps it: what the history, the consolidated table and
/// the overview page need of its `nianbao.report/2` document.
struct IndexedReport: Sendable, Equatable {
    var folder: String
    var file: String
    var organ: String?
    var year: Int?
    var edition: String?
    var verdict: String
    var errors: Int
    var warnings: Int
    var rules: [String]
    var sha256: String
    var checkedAt: String
    var carryNext: [Int?]
    var table3: [String: [Int?]]
    var table4: [Int?]
    var findings: [PriorFinding]
    /// The note's address for the overview page (nil: no note).
    var note: String?

    /// From a published document (what a rebuild and a catch-up read).
    /// `noteSuffix`: the note's suffix when the report has findings.
    init(document doc: ReportDocument, file: String, folder: String, noteSuffix: String) {
        let prior = PriorReport(document: doc, file: file, folder: folder)
        self.init(prior: prior, entry: Summary.entry(doc, fallbackName: file),
                  note: prior.findings.isEmpty ? nil : OverviewPage.href([folder, file + noteSuffix]))
    }

    init(prior: PriorReport, entry: SummaryEntry, note: String?) {
        folder = prior.folder
        file = prior.file
        organ = entry.organ
        year = entry.year
        edition = entry.edition
        verdict = entry.verdict
        errors = entry.errors
        warnings = entry.warnings
        rules = entry.rules
        sha256 = prior.sha256
        checkedAt = prior.checkedAt
        carryNext = prior.carryNext
        table3 = entry.table3
        table4 = entry.table4
        findings = prior.findings
        self.note = note
    }

    var prior: PriorReport {
        PriorReport(file: file, folder: folder, organ: organ, year: year, sha256: sha256,
                    verdict: verdict == "accepted" ? .accepted : .rejected, checkedAt: checkedAt, carryNext: carryNext,
                    findings: findings)
    }

    var summaryEntry: SummaryEntry {
        SummaryEntry(file: file, organ: organ, year: year, edition: edition, verdict: verdict, errors: errors,
                     warnings: warnings, rules: rules, table3: table3, table4: table4)
    }

    var overviewEntry: OverviewEntry {
        OverviewEntry(folder: folder, file: file, organ: organ, year: year, accepted: verdict == "accepted", errors: errors,
                      warnings: warnings, rules: rules, note: note)
    }

    // MARK: Columns

    static func encode(_ values: [Int?]) -> String { values.map { $0.map(String.init) ?? "" }.joined(separator: ",") }

    static func decode(_ text: String) -> [Int?] {
        text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
    }

    static func encode(_ table: [String: [Int?]]) -> String {
        table.keys.sorted().map { $0 + "=" + encode(table[$0]!) }.joined(separator: ";")
    }

    static func decodeTable(_ text: String) -> [String: [Int?]] {
        var out: [String: [Int?]] = [:]
        for part in text.split(separator: ";") {
            guard let eq = part.firstIndex(of: "=") else { continue }
            out[String(part[..<eq])] = decode(String(part[part.index(after: eq)...]))
        }
        return out
    }

    /// A finding as the index's findings column stores it (short keys: one row holds them all).
    struct StoredFinding: Codable {
        var c: String?
        var s: String?
        var m: String?
        var n: Int?
        var r: String?
        var k: String?
    }

    static func encode(_ findings: [PriorFinding]) -> String {
        let list = findings.map {
            StoredFinding(c: $0.code, s: $0.severity, m: $0.message, n: $0.section, r: $0.row, k: $0.column)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(list)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeFindings(_ text: String) -> [PriorFinding] {
        let list = (try? JSONDecoder().decode([StoredFinding].self, from: Data(text.utf8))) ?? []
        return list.map {
            PriorFinding(code: $0.c ?? "", severity: $0.s ?? "", message: $0.m ?? "", section: $0.n, row: $0.r, column: $0.k)
        }
    }
}

/// The index of published results: a SQLite database in the service's state directory (local
/// disk, never the share), one row per `*.nianbao.json` in `accepted/` and `rejected/`.
///
/// - Written as each report is published, after the files are in place (a crash leaves the
///   index behind the folders, never ahead of them).
/// - Brought up to date with the folders (``catchUp(progress:)``) on start and every so often:
///   a folder whose modification time is the one recorded last time is not listed at all;
///   otherwise its listing is compared with the index by a 64-bit hash of each name (8 bytes a
///   report in memory, for the listing only), new documents are read, and rows whose document
///   is gone are removed. A missing index, or one of another schema, is rebuilt that way.
/// - Read by the history (``ReportHistory``), the consolidated table and the overview page,
///   one row at a time: nothing keeps every result in memory.
final class PublishedIndex: ReportHistory, @unchecked Sendable {
    /// Raised whenever the stored columns change meaning: an index of another version is rebuilt.
    static let schemaVersion: Int64 = 1

    /// A folder the index covers: its path, its name (what the history calls it), and whether
    /// its accepted reports make the consolidated table.
    struct Folder: Sendable {
        var url: URL
        var tabled: Bool
        var name: String { url.lastPathComponent }
    }

    private let connection: Mutex<SQLiteConnectionBox>
    /// A second connection for the long reads (the table, the overview page): in WAL mode they
    /// see a snapshot and hold up neither the checks' lookups nor the publishes' writes.
    private let reader: Mutex<SQLiteConnectionBox>
    let folders: [Folder]
    /// The suffix of the note a report with findings links to on the overview page.
    let noteSuffix: String
    let path: String

    private final class SQLiteConnectionBox: @unchecked Sendable {
        let db: SQLiteConnection
        var folderIDs: [Int64] = []
        init(_ db: SQLiteConnection) { self.db = db }
    }

    /// The index of `folders` at `path`, made (or rebuilt, if of another version) as needed;
    /// not yet brought up to date (``catchUp(progress:)``). `readOnly`: for a reader of an
    /// index another process keeps (`nianbao summary`); it must exist, at this version.
    init(path: String, folders: [Folder], noteSuffix: String, readOnly: Bool = false) throws {
        self.path = path
        self.folders = folders
        self.noteSuffix = noteSuffix
        let db = try SQLiteConnection(path: path, readOnly: readOnly)
        let box = SQLiteConnectionBox(db)
        if readOnly {
            guard try db.integer("PRAGMA user_version") == Self.schemaVersion else {
                throw NianbaoError.index(SQLITE_CORRUPT, "another schema version")
            }
            try db.execute("PRAGMA query_only = ON")
        } else {
            // a crash loses at most the last transactions (the catch-up reads those again);
            // it never corrupts the database
            try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            if try db.integer("PRAGMA user_version") != Self.schemaVersion {
                try db.transaction {
                    try db.execute("DROP TABLE IF EXISTS reports; DROP TABLE IF EXISTS folders; DROP TABLE IF EXISTS meta")
                    try db.execute(Self.schema)
                    try db.execute("PRAGMA user_version = \(Self.schemaVersion)")
                }
            }
        }
        // a small page cache: the index is read a row at a time
        try db.execute("PRAGMA cache_size = -4000; PRAGMA temp_store = FILE")
        for folder in folders {
            let path = folder.url.standardizedFileURL.path
            if !readOnly {
                try db.run("INSERT OR IGNORE INTO folders(path, name, tabled) VALUES(?, ?, ?)",
                           [.text(path), .text(folder.name), .int(folder.tabled ? 1 : 0)])
            }
            guard let id = try db.integer("SELECT id FROM folders WHERE path = ?", [.text(path)]) else {
                throw NianbaoError.index(SQLITE_NOTFOUND, "folder \(path) not in the index")
            }
            box.folderIDs.append(id)
        }
        connection = Mutex(box)
        let second = SQLiteConnectionBox(try SQLiteConnection(path: path, readOnly: readOnly))
        try second.db.execute("PRAGMA cache_size = -4000; PRAGMA temp_store = FILE; PRAGMA query_only = ON")
        second.folderIDs = box.folderIDs
        reader = Mutex(second)
    }

    static let schema = """
        CREATE TABLE folders(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
            tabled INTEGER NOT NULL, seen_mtime TEXT);
        CREATE TABLE reports(id INTEGER PRIMARY KEY, folder INTEGER NOT NULL, file TEXT NOT NULL,
            valid INTEGER NOT NULL, problem TEXT,
            organ TEXT, organ_key TEXT, year INTEGER, edition TEXT, verdict TEXT NOT NULL,
            errors INTEGER NOT NULL, warnings INTEGER NOT NULL, rules TEXT NOT NULL,
            sha256 TEXT NOT NULL, checked_at TEXT NOT NULL, carry_next TEXT NOT NULL,
            table3 TEXT NOT NULL, table4 TEXT NOT NULL, findings TEXT NOT NULL, note TEXT,
            UNIQUE(folder, file));
        CREATE INDEX reports_organ ON reports(organ_key, year, checked_at) WHERE valid;
        CREATE INDEX reports_sha ON reports(sha256, checked_at) WHERE valid;
        CREATE INDEX reports_table ON reports(folder, verdict, coalesce(year, 0), coalesce(organ, ''), file) WHERE valid;
        CREATE INDEX reports_overview ON reports(organ_key IS NULL, organ_key, coalesce(year, 0) DESC, file) WHERE valid;
        """

    /// The index file for a data folder's `accepted`/`rejected` pair, in `stateDirectory`.
    static func location(stateDirectory: URL, accepted: URL, rejected: URL) -> URL {
        let key = accepted.standardizedFileURL.path + "\n" + rejected.standardizedFileURL.path
        return stateDirectory.appendingPathComponent("index-\(FileHash.sha256Hex(Array(key.utf8)).prefix(16)).sqlite")
    }

    /// The service's index of a configuration's folders.
    convenience init(config: DaemonConfig) throws {
        try FileManager.default.createDirectory(at: config.stateDirectory, withIntermediateDirectories: true)
        try self.init(
            path: Self.location(stateDirectory: config.stateDirectory, accepted: config.accepted, rejected: config.rejected).path,
            folders: [Folder(url: config.accepted, tabled: true), Folder(url: config.rejected, tabled: false)],
            noteSuffix: config.htmlNotes ? Sidecar.htmlNoteSuffix : Sidecar.noteSuffix)
    }

    @discardableResult
    private func withDB<T>(_ body: (SQLiteConnection, [Int64]) throws -> T) rethrows -> T {
        try connection.withLock { try body($0.db, $0.folderIDs) }
    }

    /// The reading connection, for queries that run through the whole index.
    @discardableResult
    private func withReader<T>(_ body: (SQLiteConnection, [Int64]) throws -> T) rethrows -> T {
        try reader.withLock { try body($0.db, $0.folderIDs) }
    }

    /// Whether the index holds no report (a first start, or a rebuild ahead).
    var isEmpty: Bool { ((try? withDB { db, _ in try db.integer("SELECT 1 FROM reports LIMIT 1") }) ?? nil) == nil }

    var count: Int { Int((try? withDB { db, _ in try db.integer("SELECT count(*) FROM reports WHERE valid") }) ?? 0) }

    // MARK: Writing

    private static let insertSQL = """
        INSERT OR REPLACE INTO reports(folder, file, valid, problem, organ, organ_key, year, edition, verdict, errors,
            warnings, rules, sha256, checked_at, carry_next, table3, table4, findings, note)
        VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    private static func insert(_ r: IndexedReport, folder: Int64, into db: SQLiteConnection) throws {
        func text(_ s: String?) -> SQLiteConnection.Value { s.map { .text($0) } ?? .null }
        try db.run(insertSQL, [
            .int(folder), .text(r.file), .int(1), .null, text(r.organ), text(r.organ.map(OrganName.normalised)),
            r.year.map { .int(Int64($0)) } ?? .null, text(r.edition), .text(r.verdict), .int(Int64(r.errors)),
            .int(Int64(r.warnings)), .text(r.rules.joined(separator: ",")), .text(r.sha256), .text(r.checkedAt),
            .text(IndexedReport.encode(r.carryNext)), .text(IndexedReport.encode(r.table3)),
            .text(IndexedReport.encode(r.table4)), .text(IndexedReport.encode(r.findings)), text(r.note),
        ])
    }

    /// A document that is not a report's: kept so that it is not read again at every start.
    private static func insertUnreadable(file: String, problem: String, folder: Int64, into db: SQLiteConnection) throws {
        try db.run(insertSQL, [
            .int(folder), .text(file), .int(0), .text(problem), .null, .null, .null, .null, .text("unknown"), .int(0), .int(0),
            .text(""), .text(""), .text(""), .text(""), .text(""), .text(""), .text("[]"), .null,
        ])
    }

    private func folderID(named name: String, ids: [Int64]) -> Int64? {
        folders.firstIndex { $0.name == name }.map { ids[$0] }
    }

    /// Adds a report this process has just published (its files are in place).
    func add(_ report: IndexedReport) throws {
        try withDB { db, ids in
            guard let id = folderID(named: report.folder, ids: ids) else { return }
            try Self.insert(report, folder: id, into: db)
        }
    }

    /// Reads the published document of `file` in `folder` and adds it (a publish a restart finished).
    func addPublished(file: String, in folder: URL) throws {
        let (report, problem) = Self.read(folder: folder, file: file, noteSuffix: noteSuffix)
        try withDB { db, ids in
            guard let id = folderID(named: folder.lastPathComponent, ids: ids) else { return }
            if let report { try Self.insert(report, folder: id, into: db) } else {
                try Self.insertUnreadable(file: file, problem: problem ?? "", folder: id, into: db)
            }
        }
    }

    /// Forgets a report withdrawn from `folder` (it changed after its check).
    func remove(file: String, folder: String) {
        _ = try? withDB { db, ids in
            guard let id = folderID(named: folder, ids: ids) else { return }
            try db.run("DELETE FROM reports WHERE folder = ? AND file = ?", [.int(id), .text(file)])
        }
    }

    static func read(folder: URL, file: String, noteSuffix: String) -> (IndexedReport?, String?) {
        guard let data = FileManager.default.contents(atPath: folder.file(file + Sidecar.jsonSuffix).path) else {
            return (nil, "cannot read")
        }
        do {
            let doc = try ReportDocument.decode(data)
            return (IndexedReport(document: doc, file: file, folder: folder.lastPathComponent, noteSuffix: noteSuffix), nil)
        } catch {
            return (nil, error.description)
        }
    }

    // MARK: Catching up with the folders

    /// What a catch-up did.
    struct CatchUp: Sendable {
        var listed = false
        var added = 0
        var removed = 0
        /// Reports in the index after it.
        var total = 0
    }

    /// Brings the index up to date with the folders: documents published since it last saw them
    /// (by this process before a crash, or by other instances on the share) are read and added;
    /// rows whose document is gone are removed. `progress(done, toRead)` is called as documents
    /// are read (a rebuild reads them all).
    @discardableResult
    func catchUp(progress: (Int, Int) -> Void = { _, _ in }) throws -> CatchUp {
        var result = CatchUp()
        for (i, folder) in folders.enumerated() {
            let id = withDB { _, ids in ids[i] }
            guard let mtime = Self.modificationTime(folder.url) else { continue }
            let recorded = try withDB { db, _ -> String? in
                var value: String?
                try db.query("SELECT seen_mtime FROM folders WHERE id = ?", [.int(id)]) { row in
                    value = row.text(0)
                    return false
                }
                return value
            }
            if recorded == mtime.text { continue }
            result.listed = true
            // the folder's listing (hashes of the documents' names) on another thread, while
            // the index's rows of it are read here: (hash of the name, row id), sorted by hash
            let listing = Listing()
            let group = DispatchGroup()
            let url = folder.url
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                do {
                    try Self.listDocuments(url) { hash, _ in listing.hashes.append(hash) }
                } catch {
                    listing.error = error
                }
            }
            var known: [(hash: UInt64, id: Int64)] = []
            do {
                try withDB { db, _ in
                    try db.query("SELECT id, file FROM reports WHERE folder = ?", [.int(id)]) { row in
                        known.append((row.hashOfText(1), row.int(0) ?? 0))
                        return true
                    }
                }
            } catch {
                group.wait()
                throw error
            }
            known.sort { $0.hash < $1.hash }
            group.wait()
            if let error = listing.error { throw error }
            var listed = listing.hashes
            listing.hashes = []
            listed.sort()
            // both sorted: one walk finds the rows whose document is gone and the documents new to the index
            var present = [Bool](repeating: false, count: known.count)
            var newHashes: Set<UInt64> = []
            var k = 0
            for hash in listed {
                while k < known.count, known[k].hash < hash { k += 1 }
                var j = k
                var found = false
                while j < known.count, known[j].hash == hash {
                    present[j] = true
                    found = true
                    j += 1
                }
                if !found { newHashes.insert(hash) }
            }
            listed = []
            // the new documents' names, from a second listing (only when there are any)
            var new: [String] = []
            if !newHashes.isEmpty {
                try Self.listDocuments(folder.url) { hash, name in
                    if newHashes.contains(hash) { new.append(name()) }
                }
            }
            let gone = known.indices.filter { !present[$0] }.map { known[$0].id }
            known = []
            present = []
            if !gone.isEmpty {
                try withDB { db, _ in
                    try db.transaction {
                        for rowID in gone { try db.run("DELETE FROM reports WHERE id = ?", [.int(rowID)]) }
                    }
                }
                result.removed += gone.count
            }
            result.added += try read(new, in: folder.url, folderID: id, progress: progress)
            // remembered only when it cannot change again within the same tick of the clock
            // (a share's times may have whole seconds)
            let settled = Date().timeIntervalSince1970 - mtime.seconds > 2
            try withDB { db, _ in
                try db.run("UPDATE folders SET seen_mtime = ? WHERE id = ?", [settled ? .text(mtime.text) : .null, .int(id)])
            }
        }
        result.total = count
        return result
    }

    /// Reads `names`' documents on every core, a batch at a time, and adds them.
    private func read(_ names: [String], in folder: URL, folderID: Int64, progress: (Int, Int) -> Void) throws -> Int {
        guard !names.isEmpty else { return 0 }
        let batch = 2048
        var done = 0
        let suffix = noteSuffix
        for start in stride(from: 0, to: names.count, by: batch) {
            let slice = Array(names[start..<min(start + batch, names.count)])
            let results = Mutex<[(String, IndexedReport?, String?)]>([])
            let chunks = min(slice.count, ProcessInfo.processInfo.activeProcessorCount * 2)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var local: [(String, IndexedReport?, String?)] = []
                for i in stride(from: chunk, to: slice.count, by: chunks) {
                    let (report, problem) = Self.read(folder: folder, file: slice[i], noteSuffix: suffix)
                    local.append((slice[i], report, problem))
                }
                results.withLock { $0.append(contentsOf: local) }
            }
            let read = results.withLock { $0 }
            try withDB { db, _ in
                try db.transaction {
                    for (file, report, problem) in read {
                        if let report { try Self.insert(report, folder: folderID, into: db) } else {
                            try Self.insertUnreadable(file: file, problem: problem ?? "", folder: folderID, into: db)
                        }
                    }
                }
            }
            done += slice.count
            progress(done, names.count)
        }
        return names.count
    }

    /// What the listing thread of a catch-up found (read after it is waited for).
    private final class Listing: @unchecked Sendable {
        var hashes: [UInt64] = []
        var error: (any Error)?
    }

    struct ModificationTime {
        var seconds: Double
        var text: String
    }

    static func modificationTime(_ url: URL) -> ModificationTime? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return ModificationTime(seconds: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9,
                                text: "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)")
    }

    /// FNV-1a, 64 bits, over a name's bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    /// Calls `body(hash, name)` for each `*.nianbao.json` in `folder` (not hidden: a temporary),
    /// with the hash of the report's name (the document's without the suffix); `name()` makes
    /// the String only when asked. Reads the folder with readdir(3): no String per entry.
    static func listDocuments(_ folder: URL, _ body: (UInt64, () -> String) throws -> Void) throws {
        guard let dir = opendir(folder.path) else {
            throw NianbaoError.index(SQLITE_IOERR, "cannot list \(folder.path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        let suffix = Array(Sidecar.jsonSuffix.utf8)
        while let entry = readdir(dir) {
            try withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                guard length > suffix.count, bytes[0] != UInt8(ascii: ".") else { return }
                for (i, b) in suffix.enumerated() where bytes[length - suffix.count + i] != b { return }
                let name = UnsafeBufferPointer(rebasing: bytes[0..<(length - suffix.count)])
                try body(hash(name)) { String(decoding: name, as: UTF8.self) }
            }
        }
    }

    // MARK: Reading

    private static let reportColumns = """
        f.name, r.file, r.organ, r.year, r.edition, r.verdict, r.errors, r.warnings, r.rules, r.sha256, r.checked_at,
        r.carry_next, r.table3, r.table4, r.findings, r.note
        """

    private static func report(_ row: SQLiteConnection.Row, findings: Bool = true) -> IndexedReport {
        let prior = PriorReport(
            file: row.text(1) ?? "", folder: row.text(0) ?? "", organ: row.text(2), year: row.int(3).map(Int.init),
            sha256: row.text(9) ?? "", verdict: row.text(5) == "accepted" ? .accepted : .rejected,
            checkedAt: row.text(10) ?? "", carryNext: IndexedReport.decode(row.text(11) ?? ""),
            findings: findings ? IndexedReport.decodeFindings(row.text(14) ?? "[]") : [])
        let rules = (row.text(8) ?? "").split(separator: ",").map(String.init)
        let entry = SummaryEntry(
            file: prior.file, organ: prior.organ, year: prior.year, edition: row.text(4), verdict: row.text(5) ?? "unknown",
            errors: Int(row.int(6) ?? 0), warnings: Int(row.int(7) ?? 0), rules: rules,
            table3: IndexedReport.decodeTable(row.text(12) ?? ""), table4: IndexedReport.decode(row.text(13) ?? ""))
        return IndexedReport(prior: prior, entry: entry, note: row.text(15))
    }

    private func first(_ whereClause: String, _ values: [SQLiteConnection.Value]) -> PriorReport? {
        var found: PriorReport?
        try? withDB { db, _ in
            try db.query(
                "SELECT \(Self.reportColumns) FROM reports r JOIN folders f ON f.id = r.folder WHERE r.valid AND \(whereClause) ORDER BY r.checked_at DESC, r.id DESC LIMIT 1",
                values
            ) { row in
                found = Self.report(row).prior
                return false
            }
        }
        return found
    }

    func latest(organ: String, year: Int) -> PriorReport? {
        first("r.organ_key = ? AND r.year = ?", [.text(OrganName.normalised(organ)), .int(Int64(year))])
    }

    func report(sha256: String) -> PriorReport? {
        sha256.isEmpty ? nil : first("r.sha256 = ?", [.text(sha256)])
    }

    /// Every report (`folder`, `file`) in the index, in no particular order: for comparing the
    /// index with the folders.
    func forEachReport(_ body: (IndexedReport) -> Void) throws {
        try withReader { db, _ in
            try db.query("SELECT \(Self.reportColumns) FROM reports r JOIN folders f ON f.id = r.folder WHERE r.valid") { row in
                body(Self.report(row))
                return true
            }
        }
    }

    /// The rows of the consolidated table, in its order (year, organ, file): the accepted reports
    /// of the tabled folders, and with `rejected` every other report too.
    func forEachTableEntry(rejected: Bool = false, _ body: (SummaryEntry) throws -> Void) throws {
        let tabled = folders.indices.filter { folders[$0].tabled || rejected }
        try withReader { db, ids in
            let list = tabled.map { String(ids[$0]) }.joined(separator: ",")
            let sql = rejected
                ? "SELECT \(Self.reportColumns) FROM reports r JOIN folders f ON f.id = r.folder WHERE r.valid AND r.folder IN (\(list)) ORDER BY coalesce(r.year, 0), coalesce(r.organ, ''), r.file"
                : "SELECT \(Self.reportColumns) FROM reports r JOIN folders f ON f.id = r.folder WHERE r.valid AND r.folder IN (\(list)) AND r.verdict = 'accepted' ORDER BY coalesce(r.year, 0), coalesce(r.organ, ''), r.file"
            try db.query(sql) { row in
                try body(Self.report(row, findings: false).summaryEntry)
                return true
            }
        }
    }

    /// Every report for the overview page, in its order (organ, newest year first, file).
    func forEachOverviewEntry(_ body: (OverviewEntry) throws -> Void) throws {
        try withReader { db, _ in
            try db.query(
                "SELECT \(Self.reportColumns) FROM reports r JOIN folders f ON f.id = r.folder WHERE r.valid ORDER BY r.organ_key IS NULL, r.organ_key, coalesce(r.year, 0) DESC, r.file"
            ) { row in
                // only what the page shows: no figures, no findings
                try body(OverviewEntry(
                    folder: row.text(0) ?? "", file: row.text(1) ?? "", organ: row.text(2), year: row.int(3).map(Int.init),
                    accepted: row.text(5) == "accepted", errors: Int(row.int(6) ?? 0), warnings: Int(row.int(7) ?? 0),
                    rules: (row.text(8) ?? "").split(separator: ",").map(String.init), note: row.text(15)))
                return true
            }
        }
    }

    /// The overview's figures: reports, accepted, and how many reports each rule occurs in.
    func overviewCounts() throws -> (total: Int, accepted: Int, rules: [String: Int]) {
        var total = 0, accepted = 0
        var rules: [String: Int] = [:]
        try withReader { db, _ in
            try db.query("SELECT verdict, rules FROM reports WHERE valid") { row in
                total += 1
                if row.text(0) == "accepted" { accepted += 1 }
                if let text = row.text(1), !text.isEmpty {
                    for code in Set(text.split(separator: ",")) { rules[String(code), default: 0] += 1 }
                }
                return true
            }
        }
        return (total, accepted, rules)
    }

    /// Whether a report of this organ (compared normalised) is in the index.
    func hasOrgan(_ organ: String) -> Bool {
        ((try? withReader { db, _ in
            try db.integer("SELECT 1 FROM reports WHERE valid AND organ_key = ? LIMIT 1", [.text(OrganName.normalised(organ))])
        }) ?? nil) != nil
    }

    /// Documents that are not reports' (not JSON, another schema), with the reason.
    func unreadable() -> [(file: String, reason: String)] {
        var out: [(String, String)] = []
        try? withReader { db, _ in
            try db.query("SELECT f.path, r.file, r.problem FROM reports r JOIN folders f ON f.id = r.folder WHERE NOT r.valid ORDER BY r.file") { row in
                out.append(((row.text(0) ?? "") + "/" + (row.text(1) ?? "") + Sidecar.jsonSuffix, row.text(2) ?? ""))
                return true
            }
        }
        return out
    }
}

extension SQLiteConnection.Row {
    /// ``PublishedIndex/hash(_:)`` of a text column's bytes, without making a String.
    func hashOfText(_ column: Int32) -> UInt64 {
        guard let bytes = sqlite3_column_text(statement, column) else { return PublishedIndex.hash(UnsafeBufferPointer(start: nil, count: 0)) }
        return PublishedIndex.hash(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))))
    }
}

/// The published results `nianbao summary` compiles: the service's index of a data folder where
/// it can be read, else a temporary index of the folders' documents (removed by ``close()``).
public final class PublishedTable {
    let index: PublishedIndex
    private let temporary: URL?
    /// Documents that could not be read (not JSON, another schema), with the reason.
    public let skipped: [(file: String, reason: String)]

    private init(index: PublishedIndex, temporary: URL?) {
        self.index = index
        self.temporary = temporary
        skipped = index.unreadable()
    }

    /// Where the service keeps its state by default: as ``DaemonConfig/stateDirectory`` says
    /// for this environment, and the packaged unit's `/var/lib/nianbao-state`.
    public static func defaultStateDirectories() -> [URL] {
        [DaemonConfig.defaultStateDirectory(), URL(fileURLWithPath: "/var/lib/nianbao-state", isDirectory: true)]
    }

    /// The table of `directories`: one service data folder (holding `accepted/`) is read from
    /// the service's index in one of `stateDirectories` if there is one; otherwise the
    /// documents are read into a temporary index.
    public static func open(directories: [URL], stateDirectories: [URL]) throws -> PublishedTable {
        func serviceFolders(_ directory: URL) -> [PublishedIndex.Folder]? {
            let accepted = directory.appendingPathComponent("accepted", isDirectory: true)
            guard FileManager.default.fileExists(atPath: accepted.path) else { return nil }
            return [.init(url: accepted, tabled: true), .init(url: directory.appendingPathComponent("rejected", isDirectory: true), tabled: false)]
        }
        if directories.count == 1, let folders = serviceFolders(directories[0]) {
            for state in stateDirectories {
                let path = PublishedIndex.location(stateDirectory: state, accepted: folders[0].url, rejected: folders[1].url).path
                guard FileManager.default.fileExists(atPath: path),
                    let index = try? PublishedIndex(path: path, folders: folders, noteSuffix: Sidecar.htmlNoteSuffix, readOnly: true)
                else { continue }
                return PublishedTable(index: index, temporary: nil)
            }
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        do {
            let folders = directories.flatMap { serviceFolders($0) ?? [.init(url: $0, tabled: true)] }
            let index = try PublishedIndex(path: temporary.appendingPathComponent("index.sqlite").path, folders: folders,
                                           noteSuffix: Sidecar.htmlNoteSuffix)
            try index.catchUp()
            return PublishedTable(index: index, temporary: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Each entry of the table in its order (year, organ, file): the accepted reports, and with
    /// `rejected` the others too.
    public func forEachEntry(rejected: Bool, _ body: (SummaryEntry) throws -> Void) throws {
        try index.forEachTableEntry(rejected: rejected, body)
    }

    public func close() {
        if let temporary { try? FileManager.default.removeItem(at: temporary) }
    }
}
