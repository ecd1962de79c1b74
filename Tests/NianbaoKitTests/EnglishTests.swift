import NianbaoKit
import Testing
import NianbaoRules

/// English is complete: every rule's texts and every note say everything in English; Chinese
/// appears only where the note quotes the report (or the format's Chinese wording the report
/// must use), always inside quotes.
@Suite("English notes")
struct EnglishTests {
    /// Whether `s` holds a CJK ideograph (U+4E00–U+9FFF).
    static func hasCJK<S: StringProtocol>(_ s: S) -> Bool {
        s.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }
    }

    /// `line` with its quoted spans taken out: “…” and "…" quote the report's own text (a label,
    /// a heading, a sentence) or the format's Chinese wording the clerk must write.
    static func unquoted(_ line: Substring) -> String {
        var out = ""
        var closing: Character?
        for ch in line {
            if let c = closing {
                if ch == c { closing = nil }
            } else if ch == "“" {
                closing = "”"
            } else if ch == "\"" {
                closing = "\""
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// The lines of an English note that show Chinese outside the report's own text. Allowed: the
    /// source lines the note quotes (`12 | …`, with the gutter), the file's name (`File:`, `-->`)
    /// and the organ as the report writes it (`Organ:`), and anything in quotes.
    static func chineseOutsideQuotes(_ note: String) -> [Substring] {
        note.split(separator: "\n").filter { line in
            let trimmed = line.drop { $0 == " " }
            if let bar = trimmed.firstIndex(of: "|"), trimmed[..<bar].allSatisfy({ $0.isNumber || $0 == " " }) { return false }
            if line.hasPrefix("File: ") || line.hasPrefix("Organ: ") || line.contains("-->") { return false }
            return hasCJK(unquoted(line))
        }
    }

    @Test("every rule: summary, help and example in both languages, the English without Chinese outside quotes")
    func catalog() {
        for rule in RuleCatalog.all {
            for text in [rule.summary, rule.help, rule.example] {
                #expect(!text.zh.isEmpty && !text.en.isEmpty, "\(rule.code)")
                // narrative-requests' example quotes the report's sentence, label-deviation's and
                // section-heading-variant's the labels as written: those stay Chinese, in quotes
                #expect(!Self.hasCJK(Self.unquoted(Substring(text.en))), "\(rule.code): \(text.en)")
            }
            #expect(rule.example.en.hasPrefix("\(rule.defaultSeverity.rawValue)[\(rule.code)]"), "\(rule.code): \(rule.example.en)")
            #expect(Self.hasCJK(rule.summary.zh) || rule.code == .pdftotextMissing, "\(rule.code)")
        }
    }

    /// The seeds and edited copies of the 2024 report (one wrong cell; two that hide each other;
    /// a blank cell; a blank column; a section heading removed).
    static func reports() throws -> [(String, String)] {
        var out = try Fixtures.seeds.map { ($0, try Fixtures.text($0)) }
        out.append(("wrong-cell.txt", try NoteTests.huaian(line: 147, "       7          1", "      10          1")))
        var two = try NoteTests.huaian(line: 147, "       7          1", "      10          1")
        two = two.replacingOccurrences(of: "（七）总计                           2932", with: "（七）总计                           2935")
        out.append(("two-cells.txt", two))
        out.append(("blank-total.txt", try NoteTests.huaian(line: 194, "2932", "    ")))
        let text = try Fixtures.text(Fixtures.huaian)
        out.append(("no-section-5.txt", text.replacingOccurrences(of: "五、存在的主要问题及改进情况", with: "")))
        let blankColumn = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            // the 2024 report's section 三 rows end in their total: blank it on every row
            guard line.contains("。") == false, let last = line.split(separator: " ").last, last.allSatisfy(\.isNumber),
                  line.split(separator: " ").count == 8 else { return String(line) }
            return String(line.dropLast(last.count))
        }.joined(separator: "\n")
        out.append(("blank-column.txt", blankColumn))
        return out
    }

    @Test("notes and JSON messages of the seeds and edited reports: no Chinese outside the report's own text")
    func notes() throws {
        for (name, text) in try Self.reports() {
            let r = NoteTests.check(text, name: name)
            let note = r.note(fileName: name, language: .en)
            // seed 000 is accepted without a finding; every other report has some to say
            #expect(!r.diagnostics.isEmpty || name.hasPrefix("000"), "\(name)")
            let bad = Self.chineseOutsideQuotes(note)
            // the check itself would see Chinese in a message
            #expect(Self.chineseOutsideQuotes("error[x]: 空白") == ["error[x]: 空白"])
            #expect(bad.isEmpty, "\(name):\n\(bad.joined(separator: "\n"))")
            for d in r.diagnostics {
                for text in [d.message.en, d.help.en, d.label?.en ?? "", d.expected(.en) ?? "", d.actual(.en) ?? ""] + d.notes.map(\.en) {
                    #expect(!Self.hasCJK(Self.unquoted(Substring(text))), "\(name) \(d.code): \(text)")
                }
            }
        }
    }

    @Test("English notes on a Word document and PDFs: places and messages without Chinese outside quotes")
    func documents() throws {
        let pipeline = Pipeline()
        for name in ["template-2021.docx", "huaian-2024.pdf", "pdf-corpus/r03-2020-portrait-sans-blanks-split.pdf",
                     "pdf-corpus/r07-2022-portrait-sans-blanks-split.pdf"] {
            let r = pipeline.check(pipeline.input(fileName: name, bytes: try Fixtures.bytes(name)), checkedAt: "")
            let bad = Self.chineseOutsideQuotes(r.note(fileName: "x", language: .en))
            #expect(bad.isEmpty, "\(name):\n\(bad.joined(separator: "\n"))")
        }
    }

    @Test("rows and columns are named by the format's English labels, values in English words")
    func names() throws {
        let r = NoteTests.check(try NoteTests.huaian(line: 147, "       7          1", "      10          1"))
        let en = r.note(fileName: "t.txt", language: .en)
        #expect(en.contains("error[table3-wrong-cell]: row \"5. Internal affairs information (three kinds)\", column \"Natural persons\" holds 10; the row's total and the column's (7) Total imply 7"), "\(en)")
        #expect(en.contains("so this does not hold: column \"Natural persons\": (7) Total 2932, the result rows add up to 2935, 3 apart"))
        let seed = NoteTests.check(try Fixtures.text("002_baa9f92cd75d3d34.txt")).note(fileName: "t.txt", language: .en)
        #expect(seed.contains("= expected: 7 values; found: 5 values"), "\(seed)")
        #expect(seed.contains("Edition: 2019 (trial format, General Office letter [2019] No. 60)"))
        // the JSON of an English check: messages and displayed values in English
        let blank = Checker.check(CheckInput(fileName: "t.txt", bytes: try Fixtures.bytes("003_37e901e8ac7f78da.txt")),
                                  options: CheckOptions(language: .en), checkedAt: "")
        let json = blank.json.serialized()
        #expect(blank.diagnostics.contains { $0.code == .cellBlank && $0.actual == "空白" })
        #expect(json.contains("\"actual\": \"blank\""), "\(json)")
        #expect(json.contains("\"expected\": \"0 or a positive whole number\""))
    }
}
