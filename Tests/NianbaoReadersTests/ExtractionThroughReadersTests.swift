import Foundation
import Testing
import NianbaoKit

@testable import NianbaoReaders

@Suite struct ExtractionThroughReadersTests {
    @Test func dump() throws {
        let text = try DocxReader.text(from: try Fixtures.bytes("template-2021.docx"))
        try text.write(toFile: "/tmp/template.txt", atomically: true, encoding: .utf8)
        let t2 = try DocxReader.text(from: try DocxReaderTests.filledTemplate())
        try t2.write(toFile: "/tmp/filled.txt", atomically: true, encoding: .utf8)
    }
}
