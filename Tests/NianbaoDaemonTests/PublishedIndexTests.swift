import Foundation
import NianbaoKit
import NianbaoSummary
import Testing

@testable import NianbaoDaemon
import NianbaoRender
import NianbaoTestSupport

/// The index of published results against the folders it describes: built from them, caught up
/// with what was published and removed behind its back, rebuilt when lost or of another version,
/// and answering the history's questions as the documents do.
@Suite("index of published results")
struct PublishedIndexTests {
    /// A data folder with `accepted/`, `rejected/` and a state directory.
    struct Folders {
        let temp: TemporaryDirectory
        var accepted: URL { temp.sub("data/accepted") }
        var rejected: URL { temp.sub("data/rejected") }
        var state: URL { temp.sub("state") }
        init() throws {
            temp = try TemporaryDirectory()
            for d in [accepted, rejected, state] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        }
        func open() throws -> PublishedIndex {
            try PublishedIndex(
                path: PublishedIndex.location(stateDirectory: state, accepted: accepted, rejected: rejected).path,
                folders: [.init(url: accepted, tabled: true), .init(url: rejected, tabled: false)],
                noteSuffix: Sidecar.htmlNoteSuffix)
        }
    }

    /// A `nianbao.report/2` document as the service writes it (the fields the index reads).
    static func document(organ: String, year: Int, verdict: String, sha: String, checkedAt: String,
                         carryNext: [Int?] = [1, 0, 0, 0, 0, 0, 1], codes: [String] = []) -> [UInt8] {
        ReportBuilder.document(organ: organ, year: year, verdict: verdict, sha: sha, checkedAt: checkedAt,
                               carryNext: carryNext, codes: codes)
    }

    /// Publishes a document (and the report beside it) by hand, as another instance would.
    static func publish(_ name: String, in folder: URL, _ bytes: [UInt8]) throws {
        try Data("report".utf8).write(to: folder.appendingPathComponent(name))
        try Data(bytes).write(to: folder.appendingPathComponent(name + Sidecar.jsonSuffix))
    }

    /// What the folders say, read the way the service read them before it had an index.
    static func fromFolders(_ f: Folders) -> Set<String> { PublishedFolders.reports(in: [f.accepted, f.rejected]) }

    static func describe(_ p: PriorReport) -> String { PublishedFolders.describe(p) }

    static func fromIndex(_ index: PublishedIndex) throws -> Set<String> {
        var out: Set<String> = []
        try index.forEachReport { out.insert(describe($0.prior)) }
        return out
    }

