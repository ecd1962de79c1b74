/// A JSON value with ordered object keys, so documents read in a stable, documented order.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func optional(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    public static func optional(_ i: Int?) -> JSON { i.map(JSON.int) ?? .null }

    /// A number as the report wrote it: integral values print without a decimal point.
    public static func number(_ d: Double?) -> JSON {
        guard let d else { return .null }
        if d == d.rounded(), abs(d) < 1e15 { return .int(Int(d)) }
        return .double(d)
    }

    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: 0, pretty: pretty)
        return out
    }

    private func write(into out: inout String, indent: Int, pretty: Bool) {
        let nl = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let endPad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? "\(d)" : "null"
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            // arrays of scalars stay on one line
            if a.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
                out += "["
                for (i, v) in a.enumerated() {
                    if i > 0 { out += pretty ? ", " : "," }
                    v.write(into: &out, indent: indent + 1, pretty: pretty)
                }
                out += "]"
                return
            }
            out += "[" + nl
            for (i, v) in a.enumerated() {
                out += pad
                v.write(into: &out, indent: indent + 1, pretty: pretty)
                out += i + 1 < a.count ? "," + nl : nl
            }
            out += endPad + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in o.enumerated() {
                out += pad
                JSON.quote(k, into: &out)
                out += pretty ? ": " : ":"
                v.write(into: &out, indent: indent + 1, pretty: pretty)
                out += i + 1 < o.count ? "," + nl : nl
            }
            out += endPad + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
