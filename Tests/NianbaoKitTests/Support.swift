import NianbaoTestSupport
import Foundation
import NianbaoText
import NianbaoModel
import NianbaoExtract

/// Test fixtures live in Tests/Fixtures (copied from the project's shared fixtures).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

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

    static let seeds = [
        "000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt",
        "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt",
    ]
    static let huaian = "huaian-2024.layout.txt"
}

