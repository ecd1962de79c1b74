import NianbaoCore

/// Why a document could not be turned into text: the failures a reader raises, each a
/// `NianbaoError` with its code, its detail as the cause, a Chinese message for the note shown to
/// office staff, an English one for logs, and what the person who submitted the file can do.
extension NianbaoError {
    /// A reader's failure: operation "read", the detail (when there is one) as its cause.
    static func reader(_ code: Code, detail: String, zh: String, en: String, help: Localized) -> NianbaoError {
        NianbaoError(code: code, operation: "read", cause: detail.isEmpty ? nil : .error(detail),
                     message: Localized(zh: zh, en: en), help: help)
    }

    /// A reader's detail: its cause in words ("" when it has none).
    var detail: String {
        switch cause {
        case .error(let text)?: return text
        case .errno(let code)?: return "errno \(code)"
        case nil: return ""
        }
    }

    static let askForSupported = "请另存为 .docx、.pdf 或 .txt 格式后重新提交。"

    /// The start of a conversion failure's detail when LibreOffice ran out of time.
    static let conversionTimedOut = "LibreOffice did not finish within"

    static let submitAgainLater = Localized(zh: "请稍后重新提交；如仍失败，请联系管理员。",
                                            en: "Submit again later; if it fails again, contact the operator.")

    static let exportWithoutLargeParts = Localized(zh: "请从 Word/WPS 重新导出报告（不要嵌入大图片或其他文件）后提交。",
                                                   en: "Export the report again from Word/WPS, without large embedded pictures or files.")

    /// The file is in a format nianbao does not read (Excel, images, archives…).
    public static func unsupported(_ format: DocumentFormat) -> NianbaoError {
        let zh: String
        switch format {
        case .image:
            zh = "文件是图片，无法读取其中的文字。请提交含文字的 .docx、.pdf 或 .txt 文件。"
        case .archive:
            zh = "文件是压缩包，无法直接读取。请解压后分别提交其中的报告（.docx、.pdf 或 .txt 格式）。"
        case .unknown:
            zh = "无法识别文件格式，无法读取。" + askForSupported
        default:
            zh = "文件是\(format.displayName)，本系统无法读取这种格式。" + askForSupported
        }
        return reader(.unsupportedFormat, detail: format.rawValue, zh: zh,
                      en: "unsupported format: \(format.englishName); ask for .docx, .pdf or .txt",
                      help: Localized(zh: "请用 Word 或 WPS 另存为 .docx（或导出为 .pdf）后重新提交。",
                                      en: "Save it as .docx (or export .pdf) from Word or WPS and submit again."))
    }

    /// The file claims a format it does not hold, is truncated, or is otherwise unreadable.
    public static func corrupt(_ detail: String) -> NianbaoError {
        reader(.corruptFile, detail: detail,
               zh: "文件已损坏或不完整，无法读取。请重新导出后提交 .docx、.pdf 或 .txt 文件。",
               en: "corrupt or truncated file: \(detail)",
               help: Localized(zh: "文件已损坏或格式不符：请重新导出为 .docx、.pdf（含文字层）或 .txt 后提交。",
                               en: "The file is damaged or not what it claims: export it again as .docx, .pdf or .txt."))
    }

    /// The file, or something inside it, is larger than nianbao accepts.
    public static func tooLarge(_ detail: String) -> NianbaoError {
        reader(.tooLarge, detail: detail,
               zh: "文件过大，超出本系统的处理上限。请删去图片等无关内容，或另存为 .docx、.pdf 或 .txt 格式后重新提交。",
               en: "file too large: \(detail)", help: exportWithoutLargeParts)
    }

    /// The file is built to harm the reader (zip bomb, entity expansion, absurd nesting…).
    public static func hostile(_ detail: String) -> NianbaoError {
        reader(.hostileFile, detail: detail,
               zh: "文件结构异常，已拒绝读取。请重新导出后提交 .docx、.pdf 或 .txt 文件。",
               en: "hostile file refused: \(detail)", help: exportWithoutLargeParts)
    }

