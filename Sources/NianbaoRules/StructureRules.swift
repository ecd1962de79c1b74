import NianbaoModel
import NianbaoText

struct SectionMissing: Rule {
    let code = "section-missing"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "六个部分须齐全且按序排列", en: "All six sections are present, in order")
    let help = Localized(zh: "按国家格式补上缺少的部分及其内容；六个部分须按一至六的顺序排列。", en: "Add the missing section with its content; the six sections go in the order I to VI.")
    let example = Localized(zh: "error[section-missing]: 缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”",
                            en: "error[section-missing]: Section 4 (Administrative reconsideration and litigation over disclosure) is missing")
    func check(_ input: RuleInput) -> [Diagnostic] {
        let found = Set(input.report.sections.map(\.number))
        return FormatSpec.sections.filter { !found.contains($0.number) }.map { s in
            let next = input.report.sections.first { $0.number > s.number }
            return finding(
                Localized(zh: "缺少第\(s.numeral)部分“\(s.numeral)、\(s.heading)”",
                          en: "Section \(s.number) (\(s.headingEN)) is missing"),
                help: Localized(zh: "按国家格式补上“\(s.numeral)、\(s.heading)”一节及其内容；各部分须按一至六的顺序排列。",
                                en: "Add section \(s.number) with its content, headed \"\(s.numeral)、\(s.heading)\"; the six sections go in order."),
                at: next.map { SourcePosition(line: $0.line, column: 1) }, width: 2,
                label: next.map { _ in Localized(zh: "应在此之前", en: "expected before this") },
                section: s.number, expected: Localized(zh: "\(s.numeral)、\(s.heading)", en: "section \(s.number) (\(s.headingEN))"), actual: .absent)
        }
    }
}

struct SectionOrder: Rule {
    let code = "section-order"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "六个部分须按一至六的顺序排列", en: "The six sections come in order, I to VI")
    let help = Localized(zh: "按格式把六个部分排成一至六的顺序。", en: "Put the six sections in the format's order, I to VI.")
    let example = Localized(zh: "error[section-order]: 第三部分出现在第四部分之后",
                            en: "error[section-order]: Section 3 (Requests for government information received and handled) comes after section 4")
    func check(_ input: RuleInput) -> [Diagnostic] {
        // sections are listed in text order: each one numbered below an earlier one is out of place
        var out: [Diagnostic] = []
        var highest: SectionHeading?
        for h in input.report.sections {
            if let top = highest, h.number < top.number {
                let s = FormatSpec.sections[h.number - 1], t = FormatSpec.sections[top.number - 1]
                out.append(finding(
                    Localized(zh: "第\(s.numeral)部分“\(s.heading)”出现在第\(t.numeral)部分之后",
                              en: "Section \(h.number) (\(s.headingEN)) comes after section \(top.number)"),
                    help: Localized(zh: "按格式把六个部分排成一至六的顺序。", en: "Put the six sections in the format's order."),
                    at: SourcePosition(line: h.line, column: 1), width: 2,
                    label: Localized(zh: "应在第\(t.numeral)部分之前", en: "belongs before section \(top.number)"),
                    section: h.number, expected: Localized(zh: "第\(s.numeral)部分在第\(t.numeral)部分之前", en: "section \(h.number) before section \(top.number)"),
                    actual: Localized(zh: "在其后", en: "after it")))
            } else {
                highest = h
            }
        }
        return out
    }
}

