import Foundation
import NianbaoKit

/// Turns a dropped file into what the checker reads. Plain text is decoded by the library;
/// other formats go through their readers.
enum ReportInput {
    static func make(fileName: String, path: String, bytes: [UInt8]) -> CheckInput {
        CheckInput(fileName: fileName, bytes: bytes, format: "txt")
    }
}