    /// Extracting the text took longer than the time limit.
    public static var timeout: NianbaoError {
        reader(.timeout, detail: "",
               zh: "读取文件超时，未能提取其中的文字。请另存为 .docx 或 .txt 格式，或由 Word 重新导出 PDF 后提交。",
               en: "text extraction timed out", help: submitAgainLater)
    }

    /// The detail of a scan's timeout, before its limit in seconds.
    static let scanTimeoutDetail = "ocr:"

    /// Whether this is a scan's timeout (which names its limit), not the reader's own.
    var isScanTimeout: Bool { code == .timeout && detail.hasPrefix(Self.scanTimeoutDetail) }

    /// A scan was not read by OCR within its time limit (`ocr_timeout`, in seconds).
    public static func scanTimeout(seconds: Int) -> NianbaoError {
        reader(.timeout, detail: scanTimeoutDetail + String(seconds),
               zh: "文件是扫描件，需逐页文字识别（OCR），但未能在限定的 \(seconds) 秒内识别完毕，因此未核对其中的内容。",
               en: "the file is a scan, read page by page by OCR, and it could not be read within the limit of \(seconds) s, so its content was not checked",
               help: Localized(zh: "请提交由 Word/WPS 直接导出的 PDF 或 .docx：无需识别，即可核对；如须审核扫描件，可请管理员调大 ocr_timeout（现为 \(seconds) 秒），或提交页数更少、更清晰的扫描件（300 dpi，不倾斜）。",
                               en: "Submit the PDF exported from Word/WPS, or the .docx: it needs no OCR and is checked at once. To have the scan checked, the operator can raise ocr_timeout (now \(seconds) s), or submit a clearer scan (300 dpi, straight)."))
    }

    /// A PDF or OFD without a text layer (a scan or images of pages).
    public static var noTextLayer: NianbaoError {
        reader(.noTextLayer, detail: "",
               zh: "PDF 或 OFD 文件没有文字层（可能是扫描件或图片），无法读取其中的文字。请提交由 Word 直接导出的 PDF，或 .docx、.txt 文件。",
               en: "the PDF or OFD has no text layer (scanned pages?)",
               help: Localized(zh: "PDF 中没有文字（扫描件或图片），无法核对数字：请从 Word/WPS 原文件直接另存为 PDF，或提交 .docx。",
                               en: "The PDF has no text (scanned or pictures): save it from the Word/WPS original, or submit .docx."))
    }

    /// `pdftotext` (poppler-utils) is not installed, so PDFs cannot be read.
    public static var pdftotextMissing: NianbaoError {
        reader(.pdftotextMissing, detail: "",
               zh: "服务器未安装 PDF 文字提取工具（pdftotext），暂时无法读取 PDF 文件。请联系管理员，或改交 .docx、.txt 文件。",
               en: "pdftotext (poppler-utils) is not installed",
               help: Localized(zh: "本服务器暂时无法审核 PDF：请改交 .docx 或 .txt 格式的报告；管理员可安装 poppler-utils 解决。",
                               en: "PDF cannot be checked on this server: submit .docx or .txt; the operator can install poppler-utils."))
    }

    /// LibreOffice (`libreoffice-writer-nogui`) is not installed, so this format (.doc, .rtf,
    /// .odt, .wps), read by converting it to .docx, cannot be read.
    public static func converterMissing(_ format: DocumentFormat) -> NianbaoError {
        reader(.libreofficeMissing, detail: format.rawValue,
               zh: "服务器未安装 LibreOffice（\(OfficeConverter.package)），暂时无法读取\(format.displayName)。"
                   + "请用 Word 或 WPS 另存为 .docx 后提交，或请管理员安装 \(OfficeConverter.package)。",
               en: "LibreOffice (\(OfficeConverter.package)) is not installed, so a \(format.englishName) cannot be read: "
                   + "save it as .docx, or install \(OfficeConverter.package)",
               help: Localized(zh: "本服务器暂时无法读取\(format.displayName)：请用 Word 或 WPS 另存为 .docx 后提交；管理员可安装 \(OfficeConverter.package)（apt-get install \(OfficeConverter.package)）解决。",
                               en: "A \(format.englishName) cannot be read on this server: save it as .docx from Word or WPS; the operator can install \(OfficeConverter.package)."))
    }

