import NianbaoCore
import NianbaoModel
import NianbaoText

struct LabelDeviation: AppendingRule {
    let code = Code.labelDeviation
    let defaultSeverity = Severity.warning
    let summary = Localized(zh: "表格的行名、列名须与格式文字一致", en: "Table labels match the format's text")
    let help = Localized(zh: "表格的行名和表头不得改动，按格式原文填写。", en: "Keep the format's row labels and headers word for word.")
    let example = Localized(zh: "warning[label-deviation]: 行名“1.信访投诉举报类申请”与格式“1.信访举报投诉类申请”不同",
                            en: "warning[label-deviation]: the label of row \"1. Petitions, reports and complaints\" is written \"1.信访投诉举报类申请\", not the format's \"1.信访举报投诉类申请\"")
    func check(_ input: RuleInput, into out: inout [Diagnostic]) {
        for r in input.rows.indices where input.rows[r].section != 4 && input.rows[r].written != nil {
            // a PDF label cut short by its own numbers is fine; anything else that differs is not
            // (the same bytes first: `==` on text that is not ASCII compares it normalised)
            if sameBytes(input.rows[r].written!.text, input.rows[r].label) || input.rows[r].written!.text == input.rows[r].label
                || sameLabel(input.rows[r].written!.text, input.rows[r].label) { continue }
            let row = input.rows[r], w = row.written!
            if row.section == 3 && besideGroupLabel(comparable(w.text), comparable(row.label)) { continue }
            // a runaway label (text with no cell breaks) is quoted by its start
            // (no more characters than UTF-8 bytes: most labels are told short without counting)
            let written = w.text.utf8.count > 60 && w.text.count > 60 ? String(w.text.prefix(60)) + "…" : w.text
            out.append(finding(
                input.text(zh: "行名“\(written)”与格式“\(row.label)”不同",
                           en: "the label of row \"\(Label.row(row.key, label: row.label).en)\" is written \"\(written)\", not the format's \"\(row.label)\""),
                help: input.text(zh: "表格的行名不得改动，请改为“\(row.label)”。", en: "Keep the format's label word for word: write \"\(row.label)\"."),
                at: w.position, width: min(w.text.unicodeScalars.count, 60), label: input.text(zh: "应为“\(row.label)”", en: "format: \"\(row.label)\""),
                section: row.section, row: row.key, expected: .quoted(row.label), actual: .quoted(written)))
        }
        // column headers: 合计 for 总计, 结果维护 for 结果维持
        let doc = input.document
        for (section, wrong, right, needle) in Self.headers {
            guard let range = section == 3 ? input.report.table3?.headerRange : input.report.table4?.headerRange else { continue }
            if let m = doc.findCompact(needle, from: range.lowerBound, to: range.upperBound) {
                let place = doc.compactPlace(m)
                let pos = SourcePosition(line: place.line + 1, column: place.column + 1)
                out.append(finding(
                    Localized(zh: "列名“\(wrong)”与格式“\(right)”不同",
                              en: "column header \"\(wrong)\" differs from the format's \"\(right)\" (\(right == "总计" ? "Total" : "upheld"))"),
                    help: Localized(zh: "表头文字不得改动，请改为“\(right)”。", en: "Keep the format's header word for word: write \"\(right)\"."),
                    at: pos, width: needle.count, label: Localized(zh: "应为“\(right)”", en: "format: \"\(right)\""),
                    section: section, expected: .quoted(right), actual: .quoted(wrong)))
            }
        }
    }

    /// The column headers written wrong this rule knows: section, as written, the format's, and
    /// the written form normalised (once for the process).
    private static let headers: [(Int, String, String, [UInt32])] = [
        (3, "合计", "总计", TextDocument.normalizedScalars("合计")),
        (4, "结果维护", "结果维持", TextDocument.normalizedScalars("结果维护")),
    ]
}

/// Whether `a` and `b` hold the same UTF-8 bytes (then they are equal, told without normalising).
func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    let same = a.utf8.withContiguousStorageIfAvailable { a in
        b.utf8.withContiguousStorageIfAvailable { b -> Bool in
            for i in a.indices where a[i] != b[i] { return false }
            return true
        }
    }
    if case .some(.some(let same)) = same { return same }
    return a.utf8.elementsEqual(b.utf8)
}

