import NianbaoCore
import NianbaoModel
import NianbaoRender

extension CheckResult {
    /// The note as a self-contained web page (see `HTMLNoteRenderer`); `preface` is the
    /// resubmission's opening text, shown above the findings.
    public func htmlNote(fileName: String, language: Language, preface: String = "") -> String {
        String(decoding: htmlNoteBytes(fileName: fileName, language: language, preface: preface), as: UTF8.self)
    }

    /// The page as the service writes it; `groups` are the findings as the text note grouped them.
    public func htmlNoteBytes(fileName: String, language: Language, preface: String = "", groups: NoteGroups? = nil) -> [UInt8] {
        HTMLNoteRenderer(language: language, layout: layout, preface: preface).renderBytes(
            header: NoteHeader(fileName: fileName, sha256: sha256, verdict: verdict),
            report: report ?? AnnualReport(), diagnostics: diagnostics, document: document, groups: groups)
    }

    /// The findings grouped as both notes show them.
    public var noteGroups: NoteGroups { NoteGroups(diagnostics, report: report ?? AnnualReport()) }
}
