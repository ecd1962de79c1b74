import CSQLite
import Foundation
import NianbaoCore

/// A thin, typed layer over the system's libsqlite3: one connection, statements prepared once
/// and kept, values bound by position. Not thread-safe by itself: ``PublishedIndex`` serialises
/// every use behind its lock.
final class SQLiteConnection {
    /// A value to bind or read.
    enum Value {
        case null
        case int(Int64)
        case text(String)
    }

    private(set) var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (and, unless `readOnly`, creates) the database at `path`.
    init(path: String, readOnly: Bool = false) throws {
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = db
        guard code == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            handle = nil
            throw NianbaoError.index(code, message)
        }
        // another process (an instance catching up, `nianbao summary`) may hold the lock a moment
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(handle)
    }

    private func failure(_ code: Int32) -> NianbaoError {
        .index(code, handle.map { String(cString: sqlite3_errmsg($0)) } ?? "")
    }

    /// Runs statements that return nothing (several, separated by `;`).
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? ""
            sqlite3_free(error)
            throw NianbaoError.index(code, message)
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            return statement
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code) }
        statements[sql] = statement
        return statement
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bind(_ values: [Value], to statement: OpaquePointer) throws {
        for (i, value) in values.enumerated() {
            let position = Int32(i + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, position)
            case .int(let v): code = sqlite3_bind_int64(statement, position, v)
            case .text(let s): code = sqlite3_bind_text(statement, position, s, -1, Self.transient)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
    }

    /// Runs one statement with `values`; returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [Value] = []) throws -> Int {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        try bind(values, to: statement)
        var code = sqlite3_step(statement)
        while code == SQLITE_ROW { code = sqlite3_step(statement) }
        guard code == SQLITE_DONE else { throw failure(code) }
        return Int(sqlite3_changes(handle))
    }

    /// Runs a query, calling `row` for each result row until it returns false.
    func query(_ sql: String, _ values: [Value] = [], row: (Row) throws -> Bool) throws {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        try bind(values, to: statement)
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code) }
            if try !row(Row(statement: statement)) { return }
        }
    }

    /// The first column of the first row, as an integer (nil: no row, or NULL).
    func integer(_ sql: String, _ values: [Value] = []) throws -> Int64? {
        var result: Int64?
        try query(sql, values) { row in
            result = row.int(0)
            return false
        }
        return result
    }

    /// Runs `body` in one transaction (IMMEDIATE: the write lock is taken at once).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// One result row, read by column position.
    struct Row {
        let statement: OpaquePointer
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
        func int(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(statement, column) }
        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }
}

extension NianbaoError {
    /// The index of published results failed (`index-failed`): `SQLite CODE: MESSAGE`, with
    /// SQLite's result code as its field `sqlite_code`.
    static func index(_ code: Int32, _ message: String) -> NianbaoError {
        .said(.indexFailed, "SQLite \(code): \(message)", fields: ["sqlite_code": String(code)])
    }
}