    @Test("built from the folders; catches up with documents added and removed behind its back; lists a folder only when it changed")
    func catchUp() throws {
        let f = try Folders()
        defer { f.temp.cleanup() }
        for i in 0..<50 {
            try Self.publish("r\(i).txt", in: i % 3 == 0 ? f.rejected : f.accepted,
                             Self.document(organ: "机关\(i % 7)", year: 2020 + i % 4, verdict: i % 3 == 0 ? "rejected" : "accepted",
                                           sha: "sha\(i)", checkedAt: "2025-01-01T00:00:\(String(format: "%02d", i))Z",
                                           codes: i % 3 == 0 ? ["cell-blank"] : []))
        }
        let index = try f.open()
        let first = try index.catchUp()
        #expect(first.added == 50 && first.total == 50)
        #expect(try Self.fromIndex(index) == Self.fromFolders(f))
        // another instance publishes one, a person deletes another
        try Self.publish("新.txt", in: f.accepted, Self.document(organ: "新机关", year: 2024, verdict: "accepted", sha: "new", checkedAt: "2025-02-01T00:00:00Z"))
        for suffix in ["", Sidecar.jsonSuffix] { try FileManager.default.removeItem(at: f.accepted.appendingPathComponent("r1.txt" + suffix)) }
        let second = try index.catchUp()
        #expect(second.added == 1 && second.removed == 1 && second.total == 50)
        #expect(try Self.fromIndex(index) == Self.fromFolders(f))
        // nothing changed since (the folders' times are older than two seconds): not listed
        let old = Date().addingTimeInterval(-60)
        for d in [f.accepted, f.rejected] { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: d.path) }
        _ = try index.catchUp()
        #expect(try index.catchUp().listed == false)
    }

    @Test("lost, or of another schema version: rebuilt from the documents, the same as before")
    func rebuild() throws {
        let f = try Folders()
        defer { f.temp.cleanup() }
        for i in 0..<20 {
            try Self.publish("r\(i).docx", in: f.accepted, Self.document(organ: "机关\(i)", year: 2023, verdict: "accepted", sha: "s\(i)", checkedAt: "2025-01-01T00:00:00Z"))
        }
        try Data("not json".utf8).write(to: f.accepted.appendingPathComponent("坏.txt" + Sidecar.jsonSuffix))
        var index: PublishedIndex? = try f.open()
        try index!.catchUp()
        let before = try Self.fromIndex(index!)
        #expect(before.count == 20 && before == Self.fromFolders(f))
        #expect(index!.unreadable().map(\.file).contains { $0.hasSuffix("坏.txt" + Sidecar.jsonSuffix) })
        index = nil
        // another version: the tables are made again, and filled from the folders
        let path = PublishedIndex.location(stateDirectory: f.state, accepted: f.accepted, rejected: f.rejected).path
        let raw = try SQLiteConnection(path: path)
        try raw.execute("PRAGMA user_version = 0")
        let rebuilt = try f.open()
        #expect(rebuilt.isEmpty)
        try rebuilt.catchUp()
        #expect(try Self.fromIndex(rebuilt) == before)
        // lost altogether
        try FileManager.default.removeItem(at: f.state)
        try FileManager.default.createDirectory(at: f.state, withIntermediateDirectories: true)
        let again = try f.open()
        try again.catchUp()
        #expect(try Self.fromIndex(again) == before)
    }

    @Test("the history answers as the documents say: the latest report of an organ and year, a report by its hash")
    func history() throws {
        let f = try Folders()
        defer { f.temp.cleanup() }
        try Self.publish("first.txt", in: f.rejected, Self.document(organ: "淮安市人民政府", year: 2024, verdict: "rejected", sha: "aaa", checkedAt: "2025-03-01T08:00:00Z", codes: ["cell-blank", "table3-total"]))
        try Self.publish("second.txt", in: f.accepted, Self.document(organ: "淮安市 人民政府", year: 2024, verdict: "accepted", sha: "bbb", checkedAt: "2025-03-02T08:00:00Z", carryNext: [5, nil, 0, 0, 0, 0, 5]))
        try Self.publish("old.txt", in: f.accepted, Self.document(organ: "淮安市政府", year: 2023, verdict: "accepted", sha: "ccc", checkedAt: "2024-03-02T08:00:00Z"))
        let index = try f.open()
        try index.catchUp()
        let latest = try #require(index.latest(organ: "淮安市人民政府", year: 2024))
        #expect(latest.file == "second.txt" && latest.folder == "accepted" && latest.carryNext == [5, nil, 0, 0, 0, 0, 5])
        #expect(index.latest(organ: "淮安市人民政府", year: 2023)?.file == "old.txt")
        #expect(index.latest(organ: "淮安市人民政府", year: 2022) == nil)
        let bySHA = try #require(index.report(sha256: "aaa"))
        #expect(bySHA.file == "first.txt" && bySHA.verdict == .rejected && bySHA.findings.map(\.code) == ["cell-blank", "table3-total"])
        #expect(bySHA.findings.first?.row == "new" && bySHA.findings.first?.column == "total" && bySHA.findings.first?.section == 3)
        #expect(index.report(sha256: "zzz") == nil)
        // the table: accepted reports of accepted/ by year, organ, file, as the documents say
        var rows: [SummaryEntry] = []
        try index.forEachTableEntry { rows.append($0) }
        #expect(rows.map(\.file) == ["old.txt", "second.txt"])
        let csvFromIndex = Summary.csvHeader() + rows.flatMap(Summary.csvLine)
        let entries = try ["old.txt", "second.txt"].map {
            try Summary.parse(Data(contentsOf: f.accepted.appendingPathComponent($0 + Sidecar.jsonSuffix)), fallbackName: $0)
        }
        #expect(csvFromIndex == Summary(entries: entries).csv())
    }
}
