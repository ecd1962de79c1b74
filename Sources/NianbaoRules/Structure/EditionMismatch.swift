import NianbaoModel
import NianbaoText
import NianbaoCore

struct EditionMismatch: Rule {
    let code = Code.editionMismatch
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "表格版本须与报告年度相符（2019–2020年用2019版，2021年起用2021版）",
                            en: "The tables follow the edition for the report year (2019 edition for 2019–2020, 2021 edition from 2021)")
    let help = Localized(zh: "按报告年度所用版本的格式重新填写统计表。", en: "Redo the tables in the edition for the report year.")
    let example = Localized(zh: "error[edition-mismatch]: 2022年度报告使用了2019年（试行）版表格",
                            en: "error[edition-mismatch]: A 2022 report must use the 2021 edition (General Office letter [2021] No. 30), but its tables are the 2019 edition")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let e = input.report.edition, let t = input.report.tableEdition, e != t, let y = input.report.year else { return [] }
        // a table 三 of the other edition is table-edition-mismatch's one finding, which names 二 too
        if let three = input.report.table3Edition, three != e { return [] }
        let pos = input.report.table2?.headerPosition ?? input.report.table3?.headerPosition
        return [finding(
            Localized(zh: "\(y)年度报告应使用\(e.rawValue)版格式（\(e.document)），但表格属于\(t.rawValue)版",
                      en: "A \(y) report must use the \(e.rawValue) edition (\(e.documentEN)), but its tables are the \(t.rawValue) edition"),
            help: Localized(zh: "按\(e.document)印发的格式重新填写第二、三部分的表格。",
                            en: "Redo the tables of sections 2 and 3 in the \(e.rawValue) edition."),
            at: pos, width: 4, label: Localized(zh: "\(t.rawValue)版表格", en: "\(t.rawValue) edition table"),
            expected: e.rawValue, actual: t.rawValue)]
    }
}
