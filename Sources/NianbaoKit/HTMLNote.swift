extension CheckResult {
    /// The note as a self-contained web page (see `HTMLNoteRenderer`); `preface` is the
    /// resubmission's opening text, shown above the findings.
    public func htmlNote(fileName: String, language: Language, preface: String = "") -> String {
        var page = HTMLNoteRenderer(language: language, layout: layout).render(
            header: NoteHeader(fileName: fileName, sha256: sha256, verdict: verdict),
            report: report ?? AnnualReport(), diagnostics: diagnostics, document: document)
        if !preface.isEmpty, let at = page.range(of: "<main>\n") {
            page.insert(contentsOf: "<pre class=\"preface\">\(htmlEscape(preface))</pre>\n", at: at.upperBound)
        }
        return page
    }
}
