import Foundation
import NianbaoCore
import NianbaoModel
import NianbaoRules
import NianbaoRender

/// A report checked before, as its `nianbao.report/2` document describes it.
public struct PriorReport: Sendable, Equatable {
    /// The name it was published under, and the folder (`accepted` or `rejected`).
    public var file: String
    public var folder: String
    public var organ: String?
    public var year: Int?
    public var sha256: String
    public var verdict: Verdict
    public var checkedAt: String
    /// Section 三's 四、结转下年度继续办理 row (seven values, nil where not a number).
    public var carryNext: [Int?]
    public var findings: [PriorFinding]

    public init(file: String, folder: String, organ: String?, year: Int?, sha256: String, verdict: Verdict,
                checkedAt: String, carryNext: [Int?], findings: [PriorFinding]) {
        self.file = file
        self.folder = folder
        self.organ = organ
        self.year = year
        self.sha256 = sha256
        self.verdict = verdict
        self.checkedAt = checkedAt
        self.carryNext = carryNext
        self.findings = findings
    }

    /// What a published `nianbao.report/2` document says of the report.
    public init(document doc: ReportDocument, file: String, folder: String) {
        self.init(
            file: file, folder: folder, organ: doc.report?.organ, year: doc.report?.year, sha256: doc.sha256,
            verdict: doc.verdict, checkedAt: doc.checkedAt,
            carryNext: doc.report?.table3.rows.first { $0.key == "carry_next" }?.cells.map(\.figure) ?? [],
            findings: doc.diagnostics.map {
                PriorFinding(code: $0.code, severity: $0.severity.rawValue, message: $0.message, section: $0.section,
                             row: $0.row, column: $0.columnKey)
            })
    }
}

/// One finding of an earlier check, enough to tell whether a resubmission fixed it.
public struct PriorFinding: Sendable, Equatable {
    public var code: String
    public var severity: String
    public var message: String
    public var section: Int?
    public var row: String?
    public var column: String?

    public init(code: String, severity: String, message: String, section: Int?, row: String?, column: String?) {
        self.code = code
        self.severity = severity
        self.message = message
        self.section = section
        self.row = row
        self.column = column
    }

    /// The same problem in two checks: the same rule at the same row and column (or, for
    /// findings about prose, the same message).
    var key: String {
        row != nil || column != nil ? "\(code)|\(section ?? 0)|\(row ?? "")|\(column ?? "")" : "\(code)|\(message)"
    }

    init(_ d: Diagnostic, language: Language) {
        self.init(code: d.code.rawValue, severity: d.severity.rawValue, message: d.message.text(language), section: d.section,
                  row: d.row, column: d.columnKey)
    }
}

/// The reports checked before, as the caller keeps them (the service: an index of its
/// published results, rebuilt from the folders on start).
public protocol ReportHistory: Sendable {
    /// The latest report of `organ` (compared after ``OrganName/normalised(_:)``) for `year`.
    func latest(organ: String, year: Int) -> PriorReport?
    /// A report whose bytes had this SHA-256.
    func report(sha256: String) -> PriorReport?
}

extension ReportHistory {
    /// What the cross-year rule needs: the same organ's report of the year before.
    func priorYear(of report: AnnualReport) -> PriorYearFigures? {
        guard let organ = report.organ, let year = report.year,
            let prior = latest(organ: organ, year: year - 1), prior.carryNext.count == 7
        else { return nil }
        return PriorYearFigures(file: prior.file, year: year - 1, carryNext: prior.carryNext)
    }
}

/// What changed since the earlier submission of the same organ's report for the same year.
public struct Resubmission: Sendable, Equatable {
    public var earlier: PriorReport
    /// The same bytes as the earlier file: the verdict is the earlier one.
    public var identical: Bool
    public var fixed: [PriorFinding]
    public var stillOpen: [PriorFinding]
    public var new: [PriorFinding]

    /// Compares a check with the history; nil when the report is not a resubmission.
    public static func of(_ result: CheckResult, history: any ReportHistory, language: Language) -> Resubmission? {
        if let same = history.report(sha256: result.sha256) {
            return Resubmission(earlier: same, identical: true, fixed: [], stillOpen: same.findings, new: [])
        }
        guard let organ = result.report?.organ, let year = result.report?.year,
            let earlier = history.latest(organ: organ, year: year)
        else { return nil }
        let now = result.diagnostics.map { PriorFinding($0, language: language) }
        let nowKeys = Set(now.map(\.key)), earlierKeys = Set(earlier.findings.map(\.key))
        return Resubmission(
            earlier: earlier, identical: false, fixed: earlier.findings.filter { !nowKeys.contains($0.key) },
            stillOpen: now.filter { earlierKeys.contains($0.key) }, new: now.filter { !earlierKeys.contains($0.key) })
    }

    /// The lines that open the note: what this submission is, and what changed.
    public func preface(language: Language) -> String {
        let zh = language == .zh
        let verdict = earlier.verdict == .accepted ? (zh ? "通过" : "accepted") : (zh ? "退回" : "rejected")
        var lines: [String] = []
        if identical {
            lines.append(zh
                ? "本文件与此前提交的《\(earlier.file)》内容完全相同（\(earlier.checkedAt) 审核，结论：\(verdict)，审核意见在 \(earlier.folder)/ 文件夹中）；如已按意见修改，请确认提交的是修改后的文件。"
                : "This file is identical to \(earlier.file) (checked \(earlier.checkedAt), \(verdict); its note is in \(earlier.folder)/). If you have made the changes asked for, check that you submitted the changed file.")
            return lines.joined(separator: "\n") + "\n\n"
        }
        lines.append(zh
            ? "本次为重新提交：此前提交的《\(earlier.file)》（\(earlier.checkedAt) 审核，结论：\(verdict)）。与上次相比："
            : "Resubmission of \(earlier.file) (checked \(earlier.checkedAt), \(verdict)). Since then:")
        func list(_ title: String, _ findings: [PriorFinding]) {
            lines.append("  " + title)
            for f in findings.prefix(12) { lines.append("    - [\(f.code)] \(f.message)") }
            if findings.count > 12 { lines.append(zh ? "    …另有 \(findings.count - 12) 项" : "    … and \(findings.count - 12) more") }
        }
        if !fixed.isEmpty { list(zh ? "已改正 \(fixed.count) 项：" : "fixed: \(fixed.count)", fixed) }
        if !stillOpen.isEmpty { list(zh ? "仍未改正 \(stillOpen.count) 项：" : "still open: \(stillOpen.count)", stillOpen) }
        if !new.isEmpty { list(zh ? "新出现 \(new.count) 项：" : "new: \(new.count)", new) }
        if fixed.isEmpty && stillOpen.isEmpty && new.isEmpty {
            lines.append(zh ? "  两次均无问题。" : "  no findings either time.")
        }
        return lines.joined(separator: "\n") + "\n\n"
    }
}
