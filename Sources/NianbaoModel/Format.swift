/// The two editions of the national format.
public enum Edition: String, Sendable, Codable, CaseIterable, Hashable {
    /// 国办公开办函〔2019〕60号, 《格式（试行）》: reports for 2019 and 2020.
    case y2019 = "2019"
    /// 国办公开办函〔2021〕30号: reports for 2021 onward.
    case y2021 = "2021"

    /// The edition a report for `year` must use.
    public static func expected(forYear year: Int) -> Edition {
        year >= 2021 ? .y2021 : .y2019
    }

    public var document: String {
        switch self {
        case .y2019: return "国办公开办函〔2019〕60号"
        case .y2021: return "国办公开办函〔2021〕30号"
        }
    }

    /// The edition's name in English notes.
    public var documentEN: String {
        switch self {
        case .y2019: return "trial format, General Office letter [2019] No. 60"
        case .y2021: return "General Office letter [2021] No. 30"
        }
    }
}

/// One of the six required sections.
public struct SectionSpec: Sendable {
    public let number: Int
    public let numeral: String
    public let heading: String
    /// The heading in English notes.
    public let headingEN: String
    /// Every text accepted as this heading; the first is the format's own wording.
    public let variants: [String]
    /// Short texts of which one must appear in a line for it to be this heading.
    public let keys: [String]
}

/// A row of section 三's table.
public struct Table3RowSpec: Sendable {
    /// Stable key from `nianbao.report/2` (`granted`, `deny_secret`, …).
    public let key: String
    /// The format's label, exactly.
    public let label: String
    /// The label in English notes.
    public let labelEN: String
    /// Distinctive texts near the start of the label; any one locates the row.
    public let anchors: [String]
    /// Nesting below 三、本年度办理结果 and its groups: 0 for 一/二/四 rows, 1 for （一）…（七）, 2 for sub-items.
    public let depth: Int
    /// Whether this row is the first line of its group (its group label shares its line).
    public let firstInGroup: Bool
    /// Label columns this row's label spans (3 − depth).
    public var labelSpan: Int { 3 - depth }
    /// Empty cells a Word export leaves before this label for merged group labels above it.
    public var leadingMerges: Int { firstInGroup ? 0 : depth }
}

/// A group label of section 三 (no numbers of its own).
public struct Table3GroupSpec: Sendable {
    public let label: String
    public let labelEN: String
    public let rowKeys: [String]
}

/// A row of one section 二 block.
public struct Table2RowSpec: Sendable {
    public let key: String
    public let label: String
    public let labelEN: String
    public let anchors: [String]
}

/// A captioned block of section 二.
public struct Table2BlockSpec: Sendable {
    /// Caption, e.g. 第二十条第（一）项.
    public let caption: String
    /// The item number in the caption (一, 五, 六, 八, 九).
    public let item: String
    public let columns: [String]
    /// The column names in English notes.
    public let columnsEN: [String]
    /// Stable keys for the columns.
    public let columnKeys: [String]
    public let rows: [Table2RowSpec]
    /// Index of the money column, if the block has one, and the unit the format asks for.
    public let amountColumn: Int?
    public let amountUnit: String?
    /// Columns that may be negative (本年增/减).
    public let signedColumns: Set<Int>
}

/// A sum identity over cells: `whole` = Σ `parts`.
public struct SumIdentity: Sendable {
    public let whole: Int
    public let parts: [Int]
}

/// One edition of the national format, as data.
public struct FormatSpec: Sendable {
    public let edition: Edition
    public let sections: [SectionSpec]
    public let table2: [Table2BlockSpec]
    public let table3Rows: [Table3RowSpec]
    public let table3Groups: [Table3GroupSpec]
    /// Labels that only this edition's tables use (for telling the editions apart).
    public let markers: [String]

    public func table3RowIndex(_ key: String) -> Int? { table3Rows.firstIndex { $0.key == key } }

    /// T3-1, per column: new + carried = total + carry_next, as row indices (lhs parts, rhs parts).
    public var table3BalanceRows: (lhs: [Int], rhs: [Int]) {
        ([table3RowIndex("new")!, table3RowIndex("carried")!], [table3RowIndex("total")!, table3RowIndex("carry_next")!])
    }

    /// T3-3, per column: total = Σ result rows.
    public var table3TotalRowIdentity: SumIdentity {
        let total = table3RowIndex("total")!
        let first = table3RowIndex("granted")!
        return SumIdentity(whole: total, parts: Array(first..<total))
    }

