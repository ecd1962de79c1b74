import Foundation
import NianbaoTestSupport
import Testing
import ZIPFoundation

@testable import NianbaoReaders
import NianbaoText
import NianbaoModel
import NianbaoExtract

/// End to end: real document formats through the real readers, then the extractor; every cell
/// of sections 二, 三 and 四 must land in its own place.
@Suite struct ExtractionThroughReadersTests {
    // MARK: - Shared expectations

    /// A row as a person transcribes it (shared with the other test targets).
    static func transcribe(_ cells: [Cell]) -> String { NianbaoTestSupport.transcribe(cells) }

    static func extract(_ text: String) -> AnnualReport { Extractor.extract(TextDocument(text)) }

    /// Every cell of 二, 三 and 四, and (unless `allAligned` is false) every row holding exactly
    /// the format's number of cells.
    static func assertCells(
        _ r: AnnualReport, table2: [String], table3: [String: String], table4: String, allAligned: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        if let t2 = r.table2 {
            #expect(t2.rows.map { transcribe($0.row.cells) } == table2, "table 二", sourceLocation: sourceLocation)
            #expect(t2.rows.allSatisfy { $0.written != nil }, "table 二 labels", sourceLocation: sourceLocation)
            if allAligned {
                for row in t2.rows {
                    #expect(row.row.found == row.row.cells.count, "二 \(row.key) found \(row.row.found)", sourceLocation: sourceLocation)
                    #expect(row.row.extra.isEmpty, "二 \(row.key) extra", sourceLocation: sourceLocation)
                }
            }
        } else {
            Issue.record("table 二 not found", sourceLocation: sourceLocation)
        }
        if let t3 = r.table3 {
            #expect(t3.rows.map(\.key) == r.format.table3Rows.map(\.key), sourceLocation: sourceLocation)
            #expect(Set(table3.keys) == Set(r.format.table3Rows.map(\.key)), "expectation covers every row", sourceLocation: sourceLocation)
            for row in t3.rows {
                #expect(row.present, "三 \(row.key) label", sourceLocation: sourceLocation)
                #expect(transcribe(row.row.cells) == table3[row.key], "三 \(row.key)", sourceLocation: sourceLocation)
                if allAligned {
                    #expect(row.row.found == 7, "三 \(row.key) found \(row.row.found)", sourceLocation: sourceLocation)
                    #expect(row.row.extra.isEmpty, "三 \(row.key) extra", sourceLocation: sourceLocation)
                }
            }
        } else {
            Issue.record("table 三 not found", sourceLocation: sourceLocation)
        }
        if let t4 = r.table4 {
            #expect(transcribe(t4.row.cells) == table4, "table 四", sourceLocation: sourceLocation)
            if allAligned {
                #expect(t4.row.found == 15 && t4.row.extra.isEmpty, "四 found \(t4.row.found)", sourceLocation: sourceLocation)
            }
        } else {
            Issue.record("table 四 not found", sourceLocation: sourceLocation)
        }
    }

    static let sixHeadings = [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]

    // MARK: - 1. 淮安 2024 through pdftotext

    @Test(.enabled(if: PDFTextReader.isAvailable, "pdftotext is not installed"))
    func huaianPDFThroughPdftotext() throws {
        let text = try PDFTextReader().text(fromFile: Fixtures.path("huaian-2024.pdf"))
        let r = Self.extract(text)
        #expect(r.title == "淮安市人民政府2024年政府信息公开工作年度报告")
        #expect(r.organ == "淮安市人民政府" && r.year == 2024)
        #expect(r.edition == .y2021 && r.tableEdition == .y2021)
        #expect(r.period?.fromISO == "2024-01-01" && r.period?.toISO == "2024-12-31")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        // every cell as read from the text-layer fixture, whose cells the golden extraction
        // test asserts one by one (Tests/NianbaoKitTests/GoldenExtractionTests.swift)
        let golden = Self.extract(try String(contentsOfFile: Fixtures.path("huaian-2024.layout.txt"), encoding: .utf8))
        func cells(_ r: AnnualReport) -> [String] {
            (r.table2?.rows.map { Self.transcribe($0.row.cells) } ?? []) + (r.table3?.rows.map { Self.transcribe($0.row.cells) } ?? [])
                + [Self.transcribe(r.table4?.row.cells ?? [])]
        }
        #expect(cells(r) == cells(golden))
        #expect(cells(r).count == 6 + 25 + 1)
        #expect(r.table3?.rows.allSatisfy(\.row.aligned) == true && r.table4?.row.aligned == true)
        // The dispatcher, given the bytes, reads the same report.
        let viaDispatcher = try DocumentReader.read(bytes: Fixtures.bytes("huaian-2024.pdf"), fileName: "huaian.pdf")
        #expect(viaDispatcher.format == .pdf)
        #expect(Self.extract(viaDispatcher.text) == r)
    }

