import Foundation
import NianbaoKit
import Testing
import NianbaoRender
import NianbaoCore

/// `ReportDocument` reads back what `DocumentJSON` writes: the one reader of published results.
@Suite("the report JSON read back")
struct ReportDocumentTests {
    static let files = Fixtures.seeds + [Fixtures.huaian, "template-2021.docx"]

    @Test("what a published document says is what the check found", arguments: files)
    func readsBackTheCheck(_ name: String) throws {
        let pipeline = Pipeline()
        let result = pipeline.check(pipeline.input(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "2026-12-04T20:00:00+08:00")
        let doc = try ReportDocument.decode(result.json.bytes(pretty: false))
        #expect(doc.schema == DocumentJSON.schema)
        #expect(doc.file == name)
        #expect(doc.sha256 == result.sha256)
        #expect(doc.checkedAt == "2026-12-04T20:00:00+08:00")
        #expect(doc.verdict == result.verdict)
        #expect(doc.errors == result.errors && doc.warnings == result.warnings)
        #expect(doc.codes == result.rulesFired)
        #expect(doc.diagnostics.count == result.diagnostics.count)
        for (d, f) in zip(result.diagnostics, doc.diagnostics) {
            #expect(f.code == d.code.rawValue && f.severity == d.severity && f.row == d.row && f.columnKey == d.columnKey)
        }
        let report = try #require(doc.report)
        #expect(report.organ == result.report?.organ)
        #expect(report.year == result.report?.year)
        #expect(report.editionOfTables == (result.report?.tableEdition ?? result.report?.edition)?.rawValue)
        // the figures a summary files, as the service records them
        let outcome = CheckOutcome(result, fileName: name, language: .zh, noteEncoding: .utf8)
        #expect(report.table3.figures == outcome.recorded.table3Figures)
        #expect(report.table4.figures == outcome.recorded.table4Figures || (!report.table4.present && outcome.recorded.table4Figures.isEmpty))
    }

    @Test func anythingElseIsNotAReportDocument() throws {
        let pipeline = Pipeline()
        let seed = Fixtures.seeds[1]
        let bytes = pipeline.check(pipeline.input(fileName: seed, bytes: try Fixtures.bytes(seed)), checkedAt: "x").json.bytes()
        for bad: [UInt8] in [
            Array(bytes.prefix(bytes.count / 2)),  // cut short
            Array(#"{"schema":"other/1","file":"a"}"#.utf8),
            Array(#"{"file":"a"}"#.utf8),
            Array("not json at all".utf8), [], [0xFF, 0xFE, 0x00],
            Array(#"{"schema":"nianbao.report/2","verdict":"failed"}"#.utf8),  // a verdict `Verdict` does not name
        ] {
            let error = #expect(throws: NianbaoError.self) { try ReportDocument.decode(bad) }
            #expect(error?.code == .notAReportDocument)
        }
    }
}
