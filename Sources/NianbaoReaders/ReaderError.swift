import NianbaoCore

/// Why a document could not be turned into text.
///
/// Each case carries a Chinese message for the note shown to office staff (`messageZH`) and an
/// English one for logs (`messageEN`).
public enum ReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is in a format nianbao does not read (Excel, images, archives…).
    case unsupported(DocumentFormat)
    /// The file claims a format it does not hold, is truncated, or is otherwise unreadable.
    case corrupt(String)
    /// The file, or something inside it, is larger than nianbao accepts.
    case tooLarge(String)
    /// The file is built to harm the reader (zip bomb, entity expansion, absurd nesting…).
    case hostile(String)
    /// Extracting the text took longer than the time limit.
    case timeout
    /// A scan was not read by OCR within its time limit (`ocr_timeout`, in seconds).
    case scanTimeout(Int)
    /// A PDF or OFD without a text layer (a scan or images of pages).
    case noTextLayer
    /// `pdftotext` (poppler-utils) is not installed, so PDFs cannot be read.
    case pdftotextMissing
    /// LibreOffice (`libreoffice-writer-nogui`) is not installed, so this format (.doc, .rtf,
    /// .odt, .wps), read by converting it to .docx, cannot be read.
    case converterMissing(DocumentFormat)
    /// LibreOffice could not convert the document (it is damaged, or not what it claims), or
    /// did not finish within the time limit.
    case conversionFailed(DocumentFormat, String)
    /// Tesseract or its Chinese data (tesseract-ocr, tesseract-ocr-chi-sim) is not installed, so
    /// a scan cannot be read by OCR.
    case ocrMissing(String)
    /// An I/O failure on our side (temporary file, child process).
    case io(String)
    /// The reader stopped abnormally on this file (a trap or a signal in the child process
    /// that read it); the service itself goes on.
    case crashed(String)

    /// A stable machine-readable code, for logs and JSON.
    public var code: Code {
        switch self {
        case .unsupported: return .unsupportedFormat
        case .corrupt: return .corruptFile
        case .tooLarge: return .tooLarge
        case .hostile: return .hostileFile
        case .timeout, .scanTimeout: return .timeout
        case .noTextLayer: return .noTextLayer
        case .pdftotextMissing: return .pdftotextMissing
        case .converterMissing: return .libreofficeMissing
        case .conversionFailed: return .conversionFailed
        case .ocrMissing: return .ocrMissing
        case .io: return .ioError
        case .crashed: return .readerCrashed
        }
    }

    /// The detail carried by the case ("" for cases without one; the format's raw value for
    /// `.unsupported`), so that an error crosses a process boundary as code + detail.
    public var detail: String {
        switch self {
        case .unsupported(let format), .converterMissing(let format): return format.rawValue
        case .conversionFailed(let format, let d): return format.rawValue + ":" + d
        case .corrupt(let d), .tooLarge(let d), .hostile(let d), .io(let d), .crashed(let d), .ocrMissing(let d): return d
        case .scanTimeout(let seconds): return Self.scanTimeoutDetail + String(seconds)
        case .timeout, .noTextLayer, .pdftotextMissing: return ""
        }
    }

    /// The error with this `code` and `detail`; nil for an unknown code.
    public init?(code: Code, detail: String) {
        switch code {
        case .unsupportedFormat: self = .unsupported(DocumentFormat(rawValue: detail) ?? .unknown)
        case .corruptFile: self = .corrupt(detail)
        case .tooLarge: self = .tooLarge(detail)
        case .hostileFile: self = .hostile(detail)
        case .timeout:
            if detail.hasPrefix(Self.scanTimeoutDetail), let seconds = Int(detail.dropFirst(Self.scanTimeoutDetail.count)) {
                self = .scanTimeout(seconds)
            } else {
                self = .timeout
            }
        case .noTextLayer: self = .noTextLayer
        case .pdftotextMissing: self = .pdftotextMissing
        case .libreofficeMissing: self = .converterMissing(DocumentFormat(rawValue: detail) ?? .unknown)
        case .conversionFailed:
            let parts = detail.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            self = .conversionFailed(DocumentFormat(rawValue: String(parts[0])) ?? .unknown,
                                     parts.count > 1 ? String(parts[1]) : "")
        case .ocrMissing: self = .ocrMissing(detail)
        case .ioError: self = .io(detail)
        case .readerCrashed: self = .crashed(detail)
        default: return nil
        }
    }

    /// The detail of a scan's timeout, before its limit in seconds.
    static let scanTimeoutDetail = "ocr:"

    /// The start of a conversion failure's detail when LibreOffice ran out of time.
    static let conversionTimedOut = "LibreOffice did not finish within"

    static let askForSupported = "请另存为 .docx、.pdf 或 .txt 格式后重新提交。"

    /// The message for office staff, in Chinese.
    public var messageZH: String {
        switch self {
        case .unsupported(let format):
            switch format {
            case .image:
                return "文件是图片，无法读取其中的文字。请提交含文字的 .docx、.pdf 或 .txt 文件。"
            case .archive:
                return "文件是压缩包，无法直接读取。请解压后分别提交其中的报告（.docx、.pdf 或 .txt 格式）。"
            case .unknown:
                return "无法识别文件格式，无法读取。" + Self.askForSupported
            default:
                return "文件是\(format.displayName)，本系统无法读取这种格式。" + Self.askForSupported
            }
        case .corrupt:
            return "文件已损坏或不完整，无法读取。请重新导出后提交 .docx、.pdf 或 .txt 文件。"
        case .tooLarge:
            return "文件过大，超出本系统的处理上限。请删去图片等无关内容，或另存为 .docx、.pdf 或 .txt 格式后重新提交。"
        case .hostile:
            return "文件结构异常，已拒绝读取。请重新导出后提交 .docx、.pdf 或 .txt 文件。"
        case .timeout:
            return "读取文件超时，未能提取其中的文字。请另存为 .docx 或 .txt 格式，或由 Word 重新导出 PDF 后提交。"
        case .scanTimeout(let seconds):
            return "文件是扫描件，需逐页文字识别（OCR），但未能在限定的 \(seconds) 秒内识别完毕，因此未核对其中的内容。"
        case .noTextLayer:
            return "PDF 或 OFD 文件没有文字层（可能是扫描件或图片），无法读取其中的文字。请提交由 Word 直接导出的 PDF，或 .docx、.txt 文件。"
        case .pdftotextMissing:
            return "服务器未安装 PDF 文字提取工具（pdftotext），暂时无法读取 PDF 文件。请联系管理员，或改交 .docx、.txt 文件。"
        case .converterMissing(let format):
            return "服务器未安装 LibreOffice（\(OfficeConverter.package)），暂时无法读取\(format.displayName)。"
                + "请用 Word 或 WPS 另存为 .docx 后提交，或请管理员安装 \(OfficeConverter.package)。"
        case .conversionFailed(let format, let detail):
            if format == .wps {
                return "无法读取此 WPS 文档：LibreOffice 未能打开这种 WPS 格式"
                    + (detail.hasPrefix(Self.conversionTimedOut) ? "（转换超时）" : "")
                    + "。请在 WPS 文字中点击“文件”→“另存为”，“文件类型”选择“Word 文档（*.docx）”，保存后提交该 .docx 文件。"
            }
            if detail.hasPrefix(Self.conversionTimedOut) {
                return "用 LibreOffice 把\(format.displayName)转换为 .docx 超时，未能读取其中的文字。请用 Word 或 WPS 打开后另存为 .docx 再提交。"
            }
            return "用 LibreOffice 把\(format.displayName)转换为 .docx 失败（文件可能已损坏或不完整），未能读取其中的文字。"
                + "请用 Word 或 WPS 打开后另存为 .docx 再提交。"
        case .ocrMissing:
            return "文件是扫描件（图片），需要文字识别（OCR）才能读取，但服务器未安装 Tesseract 或其中文数据"
                + "（\(ScanReader.packages)）。请联系管理员安装，或改交由 Word 直接导出的 PDF、.docx 文件。"
        case .io:
            return "读取文件时发生系统错误，请稍后重试；如仍失败，请联系管理员。"
        case .crashed:
            return "读取此文件时解析程序异常中止（文件内部结构异常），未能读取其中的文字。其他报告的审核不受影响。"
        }
    }

    /// The message for logs, in English.
    public var messageEN: String {
        switch self {
        case .unsupported(let format):
            return "unsupported format: \(format.englishName); ask for .docx, .pdf or .txt"
        case .corrupt(let detail): return "corrupt or truncated file: \(detail)"
        case .tooLarge(let detail): return "file too large: \(detail)"
        case .hostile(let detail): return "hostile file refused: \(detail)"
        case .timeout: return "text extraction timed out"
        case .scanTimeout(let seconds):
            return "the file is a scan, read page by page by OCR, and it could not be read within the limit of \(seconds) s, so its content was not checked"
        case .noTextLayer: return "the PDF or OFD has no text layer (scanned pages?)"
        case .pdftotextMissing: return "pdftotext (poppler-utils) is not installed"
        case .converterMissing(let format):
            return "LibreOffice (\(OfficeConverter.package)) is not installed, so a \(format.englishName) cannot be read: "
                + "save it as .docx, or install \(OfficeConverter.package)"
        case .conversionFailed(let format, let detail):
            if format == .wps {
                return "the WPS document could not be read: LibreOffice could not open this kind of WPS file (\(detail)); "
                    + "in WPS Writer use File → Save As, type Word Document (*.docx), and submit the .docx"
            }
            return "converting the \(format.englishName) to .docx with LibreOffice "
                + (detail.hasPrefix(Self.conversionTimedOut) ? "timed out" : "failed (a damaged or incomplete file?)")
                + ": \(detail); save it as .docx from Word or WPS"
        case .ocrMissing(let detail):
            return "the file is a scan and OCR is not available (\(detail)): install \(ScanReader.packages)"
        case .io(let detail): return "I/O error: \(detail)"
        case .crashed(let detail): return "the reader stopped abnormally on this file (\(detail)); other files are not affected"
        }
    }

    public var description: String { messageEN }
}