/// Whether a label as written is the format's `label` once both are `comparable`, or its start
/// (two characters or more: a PDF label cut short by its own numbers). Compares as it reads,
/// building neither.
func sameLabel(_ written: String, _ label: String) -> Bool {
    var a = ComparableScalars(written), b = ComparableScalars(label)
    var n = 0
    while let x = a.next() {
        guard let y = b.next(), x == y else { return false }
        n += 1
    }
    return n >= 2 || b.next() == nil
}

/// Characters of table 三's group labels, which stand beside the rows' labels one or two characters a
/// line (三、本年度办理结果, （三）不予公开…), normalised as `comparable` normalises.
private let groupLabelCharacters: Set<UInt32> = {
    var out = Set<UInt32>([0x2C])
    for label in FormatSpec.y2021.table3Groups.map(\.label) {
        for n in TextDocument.normalizedScalars(label) {
            out.insert(n == 0x201C || n == 0x201D ? 0x22 : n)
        }
    }
    return out
}()

/// Whether written label `a` is the format's label `b` (both `comparable`) with a few characters
/// of a group label beside it read into it (text laid out in columns, where a wrapped label and
/// the vertical group label share lines: “（二）部分公开（区分处理度办的…”): the same once those
/// characters are left out.
func besideGroupLabel(_ a: [UInt32], _ b: [UInt32]) -> Bool {
    guard a.count <= b.count + 4 else { return false }
    let a2 = withoutEnumerator(a.filter { !groupLabelCharacters.contains($0) })
    let b2 = withoutEnumerator(b.filter { !groupLabelCharacters.contains($0) })
    return a2.count >= 2 && (a2 == b2 || b2.starts(with: a2))
}

/// `v` without a leading enumerator (1. 1、), as `comparable` leaves out.
private func withoutEnumerator(_ v: [UInt32]) -> [UInt32] {
    if v.count > 1, v[0] >= 0x30 && v[0] <= 0x39, v[1] == 0x2E || v[1] == 0x2C { return Array(v.dropFirst(2)) }
    return v
}

/// Normalised label text for comparison: no whitespace, no leading enumerator, 、 and ， alike.
func comparable(_ s: String) -> [UInt32] {
    var v: [UInt32] = []
    v.reserveCapacity(s.utf8.count)
    var it = ComparableScalars(s)
    while let n = it.next() { v.append(n) }
    return v
}

/// The scalars of `comparable(s)`, one at a time: normalised, whitespace dropped, 、 and ， as a
/// comma, curly quotes as straight, a leading enumerator (一、 (一) 1. 1、) left out.
struct ComparableScalars: IteratorProtocol {
    private var scalars: String.UnicodeScalarView.Iterator
    /// The first three scalars, read ahead to tell an enumerator; `head.count` of them are kept.
    private var head: (UInt32, UInt32, UInt32) = (0, 0, 0)
    private var headCount = 0
    private var headNext = 0

    init(_ s: String) {
        scalars = s.unicodeScalars.makeIterator()
        while headCount < 3, let n = nextNormalised() {
            switch headCount {
            case 0: head.0 = n
            case 1: head.1 = n
            default: head.2 = n
            }
            headCount += 1
        }
        let (v0, v1, v2) = head
        if headCount > 2, v0 == 0x28, isEnumeratorNumeral(v1), v2 == 0x29 { headNext = 3 }
        else if headCount > 1, isEnumeratorNumeral(v0), v1 == 0x2C || v1 == 0x2E { headNext = 2 }
        else if headCount > 1, v0 >= 0x30 && v0 <= 0x39, v1 == 0x2E || v1 == 0x2C { headNext = 2 }
    }

    private mutating func nextNormalised() -> UInt32? {
        while let u = scalars.next() {
            var n = TextDocument.normalize(u.value)
            if TextDocument.isSpace(n) { continue }
            if n == 0x3001 || n == 0xFF0C { n = 0x2C } else if n == 0x201C || n == 0x201D { n = 0x22 }
            return n
        }
        return nil
    }

    mutating func next() -> UInt32? {
        if headNext < headCount {
            defer { headNext += 1 }
            switch headNext {
            case 0: return head.0
            case 1: return head.1
            default: return head.2
            }
        }
        return nextNormalised()
    }
}

/// 一 to 十, the numerals of enumerators.
private func isEnumeratorNumeral(_ v: UInt32) -> Bool {
    switch v {
    case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341: return true
    default: return false
    }
}
