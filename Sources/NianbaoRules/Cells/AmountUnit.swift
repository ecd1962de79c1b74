import NianbaoModel
import NianbaoText
import NianbaoCore

struct AmountUnit: Rule {
    let code = Code.amountUnit
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "金额须写明单位，按万元填报", en: "Amounts state their unit, in units of 10,000 yuan")
    let help = Localized(zh: "写明单位并按万元填报（1 万元 = 10000 元）。", en: "State the unit and fill amounts in 10,000 yuan (1 unit = 10,000 yuan).")
    let example = Localized(zh: "warning[amount-unit]: 采购总金额写为 2060387.04 元，应以万元填报：2060387.04 元 = 206.0387 万元",
                            en: "warning[amount-unit]: \"Centralised government procurement\" amount is in yuan, not 10,000 yuan: 2060387.04 yuan = 206.0387 x 10,000 yuan")
    func check(_ input: RuleInput) -> [Diagnostic] {
        guard let t2 = input.report.table2 else { return [] }
        var out: [Diagnostic] = []
        // section 二's rows of `input.rows` carry their block's columns and amount column
        let rows = input.rows
        for r in rows.indices where rows[r].section == 2 {
            guard let c = rows[r].amountColumn, rows[r].row.aligned else { continue }
            let cell = rows[r].row.cells[c]
            guard cell.state == .number, let v = cell.value, v != 0 else { continue }
            let row = rows[r], block = (columns: row.columns, columnKeys: row.columnKeys)
            let unit = cell.unit ?? t2.amountHeaderUnit
            // the row's names are made only in the languages the texts need
            var name: String { "“\(row.label)”\(block.columns[c])" }
            var nameEN: String { "\"\(Label.row(row.key, label: row.label).en)\" amount" }
            // the figure as written, without its unit or spaces
            let number = String(cell.text.unicodeScalars.prefix { $0 == "-" || $0 == "+" || $0 == "." || $0 == "," || ("0"..."9").contains($0) })
                .filter { $0 != "," }
            if unit == nil {
                let shifted = shiftDecimal(number, places: 4)
                out.append(finding(
                    input.text(zh: "\(name)写为 \(number)，未写单位", en: "\(nameEN) \(number) has no unit"),
                    help: input.text(zh: "写明单位并按万元填报；若为元，\(number) 元 = \(shifted) 万元。",
                                     en: "State the unit, in 10,000 yuan; if it is yuan, \(number) yuan = \(shifted) x 10,000 yuan."),
                    at: cell.position, width: max(cell.width, 1), label: Localized(zh: "单位？", en: "unit?"),
                    section: 2, row: row.key, column: block.columnKeys[c], expected: Localized(zh: "万元", en: "10,000 yuan"),
                    actual: Localized(zh: "无单位", en: "no unit")))
            } else if unit == "元" {
                // 万元 to four decimal places, as offices fill them
                let converted = roundDecimal(shiftDecimal(number, places: 4), places: 4)
                out.append(finding(
                    input.text(zh: "\(name)写为 \(number) 元，应以万元填报：\(number) 元 = \(converted) 万元",
                               en: "\(nameEN) is in yuan, not 10,000 yuan: \(number) yuan = \(converted) x 10,000 yuan"),
                    help: input.text(zh: "改为“\(converted)”（单位：万元）。", en: "Write \(converted) (in 10,000 yuan)."),
                    at: cell.position, width: max(cell.width, 1), label: input.text(zh: "= \(converted) 万元", en: "= \(converted) x 10,000 yuan"),
                    section: 2, row: row.key, column: block.columnKeys[c],
                    expected: Localized(zh: "\(converted) 万元", en: "\(converted) x 10,000 yuan"),
                    actual: Localized(zh: "\(number) 元", en: "\(number) yuan")))
            }
        }
        return out
    }
}

/// Moves the decimal point of a written number `places` to the left ("2060387.04", 4 → "206.038704").
func shiftDecimal(_ text: String, places: Int) -> String {
    if let shifted = shiftASCIIDecimal(text, places: places) { return shifted }
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

/// Rounds a written decimal to `places` decimals, half up, dropping trailing zeros.
func roundDecimal(_ text: String, places: Int) -> String {
    if let rounded = roundASCIIDecimal(text, places: places) { return rounded }
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

// `shiftDecimal` and `roundDecimal` on the figures they are given, written in ASCII, as bytes:
// the same results without a string made per digit. Nil for any other text, which the general
// code takes.

private func shiftASCIIDecimal(_ text: String, places: Int) -> String? {
    guard places >= 0 else { return nil }
    var int: [UInt8] = [], frac: [UInt8] = []
    var dots = 0
    for b in text.utf8 {
        guard b < 0x80 else { return nil }
        if b == 0x2E {
            dots += 1
        } else if b >= 0x30 && b <= 0x39 {
            if dots == 0 { int.append(b) } else if dots == 1 { frac.append(b) }
        }
    }
    if int.count <= places { int.insert(contentsOf: repeatElement(0x30, count: places + 1 - int.count), at: 0) }
    frac.insert(contentsOf: int.suffix(places), at: 0)
    int.removeLast(places)
    while frac.last == 0x30 { frac.removeLast() }
    while int.count > 1 && int.first == 0x30 { int.removeFirst() }
    var out = text.utf8.first == 0x2D ? "-" : ""
    out += String(decoding: int, as: UTF8.self)
    if !frac.isEmpty { out += "." + String(decoding: frac, as: UTF8.self) }
    return out
}

private func roundASCIIDecimal(_ text: String, places: Int) -> String? {
    guard places >= 0 else { return nil }
    let bytes = Array(text.utf8)
    var k = 0
    while k < bytes.count && bytes[k] == 0x2D { k += 1 }
    var dot: Int?
    for i in k..<bytes.count {
        if bytes[i] == 0x2E {
            guard dot == nil else { return text }
            dot = i
        } else if bytes[i] < 0x30 || bytes[i] > 0x39 {
            return nil
        }
    }
    guard let dot, bytes.count - dot - 1 > places else { return text }
    var digits = Array(bytes[k..<dot]) + bytes[(dot + 1)..<(dot + 1 + places)]
    if bytes[dot + 1 + places] >= 0x35 {
        var i = digits.count - 1
        while i >= 0 {
            if digits[i] == 0x39 { digits[i] = 0x30; i -= 1 } else { digits[i] += 1; break }
        }
        if i < 0 { digits.insert(0x31, at: 0) }
    }
    var frac = Array(digits.suffix(places))
    let int = digits.dropLast(places)
    while frac.last == 0x30 { frac.removeLast() }
    var out = String(repeating: "-", count: k)
    out += int.isEmpty ? "0" : String(decoding: int, as: UTF8.self)
    if !frac.isEmpty { out += "." + String(decoding: frac, as: UTF8.self) }
    return out
}
