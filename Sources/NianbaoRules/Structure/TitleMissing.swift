import NianbaoModel
import NianbaoText
import NianbaoCore

struct TitleMissing: Rule {
    let code = Code.titleMissing
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "须有标题，写明机关名称和报告年度", en: "The title names the organ and the report year")
    let help = Localized(zh: "在第一行写明标题：机关全称、报告年度和“政府信息公开工作年度报告”。", en: "Put the title on the first line: the organ's full name, the report year and the words for annual report on open government information.")
    let example = Localized(zh: "error[title-missing]: 未找到报告标题（应如“××镇人民政府2020年政府信息公开工作年度报告”）",
                            en: "error[title-missing]: No report title found")
    func check(_ input: RuleInput) -> [Diagnostic] {
        let r = input.report
        var out: [Diagnostic] = []
        let pos = r.titleLine.map { SourcePosition(line: $0, column: 1) }
        if r.title == nil {
            out.append(finding(
                Localized(zh: "未找到报告标题", en: "No report title found"),
                help: Localized(zh: "在第一行写明标题，如“××镇人民政府2020年政府信息公开工作年度报告”。",
                                en: "Put the title on the first line, e.g. \"××镇人民政府2020年政府信息公开工作年度报告\"."),
                at: SourcePosition(line: 1, column: 1),
                expected: Localized(zh: "××2020年政府信息公开工作年度报告", en: "a title naming the organ and the year"), actual: .absent))
        }
        if r.year == nil {
            out.append(finding(
                Localized(zh: "未能确定报告年度（标题中应有“20××年”）", en: "The report year cannot be told (the title should name it)"),
                help: Localized(zh: "在标题中写明报告年度，如“2020年政府信息公开工作年度报告”。",
                                en: "State the year in the title."),
                at: pos, expected: Localized(zh: "20××年", en: "the report year"), actual: .absent))
        }
        // the organ may have been read from the signature: the title must still name it
        if let title = r.title, r.organ.map({ !Self.title(title, names: $0) }) ?? true {
            out.append(finding(
                Localized(zh: "标题中未写明机关名称", en: "The title does not name the organ"),
                help: r.organ.map { o in Localized(zh: "标题应以机关全称开头，如“\(o)\(title)”（落款为\(o)）。", en: "Begin the title with the organ's full name (the signature reads \"\(o)\").") }
                    ?? Localized(zh: "标题应以机关全称开头，如“××镇人民政府”。", en: "Begin the title with the organ's full name."),
                at: pos, expected: Localized(zh: "机关名称", en: "the organ's name"), actual: .absent))
        }
        return out
    }

    /// Whether `title` names `organ`, as Foundation's `contains` tells. Nearly every title holds
    /// the name byte for byte, which is found without Foundation's search (a bridge to NSString
    /// per report); only a title that does not is searched as Foundation searches (canonically
    /// equivalent forms alike).
    static func title(_ title: String, names organ: String) -> Bool {
        let literal = title.utf8.withContiguousStorageIfAvailable { t in
            organ.utf8.withContiguousStorageIfAvailable { o in Search.firstOffset(of: o, in: t) != nil }
        }
        if literal == true { return true }
        return title.contains(organ)
    }
}
