import NianbaoKit

/// A file published beside a checked report: `<report><suffix>`.
///
/// To publish one more sidecar (a CSV line per report, say): add its suffix to
/// ``allSuffixes`` (so a name is free only when no report has it yet) and its bytes in
/// ``of(_:)``. Everything else (temporary names, fsyncs, withdrawal when the report changes
/// after its check, collision numbering) follows from this list.
struct Sidecar: Sendable, Equatable {
    var suffix: String
    var bytes: [UInt8]

    /// The machine-readable result (`nianbao.report/2`); always written, always first: a
    /// restart that finds it beside no report finishes that publish.
    static let jsonSuffix = ".nianbao.json"
    /// The note for the person who dropped the file (in the configured encoding).
    static let noteSuffix = ".审核意见.txt"
    /// The same note as a web page, when configured (`html_notes`).
    static let htmlNoteSuffix = ".审核意见.html"
    static let allSuffixes = [jsonSuffix, noteSuffix, htmlNoteSuffix]

    /// What is published beside a report with this outcome.
    static func of(_ outcome: CheckOutcome) -> [Sidecar] {
        var out = [Sidecar(suffix: jsonSuffix, bytes: outcome.json)]
        if let note = outcome.note { out.append(Sidecar(suffix: noteSuffix, bytes: note)) }
        if let page = outcome.htmlNote { out.append(Sidecar(suffix: htmlNoteSuffix, bytes: page)) }
        return out
    }
}
