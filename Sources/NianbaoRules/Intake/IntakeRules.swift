/// Findings about the file itself rather than its content: raised by the pipeline (a file that
/// cannot be opened, read or parsed) and by the daemon (a file that stopped a check). They are
/// listed with the rules so that `rules` and `explain` know every code a note can carry.
public struct IntakeRule: Rule {
    public let code: Code
    public let defaultSeverity: Severity = .error
    public let summary: Localized
    public let help: Localized
    public let example: Localized

    public func check(_ input: RuleInput) -> [Diagnostic] { [] }

    public static let all: [IntakeRule] = [
        IntakeRule(code: .fileUnreadable,
                   summary: Localized(zh: "文件无法打开或读取（不存在、无权限、不是普通文件、为空或编码无法识别）",
                                      en: "The file cannot be opened or read (missing, no permission, not a regular file, empty or undecodable)"),
                   help: Localized(zh: "确认文件存在、可以读取且不为空，再重新放入。", en: "Check that the file exists, can be read and is not empty, then drop it again."),
                   example: Localized(zh: "错误[file-unreadable]：无法读取文件内容：文件为空", en: "error[file-unreadable]: The file's content cannot be read: the file is empty")),
        IntakeRule(code: .notARegularFile,
                   summary: Localized(zh: "收件目录中放入的是符号链接、文件夹、管道或设备，不是报告文件；不读取",
                                      en: "A symbolic link, folder, pipe or device was dropped instead of a report file; it is not read"),
                   help: Localized(zh: "请放入报告文件本身，不要放快捷方式、文件夹或其他特殊文件。", en: "Drop the report file itself, not a shortcut, a folder or another special file."),
                   example: Localized(zh: "错误[not-a-regular-file]：收件目录中的这一项是符号链接（快捷方式），不是报告文件本身；服务没有读取它", en: "error[not-a-regular-file]: This entry in the inbox is a symbolic link (a shortcut), not the report file; the service did not read it")),
        IntakeRule(code: .fileTooLarge,
                   summary: Localized(zh: "文件超过服务配置的大小上限，未读取", en: "The file exceeds the configured size limit and was not read"),
                   help: Localized(zh: "请提交不超过上限的文件：压缩或删去文中的大图片后重新导出。", en: "Submit a file under the limit: compress or remove large pictures and export again."),
                   example: Localized(zh: "错误[file-too-large]：文件大小 300.0 MiB，超过上限 64.0 MiB", en: "error[file-too-large]: The file is 300.0 MiB, over the limit of 64.0 MiB")),
        IntakeRule(code: .fileTooLong,
                   summary: Localized(zh: "文字过长，只读取了开头部分", en: "The text is too long; only its start was read"),
                   help: Localized(zh: "请只提交年度报告本身，不要把多份文件合在一起。", en: "Submit the annual report alone, not several documents joined together."),
                   example: Localized(zh: "错误[file-too-long]：文件过长，只读取了前 4000000 个字符", en: "error[file-too-long]: The file is too long; only its first 4000000 characters were read")),
        IntakeRule(code: .unsupportedFormat,
                   summary: Localized(zh: "文件格式无法读取（.doc、WPS、图片、压缩包等）", en: "A format nianbao does not read (.doc, WPS, images, archives…)"),
                   help: Localized(zh: "请另存为 .docx、.pdf 或 .txt 后重新提交。", en: "Save the report as .docx, .pdf or .txt and submit it again."),
                   example: Localized(zh: "错误[unsupported-format]：文件是压缩包，无法直接读取。", en: "error[unsupported-format]: The file is an archive and cannot be read directly.")),
        IntakeRule(code: .corruptFile,
                   summary: Localized(zh: "文件已损坏、不完整或与其格式不符", en: "The file is damaged, truncated or not what it claims to be"),
                   help: Localized(zh: "请用原程序重新保存或导出文件后重新提交。", en: "Save or export the file again from the program that made it, and submit it again."),
                   example: Localized(zh: "错误[corrupt-file]：文件已损坏或不完整，无法读取。", en: "error[corrupt-file]: The file is damaged or incomplete and cannot be read.")),
        IntakeRule(code: .tooLarge,
                   summary: Localized(zh: "文件内部内容超出读取上限（如嵌入大图片）", en: "Content inside the file exceeds the reader's limits"),
                   help: Localized(zh: "请删去或压缩文中的大图片、嵌入对象后重新导出。", en: "Remove or compress large pictures and embedded objects, then export again."),
                   example: Localized(zh: "错误[too-large]：文件过大，超出本系统的处理上限。", en: "error[too-large]: The file is too large for the reader's limits.")),
        IntakeRule(code: .hostileFile,
                   summary: Localized(zh: "文件结构异常（压缩炸弹、实体展开等），拒绝读取", en: "A file built to harm the reader (zip bomb, entity expansion…) is refused"),
                   help: Localized(zh: "请用 Word 或 WPS 重新保存文件后重新提交。", en: "Save the file again with Word or WPS and submit it again."),
                   example: Localized(zh: "错误[hostile-file]：文件结构异常，已拒绝读取。", en: "error[hostile-file]: The file's structure is abnormal; it was not read.")),
        IntakeRule(code: .timeout,
                   summary: Localized(zh: "提取文字超时", en: "Extracting the text took longer than the time limit"),
                   help: Localized(zh: "请重新导出文件（如另存为 .docx）后重新提交。", en: "Export the file again (for example as .docx) and submit it again."),
                   example: Localized(zh: "错误[timeout]：读取文件超时，未能提取其中的文字。", en: "error[timeout]: Reading the file timed out; its text could not be extracted.")),
        IntakeRule(code: .noTextLayer,
                   summary: Localized(zh: "PDF 没有文字层（扫描件或图片）", en: "A PDF without a text layer (scanned pages)"),
                   help: Localized(zh: "请提交由 Word/WPS 直接导出的 PDF 或 .docx 文件，不要提交扫描件。", en: "Submit a PDF exported directly from Word/WPS, or the .docx, not a scan."),
                   example: Localized(zh: "错误[no-text-layer]：PDF 文件没有文字层（可能是扫描件或图片）。", en: "error[no-text-layer]: The PDF has no text layer (probably a scan or pictures).")),
        IntakeRule(code: .pdftotextMissing,
                   summary: Localized(zh: "服务器未安装 pdftotext（poppler-utils），无法读取 PDF", en: "pdftotext (poppler-utils) is not installed, so PDFs cannot be read"),
                   help: Localized(zh: "请改交 .docx 或 .txt 文件，或请管理员在服务器上安装 poppler-utils。", en: "Submit a .docx or .txt instead, or ask the administrator to install poppler-utils on the server."),
                   example: Localized(zh: "错误[pdftotext-missing]：服务器未安装 PDF 文字提取工具（pdftotext）。", en: "error[pdftotext-missing]: The PDF text extractor (pdftotext) is not installed on the server.")),
        IntakeRule(code: .ioError,
                   summary: Localized(zh: "读取文件时服务器发生系统错误", en: "An I/O failure on the server while reading the file"),
                   help: Localized(zh: "请稍后重新放入文件；如仍失败，请联系管理员。", en: "Drop the file again later; if it still fails, contact the administrator."),
                   example: Localized(zh: "错误[io-error]：读取文件时发生系统错误，请稍后重试。", en: "error[io-error]: A system error occurred while reading the file; try again later.")),
        IntakeRule(code: .readerCrashed,
                   summary: Localized(zh: "解析文件的子进程异常中止（文件内部结构异常）；服务本身不受影响",
                                      en: "The child process that parsed the file stopped abnormally; the service is not affected"),
                   help: Localized(zh: "请用原程序重新保存或导出文件（如另存为 .docx 或 PDF）后重新提交。", en: "Save or export the file again (as .docx or PDF) and submit it again."),
                   example: Localized(zh: "错误[reader-crashed]：读取此文件时解析程序异常中止（文件内部结构异常），未能读取其中的文字。", en: "error[reader-crashed]: The parser stopped abnormally while reading this file; its text could not be read.")),
        IntakeRule(code: .checkCrashed,
                   summary: Localized(zh: "上次审核此文件时服务意外中止；为保护其他报告，此文件不再自动审核",
                                      en: "The service stopped while checking this file; it is not checked again automatically, to protect the other reports"),
                   help: Localized(zh: "请重新保存文件后重新提交；如仍失败，请联系管理员。", en: "Save the file again and submit it again; if it fails again, contact the administrator."),
                   example: Localized(zh: "错误[check-crashed]：审核此文件时服务意外中止，未能完成审核。", en: "error[check-crashed]: The service stopped while checking this file; the check did not finish.")),
    ]
}
