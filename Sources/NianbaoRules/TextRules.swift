import NianbaoModel
import NianbaoText

/// Moves the decimal point of a written number `places` to the left ("2060387.04", 4 → "206.038704").
func shiftDecimal(_ text: String, places: Int) -> String {
    let negative = text.hasPrefix("-")
    let digits = text.filter { $0.isASCII && ($0.isNumber || $0 == ".") }
    var parts = digits.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    var int = parts.isEmpty ? "0" : parts[0]
    var frac = parts.count > 1 ? parts[1] : ""
    parts = []
    while int.count <= places { int = "0" + int }
    frac = String(int.suffix(places)) + frac
    int = String(int.dropLast(places))
    while frac.hasSuffix("0") { frac.removeLast() }
    while int.count > 1 && int.hasPrefix("0") { int.removeFirst() }
    return (negative ? "-" : "") + (frac.isEmpty ? int : int + "." + frac)
}

struct AmountUnit: Rule {
    let code = "amount-unit"
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "金额须写明单位，按万元填报", en: "Amounts state their unit, in units of 10,000 yuan")
    let help = Localized(zh: "写明单位并按万元填报（1 万元 = 10000 元）。", en: "State the unit and fill amounts in 10,000 yuan (1 unit = 10,000 yuan).")
    let example = Localized(zh: "warning[amount-unit]: 采购总金额写为 2060387.04 元，应以万元填报：2060387.04 元 = 206.0387 万元",
                            en: "warning[amount-unit]: \"Centralised government procurement\" amount is in yuan, not 10,000 yuan: 2060387.04 yuan = 206.0387 x 10,000 yuan")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t2 = input.report.table2 else { return [] }
        var out: [Diagnostic] = []
        for row in t2.rows {
            guard let block = input.report.format.table2.first(where: { $0.caption == row.block }),
                  let c = block.amountColumn, row.row.aligned else { continue }
            let cell = row.row.cells[c]
            guard cell.state == .number, let v = cell.value, v != 0 else { continue }
            let unit = cell.unit ?? t2.amountHeaderUnit
            let name = "“\(row.label)”\(block.columns[c])"
            let nameEN = "\"\(Label.row(row.key, label: row.label).en)\" amount"
            // the figure as written, without its unit or spaces
            let number = String(cell.text.unicodeScalars.prefix { $0 == "-" || $0 == "+" || $0 == "." || $0 == "," || ("0"..."9").contains($0) })
                .filter { $0 != "," }
            if unit == nil {
                out.append(finding(
                    Localized(zh: "\(name)写为 \(number)，未写单位", en: "\(nameEN) \(number) has no unit"),
                    help: Localized(zh: "写明单位并按万元填报；若为元，\(number) 元 = \(shiftDecimal(number, places: 4)) 万元。",
                                    en: "State the unit, in 10,000 yuan; if it is yuan, \(number) yuan = \(shiftDecimal(number, places: 4)) x 10,000 yuan."),
                    at: cell.position, width: max(cell.width, 1), label: Localized(zh: "单位？", en: "unit?"),
                    section: 2, row: row.key, column: block.columnKeys[c], expected: Localized(zh: "万元", en: "10,000 yuan"),
                    actual: Localized(zh: "无单位", en: "no unit")))
            } else if unit == "元" {
                // 万元 to four decimal places, as offices fill them
                let converted = roundDecimal(shiftDecimal(number, places: 4), places: 4)
                out.append(finding(
                    Localized(zh: "\(name)写为 \(number) 元，应以万元填报：\(number) 元 = \(converted) 万元",
                              en: "\(nameEN) is in yuan, not 10,000 yuan: \(number) yuan = \(converted) x 10,000 yuan"),
                    help: Localized(zh: "改为“\(converted)”（单位：万元）。", en: "Write \(converted) (in 10,000 yuan)."),
                    at: cell.position, width: max(cell.width, 1), label: Localized(zh: "= \(converted) 万元", en: "= \(converted) x 10,000 yuan"),
                    section: 2, row: row.key, column: block.columnKeys[c],
                    expected: Localized(zh: "\(converted) 万元", en: "\(converted) x 10,000 yuan"),
                    actual: Localized(zh: "\(number) 元", en: "\(number) yuan")))
            }
        }
        return out
    }
}

/// Rounds a written decimal to `places` decimals, half up, dropping trailing zeros.
func roundDecimal(_ text: String, places: Int) -> String {
    if text.hasPrefix("-") { return "-" + roundDecimal(String(text.dropFirst()), places: places) }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2, parts[1].count > places else { return text }
    var digits = Array(parts[0] + parts[1].prefix(places)).compactMap { $0.wholeNumberValue }
    if let next = parts[1].dropFirst(places).first?.wholeNumberValue, next >= 5 {
        var i = digits.count - 1
        while i >= 0 {
            if digits[i] == 9 { digits[i] = 0; i -= 1 } else { digits[i] += 1; break }
        }
        if i < 0 { digits.insert(1, at: 0) }
    }
    let s = digits.map(String.init).joined()
    var int = String(s.dropLast(places)), frac = String(s.suffix(places))
    while frac.hasSuffix("0") { frac.removeLast() }
    if int.isEmpty { int = "0" }
    return frac.isEmpty ? int : int + "." + frac
}

/// 一 to 十, the numerals of enumerators.
private func isEnumeratorNumeral(_ v: UInt32) -> Bool {
    switch v {
    case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341: return true
    default: return false
    }
}

/// Normalised label text for comparison: no whitespace, no leading enumerator, 、 and ， alike.
func comparable(_ s: String) -> [UInt32] {
    // one pass: normalised, whitespace dropped, 、 and ， as a comma, curly quotes as straight
    var v: [UInt32] = []
    v.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        var n = TextDocument.normalize(u.value)
        if TextDocument.isSpace(n) { continue }
        if n == 0x3001 || n == 0xFF0C { n = 0x2C } else if n == 0x201C || n == 0x201D { n = 0x22 }
        v.append(n)
    }
    // leading enumerators: 一、 (一) 1. 1、
    if v.count > 2, v[0] == 0x28, isEnumeratorNumeral(v[1]), v[2] == 0x29 { v.removeFirst(3) }
    else if v.count > 1, isEnumeratorNumeral(v[0]), v[1] == 0x2C || v[1] == 0x2E { v.removeFirst(2) }
    else if v.count > 1, v[0] >= 0x30 && v[0] <= 0x39, v[1] == 0x2E || v[1] == 0x2C { v.removeFirst(2) }
    return v
}

struct LabelDeviation: Rule {
    let code = "label-deviation"
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
