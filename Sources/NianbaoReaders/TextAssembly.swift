/// Helpers that build the reader output convention: one line per paragraph, one line per table
/// row with cells joined by TAB, cell paragraphs joined without separator (a space between Latin
/// words or numbers).
enum TextAssembly {
    /// Whitespace that may be trimmed at the ends of a line or a cell (ASCII, NBSP, ideographic).
    static func isTrimmable(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F,
            0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    static func trim(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isTrimmable($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isTrimmable($0) })!
        return String(scalars[start...end])
    }

    /// Replaces characters that would break the line/cell structure (line breaks, tabs, other
    /// control characters) with a space.
    static func sanitize(_ s: String) -> String {
        var needs = false
        for u in s.unicodeScalars where isBreaking(u) {
            needs = true
            break
        }
        guard needs else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(isBreaking(u) ? " " : u) }
        return String(out)
    }

    static func isBreaking(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || v == 0x7F || v == 0x85 || v == 0x2028 || v == 0x2029
    }

    static func isLatinWordChar(_ u: Unicode.Scalar?) -> Bool {
        guard let u else { return false }
        let v = u.value
        return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
            || (v >= 0xC0 && v <= 0x24F)
    }

    static func isCJK(_ u: Unicode.Scalar?) -> Bool {
        guard let u else { return false }
        let v = u.value
        return (v >= 0x2E80 && v <= 0x9FFF) || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFF00 && v <= 0xFFEF)
            || (v >= 0x20000 && v <= 0x3FFFF)
    }

    /// Joins the pieces of one cell: trimmed, empty ones dropped, a space only between two Latin
    /// letters/digits.
    static func joinCellPieces(_ pieces: [String]) -> String {
        var out = ""
        for raw in pieces {
            let p = trim(sanitize(raw))
            if p.isEmpty { continue }
            if isLatinWordChar(out.unicodeScalars.last) && isLatinWordChar(p.unicodeScalars.first) {
                out += " "
            }
            out += p
        }
        return out
    }

    /// One table row as one line; nil when every cell is empty.
    static func rowLine(_ cells: [String]) -> String? {
        if cells.allSatisfy({ $0.isEmpty }) { return nil }
        return cells.joined(separator: "\t")
    }
}

/// Collects inline text, collapsing runs of whitespace the way HTML does. A whitespace run that
/// holds a line break between two CJK characters is dropped (source-code line wrapping).
struct InlineBuffer {
    private(set) var text = String.UnicodeScalarView()
    private var pendingSpace = false
    private var pendingNewline = false
    private(set) var count = 0

    var isEmpty: Bool { text.isEmpty }

    mutating func appendCollapsing(_ s: String) {
        for u in s.unicodeScalars {
            switch u.value {
            case 0x20, 0x09, 0x0C, 0xA0, 0x0B:
                pendingSpace = true
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029:
                pendingSpace = true
                pendingNewline = true
            case 0..<0x20, 0x7F:
                continue
            default:
                if pendingSpace && !text.isEmpty {
                    if !(pendingNewline && TextAssembly.isCJK(text.last) && TextAssembly.isCJK(u)) {
                        text.append(" ")
                        count += 1
                    }
                }
                pendingSpace = false
                pendingNewline = false
                text.append(u)
                count += 1
            }
        }
    }

    /// Returns the collected text (leading/trailing whitespace dropped) and empties the buffer.
    mutating func take() -> String {
        let s = TextAssembly.trim(String(text))
        text = String.UnicodeScalarView()
        pendingSpace = false
        pendingNewline = false
        count = 0
        return s
    }
}
