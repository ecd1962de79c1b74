import Foundation
import NianbaoConfig

/// A message from outside (a configuration file's text, an error quoting it) made safe for a
/// log line: control characters shown as escapes, never written raw to the journal or terminal.
public func printable(_ value: Any) -> String {
    var out = ""
    for u in String(describing: value).unicodeScalars {
        if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) {
            out += u == "\n" ? " " : "\\u{" + String(u.value, radix: 16) + "}"
        } else {
            out.unicodeScalars.append(u)
        }
    }
    return out
}

/// Chinese or English, by the configured language.
func text(_ config: DaemonConfig, _ zh: String, _ en: String) -> String {
    config.language == .zh ? zh : en
}

