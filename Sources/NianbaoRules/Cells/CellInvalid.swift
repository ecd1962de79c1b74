import NianbaoCore
import NianbaoModel
import NianbaoText

/// `cell-invalid`: one of the cell checks shared in CellContent.swift
struct CellInvalid: Rule {
    let code = Code.cellInvalid
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "单元格须为数字", en: "Cells hold numbers, not text")
    let help = Localized(zh: "只填阿拉伯数字，不加文字或单位。", en: "Write digits only, without words or units.")
    let example = Localized(zh: "error[cell-invalid]: “（一）予以公开”行“自然人”列为“1O”，不是数字",
                           en: "error[cell-invalid]: row \"(1) Disclosed\", column \"Natural persons\" holds \"1O\", not a number")
    func check(_ input: RuleInput) -> [Diagnostic] {
        CellContent(code: code, summary: summary, help: help, example: example, state: .invalid).check(input)
    }
}
