import NianbaoTestSupport
import Foundation
import NianbaoText
import NianbaoModel
import NianbaoExtract

/// Test fixtures live in Tests/Fixtures (copied from the project's shared fixtures).
enum Fixtures {
    static let directory = TestFixtures.directory

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name)))
    }

    static func text(_ name: String) throws -> String {
        try TextDecoder.decode(bytes(name)).text
    }

    static func report(_ name: String) throws -> AnnualReport {
        Extractor.extract(TextDocument(try text(name)))
    }

    static let seeds = ReportBuilder.seeds
    static let huaian = ReportBuilder.huaian
}

