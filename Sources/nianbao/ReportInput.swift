import Foundation
import NianbaoKit
import NianbaoReaders

/// Turns a dropped file into what the checker reads: plain text is decoded by the library,
/// Word, HTML and PDF files go through their readers, and a file no reader handles becomes a
/// read failure that the note explains.
enum ReportInput {
    static func make(fileName: String, path: String, bytes: [UInt8]) -> CheckInput {
        let format = FormatDetector.detect(bytes: bytes, fileName: fileName)
        if format == .txt {
            return CheckInput(fileName: fileName, bytes: bytes, format: "txt")
        }
        do {
            let out = try DocumentReader.read(fileAt: path)
            return CheckInput(fileName: fileName, bytes: bytes, format: out.format.reportName, text: out.text,
                              encoding: out.encoding)
        } catch {
            return CheckInput(
                fileName: fileName, bytes: bytes, format: format.reportName,
                failure: ReadFailure(
                    code: error.code,
                    message: Localized(zh: error.messageZH, en: error.messageEN),
                    help: Localized(zh: "请提交 .docx、.pdf（含文字层）或 .txt 格式的报告。",
                                    en: "Submit the report as .docx, .pdf (with a text layer) or .txt.")))
        }
    }
}
