import Foundation
import NianbaoKit
import NianbaoReaders

/// Turns a dropped file into what the checker reads: plain text is decoded by the library,
/// Word, HTML and PDF files go through their readers, and a file no reader handles becomes a
/// read failure that the note explains.
enum ReportInput {
    /// What the person who submitted the file can do about it.
    static func help(for error: ReaderError) -> Localized {
        switch error {
        case .pdftotextMissing:
            return Localized(zh: "本服务器暂时无法审核 PDF：请改交 .docx 或 .txt 格式的报告；管理员可安装 poppler-utils 解决。",
                             en: "PDF cannot be checked on this server: submit .docx or .txt; the operator can install poppler-utils.")
        case .noTextLayer:
            return Localized(zh: "PDF 中没有文字（扫描件或图片），无法核对数字：请从 Word/WPS 原文件直接另存为 PDF，或提交 .docx。",
                             en: "The PDF has no text (scanned or pictures): save it from the Word/WPS original, or submit .docx.")
        case .unsupported:
            return Localized(zh: "请用 Word 或 WPS 另存为 .docx（或导出为 .pdf）后重新提交。",
                             en: "Save it as .docx (or export .pdf) from Word or WPS and submit again.")
        case .tooLarge, .hostile:
            return Localized(zh: "请从 Word/WPS 重新导出报告（不要嵌入大图片或其他文件）后提交。",
                             en: "Export the report again from Word/WPS, without large embedded pictures or files.")
        case .timeout, .io:
            return Localized(zh: "请稍后重新提交；如仍失败，请联系管理员。", en: "Submit again later; if it fails again, contact the operator.")
        default:
            return Localized(zh: "文件已损坏或格式不符：请重新导出为 .docx、.pdf（含文字层）或 .txt 后提交。",
                             en: "The file is damaged or not what it claims: export it again as .docx, .pdf or .txt.")
        }
    }

    /// For the command line: the input for the file at `path`, or nil (said on stderr) when the
    /// file cannot be read at all, which is an I/O error rather than a verdict.
    static func load(_ path: String) -> CheckInput? {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("nianbao: cannot read \(path)\n".utf8))
            return nil
        }
        return make(fileName: (path as NSString).lastPathComponent, path: path, bytes: [UInt8](data))
    }

    /// Reads the file at `path` once and turns it into the checker's input.
    static func make(fileName: String, path: String) -> CheckInput {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = String(cString: strerror(errno))
            return CheckInput(
                fileName: fileName, bytes: [], format: "unknown",
                failure: ReadFailure(
                    code: "file-unreadable",
                    message: Localized(zh: "服务器无法读取此文件（\(reason)）", en: "The server cannot read this file (\(reason))"),
                    help: Localized(zh: "请重新提交；如仍失败，请联系管理员。", en: "Submit it again; if that fails, contact the operator.")))
        }
        return make(fileName: fileName, path: path, bytes: [UInt8](data))
    }

    /// The checker's input for a file already in memory (`path` is used for PDFs, which
    /// pdftotext reads from disk).
    static func make(fileName: String, path: String, bytes: [UInt8]) -> CheckInput {
        let format = FormatDetector.detect(bytes: bytes, fileName: fileName)
        // plain text (and an empty file) is decoded by the library, which names what is wrong
        if format == .txt || bytes.isEmpty {
            return CheckInput(fileName: fileName, bytes: bytes, format: "txt")
        }
        do {
            let out = format == .pdf
                ? try DocumentReader.read(fileAt: path)
                : try DocumentReader.read(bytes: bytes, fileName: fileName)
            return CheckInput(fileName: fileName, bytes: bytes, format: out.format.reportName, text: out.text,
                              encoding: out.encoding)
        } catch {
            return CheckInput(
                fileName: fileName, bytes: bytes, format: format.reportName,
                failure: ReadFailure(code: error.code, message: Localized(zh: error.messageZH, en: error.messageEN),
                                     help: help(for: error)))
        }
    }
}
