import Foundation
import NianbaoKit
import NianbaoRender

/// A fresh folder under `base`, removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public init(base: String = NSTemporaryDirectory()) throws {
        url = URL(fileURLWithPath: base).appendingPathComponent("nianbao-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func cleanup() { try? FileManager.default.removeItem(at: url) }
    public func sub(_ name: String) -> URL { url.appendingPathComponent(name, isDirectory: true) }
}

/// What the results folders hold, read the way the service read them before it had an index:
/// each published report's `.nianbao.json` as the history sees it.
public enum PublishedFolders {
    /// The suffix of a published report's document.
    public static let jsonSuffix = ".nianbao.json"

    /// A published report as one line that compares equal when everything the history keeps is.
    public static func describe(_ p: PriorReport) -> String {
        "\(p.folder)/\(p.file)|\(p.organ ?? "-")|\(p.year ?? 0)|\(p.sha256)|\(p.verdict)|\(p.checkedAt)|\(p.carryNext)|\(p.findings.map { "\($0.code)@\($0.row ?? ""):\($0.column ?? ""):\($0.message)" })"
    }

    /// Every report published in `folders` (hidden files left out), described.
    public static func reports(in folders: [URL]) -> Set<String> {
        var out: Set<String> = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasSuffix(jsonSuffix) && !name.hasPrefix(".") {
                let file = String(name.dropLast(jsonSuffix.count))
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                    let doc = try? ReportDocument.decode(data)
                else { continue }
                out.insert(describe(PriorReport(document: doc, file: file, folder: folder.lastPathComponent)))
            }
        }
        return out
    }
}

/// Reports to check, and documents as a check publishes them.
public enum ReportBuilder {
    /// The five seed reports of Tests/Fixtures (see EXPECTED.md).
    public static let seeds = [
        "000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt",
        "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt",
    ]
    /// The real 淮安市人民政府 2024 report, as pdftotext -layout reads it.
    public static let huaian = "huaian-2024.layout.txt"

    /// The text of a report in Tests/Fixtures.
    public static func text(_ name: String) throws -> String {
        try String(contentsOf: TestFixtures.directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// A `nianbao.report/2` document as the service writes it (the fields the index and the
    /// history read).
    public static func document(organ: String, year: Int, verdict: String, sha: String, checkedAt: String,
                                carryNext: [Int?] = [1, 0, 0, 0, 0, 0, 1], codes: [String] = []) -> [UInt8] {
        let cells: [[String: Any]] = carryNext.map { $0.map { ["state": "number", "value": $0] } ?? ["state": "blank"] }
        let root: [String: Any] = [
            "schema": "nianbao.report/2", "verdict": verdict, "sha256": sha, "checked_at": checkedAt,
            "errors": verdict == "accepted" ? 0 : codes.count, "warnings": 0,
            "report": [
                "organ": organ, "year": year, "table_edition": "2021",
                "table3": ["rows": [["key": "carry_next", "cells": cells], ["key": "new", "cells": cells]]],
                "table4": ["cells": (0..<15).map { ["state": "number", "value": $0] }],
            ],
            "diagnostics": codes.enumerated().map { i, code in
                ["code": code, "severity": "error", "message": "问题 \(i)", "section": 3, "row": "new", "column_key": "total"]
            },
        ]
        return [UInt8](try! JSONSerialization.data(withJSONObject: root))
    }
}
