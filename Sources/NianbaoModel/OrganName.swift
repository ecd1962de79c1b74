import Foundation

/// Organ names as offices write them differ in spaces, full-width characters and short forms:
/// `沭阳县 人民政府` and `沭阳县政府` are the same organ.
public enum OrganName {
    public static func normalised(_ name: String) -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(name.unicodeScalars.count)
        for scalar in name.unicodeScalars {
            var s = scalar
            // full-width ASCII → ASCII
            if (0xFF01...0xFF5E).contains(s.value), let half = Unicode.Scalar(s.value - 0xFEE0) { s = half }
            if s.properties.isWhitespace || s == "\u{3000}" { continue }
            scalars.append(s)
        }
        // short forms, in one pass over the scalars
        var out = String.UnicodeScalarView()
        var i = 0
        scan: while i < scalars.count {
            for (long, short) in shortForms where scalars[i...].starts(with: long) {
                out.append(contentsOf: short)
                i += long.count
                continue scan
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    private static let shortForms: [(long: [Unicode.Scalar], short: [Unicode.Scalar])] =
        [("人民政府", "政府"), ("办公室", "办")].map { (Array($0.0.unicodeScalars), Array($0.1.unicodeScalars)) }
}