/// A section found by its wording whose heading bears another section's numeral, or none.
struct SectionMisnumbered: Rule {
    let code = "section-misnumbered"
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "部分标题的编号须与格式一致（一至六）", en: "Each section heading bears its own numeral (I to VI)")
    let help = Localized(zh: "按一至六给六个部分的标题编号。", en: "Number the six section headings I to VI as the format does.")
    let example = Localized(zh: "warning[section-misnumbered]: 第四部分“政府信息公开行政复议、行政诉讼情况”的标题编号写成了“三、”",
                            en: "warning[section-misnumbered]: Section 4 (Administrative reconsideration and litigation over disclosure) is numbered as section 3")
    func check(_ input: RuleInput) -> [Diagnostic] {
        input.report.sections.compactMap { h -> Diagnostic? in
            guard let written = h.numberedAs else { return nil }
            let s = FormatSpec.sections[h.number - 1]
            let wrong = written > 0 ? FormatSpec.sections[written - 1].numeral : nil
            return finding(
                wrong.map { Localized(zh: "第\(s.numeral)部分“\(h.heading)”的标题编号写成了“\($0)、”", en: "Section \(h.number) (\(s.headingEN)) is numbered as section \(written)") }
                    ?? Localized(zh: "第\(s.numeral)部分“\(h.heading)”的标题没有编号", en: "Section \(h.number) (\(s.headingEN)) has no numeral"),
                help: Localized(zh: "改为“\(s.numeral)、\(h.heading)”；六个部分按一至六编号。", en: "Write \"\(s.numeral)、\(h.heading)\" (the numeral of section \(s.number)); the six sections are numbered I to VI."),
                at: SourcePosition(line: h.line, column: 1), width: 2,
                label: Localized(zh: "应为“\(s.numeral)、”", en: "expected the numeral of section \(s.number)"), section: h.number,
                expected: Localized(zh: "\(s.numeral)、", en: "the numeral of section \(s.number)"),
                actual: wrong.map { Localized(zh: "\($0)、", en: "the numeral of section \(written)") })
        }
    }
}

struct SectionHeadingVariant: Rule {
    let code = "section-heading-variant"
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "部分标题与格式文字不同（可接受的变体）", en: "A section heading deviates from the format's wording")
    let help = Localized(zh: "建议改用格式规定的标题文字。", en: "Use the format's wording of the heading.")
    let example = Localized(zh: "warning[section-heading-variant]: 标题“五、存在的问题及改进情况”与格式“五、存在的主要问题及改进情况”不同",
                            en: "warning[section-heading-variant]: the heading of section 5 (Main problems and improvements) is written \"五、存在的问题及改进情况\", not the format's \"五、存在的主要问题及改进情况\"")
    func check(_ input: RuleInput) -> [Diagnostic] {
        input.report.sections.filter(\.isVariant).map { h in
            let s = FormatSpec.sections[h.number - 1]
            return finding(
                Localized(zh: "标题“\(s.numeral)、\(h.heading)”与格式文字“\(s.numeral)、\(s.heading)”不同",
                          en: "the heading of section \(s.number) (\(s.headingEN)) is written \"\(s.numeral)、\(h.heading)\", not the format's \"\(s.numeral)、\(s.heading)\""),
                help: Localized(zh: "建议改为格式规定的标题“\(s.numeral)、\(s.heading)”。",
                                en: "Use the format's heading \"\(s.numeral)、\(s.heading)\"."),
                at: SourcePosition(line: h.line, column: 1), width: h.heading.unicodeScalars.count + 2,
                label: Localized(zh: "标题变体", en: "heading variant"), section: h.number,
                expected: .quoted(s.heading), actual: .quoted(h.heading))
        }
    }
}

struct TitleMissing: Rule {
    let code = "title-missing"
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
        if let title = r.title, r.organ.map({ !title.contains($0) }) ?? true {
            out.append(finding(
                Localized(zh: "标题中未写明机关名称", en: "The title does not name the organ"),
                help: r.organ.map { o in Localized(zh: "标题应以机关全称开头，如“\(o)\(title)”（落款为\(o)）。", en: "Begin the title with the organ's full name (the signature reads \"\(o)\").") }
                    ?? Localized(zh: "标题应以机关全称开头，如“××镇人民政府”。", en: "Begin the title with the organ's full name."),
                at: pos, expected: Localized(zh: "机关名称", en: "the organ's name"), actual: .absent))
        }
        return out
    }
}

