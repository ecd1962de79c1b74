import NianbaoModel
import NianbaoCore

/// One finding per table whose values could not be placed in cells with confidence.
struct TableUnreadable: Rule {
    let code = Code.tableUnreadable
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "表格的数值无法可靠地对应到行和列（文字顺序被打乱），本表未核对",
                            en: "A table's values cannot be placed in rows and columns with confidence; it was not checked")
    let help = Localized(zh: "请提交原始 .docx 文件，或由 Word/WPS 直接导出的 PDF，不要提交从 PDF 或网页复制出来的文字。",
                         en: "Submit the original .docx, or a PDF exported directly from Word/WPS, not text copied out of a PDF or web page.")
    let example = Localized(zh: "error[table-unreadable]: 第三部分表格的数值无法可靠地对应到行和列：“（一）予以公开”行读到 0 个，“二、上年结转…”行读到 84 个",
                            en: "error[table-unreadable]: Section 3's table cannot be read with confidence: row \"(1) Disclosed\" holds 0, row \"II. Requests carried over from last year\" holds 84 (the format has 7 per row)")

    func check(_ input: RuleInput) -> [Diagnostic] {
        TableReadability.unreadable(input.report, rows: input.rows).map { u in
            let name = ["", "", "第二部分", "第三部分", "第四部分"][u.section]
            let nameEN = ["", "", "Section 2", "Section 3", "Section 4"][u.section]
            return finding(
                Localized(zh: "\(name)表格的数值无法可靠地对应到行和列：\(u.reason.zh)。可能是从 PDF 或网页复制文字时顺序被打乱，本表未核对",
                          en: "\(nameEN)'s table cannot be read with confidence: \(u.reason.en). The text's order was probably scrambled when it was copied out of a PDF or web page; the table was not checked"),
                help: Localized(zh: "请提交原始 .docx 文件，或由 Word/WPS 直接导出的 PDF，不要提交从 PDF 或网页复制出来的文字。",
                                en: "Submit the original .docx, or a PDF exported directly from Word/WPS, not text copied out of a PDF or web page."),
                at: u.position, section: u.section)
        }
    }
}
