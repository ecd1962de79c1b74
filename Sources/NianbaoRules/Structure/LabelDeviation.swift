import NianbaoModel
import NianbaoText
import NianbaoCore

struct LabelDeviation: Rule {
    let code = Code.labelDeviation
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "表格的行名、列名须与格式文字一致", en: "Table labels match the format's text")
    let help = Localized(zh: "表格的行名和表头不得改动，按格式原文填写。", en: "Keep the format's row labels and headers word for word.")
    let example = Localized(zh: "warning[label-deviation]: 行名“1.信访投诉举报类申请”与格式“1.信访举报投诉类申请”不同",
                            en: "warning[label-deviation]: the label of row \"1. Petitions, reports and complaints\" is written \"1.信访投诉举报类申请\", not the format's \"1.信访举报投诉类申请\"")
    func check(_ input: RuleInput) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for row in input.rows where row.section != 4 {
            guard let w = row.written else { continue }
            let a = comparable(w.text), b = comparable(row.label)
            // a PDF label cut short by its own numbers is fine; anything else that differs is not
            if a == b || (a.count >= 2 && b.starts(with: a)) { continue }
            if row.section == 3 && besideGroupLabel(a, b) { continue }
            // a runaway label (text with no cell breaks) is quoted by its start
            let written = w.text.count > 60 ? String(w.text.prefix(60)) + "…" : w.text
            out.append(finding(
                Localized(zh: "行名“\(written)”与格式“\(row.label)”不同",
                          en: "the label of row \"\(Label.row(row.key, label: row.label).en)\" is written \"\(written)\", not the format's \"\(row.label)\""),
                help: Localized(zh: "表格的行名不得改动，请改为“\(row.label)”。", en: "Keep the format's label word for word: write \"\(row.label)\"."),
                at: w.position, width: min(w.text.unicodeScalars.count, 60), label: Localized(zh: "应为“\(row.label)”", en: "format: \"\(row.label)\""),
                section: row.section, row: row.key, expected: .quoted(row.label), actual: .quoted(written)))
        }
        // column headers: 合计 for 总计, 结果维护 for 结果维持
        let doc = input.document
        let headers: [(Int, Range<Int>?, String, String)] = [
            (3, input.report.table3?.headerRange, "合计", "总计"),
            (4, input.report.table4?.headerRange, "结果维护", "结果维持"),
        ]
        for (section, range, wrong, right) in headers {
            guard let range else { continue }
            let needle = TextDocument.normalizedScalars(wrong)
            if let m = doc.findCompact(needle, from: range.lowerBound, to: range.upperBound) {
                let pos = SourcePosition(line: Int(doc.compactLine[m]) + 1, column: Int(doc.compactColumn[m]) + 1)
                out.append(finding(
                    Localized(zh: "列名“\(wrong)”与格式“\(right)”不同",
                              en: "column header \"\(wrong)\" differs from the format's \"\(right)\" (\(right == "总计" ? "Total" : "upheld"))"),
                    help: Localized(zh: "表头文字不得改动，请改为“\(right)”。", en: "Keep the format's header word for word: write \"\(right)\"."),
                    at: pos, width: needle.count, label: Localized(zh: "应为“\(right)”", en: "format: \"\(right)\""),
                    section: section, expected: .quoted(right), actual: .quoted(wrong)))
            }
        }
        return out
    }
}

/// Characters of table 三's group labels, which stand beside the rows' labels one or two characters a
/// line (三、本年度办理结果, （三）不予公开…).
private let groupLabelCharacters = Set(
    (FormatSpec.y2021.table3Groups.map(\.label) + ["（六）其他处理"]).flatMap { comparable($0, strip: false) })

/// Whether written label `a` is the format's label `b` with a few characters of a group label
/// beside it read into it (text laid out in columns, where a wrapped label and the vertical group
/// label share lines: “（二）部分公开（区分处理度办的…”): the same once those characters are left out.
func besideGroupLabel(_ a: [UInt32], _ b: [UInt32]) -> Bool {
    guard a.count <= b.count + 4 else { return false }
    let a2 = stripEnumerator(a.filter { !groupLabelCharacters.contains($0) })
    let b2 = stripEnumerator(b.filter { !groupLabelCharacters.contains($0) })
    return a2.count >= 2 && (a2 == b2 || b2.starts(with: a2))
}

/// Normalised label text for comparison: no whitespace, no leading enumerator, 、 and ， alike.
func comparable(_ s: String, strip: Bool = true) -> [UInt32] {
    // one pass: normalised, whitespace dropped, 、 and ， as a comma, curly quotes as straight
    var v: [UInt32] = []
    v.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        var n = TextDocument.normalize(u.value)
        if TextDocument.isSpace(n) { continue }
        if n == 0x3001 || n == 0xFF0C { n = 0x2C } else if n == 0x201C || n == 0x201D { n = 0x22 }
        v.append(n)
    }
    return strip ? stripEnumerator(v) : v
}

/// `v` without its leading enumerator: 一、 (一) 1. 1、
private func stripEnumerator(_ v: [UInt32]) -> [UInt32] {
    var v = v
    if v.count > 2, v[0] == 0x28, isEnumeratorNumeral(v[1]), v[2] == 0x29 { v.removeFirst(3) }
    else if v.count > 1, isEnumeratorNumeral(v[0]), v[1] == 0x2C || v[1] == 0x2E { v.removeFirst(2) }
    else if v.count > 1, v[0] >= 0x30 && v[0] <= 0x39, v[1] == 0x2E || v[1] == 0x2C { v.removeFirst(2) }
    return v
}

/// 一 to 十, the numerals of enumerators.
private func isEnumeratorNumeral(_ v: UInt32) -> Bool {
    switch v {
    case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341: return true
    default: return false
    }
}
