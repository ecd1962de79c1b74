import Foundation

/// Organ names as offices write them differ in spaces, full-width characters and short forms:
/// `沭阳县 人民政府` and `沭阳县政府` are the same organ.
public enum OrganName {
    public static func normalised(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            var s = scalar
            // full-width ASCII → ASCII
            if (0xFF01...0xFF5E).contains(s.value), let half = Unicode.Scalar(s.value - 0xFEE0) { s = half }
            if s.properties.isWhitespace || s == "\u{3000}" { continue }
            out.unicodeScalars.append(s)
        }
        for (long, short) in [("人民政府", "政府"), ("办公室", "办")] {
            out = out.replacingOccurrences(of: long, with: short)
        }
        return out
    }
}
