import Foundation
import Testing

/// The service checks each report against what it published before: the same organ's report of
/// the year before (carry-over), an earlier submission of the same year's report, the same
/// bytes dropped again. The history is rebuilt from the folders, so it survives a restart.
/// Run on the real binary.
@Suite("history: carry-over across years, resubmissions, across a restart (the real binary)")
struct HistoryTests {
    typealias Service = WatchCommandTests.Service
    static let huaian = try! String(contentsOf: CheckCommandTests.fixtures.appendingPathComponent("huaian-2024.layout.txt"), encoding: .utf8)

    /// The 淮安 report for another year: the year in its text changed, and lines replaced.
    static func report(year: Int, replacing: [(String, String)] = []) -> String {
        var text = huaian.replacingOccurrences(of: "2024", with: String(year))
        for (old, new) in replacing {
            precondition(text.contains(old), "fixture line not found: \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    static let carried = "二、上年结转政府信息公开申请数量                34          0        0        0        0    0    34"
    static let granted = "（一）予以公开                   1288        21       0        0    50       3   1362"

    func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }
    func codes(_ document: [String: Any]) -> [String] {
        (document["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }
    func drop(_ text: String, _ name: String, into service: Service) throws {
        let staging = service.dir.appendingPathComponent(".staging-" + name)
        try text.write(to: staging, atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(at: staging, to: service.inbox.appendingPathComponent(name))
    }
    /// Where `name` was published (accepted/ or rejected/), once it is.
    func published(_ name: String, _ service: Service) throws -> URL? {
        var found: URL?
        try service.wait(seconds: 20) {
            found = [service.accepted, service.rejected].map { $0.appendingPathComponent(name) }
                .first { FileManager.default.fileExists(atPath: $0.path) }
            return found != nil
        }
        return found
    }
    func read(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    @Test("carry-over: a mismatch with last year's report is a warning naming both; a match is not; across a restart")
    func carryOverAcrossARestart() throws {
        // 2023: carried 103 to 2024 (its 结转下年度 row is the 2024 report's: 103 … 103)
        let first = try Service()
        first.removeOnDeinit = false
        defer { try? FileManager.default.removeItem(at: first.dir) }
        try drop(Self.report(year: 2023), "淮安2023.txt", into: first)
        #expect(try published("淮安2023.txt", first) != nil)
        #expect(first.stop() == 0)

        // a new process on the same folders: the history comes back from them
        let second = try Service(directory: first.dir)
        second.removeOnDeinit = false
        // 2024 says it carried over 34, not the 103 the 2023 report carried to it
        try drop(Self.huaian, "淮安2024.txt", into: second)
        let y2024 = try #require(try published("淮安2024.txt", second))
        let doc = try json(URL(fileURLWithPath: y2024.path + ".nianbao.json"))
        #expect(codes(doc).contains("table3-carryover-mismatch"))
        let finding = (doc["diagnostics"] as? [[String: Any]])?.first { $0["code"] as? String == "table3-carryover-mismatch" }
        #expect(finding?["severity"] as? String == "warning")
        #expect((finding?["message"] as? String)?.contains("2023 年报告《淮安2023.txt》") == true)
        #expect((finding?["message"] as? String)?.contains("自然人 本年 34，上年 103") == true)
        let note = read(URL(fileURLWithPath: y2024.path + ".审核意见.txt"))
        #expect(note.contains("table3-carryover-mismatch") && note.contains("淮安2023.txt"))

        // 2025 carried over what 2024 carried to it (103): no carry-over finding
        try drop(Self.report(year: 2025, replacing: [(Self.carried, Self.carried.replacingOccurrences(of: "34", with: "103"))]),
                 "淮安2025.txt", into: second)
        let y2025 = try #require(try published("淮安2025.txt", second))
        #expect(!codes(try json(URL(fileURLWithPath: y2025.path + ".nianbao.json"))).contains("table3-carryover-mismatch"))
        #expect(second.stop() == 0)
    }

    @Test("a resubmission's note opens with what was fixed, what is still open and what is new; the same bytes again point at the earlier file")
    func resubmission() throws {
        let service = try Service()
        // a dash where section 四's first figure belongs: a finding both submissions keep
        let table4 = "72   64    178    37    351   13    4        8        1        26   12   1     1    6       20"
        let kept = Self.huaian.replacingOccurrences(of: table4, with: table4.replacingOccurrences(of: "72   64", with: "-    64"))
        #expect(kept != Self.huaian)
        // first submission: that, and one wrong cell (自然人 1288 → 1290): rejected
        let wrong = kept.replacingOccurrences(of: Self.granted, with: Self.granted.replacingOccurrences(of: "1288", with: "1290"))
        try drop(wrong, "淮安年报.txt", into: service)
        let first = try #require(try published("淮安年报.txt", service))
        #expect(first.deletingLastPathComponent().lastPathComponent == "rejected")
        let firstCodes = codes(try json(URL(fileURLWithPath: first.path + ".nianbao.json")))
        #expect(firstCodes.contains("table3-wrong-cell") && firstCodes.contains("cell-dash"))

        // the cell corrected, the dash left: its note says what was fixed and what is still open
        try drop(kept, "淮安年报-修改后.txt", into: service)
        let second = try #require(try published("淮安年报-修改后.txt", service))
        #expect(second.deletingLastPathComponent().lastPathComponent == "rejected")
        let note = read(URL(fileURLWithPath: second.path + ".审核意见.txt"))
        #expect(note.contains("本次为重新提交：此前提交的《淮安年报.txt》"))
        #expect(note.contains("结论：退回"))
        #expect(note.contains("已改正 1 项") && note.contains("[table3-wrong-cell]"))
        #expect(note.contains("仍未改正") && note.contains("[cell-dash]"))
        #expect(!note.contains("新出现"))

        // the very same bytes dropped again under another name: pointed at the earlier file
        try drop(kept, "再交一次.txt", into: service)
        let third = try #require(try published("再交一次.txt", service))
        #expect(read(URL(fileURLWithPath: third.path + ".审核意见.txt")).contains("本文件与此前提交的《淮安年报-修改后.txt》内容完全相同"))
        #expect(third.deletingLastPathComponent().lastPathComponent == "rejected")

        // the corrected report, accepted at last
        try drop(Self.huaian, "淮安年报-定稿.txt", into: service)
        let fourth = try #require(try published("淮安年报-定稿.txt", service))
        #expect(fourth.deletingLastPathComponent().lastPathComponent == "accepted")
        #expect(read(URL(fileURLWithPath: fourth.path + ".审核意见.txt")).contains("[cell-dash]"))  // fixed, listed

        // the folder's summary beside accepted/: the accepted reports, one row each, figures as written
        let summary = service.dir.appendingPathComponent("data/年报汇总.csv")
        try service.wait(seconds: 20) { read(summary).contains("淮安年报-定稿.txt") }
        let rows = read(summary).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 2)  // header and the accepted 淮安年报-定稿.txt (rejected ones are not in it)
        let header = rows[0].map(String.init)
        let column = try #require(header.firstIndex(of: "三 （一）予以公开·自然人"))
        #expect(rows.dropFirst().allSatisfy { $0[column] == "1288" })
        service.removeOnDeinit = false
        #expect(service.stop() == 0)

        // after a restart with the index lost (its state directory deleted), the summary and the
        // history come back from the published documents: the index is rebuilt from them
        try FileManager.default.removeItem(at: summary)
        try FileManager.default.removeItem(at: service.state)
        let restarted = try Service(directory: service.dir)
        try restarted.wait(seconds: 20) { read(summary).contains("淮安年报-定稿.txt") }
        #expect(read(summary).split(separator: "\r\n").count == 2 && read(summary).contains("1288"))
        try drop(kept, "又一次.txt", into: restarted)
        let fifth = try #require(try published("又一次.txt", restarted))
        #expect(read(URL(fileURLWithPath: fifth.path + ".审核意见.txt")).contains("内容完全相同"), "the index, read again on start")
        #expect(restarted.stop() == 0)
    }
}