    // MARK: - Distinct values for the 2021 format

    /// A value for each numeric cell that tells its row and column apart, so a shifted cell shows.
    enum Distinct {
        /// Section 二 rows in format order (规章, 行政规范性文件, 行政许可, 行政处罚, 行政强制, 行政事业性收费).
        static let table2: [[String]] = [
            ["501", "502", "503"], ["511", "512", "513"], ["521"], ["531"], ["541"], ["551.25"],
        ]
        static let table2Keys = ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]
        /// Section 三: row index i, column c → (i + 1) * 10 + c + 1.
        static let table3: [String: [String]] = Dictionary(uniqueKeysWithValues:
            FormatSpec.y2021.table3Rows.enumerated().map { i, row in
                (row.key, (0..<7).map { String((i + 1) * 10 + $0 + 1) })
            })
        static let table4 = (1...15).map { String(900 + $0) }

        static var expected2: [String] { table2.map { $0.joined(separator: " ") } }
        static var expected3: [String: String] { table3.mapValues { $0.joined(separator: " ") } }
        static var expected4: String { table4.joined(separator: " ") }
    }

    // MARK: - 2. The blank 2021 template, filled

    static func filledTemplate2021() throws -> [UInt8] {
        let entries = try ZipBuilder.entries(of: try Fixtures.bytes("template-2021.docx"))
        var rebuilt: [(path: String, data: Data)] = []
        for (path, data) in entries {
            guard path == "word/document.xml" else {
                rebuilt.append((path, data))
                continue
            }
            var xml = String(decoding: data, as: UTF8.self)
            // The template's own title and the first placeholder paragraph.
            let oldTitle = "<w:t>政府信息公开工作年度报告格式模板</w:t>"
            #expect(xml.contains(oldTitle))
            xml = xml.replacingOccurrences(of: oldTitle, with: "<w:t>某某区人民政府2023年政府信息公开工作年度报告</w:t>")
            let placeholder = "<w:t>（文字描述）</w:t>"
            let first = try #require(xml.range(of: placeholder))
            xml.replaceSubrange(first, with: "<w:t>本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。</w:t>")
            var values2: [String: [String]] = [:]
            for (k, v) in zip(Distinct.table2Keys, Distinct.table2) { values2[k] = v }
            xml = fillTemplateTable(xml, tableIndex: 0, values: values2)
            var values3: [String: [String]] = [:]
            for row in FormatSpec.y2021.table3Rows { values3[row.label] = Distinct.table3[row.key]! }
            xml = fillTemplateTable(xml, tableIndex: 1, values: values3)
            xml = fillTemplateTable(xml, tableIndex: 2, values: ["": Distinct.table4])
            rebuilt.append((path, Data(xml.utf8)))
        }
        return try ZipBuilder.zip(rebuilt)
    }

    @Test func filledTemplate2021ExtractsEveryCell() throws {
        // The blank template already has the six headings, in order, and no figures.
        let blank = try DocxReader.text(from: try Fixtures.bytes("template-2021.docx"))
        let blankLines = blank.split(separator: "\n").map(String.init)
        let positions = Self.sixHeadings.compactMap { blankLines.firstIndex(of: $0) }
        #expect(positions.count == 6 && positions == positions.sorted())
        let blankReport = Self.extract(blank)
        #expect(blankReport.table3?.rows.allSatisfy { $0.row.cells.allSatisfy { $0.state != .number } } == true)

        let docx = try Self.filledTemplate2021()
        let output = try DocumentReader.read(bytes: docx, fileName: "某某区2023年报.docx")
        #expect(output.format == .docx)
        #expect(output.text == (try DocxReader.text(from: docx)))
        let r = Self.extract(output.text)
        #expect(r.title == "某某区人民政府2023年政府信息公开工作年度报告")
        #expect(r.organ == "某某区人民政府" && r.year == 2023)
        #expect(r.edition == .y2021 && r.tableEdition == .y2021)
        #expect(r.period?.fromISO == "2023-01-01" && r.period?.toISO == "2023-12-31")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(r.sections.allSatisfy { !$0.isVariant })
        Self.assertCells(r, table2: Distinct.expected2, table3: Distinct.expected3, table4: Distinct.expected4)
        #expect(r.table2?.rows.last?.row.cells.first?.value == 551.25)
        // Labels as the template writes them.
        for row in r.table3?.rows ?? [] {
            #expect(row.written?.text.hasSuffix(row.label) == true, "label of \(row.key): \(row.written?.text ?? "nil")")
        }
    }

    // MARK: - 3. Seeds 002 and 003 as Word documents with merged cells

    enum W {
        static func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }

        static func p(_ text: String, bold: Bool = false, split: Bool = false) -> String {
            let ppr = bold ? "<w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr>" : ""
            return "<w:p>\(ppr)\(runs(text, split: split))</w:p>"
        }

        /// A cell; `vMerge` "restart" starts a vertical merge, "" continues one (no text).
        /// Runs of the text; with `split`, the text is cut every three characters into runs the
        /// way Word leaves it after editing (proofing marks and bookmarks in between).
        static func runs(_ text: String, split: Bool) -> String {
            let rpr = "<w:rPr><w:rFonts w:hint=\"eastAsia\"/><w:sz w:val=\"18\"/></w:rPr>"
            guard split, text.count > 3 else { return "<w:r>\(rpr)<w:t xml:space=\"preserve\">\(esc(text))</w:t></w:r>" }
            var out = ""
            var rest = Substring(text)
            var n = 0
            while !rest.isEmpty {
                let chunk = rest.prefix(3)
                rest = rest.dropFirst(3)
                out += "<w:r>\(rpr)<w:t xml:space=\"preserve\">\(esc(String(chunk)))</w:t></w:r>"
                switch n % 3 {
                case 0: out += "<w:proofErr w:type=\"spellStart\"/>"
                case 1: out += "<w:bookmarkStart w:id=\"\(n)\" w:name=\"_GoBack\"/><w:bookmarkEnd w:id=\"\(n)\"/>"
                default: out += "<w:proofErr w:type=\"spellEnd\"/>"
                }
                n += 1
            }
            return out
        }

        static func tc(_ text: String, span: Int = 1, vMerge: String? = nil, split: Bool = false) -> String {
            var pr = "<w:tcW w:w=\"\(800 * span)\" w:type=\"dxa\"/>"
            if span > 1 { pr += "<w:gridSpan w:val=\"\(span)\"/>" }
            if let vMerge { pr += vMerge.isEmpty ? "<w:vMerge/>" : "<w:vMerge w:val=\"\(vMerge)\"/>" }
            pr += "<w:vAlign w:val=\"center\"/>"
            let para = text.isEmpty
                ? "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr></w:p>"
                : "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\(runs(text, split: split))</w:p>"
            return "<w:tc><w:tcPr>\(pr)</w:tcPr>\(para)</w:tc>"
        }

        static func tr(_ cells: [String]) -> String {
            "<w:tr><w:trPr><w:jc w:val=\"center\"/></w:trPr>\(cells.joined())</w:tr>"
        }

        static func tbl(grid: Int, _ rows: [String]) -> String {
            let cols = String(repeating: "<w:gridCol w:w=\"800\"/>", count: grid)
            return "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/></w:tblPr>"
                + "<w:tblGrid>\(cols)</w:tblGrid>\(rows.joined())</w:tbl>"
        }
    }

    /// What one 2019-edition seed report holds, as written.
    struct Seed2019 {
        var title: String
        var intro: [String]
        /// Caption style: 第二十条第(一)项 or 第二十条第（一）项.
        var captionParens: (String, String)
        var amountHeader: String
        var table2: [[String]]  // 规章, 规范性文件, 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制, 收费, 采购
        var cornerNote: String
        /// Section 三 labels in format order, keyed like FormatSpec.y2019.table3Rows; group labels separately.
        var labels: [String: String]
        var groups: [String]  // 三、本年度办理结果, (三), (四), (五)
        var table3: [String: [String]]
        var table4: [String]
        /// Every text of more than three characters cut into several runs.
        var splitRuns = false
    }

    static func seedDocx(_ s: Seed2019) throws -> [UInt8] {
        func tc(_ text: String, span: Int = 1, vMerge: String? = nil) -> String {
            W.tc(text, span: span, vMerge: vMerge, split: s.splitRuns)
        }
        func p(_ text: String, bold: Bool = false) -> String { W.p(text, bold: bold, split: s.splitRuns) }
        var body = p(s.title, bold: true)
        body += p(sixHeadings[0], bold: true)
        body += s.intro.map { p($0) }.joined()
        body += p(sixHeadings[1], bold: true)

        // Section 二: one table of four grid columns, captions spanning all four.
        func caption(_ item: String) -> String {
            W.tr([tc("第二十条第\(s.captionParens.0)\(item)\(s.captionParens.1)项", span: 4)])
        }
        func row(_ cells: [String], lastSpan: Int = 1) -> String {
            W.tr(cells.enumerated().map { i, c in tc(c, span: i == cells.count - 1 ? lastSpan : 1) })
        }
        let t2 = s.table2
        body += W.tbl(grid: 4, [
            caption("一"),
            row(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]),
            row(["规章"] + t2[0]), row(["规范性文件"] + t2[1]),
            caption("五"),
            row(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
            row(["行政许可"] + t2[2]), row(["其他对外管理服务事项"] + t2[3]),
            caption("六"),
            row(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]),
            row(["行政处罚"] + t2[4]), row(["行政强制"] + t2[5]),
            caption("八"),
            row(["信息内容", "上一年项目数量", "本年增/减"], lastSpan: 2),
            row(["行政事业性收费"] + t2[6], lastSpan: 2),
            caption("九"),
            row(["信息内容", "采购项目数量", s.amountHeader], lastSpan: 2),
            row(["政府集中采购"] + t2[7], lastSpan: 2),
        ])

        // Section 三: three label columns and seven value columns.
        body += p(sixHeadings[2], bold: true)
        var rows3 = [
            W.tr([tc(s.cornerNote, span: 3, vMerge: "restart"), tc("申请人情况", span: 7)]),
            W.tr([tc("", span: 3, vMerge: ""), tc("自然人", vMerge: "restart"), tc("法人或其他组织", span: 5),
                  tc("总计", vMerge: "restart")]),
            W.tr([tc("", span: 3, vMerge: ""), tc("", vMerge: "")]
                 + ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].map { tc($0) }
                 + [tc("", vMerge: "")]),
        ]
        let groupOf: [String: Int] = {
            var m: [String: Int] = [:]
            for (g, spec) in FormatSpec.y2019.table3Groups.enumerated() { for k in spec.rowKeys { m[k] = g } }
            return m
        }()
        var resultsStarted = false
        var lastGroup: Int?
        for spec in FormatSpec.y2019.table3Rows {
            let values = s.table3[spec.key]!.map { tc($0) }
            let label = s.labels[spec.key]!
            var cells: [String] = []
            switch spec.depth {
            case 0:
                cells = [tc(label, span: 3)]
            case 1:
                cells = [tc(resultsStarted ? "" : s.groups[0], vMerge: resultsStarted ? "" : "restart"),
                         tc(label, span: 2)]
                resultsStarted = true
                lastGroup = nil
            default:
                let g = groupOf[spec.key]!
                let starts = g != lastGroup
                cells = [tc("", vMerge: ""), tc(starts ? s.groups[g] : "", vMerge: starts ? "restart" : ""),
                         tc(label)]
                lastGroup = g
            }
            rows3.append(W.tr(cells + values))
        }
        body += W.tbl(grid: 10, rows3)

        // Section 四: two header rows of groups, result labels merged down, one row of 15 values.
        body += p(sixHeadings[3], bold: true)
        let results = FormatSpec.table4ResultLabels
        body += W.tbl(grid: 15, [
            W.tr([tc("行政复议", span: 5), tc("行政诉讼", span: 10)]),
            W.tr(results.map { tc($0, vMerge: "restart") } + [tc("未经复议直接起诉", span: 5), tc("复议后起诉", span: 5)]),
            W.tr(results.map { _ in tc("", vMerge: "") } + (results + results).map { tc($0) }),
            W.tr(s.table4.map { tc($0) }),
        ])
        body += p(sixHeadings[4], bold: true)
        body += p("信息公开工作还存在一些问题和不足，我们将在今后的工作中加以改进。")
        body += p(sixHeadings[5], bold: true)
        body += p("无。")
        return try ZipBuilder.docx(body: body)
    }

    static func seedLabels(dot: String, parenOpen: String, parenClose: String, mass: String) -> [String: String] {
        let (o, c) = (parenOpen, parenClose)
        var m: [String: String] = [:]
        for spec in FormatSpec.y2019.table3Rows {
            switch spec.key {
            case "granted": m[spec.key] = "\(o)一\(c) 予以公开"
            case "partial": m[spec.key] = "\(o)二\(c) 部分公开\(o)区分处理的, 只计这一情形, 不计其他情形\(c)"
            case "other": m[spec.key] = "\(o)六\(c) 其他处理"
            case "total": m[spec.key] = "\(o)七\(c) 总计"
            case "reject_mass": m[spec.key] = "4\(dot)\(mass)"
            default:
                if spec.depth == 2, let dotIndex = spec.label.firstIndex(of: ".") {
                    m[spec.key] = String(spec.label[..<dotIndex]) + dot + String(spec.label[spec.label.index(after: dotIndex)...])
                } else {
                    m[spec.key] = spec.label
                }
            }
        }
        return m
    }

    static let keys2019 = FormatSpec.y2019.table3Rows.map(\.key)
    static let zeros7 = Array(repeating: "0", count: 7)

    static let seed002 = Seed2019(
        title: "顾县镇人民政府2020年政府信息公开工作年度报告",
        intro: ["(一) 政府信息公开主动公开情况。顾县镇严格按照《条例》相关制度要求，加强对信息公开工作的领导，扩大主动公开范围。",
                "(二) 依申请公开情况。2020年，顾县镇未收到公开政府信息的申请。"],
        captionParens: ("(", ")"),
        amountHeader: "采购总金额(单位:万元,保留4位小数)",
        table2: [["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"],
                 ["0", "0"], ["0", "0"]],
        cornerNote: "(本列数据的勾稽关系为: 第一项加第二项之和, 等于第三项加第四项之和)",
        labels: seedLabels(dot: ".", parenOpen: "(", parenClose: ")", mass: "无正当理由由大量反复申请"),
        groups: ["三、本年度办理结果", "(三) 不予公开", "(四) 无法提供", "(五) 不予处理"],
        table3: Dictionary(uniqueKeysWithValues: keys2019.map { ($0, zeros7) }),
        table4: Array(repeating: "0", count: 15)
    )

    static let seed003: Seed2019 = {
        var t3 = Dictionary(uniqueKeysWithValues: keys2019.map { ($0, zeros7) })
        for key in ["new", "granted", "total"] { t3[key] = ["1", "0", "0", "0", "0", "0", "1"] }
        return Seed2019(
            title: "海盐县沈荡镇人民政府 2020 年度政府信息公开工作年度报告",
            intro: ["2020 年，沈荡镇围绕信息公开要求，做好各项信息公开工作。",
                    "（二）依申请公开情况。2020年，沈荡镇共收到政府信息公开申请1件次，为自然人申请线下申请，予以公开1件次。"],
            captionParens: ("（", "）"),
            amountHeader: "采购总金额",
            table2: [["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"], ["0", "0", "0"],
                     ["0", "0"], ["59", "2060387.04 元"]],
            cornerNote: "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)",
            labels: seedLabels(dot: ". ", parenOpen: "(", parenClose: ")", mass: "无正当理由大量反复申请"),
            groups: ["三、本年度办理结果", "(三) 不予公开", "(四) 无法提供", "(五) 不予处理"],
            table3: t3,
            table4: Array(repeating: "", count: 5) + Array(repeating: "0", count: 10),
            splitRuns: true
        )
    }()

    @Test func seed002AsWordDocument() throws {
        let docx = try Self.seedDocx(Self.seed002)
        let text = try DocxReader.text(from: docx)
        let lines = text.split(separator: "\n").map(String.init)
        // The merges read as the format's rows: labels once, continuations omitted.
        #expect(lines.contains("三、本年度办理结果\t(一) 予以公开\t0\t0\t0\t0\t0\t0\t0"))
        #expect(lines.contains("(三) 不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0"))
        #expect(lines.contains("2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0"))
        #expect(lines.contains("行政事业性收费\t0\t0"))

        let r = Self.extract(text)
        #expect(r.title == "顾县镇人民政府2020年政府信息公开工作年度报告")
        #expect(r.organ == "顾县镇人民政府" && r.year == 2020)
        #expect(r.edition == .y2019 && r.tableEdition == .y2019)
        #expect(r.period == nil)
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        // In a real Word table (unlike the seed's .txt export) 予以公开, 部分公开 and
        // 属于国家秘密 hold all seven values.
        Self.assertCells(r, table2: ["0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "0 0"],
                         table3: Dictionary(uniqueKeysWithValues: Self.keys2019.map { ($0, "0 0 0 0 0 0 0") }),
                         table4: Array(repeating: "0", count: 15).joined(separator: " "))
        #expect(r.table2?.amountHeaderUnit == "万元")
        #expect(r.table3?.row("reject_mass")?.written?.text == "4.无正当理由由大量反复申请")
        #expect(r.table3?.row("granted")?.row.cells.allSatisfy { $0.state == .number && $0.value == 0 } == true)
    }

    @Test func seed003AsWordDocument() throws {
        let docx = try Self.seedDocx(Self.seed003)
        let xml = try #require(try ZipBuilder.entries(of: docx).first { $0.path == "word/document.xml" })
        #expect(String(decoding: xml.data, as: UTF8.self).contains("属于国</w:t></w:r><w:bookmarkStart"))  // labels cut into runs
        let text = try DocumentReader.read(bytes: docx, fileName: "003.docx").text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"))
        #expect(lines.contains("政府集中采购\t59\t2060387.04 元"))

        let r = Self.extract(text)
        #expect(r.organ == "海盐县沈荡镇人民政府" && r.year == 2020)
        #expect(r.edition == .y2019 && r.tableEdition == .y2019)
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        var t3 = Dictionary(uniqueKeysWithValues: Self.keys2019.map { ($0, "0 0 0 0 0 0 0") })
        for key in ["new", "granted", "total"] { t3[key] = "1 0 0 0 0 0 1" }
        Self.assertCells(r, table2: ["0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0 0", "0 0", "59 2060387.04 元"],
                         table3: t3, table4: "□ □ □ □ □ 0 0 0 0 0 0 0 0 0 0")
        let amount = r.table2?.rows.last?.row.cells[1]
        #expect(amount?.value == 2060387.04 && amount?.unit == "元")
        #expect(r.table2?.amountHeaderUnit == nil)
        #expect(r.table3?.row("deny_secret")?.written?.text == "1.属于国家秘密")
    }

    // MARK: - 4. HTML pages, UTF-8 and GBK

    static func htmlPage(charset: String) -> String {
        func td(_ s: String, rowspan: Int = 1, colspan: Int = 1, th: Bool = false) -> String {
            var attrs = ""
            if rowspan > 1 { attrs += " rowspan=\"\(rowspan)\"" }
            if colspan > 1 { attrs += " colspan=\"\(colspan)\"" }
            // values wrapped and padded the way content management systems write them
            let isValue = s.first.map { $0.isASCII && $0.isNumber } ?? false
            let content = isValue ? "&nbsp;\(s)&nbsp;" : s
            let tag = th ? "th" : "td"
            return "<\(tag)\(attrs) style=\"border:1px solid #000\"><p style=\"text-align:center\"><span style=\"font-size:14px\">\(content)</span></p></\(tag)>"
        }
        func tr(_ cells: [String]) -> String { "<tr>" + cells.joined() + "</tr>\n" }

        let d2 = Distinct.table2
        var t2 = "<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\"><tbody>\n"
        t2 += tr([td("第二十条第（一）项", colspan: 4)])
        t2 += tr(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"].map { td($0) })
        t2 += tr([td("规章")] + d2[0].map { td($0) })
        t2 += tr([td("行政规范性文件")] + d2[1].map { td($0) })
        t2 += tr([td("第二十条第（五）项", colspan: 4)])
        t2 += tr([td("信息内容"), td("本年处理决定数量", colspan: 3)])
        t2 += tr([td("行政许可"), td(d2[2][0], colspan: 3)])
        t2 += tr([td("第二十条第（六）项", colspan: 4)])
        t2 += tr([td("信息内容"), td("本年处理决定数量", colspan: 3)])
        t2 += tr([td("行政处罚"), td(d2[3][0], colspan: 3)])
        t2 += tr([td("行政强制"), td(d2[4][0], colspan: 3)])
        t2 += tr([td("第二十条第（八）项", colspan: 4)])
        t2 += tr([td("信息内容"), td("本年收费金额（单位：万元）", colspan: 3)])
        t2 += tr([td("行政事业性收费"), td(d2[5][0], colspan: 3)])
        t2 += "</tbody></table>\n"

        let spec = FormatSpec.y2021
        var t3 = "<table border=\"1\" cellspacing=\"0\" width=\"100%\"><tbody>\n"
        t3 += "<colgroup><col width=\"40\"><col width=\"60\"><col width=\"200\">" + String(repeating: "<col width=\"50\">", count: 7) + "</colgroup>\n"
        t3 += tr([td(FormatSpec.table3CornerNote, rowspan: 3, colspan: 3, th: true), td("申请人情况", colspan: 7, th: true)])
        t3 += tr([td("自然人", rowspan: 2, th: true), td("法人或其他组织", colspan: 5, th: true), td("总计", rowspan: 2, th: true)])
        t3 += tr(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].map { td($0, th: true) })
        let resultRows = spec.table3Rows.filter { $0.depth > 0 }.count
        var resultsStarted = false
        for row in spec.table3Rows {
            let values = Distinct.table3[row.key]!.map { td($0) }
            var cells: [String] = []
            switch row.depth {
            case 0:
                cells = [td(row.label, colspan: 3)]
            case 1:
                if !resultsStarted { cells.append(td("三、本年度办理结果", rowspan: resultRows)) }
                cells.append(td(row.label, colspan: 2))
                resultsStarted = true
            default:
                if !resultsStarted { cells.append(td("三、本年度办理结果", rowspan: resultRows)) }
                if let group = spec.table3Groups.first(where: { $0.rowKeys.first == row.key }) {
                    cells.append(td(group.label, rowspan: group.rowKeys.count))
                }
                cells.append(td(row.label))
            }
            t3 += tr(cells + values)
        }
        t3 += "</tbody></table>\n"

        var t4 = "<table border=\"1\" cellspacing=\"0\"><tbody>\n"
        t4 += tr([td("行政复议", colspan: 5), td("行政诉讼", colspan: 10)])
        t4 += tr(FormatSpec.table4ResultLabels.map { td($0, rowspan: 2) }
                 + [td("未经复议直接起诉", colspan: 5), td("复议后起诉", colspan: 5)])
        t4 += tr((FormatSpec.table4ResultLabels + FormatSpec.table4ResultLabels).map { td($0) })
        t4 += tr(Distinct.table4.map { td($0) })
        t4 += "</tbody></table>\n"

        return """
            <!DOCTYPE html>
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=\(charset)">
            <title>某某区人民政府2023年政府信息公开工作年度报告_某某区人民政府</title>
            <script>var nav = "一、总体情况 三、收到和处理政府信息公开申请情况 12 34 56";</script></head>
            <body>
            <div class="top"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hd">互动交流</a></div>
            <div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>
            <ul class="side"><li>政府信息公开指南</li><li>政府信息公开制度</li><li>2022年年报</li></ul>
            <div class="article">
            <h1>某某区人民政府2023年政府信息公开工作年度报告</h1>
            <div class="info">发布日期：2024-01-20 来源：区政府办 浏览次数：1024</div>
            <div class="TRS_Editor">
            <p>　　本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。</p>
            <p><strong>一、总体情况</strong></p>
            <p>　　2023年，我区深入贯彻落实《中华人民共和国政府信息公开条例》。</p>
            <p><strong>二、主动公开政府信息情况</strong></p>
            \(t2)
            <p><strong>三、收到和处理政府信息公开申请情况</strong></p>
            \(t3)
            <p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
            \(t4)
            <p><strong>五、存在的主要问题及改进情况</strong></p>
            <p>　　一是公开内容还不够全面；二是解读形式较为单一。</p>
            <p><strong>六、其他需要报告的事项</strong></p>
            <p>　　本年度未收取信息处理费。</p>
            </div></div>
            <div class="footer">主办：某某区人民政府办公室 网站标识码：1234567890 ICP备12345678号</div>
            </body></html>
            """
    }

    @Test func htmlPagesInUTF8AndGBK() throws {
        let page = Self.htmlPage(charset: "utf-8")
        #expect(page.contains("&nbsp;901&nbsp;") && page.contains("<th rowspan=\"2\""))
        let utf8 = Array(page.utf8)
        let gbk = encodeGB18030(Self.htmlPage(charset: "gb2312"))
        #expect(gbk != utf8)
        #expect(String(validating: gbk[...], as: UTF8.self) == nil)

        let fromUTF8 = try DocumentReader.read(bytes: utf8, fileName: "t20240120_123.html")
        let fromGBK = try DocumentReader.read(bytes: gbk, fileName: "t20240120_123.html")
        #expect(fromUTF8.format == .html && fromGBK.format == .html)
        #expect(fromUTF8.encoding == "utf-8")
        #expect(fromGBK.encoding == "gb18030")
        #expect(fromUTF8.text == fromGBK.text)
        #expect(fromUTF8.text == (try HTMLReader.text(from: utf8)).text)

        let r = Self.extract(fromUTF8.text)
        #expect(Self.extract(fromGBK.text) == r)
        #expect(r.title == "某某区人民政府2023年政府信息公开工作年度报告")
        #expect(r.organ == "某某区人民政府" && r.year == 2023)
        #expect(r.edition == .y2021 && r.tableEdition == .y2021)
        #expect(r.period?.fromISO == "2023-01-01" && r.period?.toISO == "2023-12-31")
        #expect(r.sections.map(\.number) == [1, 2, 3, 4, 5, 6])
        Self.assertCells(r, table2: Distinct.expected2, table3: Distinct.expected3, table4: Distinct.expected4)
        // The site's navigation and footer are not part of the report.
        #expect(!fromUTF8.text.contains("互动交流"))
        #expect(!fromUTF8.text.contains("网站标识码"))
    }
}