struct PeriodRule: Rule {
    let code = "period-missing"
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "写明统计期限（本年1月1日至12月31日）", en: "The statistical period is stated")
    let help = Localized(zh: "在引言中写明统计期限：报告年度的1月1日至12月31日。", en: "State the statistical period, 1 January to 31 December of the report year, in the introduction.")
    let example = Localized(zh: "warning[period-missing]: 未写明统计期限（应为2020年1月1日至2020年12月31日）",
                            en: "warning[period-missing]: The statistical period is not stated")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard input.report.period == nil else { return [] }
        let y = input.report.year.map(String.init) ?? "本"
        return [finding(
            Localized(zh: "未写明统计期限", en: "The statistical period is not stated"),
            help: Localized(zh: "在引言中写明“本报告所列数据的统计期限自\(y)年1月1日起至\(y)年12月31日止”。",
                            en: "State the period, 1 January to 31 December of the report year, in the introduction."),
            at: input.report.titleLine.map { SourcePosition(line: $0, column: 1) },
            expected: Localized(zh: "\(y)年1月1日至\(y)年12月31日", en: input.report.year.map { "\($0)-01-01 to \($0)-12-31" } ?? "1 January to 31 December"),
            actual: .absent)]
    }
}

struct PeriodMismatch: Rule {
    let code = "period-mismatch"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "统计期限须为报告年度的1月1日至12月31日", en: "The period is 1 January – 31 December of the report year")
    let help = Localized(zh: "统计期限应为报告年度的1月1日至12月31日。", en: "The period is 1 January to 31 December of the report year.")
    let example = Localized(zh: "error[period-mismatch]: 统计期限 2019-01-01 至 2019-12-31 与报告年度 2020 不符",
                            en: "error[period-mismatch]: The period 2019-01-01 to 2019-12-31 does not match the report year 2020")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let p = input.report.period, let y = input.report.year else { return [] }
        let ok = p.from == (y, 1, 1) && p.to == (y, 12, 31)
        guard !ok else { return [] }
        return [finding(
            Localized(zh: "统计期限 \(p.fromISO) 至 \(p.toISO) 与报告年度 \(y) 不符",
                      en: "The period \(p.fromISO) to \(p.toISO) does not match the report year \(y)"),
            help: Localized(zh: "统计期限应为\(y)年1月1日至\(y)年12月31日。", en: "The period is \(y)-01-01 to \(y)-12-31."),
            at: p.position, width: 8, label: Localized(zh: "统计期限", en: "period"),
            expected: Localized(zh: "\(y)-01-01 至 \(y)-12-31", en: "\(y)-01-01 to \(y)-12-31"),
            actual: Localized(zh: "\(p.fromISO) 至 \(p.toISO)", en: "\(p.fromISO) to \(p.toISO)"))]
    }
}

struct EditionMismatch: Rule {
    let code = "edition-mismatch"
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

struct TableMissing: Rule {
    let code = "table-missing"
    let defaultSeverity = Severity.error
    let summary = Localized(zh: "第二、三、四部分的统计表须齐全", en: "The tables of sections 2, 3 and 4 are present")
    let help = Localized(zh: "按国家格式填入完整的统计表（表格须为文字，不能是图片）。", en: "Fill in the whole table as text, not as a picture.")
    let example = Localized(zh: "error[table-missing]: 第四部分缺少行政复议、行政诉讼统计表",
                            en: "error[table-missing]: Section 4 lacks the table of administrative reconsideration and litigation")
    func check(_ input: RuleInput) -> [Diagnostic] {
        let r = input.report
        var out: [Diagnostic] = []
        let names: [(Int, Bool, String, String)] = [
            (2, r.table2 == nil, "主动公开政府信息情况统计表", "the table of proactive disclosure"),
            (3, r.table3 == nil, "收到和处理政府信息公开申请情况统计表", "the table of requests received and handled"),
            (4, r.table4 == nil, "行政复议、行政诉讼情况统计表", "the table of administrative reconsideration and litigation"),
        ]
        for (n, missing, zh, en) in names where missing {
            let heading = r.sections.first { $0.number == n }
            out.append(finding(
                Localized(zh: "第\(FormatSpec.sections[n - 1].numeral)部分缺少\(zh)", en: "Section \(n) lacks \(en)"),
                help: Localized(zh: "按国家格式在第\(FormatSpec.sections[n - 1].numeral)部分填入完整的统计表（表格须为文字，不能是图片）。",
                                en: "Fill in the whole table in section \(n), as text (not a picture)."),
                at: heading.map { SourcePosition(line: $0.line, column: 1) }, width: 2,
                label: heading.map { _ in Localized(zh: "此部分下没有表格", en: "no table under this heading") },
                section: n, expected: Localized(zh: zh, en: en), actual: .absent))
        }
        return out
    }
}