    /// LibreOffice could not convert the document (it is damaged, or not what it claims), or
    /// did not finish within the time limit.
    public static func conversionFailed(_ format: DocumentFormat, _ detail: String) -> NianbaoError {
        let timedOut = detail.hasPrefix(conversionTimedOut)
        if format == .wps {
            return reader(
                .conversionFailed, detail: format.rawValue + ":" + detail,
                zh: "无法读取此 WPS 文档：LibreOffice 未能打开这种 WPS 格式"
                    + (timedOut ? "（转换超时）" : "")
                    + "。请在 WPS 文字中点击“文件”→“另存为”，“文件类型”选择“Word 文档（*.docx）”，保存后提交该 .docx 文件。",
                en: "the WPS document could not be read: LibreOffice could not open this kind of WPS file (\(detail)); "
                    + "in WPS Writer use File → Save As, type Word Document (*.docx), and submit the .docx",
                help: Localized(zh: "在 WPS 文字中打开报告，点击“文件”→“另存为”，“文件类型”选择“Word 文档（*.docx）”，保存后提交该 .docx 文件。",
                                en: "Open the report in WPS Writer, choose File → Save As, type Word Document (*.docx), and submit the .docx."))
        }
        return reader(
            .conversionFailed, detail: format.rawValue + ":" + detail,
            zh: timedOut
                ? "用 LibreOffice 把\(format.displayName)转换为 .docx 超时，未能读取其中的文字。请用 Word 或 WPS 打开后另存为 .docx 再提交。"
                : "用 LibreOffice 把\(format.displayName)转换为 .docx 失败（文件可能已损坏或不完整），未能读取其中的文字。"
                    + "请用 Word 或 WPS 打开后另存为 .docx 再提交。",
            en: "converting the \(format.englishName) to .docx with LibreOffice "
                + (timedOut ? "timed out" : "failed (a damaged or incomplete file?)")
                + ": \(detail); save it as .docx from Word or WPS",
            help: Localized(zh: "请用 Word 或 WPS 打开原文件，另存为 .docx 后重新提交。",
                            en: "Open the original in Word or WPS, save it as .docx and submit again."))
    }

    /// Tesseract or its Chinese data (tesseract-ocr, tesseract-ocr-chi-sim) is not installed, so
    /// a scan cannot be read by OCR.
    public static func ocrMissing(_ detail: String) -> NianbaoError {
        reader(.ocrMissing, detail: detail,
               zh: "文件是扫描件（图片），需要文字识别（OCR）才能读取，但服务器未安装 Tesseract 或其中文数据"
                   + "（\(ScanReader.packages)）。请联系管理员安装，或改交由 Word 直接导出的 PDF、.docx 文件。",
               en: "the file is a scan and OCR is not available (\(detail)): install \(ScanReader.packages)",
               help: Localized(zh: "本服务器暂时无法识别扫描件：请改交由 Word/WPS 直接导出的 PDF 或 .docx；管理员可安装 \(ScanReader.packages) 解决。",
                               en: "Scans cannot be read on this server: submit a PDF exported from Word/WPS, or the .docx; the operator can install \(ScanReader.packages)."))
    }

    /// An I/O failure on our side (temporary file, child process).
    public static func io(_ detail: String) -> NianbaoError {
        reader(.ioError, detail: detail,
               zh: "读取文件时发生系统错误，请稍后重试；如仍失败，请联系管理员。",
               en: "I/O error: \(detail)", help: submitAgainLater)
    }

    /// The reader stopped abnormally on this file (a trap or a signal in the child process
    /// that read it); the service itself goes on.
    public static func crashed(_ detail: String) -> NianbaoError {
        reader(.readerCrashed, detail: detail,
               zh: "读取此文件时解析程序异常中止（文件内部结构异常），未能读取其中的文字。其他报告的审核不受影响。",
               en: "the reader stopped abnormally on this file (\(detail)); other files are not affected",
               help: Localized(zh: "请用 Word 或 WPS 打开原文件，另存为新的 .docx（或导出为 .pdf）后重新提交；如仍出现此提示，请把文件交给管理员。",
                               en: "Open the original in Word or WPS, save it as a new .docx (or export .pdf) and submit again; if this recurs, give the file to the operator."))
    }
}
