/// Findings about the file itself rather than its content: raised by the pipeline (a file that
/// cannot be opened, read or parsed) and by the daemon (a file that stopped a check). They are
/// listed with the rules so that `rules` and `explain` know every code a note can carry.
public struct IntakeRule: Rule {
    public let code: String
    public let defaultSeverity: Severity = .error
    public let summary: Localized
    public let example: String

    public func check(_ input: RuleInput) -> [Diagnostic] { [] }

    public static let all: [IntakeRule] = [
        IntakeRule(code: "file-unreadable",
                   summary: Localized(zh: "文件无法打开或读取（不存在、无权限、不是普通文件、为空或编码无法识别）",
                                      en: "The file cannot be opened or read (missing, no permission, not a regular file, empty or undecodable)"),
                   example: "错误[file-unreadable]：无法读取文件内容：文件为空"),
        IntakeRule(code: "not-a-regular-file",
                   summary: Localized(zh: "收件目录中放入的是符号链接、文件夹、管道或设备，不是报告文件；不读取",
                                      en: "A symbolic link, folder, pipe or device was dropped instead of a report file; it is not read"),
                   example: "错误[not-a-regular-file]：收件目录中的这一项是符号链接（快捷方式），不是报告文件本身；服务没有读取它"),
        IntakeRule(code: "file-too-large",
                   summary: Localized(zh: "文件超过服务配置的大小上限，未读取", en: "The file exceeds the configured size limit and was not read"),
                   example: "错误[file-too-large]：文件大小 300.0 MiB，超过上限 64.0 MiB"),
        IntakeRule(code: "file-too-long",
                   summary: Localized(zh: "文字过长，只读取了开头部分", en: "The text is too long; only its start was read"),
                   example: "错误[file-too-long]：文件过长，只读取了前 4000000 个字符"),
        IntakeRule(code: "unsupported-format",
                   summary: Localized(zh: "文件格式无法读取（.doc、WPS、图片、压缩包等）", en: "A format nianbao does not read (.doc, WPS, images, archives…)"),
                   example: "错误[unsupported-format]：文件是压缩包，无法直接读取。"),
        IntakeRule(code: "corrupt-file",
                   summary: Localized(zh: "文件已损坏、不完整或与其格式不符", en: "The file is damaged, truncated or not what it claims to be"),
                   example: "错误[corrupt-file]：文件已损坏或不完整，无法读取。"),
        IntakeRule(code: "too-large",
                   summary: Localized(zh: "文件内部内容超出读取上限（如嵌入大图片）", en: "Content inside the file exceeds the reader's limits"),
                   example: "错误[too-large]：文件过大，超出本系统的处理上限。"),
        IntakeRule(code: "hostile-file",
                   summary: Localized(zh: "文件结构异常（压缩炸弹、实体展开等），拒绝读取", en: "A file built to harm the reader (zip bomb, entity expansion…) is refused"),
                   example: "错误[hostile-file]：文件结构异常，已拒绝读取。"),
        IntakeRule(code: "timeout",
                   summary: Localized(zh: "提取文字超时", en: "Extracting the text took longer than the time limit"),
                   example: "错误[timeout]：读取文件超时，未能提取其中的文字。"),
        IntakeRule(code: "no-text-layer",
                   summary: Localized(zh: "PDF 没有文字层（扫描件或图片）", en: "A PDF without a text layer (scanned pages)"),
                   example: "错误[no-text-layer]：PDF 文件没有文字层（可能是扫描件或图片）。"),
        IntakeRule(code: "pdftotext-missing",
                   summary: Localized(zh: "服务器未安装 pdftotext（poppler-utils），无法读取 PDF", en: "pdftotext (poppler-utils) is not installed, so PDFs cannot be read"),
                   example: "错误[pdftotext-missing]：服务器未安装 PDF 文字提取工具（pdftotext）。"),
        IntakeRule(code: "io-error",
                   summary: Localized(zh: "读取文件时服务器发生系统错误", en: "An I/O failure on the server while reading the file"),
                   example: "错误[io-error]：读取文件时发生系统错误，请稍后重试。"),
        IntakeRule(code: "reader-crashed",
                   summary: Localized(zh: "解析文件的子进程异常中止（文件内部结构异常）；服务本身不受影响",
                                      en: "The child process that parsed the file stopped abnormally; the service is not affected"),
                   example: "错误[reader-crashed]：读取此文件时解析程序异常中止（文件内部结构异常），未能读取其中的文字。"),
        IntakeRule(code: "check-crashed",
                   summary: Localized(zh: "上次审核此文件时服务意外中止；为保护其他报告，此文件不再自动审核",
                                      en: "The service stopped while checking this file; it is not checked again automatically, to protect the other reports"),
                   example: "错误[check-crashed]：审核此文件时服务意外中止，未能完成审核。"),
    ]
}