    public static func spec(_ edition: Edition) -> FormatSpec {
        switch edition {
        case .y2019: return y2019
        case .y2021: return y2021
        }
    }

    /// Section 二 of one edition with section 三 of another, for a report whose tables mix the
    /// editions; `edition` is section 三's.
    public static func combined(table2: Edition, table3: Edition) -> FormatSpec {
        if table2 == table3 { return spec(table2) }
        let two = spec(table2), three = spec(table3)
        return FormatSpec(edition: table3, sections: sections, table2: two.table2, table3Rows: three.table3Rows,
                          table3Groups: three.table3Groups, markers: three.markers)
    }

    /// Rows of section 三 that the 2021 edition has and the 2019 edition has not (the three
    /// sub-items of （六）其他处理), and the other way round (its single row).
    public static var table3RowsOnlyIn2021: [Table3RowSpec] {
        let old = Set(y2019.table3Rows.map(\.key))
        return y2021.table3Rows.filter { !old.contains($0.key) }
    }
    public static var table3RowsOnlyIn2019: [Table3RowSpec] {
        let new = Set(y2021.table3Rows.map(\.key))
        return y2019.table3Rows.filter { !new.contains($0.key) }
    }

    // MARK: - Shared parts

    public static let table3ColumnKeys = ["natural", "commercial", "research", "nonprofit", "legal", "other", "total"]
    public static let table3ColumnLabels = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    public static let table3ColumnLabelsEN = ["Natural persons", "Commercial enterprises", "Research institutions",
                                              "Social organisations", "Legal service institutions", "Other", "Total"]
    /// T3-2, per row: total column = Σ the six applicant columns.
    public static let table3RowIdentity = SumIdentity(whole: 6, parts: [0, 1, 2, 3, 4, 5])
    public static let table3CornerNote = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

    public static let table4ColumnKeys = [
        "review_upheld", "review_corrected", "review_other", "review_pending", "review_total",
        "suit_upheld", "suit_corrected", "suit_other", "suit_pending", "suit_total",
        "after_review_upheld", "after_review_corrected", "after_review_other",
        "after_review_pending", "after_review_total",
    ]
    public static let table4Groups = ["行政复议", "未经复议直接起诉", "复议后起诉"]
    public static let table4ResultLabels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    public static func table4ColumnLabel(_ i: Int) -> String {
        let group = i < 5 ? "行政复议" : (i < 10 ? "行政诉讼·未经复议直接起诉" : "行政诉讼·复议后起诉")
        return group + "·" + table4ResultLabels[i % 5]
    }
    public static let table4GroupsEN = ["Administrative reconsideration", "Litigation without reconsideration",
                                        "Litigation after reconsideration"]
    public static let table4ResultLabelsEN = ["upheld", "corrected", "other", "pending", "total"]
    public static func table4ColumnLabelEN(_ i: Int) -> String {
        table4GroupsEN[min(i / 5, 2)] + ": " + table4ResultLabelsEN[i % 5]
    }

    // MARK: - Names in both languages

    /// A row's label by its key (any table, either edition), in Chinese and English.
    public static func rowLabel(_ key: String) -> (zh: String, en: String)? { y2021.rowLabel(key) }

    /// A row's label by its key, this edition's first, then the other's.
    public func rowLabel(_ key: String) -> (zh: String, en: String)? {
        ownRowLabel(key) ?? FormatSpec.y2021.ownRowLabel(key) ?? FormatSpec.y2019.ownRowLabel(key)
    }

    /// A row's label by its key, in this edition only.
    private func ownRowLabel(_ key: String) -> (zh: String, en: String)? {
        for r in table3Rows where r.key == key { return (r.label, r.labelEN) }
        for b in table2 {
            for r in b.rows where r.key == key { return (r.label, r.labelEN) }
        }
        return nil
    }

    /// A column's name by its key, in Chinese and English: section 三's and 四's columns, or a
    /// section 二 column of the block that holds `row`.
    public static func columnLabel(section: Int, row: String?, key: String) -> (zh: String, en: String)? {
        y2021.columnLabel(section: section, row: row, key: key)
    }

