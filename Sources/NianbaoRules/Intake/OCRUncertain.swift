import NianbaoCore

/// `ocr-uncertain`: on a scan read by OCR, a figure read with low confidence that breaks an
/// identity or is not a number. The misread must not count against the office: the finding it
/// would have raised becomes this warning, naming the page, row and column and what was read, for
/// a person to look at. (Raised by the pipeline, which knows the reader's confidence; see
/// `Checker`.)
public struct OCRUncertain: Rule {
    public let code = Code.ocrUncertain
    public let defaultSeverity = Severity.warning
    public let summary = Localized(zh: "扫描件中识别把握不大的数字（可能识别错误），请人工核对",
                                   en: "A figure of a scan read with low confidence (possibly misread): check it by eye")
    public let help = Localized(zh: "请对照扫描件核对该单元格；如扫描件中的数字确实有误，请改正后重新提交，最好提交由 Word 直接导出的 PDF 或 .docx。",
                                en: "Compare the cell with the scan; if the figure in the scan is wrong, correct it and submit again, preferably as a PDF exported from Word or as .docx.")
    public let example = Localized(zh: "警告[ocr-uncertain]：第 3 页“（七）总计”行“自然人”列识别为 147，请核对",
                                   en: "warning[ocr-uncertain]: page 3, row \"(7) Total\", column \"Natural persons\" was read as 147: please check")
    public init() {}
    public func check(_ input: RuleInput) -> [Diagnostic] { [] }
}
