import Foundation
import NianbaoModel

/// What more than one test target needs: the fixtures folder, the way a person transcribes a
/// row, and the hand-transcribed cells of the real 淮安 2024 report.
public enum TestFixtures {
    /// The fixtures folder every test target reads: `NIANBAO_FIXTURES`, or Tests/Fixtures of
    /// the package.
    public static let directory: URL = {
        if let path = ProcessInfo.processInfo.environment["NIANBAO_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return TestProduct.file("Tests/Fixtures")
    }()

    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    public static func path(_ name: String) -> String { url(name).path }

    public static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(name))) }
}

/// A row written the way a person transcribes it: numbers as written, □ blank, — dash,
/// ∅ missing, ?text invalid; cells separated by single spaces.
public func transcribe(_ cells: [Cell]) -> String {
    cells.map { c -> String in
        switch c.state {
        case .number: return c.text
        case .blank: return "□"
        case .dash: return "—"
        case .missing: return "∅"
        case .invalid: return "?" + c.text
        }
    }.joined(separator: " ")
}

/// Every cell of sections 二, 三 and 四 of the real 淮安市人民政府 2024 report, transcribed by hand
/// from the published PDF (the same figures whichever way the report is read).
public enum Huaian2024 {
    public static let table2 = ["1 0 11", "8 26 66", "447228", "3985758", "88283", "96171.6"]
    public static let table3: [String: String] = [
        "new": "3001 53 0 0 61 4 3119",
        "carried": "34 0 0 0 0 0 34",
        "granted": "1288 21 0 0 50 3 1362",
        "partial": "447 7 0 0 0 0 454",
        "deny_secret": "2 0 0 0 0 0 2",
        "deny_law": "30 1 0 0 0 0 31",
        "deny_safety": "5 0 0 0 0 0 5",
        "deny_thirdparty": "6 0 0 0 0 0 6",
        "deny_internal": "7 1 0 0 0 0 8",
        "deny_process": "12 0 0 0 0 0 12",
        "deny_enforcement": "9 0 0 0 0 0 9",
        "deny_inquiry": "105 0 0 0 0 0 105",
        "unable_nothold": "746 12 0 0 10 1 769",
        "unable_create": "11 0 0 0 0 0 11",
        "unable_unclear": "1 0 0 0 0 0 1",
        "reject_petition": "56 6 0 0 0 0 62",
        "reject_repeat": "25 0 0 0 0 0 25",
        "reject_publication": "0 0 0 0 0 0 0",
        "reject_mass": "0 0 0 0 0 0 0",
        "reject_confirm": "1 0 0 0 0 0 1",
        "other_overdue": "67 3 0 0 1 0 71",
        "other_fee": "6 0 0 0 0 0 6",
        "other_misc": "108 2 0 0 0 0 110",
        "total": "2932 53 0 0 61 4 3050",
        "carry_next": "103 0 0 0 0 0 103",
    ]
    public static let table4 = "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20"
}