    /// A column's name by its key, a section 二 column in this edition's block first.
    public func columnLabel(section: Int, row: String?, key: String) -> (zh: String, en: String)? {
        switch section {
        case 3:
            return FormatSpec.table3ColumnKeys.firstIndex(of: key).map { (FormatSpec.table3ColumnLabels[$0], FormatSpec.table3ColumnLabelsEN[$0]) }
        case 4:
            return FormatSpec.table4ColumnKeys.firstIndex(of: key).map { (FormatSpec.table4ColumnLabel($0), FormatSpec.table4ColumnLabelEN($0)) }
        default:
            for spec in [self, FormatSpec.y2021, FormatSpec.y2019] {
                for b in spec.table2 where row == nil || b.rows.contains(where: { $0.key == row }) {
                    if let c = b.columnKeys.firstIndex(of: key) { return (b.columns[c], b.columnsEN[c]) }
                }
            }
            return nil
        }
    }
    /// T4-1…T4-3: each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    public static let table4Identities = [0, 5, 10].map { SumIdentity(whole: $0 + 4, parts: [$0, $0 + 1, $0 + 2, $0 + 3]) }

    public static let sections: [SectionSpec] = [
        SectionSpec(number: 1, numeral: "一", heading: "总体情况", headingEN: "General situation",
                    variants: ["总体情况", "总体公开工作情况"], keys: ["总体"]),
        SectionSpec(number: 2, numeral: "二", heading: "主动公开政府信息情况", headingEN: "Proactive disclosure of government information",
                    variants: ["主动公开政府信息情况", "行政机关主动公开政府信息情况", "主动公开政府信息的情况",
                               "行政机关主动公开政府信息的情况"],
                    keys: ["主动公开"]),
        SectionSpec(number: 3, numeral: "三", heading: "收到和处理政府信息公开申请情况", headingEN: "Requests for government information received and handled",
                    variants: ["收到和处理政府信息公开申请情况", "行政机关收到和处理政府信息公开申请情况",
                               "收到和处理政府信息公开申请的情况", "行政机关收到和处理政府信息公开申请的情况"],
                    keys: ["收到和处理", "公开申请情况"]),
        SectionSpec(number: 4, numeral: "四", heading: "政府信息公开行政复议、行政诉讼情况", headingEN: "Administrative reconsideration and litigation over disclosure",
                    variants: ["政府信息公开行政复议、行政诉讼情况",
                               "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                               "因政府信息公开工作被申请行政复议提起行政诉讼情况",
                               "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                               "因政府信息公开被申请行政复议和提起行政诉讼情况",
                               "因政府信息公开工作被申请行政复议、提起行政诉讼的情况"],
                    keys: ["行政复议", "行政诉讼"]),
        SectionSpec(number: 5, numeral: "五", heading: "存在的主要问题及改进情况", headingEN: "Main problems and improvements",
                    variants: ["存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况",
                               "政府信息公开工作存在的问题及改进情况", "存在的问题及改进情况", "存在问题及改进情况",
                               "政府信息公开工作存在主要问题及改进情况"],
                    keys: ["问题"]),
        SectionSpec(number: 6, numeral: "六", heading: "其他需要报告的事项", headingEN: "Other matters to report",
                    variants: ["其他需要报告的事项", "其他需要报告事项"], keys: ["其他需要报告"]),
    ]

    /// The headings as article 50 of the Regulation words the report's contents: a report may
    /// use them as they stand, so they are not flagged as variants.
    public static let regulationHeadings: Set<String> = [
        "行政机关主动公开政府信息的情况", "行政机关收到和处理政府信息公开申请的情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼的情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "政府信息公开工作存在的主要问题及改进情况",
    ]

    static func row(_ key: String, _ label: String, en: String, _ anchors: [String], depth: Int, first: Bool = false) -> Table3RowSpec {
        Table3RowSpec(key: key, label: label, labelEN: en, anchors: anchors, depth: depth, firstInGroup: first)
    }

    static let headRows: [Table3RowSpec] = [
        row("new", "一、本年新收政府信息公开申请数量", en: "I. New requests received this year", ["本年新收"], depth: 0),
        row("carried", "二、上年结转政府信息公开申请数量", en: "II. Requests carried over from last year", ["上年结转"], depth: 0),
        row("granted", "（一）予以公开", en: "(1) Disclosed", ["予以公开"], depth: 1, first: true),
        row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", en: "(2) Partly disclosed", ["部分公开"], depth: 1),
        row("deny_secret", "1.属于国家秘密", en: "1. State secrets", ["国家秘密"], depth: 2, first: true),
        row("deny_law", "2.其他法律行政法规禁止公开", en: "2. Prohibited by other laws and administrative regulations", ["行政法规禁止", "禁止公开"], depth: 2),
        row("deny_safety", "3.危及“三安全一稳定”", en: "3. Endangering the three securities and one stability", ["三安全", "一稳定"], depth: 2),
        row("deny_thirdparty", "4.保护第三方合法权益", en: "4. Protecting third parties' lawful rights", ["第三方"], depth: 2),
        row("deny_internal", "5.属于三类内部事务信息", en: "5. Internal affairs information (three kinds)", ["内部事务"], depth: 2),
        row("deny_process", "6.属于四类过程性信息", en: "6. Process information (four kinds)", ["过程性"], depth: 2),
        row("deny_enforcement", "7.属于行政执法案卷", en: "7. Administrative law-enforcement files", ["执法案卷"], depth: 2),
        row("deny_inquiry", "8.属于行政查询事项", en: "8. Administrative inquiry matters", ["查询事项"], depth: 2),
        row("unable_nothold", "1.本机关不掌握相关政府信息", en: "1. This organ does not hold the information", ["不掌握"], depth: 2, first: true),
        row("unable_create", "2.没有现成信息需要另行制作", en: "2. No existing information; it would have to be created", ["没有现成", "另行制作"], depth: 2),
        row("unable_unclear", "3.补正后申请内容仍不明确", en: "3. Request still unclear after correction", ["补正后", "仍不明确"], depth: 2),
        row("reject_petition", "1.信访举报投诉类申请", en: "1. Petitions, reports and complaints", ["信访"], depth: 2, first: true),
        row("reject_repeat", "2.重复申请", en: "2. Repeated requests", ["重复申请"], depth: 2),
        row("reject_publication", "3.要求提供公开出版物", en: "3. Requests for public publications", ["出版物"], depth: 2),
        row("reject_mass", "4.无正当理由大量反复申请", en: "4. Numerous repeated requests without proper reason", ["无正当理由由大量", "无正当理由大量", "大量反复"], depth: 2),
        row("reject_confirm", "5.要求行政机关确认或重新出具已获取信息", en: "5. Requests to confirm or reissue information already obtained", ["确认或重新", "重新出具"], depth: 2),
    ]
    static let tailRows: [Table3RowSpec] = [
        row("total", "（七）总计", en: "(7) Total", ["(七)", "总计", "合计"], depth: 1),
        row("carry_next", "四、结转下年度继续办理", en: "IV. Carried over to next year", ["结转下年度", "下年度继续"], depth: 0),
    ]
    static let headGroups: [Table3GroupSpec] = [
        Table3GroupSpec(label: "三、本年度办理结果", labelEN: "III. Results this year", rowKeys: []),
        Table3GroupSpec(label: "（三）不予公开", labelEN: "(3) Not disclosed", rowKeys: ["deny_secret", "deny_law", "deny_safety", "deny_thirdparty",
                                                     "deny_internal", "deny_process", "deny_enforcement", "deny_inquiry"]),
        Table3GroupSpec(label: "（四）无法提供", labelEN: "(4) Unable to provide", rowKeys: ["unable_nothold", "unable_create", "unable_unclear"]),
        Table3GroupSpec(label: "（五）不予处理", labelEN: "(5) Not processed", rowKeys: ["reject_petition", "reject_repeat", "reject_publication",
                                                     "reject_mass", "reject_confirm"]),
    ]

    // MARK: - 2019 trial edition

    public static let y2019 = FormatSpec(
        edition: .y2019,
        sections: sections,
        table2: [
            Table2BlockSpec(caption: "第二十条第（一）项", item: "一",
                            columns: ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                            columnsEN: ["Made this year", "Newly disclosed this year", "Total disclosed"],
                            columnKeys: ["made", "published", "total_published"],
                            rows: [Table2RowSpec(key: "rules", label: "规章", labelEN: "Rules", anchors: ["规章"]),
                                   Table2RowSpec(key: "normative", label: "规范性文件", labelEN: "Normative documents", anchors: ["规范性文件"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: []),
            Table2BlockSpec(caption: "第二十条第（五）项", item: "五",
                            columns: ["上一年项目数量", "本年增/减", "处理决定数量"],
                            columnsEN: ["Items last year", "Change this year", "Decisions"],
                            columnKeys: ["previous", "change", "decisions"],
                            rows: [Table2RowSpec(key: "licensing", label: "行政许可", labelEN: "Administrative licensing", anchors: ["行政许可"]),
                                   Table2RowSpec(key: "other_services", label: "其他对外管理服务事项", labelEN: "Other external management and services", anchors: ["其他对外管理", "对外管理服务"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: [1]),
            Table2BlockSpec(caption: "第二十条第（六）项", item: "六",
                            columns: ["上一年项目数量", "本年增/减", "处理决定数量"],
                            columnsEN: ["Items last year", "Change this year", "Decisions"],
                            columnKeys: ["previous", "change", "decisions"],
                            rows: [Table2RowSpec(key: "penalty", label: "行政处罚", labelEN: "Administrative penalties", anchors: ["行政处罚"]),
                                   Table2RowSpec(key: "coercion", label: "行政强制", labelEN: "Administrative coercion", anchors: ["行政强制"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: [1]),
            Table2BlockSpec(caption: "第二十条第（八）项", item: "八",
                            columns: ["上一年项目数量", "本年增/减"],
                            columnsEN: ["Items last year", "Change this year"],
                            columnKeys: ["previous", "change"],
                            rows: [Table2RowSpec(key: "fees", label: "行政事业性收费", labelEN: "Administrative fees", anchors: ["事业性收费", "事业型收费", "行政事业"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: [1]),
            Table2BlockSpec(caption: "第二十条第（九）项", item: "九",
                            columns: ["采购项目数量", "采购总金额"],
                            columnsEN: ["Procurement projects", "Total procurement amount"],
                            columnKeys: ["projects", "amount"],
                            rows: [Table2RowSpec(key: "procurement", label: "政府集中采购", labelEN: "Centralised government procurement", anchors: ["集中采购"])],
                            amountColumn: 1, amountUnit: "万元", signedColumns: []),
        ],
        table3Rows: headRows + [row("other", "（六）其他处理", en: "(6) Other handling", ["其他处理"], depth: 1)] + tailRows,
        table3Groups: headGroups,
        markers: ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                  "其他对外管理服务事项", "第二十条第(九)项", "政府集中采购"]
    )

    // MARK: - 2021 edition

    public static let y2021 = FormatSpec(
        edition: .y2021,
        sections: sections,
        table2: [
            Table2BlockSpec(caption: "第二十条第（一）项", item: "一",
                            columns: ["本年制发件数", "本年废止件数", "现行有效件数"],
                            columnsEN: ["Issued this year", "Repealed this year", "In force"],
                            columnKeys: ["issued", "repealed", "in_force"],
                            rows: [Table2RowSpec(key: "rules", label: "规章", labelEN: "Rules", anchors: ["规章"]),
                                   Table2RowSpec(key: "normative", label: "行政规范性文件", labelEN: "Administrative normative documents", anchors: ["规范性文件"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: []),
            Table2BlockSpec(caption: "第二十条第（五）项", item: "五",
                            columns: ["本年处理决定数量"],
                            columnsEN: ["Decisions this year"], columnKeys: ["decisions"],
                            rows: [Table2RowSpec(key: "licensing", label: "行政许可", labelEN: "Administrative licensing", anchors: ["行政许可"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: []),
            Table2BlockSpec(caption: "第二十条第（六）项", item: "六",
                            columns: ["本年处理决定数量"],
                            columnsEN: ["Decisions this year"], columnKeys: ["decisions"],
                            rows: [Table2RowSpec(key: "penalty", label: "行政处罚", labelEN: "Administrative penalties", anchors: ["行政处罚"]),
                                   Table2RowSpec(key: "coercion", label: "行政强制", labelEN: "Administrative coercion", anchors: ["行政强制"])],
                            amountColumn: nil, amountUnit: nil, signedColumns: []),
            Table2BlockSpec(caption: "第二十条第（八）项", item: "八",
                            columns: ["本年收费金额（单位：万元）"],
                            columnsEN: ["Fees collected this year (10,000 yuan)"], columnKeys: ["fee_amount"],
                            rows: [Table2RowSpec(key: "fees", label: "行政事业性收费", labelEN: "Administrative fees", anchors: ["事业性收费", "事业型收费", "行政事业"])],
                            amountColumn: 0, amountUnit: "万元", signedColumns: []),
        ],
        table3Rows: headRows + [
            row("other_overdue", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", en: "1. Not supplemented in time without proper reason; no longer processed", ["逾期不补正", "不补正"], depth: 2, first: true),
            row("other_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", en: "2. Fees not paid as notified; no longer processed", ["收费通知", "缴纳费用"], depth: 2),
            row("other_misc", "3.其他", en: "3. Other", ["3.其他", "3、其他"], depth: 2),
        ] + tailRows,
        table3Groups: headGroups + [Table3GroupSpec(label: "（六）其他处理", labelEN: "(6) Other handling", rowKeys: ["other_overdue", "other_fee", "other_misc"])],
        markers: ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "行政规范性文件",
                  "逾期不补正", "收费通知"]
    )
}
