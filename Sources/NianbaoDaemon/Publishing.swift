import Foundation
import Logging
import NianbaoKit
import NianbaoRules
import NianbaoSummary
import NianbaoRender
import NianbaoConfig

#if canImport(Glibc)
    import Glibc
#endif

/// One claimed file, from `work/` to `accepted/` or `rejected/`: the library's pipeline
/// decides the verdict and writes the note and JSON; this only guards the file and moves it.
struct Publishing: Sendable {
    let logger: Logger
    let state: RunState
    let index: PublishedIndex
    let summary: FolderSummary
    let marks: CheckingSlots

    /// A file checked and not yet published.
    struct Checked: Sendable {
        var file: QueuedFile
        var outcome: CheckOutcome
        var started: ContinuousClock.Instant
    }

    /// Checks one claimed file (the part that takes the CPU). Returns nil when there is nothing
    /// to publish: a publish cut short by a restart was finished instead.
    func check(_ file: QueuedFile) async -> Checked? {
        let (workFile, name, config) = (file.workFile, file.name, file.config)
        let started = ContinuousClock.now
        let work = workFile.deletingLastPathComponent()
        // A crash between placing the sidecars and moving the report: finish that publish.
        if file.leftover, let (destination, savedAs) = Publisher.finishHalfPublish(
            workFile: workFile, originalName: name, destinations: [config.accepted, config.rejected])
        {
            CheckingMarks.clear(work: work, name: name)
            logger.notice(
                "\(text(config, "已完成重启前未完成的发布：\(name) → \(destination.path)/\(savedAs)", "finished a publish cut short by a restart: \(name) → \(destination.path)/\(savedAs)"))",
                metadata: ["report_file": "\(name)", "report_saved_as": "\(savedAs)", "destination": "\(destination.path)"])
            state.record(name: name, accepted: destination == config.accepted)
            do {
                try index.addPublished(file: savedAs, in: destination)
                summary.markStale()
            } catch {
                logger.warning("\(text(config, "无法把 \(savedAs) 记入索引：\(error)；下次核对文件夹时补记", "cannot add \(savedAs) to the index: \(error); it is added when the folders are next compared with it"))")
            }
            return nil
        }
        let outcome: CheckOutcome
        // Only a file found in work/ (not one claimed just now) can carry a mark from before.
        if file.leftover && CheckingMarks.has(work: work, name: name) {
            // The last check of this file never ended: the process died in it. Checking it
            // again could take the service down again, for every office.
            var options = CheckOptions(language: config.language)
            options.htmlNotes = config.htmlNotes
            outcome = Pipeline(options: options).refusal(
                ofFileAt: workFile.path, fileName: name, failure: .checkCrashed, noteEncoding: config.noteEncoding,
                checkedAt: Checker.timestamp(Date()))
            logger.error(
                "\(text(config, "上次审核 \(name) 时服务意外中止，此文件不再自动审核，退回并注明原因", "the service stopped while checking \(name) last time; it is rejected with a note instead of being checked again"))",
                metadata: ["message_id": "\(NianbaoMessageID.reportFailed)", "report_file": "\(name)"])
        } else {
            let mark = marks.begin(name, in: work)
            outcome = await file.checker(workFile, name)
            marks.end(mark)
        }
        // the check ended: a crash from here on is the publishing's, which a restart finishes
        if file.leftover { CheckingMarks.clear(work: work, name: name) }
        if outcome.failure?.code == .pdftotextMissing {
            logger.error(
                "\(text(config, "无法审核 PDF 报告 \(name)：服务器未安装 pdftotext（apt-get install poppler-utils）", "cannot check the PDF report \(name): pdftotext is not installed (apt-get install poppler-utils)"))",
                metadata: ["report_file": "\(name)", "missing": "pdftotext"])
        }
        return Checked(file: file, outcome: outcome, started: started)
    }

    /// Publishes a checked file. Returns false if it stays in `work/` (to be tried again later).
    /// Publishing waits on the disk (fsync): it runs on `queue`, a serial queue of the worker's
    /// own, which gets a thread of its own when the others wait (the global queues are as wide
    /// as the machine has cores, and would let a publish waiting on the disk hold up a check).
    func publish(_ checked: Checked, on queue: DispatchQueue) async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: publish(checked.outcome, file: checked.file, started: checked.started))
            }
        }
    }

    /// Places the outcome's sidecars and the report (blocking file system calls).
    private func publish(_ outcome: CheckOutcome, file: QueuedFile, started: ContinuousClock.Instant) -> Bool {
        let (workFile, name, config) = (file.workFile, file.name, file.config)
        let destination = outcome.accepted ? config.accepted : config.rejected
        // The verdict is about the bytes that were read: if the file was written to since (a
        // writer that kept it open), it goes back to the inbox to settle and be checked again.
        if let read = outcome.identity, Publisher.changedSince(read, sha256: outcome.sha256, at: workFile) {
            return Self.requeue(workFile: workFile, name: name, config: config, logger: logger, stage: nil)
        }
        // what a network share says of the file now (its identity there may differ from the one
        // read: renumbered, whole seconds): a write from here on changes its size or mtime
        let local = Directories.timesAreLocal(destination) && Directories.timesAreLocal(config.instanceWork)
        let beforeMove = local ? outcome.identity : Pipeline.FileIdentity.of(workFile.path)
        let savedAs: String
        do {
            savedAs = try Publisher.publish(
                workFile: workFile.path, originalName: name, destination: destination.path, sidecars: Sidecar.of(outcome))
        } catch {
            logger.error(
                "\(text(config, "无法把 \(name) 放入 \(destination.path)：\(error)；文件留在 \(config.instanceWork.path)，稍后重试", "cannot move \(name) to \(destination.path): \(error); it stays in \(config.instanceWork.path) and will be retried"))",
                metadata: ["report_file": "\(name)"])
            return false
        }
        // and once more where it now lies: a write between the check above and the move
        let published = destination.file(savedAs)
        let after = Pipeline.FileIdentity.of(published.path)
        if let before = beforeMove, Publisher.differs(after, from: before, local: local),
            local || after?.size != before.size || FileHash.sha256(ofFileAt: published.path) != outcome.sha256
        {
            Publisher.withdraw(base: savedAs, from: destination)
            index.remove(file: savedAs, folder: destination.lastPathComponent)
            return Self.requeue(workFile: published, name: name, config: config, logger: logger, stage: savedAs)
        }
        if let watched = local ? outcome.identity : after {
            state.watch(RunState.Published(
                name: name, destination: destination, savedAs: savedAs, identity: watched, sha256: outcome.sha256,
                local: local, until: ContinuousClock.now + max(.seconds(10), config.settleTime * 5)))
        }
        log(outcome, name: name, savedAs: savedAs, destination: destination, config: config, started: started)
        // the next report of this organ is checked against this one, and the summary and the
        // overview page list it: into the index now that its files are in place (a crash before
        // this line leaves the index behind the folders, and the next start catches up)
        do {
            try index.add(Self.indexed(outcome, savedAs: savedAs, folder: destination.lastPathComponent))
            summary.markStale()
        } catch {
            logger.warning("\(text(config, "无法把 \(savedAs) 记入索引：\(error)；下次核对文件夹时补记", "cannot add \(savedAs) to the index: \(error); it is added when the folders are next compared with it"))")
        }
        state.record(name: name, accepted: outcome.accepted)
        return true
    }

    /// What the index keeps of a published outcome: read from the very document published
    /// (what a rebuild of the index reads too), or, for a document that is not a report's, from
    /// the outcome.
    static func indexed(_ outcome: CheckOutcome, savedAs: String, folder: String) -> IndexedReport {
        let noteSuffix = outcome.htmlNote != nil ? Sidecar.htmlNoteSuffix : outcome.note != nil ? Sidecar.noteSuffix : nil
        let note = noteSuffix.map { OverviewPage.href([folder, savedAs + $0]) }
        if let doc = try? ReportDocument.decode(outcome.json) {
            var report = IndexedReport(document: doc, file: savedAs, folder: folder, noteSuffix: "")
            report.note = note
            return report
        }
        var prior = outcome.recorded.prior ?? PriorReport(
            file: savedAs, folder: folder, organ: outcome.recorded.organ, year: outcome.recorded.year, sha256: outcome.sha256,
            verdict: outcome.verdict, checkedAt: Checker.timestamp(Date()), carryNext: outcome.recorded.table3Figures["carry_next"] ?? [],
            findings: [])
        prior.file = savedAs
        prior.folder = folder
        let entry = SummaryEntry(
            file: savedAs, organ: outcome.recorded.organ, year: outcome.recorded.year, edition: outcome.recorded.edition, verdict: outcome.verdict.rawValue,
            errors: outcome.recorded.errors, warnings: outcome.recorded.warnings, rules: outcome.recorded.rules, table3: outcome.recorded.table3Figures,
            table4: outcome.recorded.table4Figures)
        return IndexedReport(prior: prior, entry: entry, note: note)
    }

    /// One journal entry per verdict, with the structured fields operators filter on.
    private func log(_ outcome: CheckOutcome, name: String, savedAs: String, destination: URL, config: DaemonConfig,
                     started: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - started).components
        let durationMS = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
        var metadata: Logger.Metadata = [
            "report_file": "\(name)", "report_saved_as": "\(savedAs)", "report_sha256": "\(outcome.sha256)",
            "errors": "\(outcome.recorded.errors)", "warnings": "\(outcome.recorded.warnings)", "duration_ms": "\(durationMS)",
            "rules": "\(outcome.recorded.rules.joined(separator: ","))", "destination": "\(destination.path)",
        ]
        if let organ = outcome.recorded.organ { metadata["organ"] = "\(organ)" }
        if let year = outcome.recorded.year { metadata["report_year"] = "\(year)" }
        if let edition = outcome.recorded.edition { metadata["edition"] = "\(edition)" }
        if let failure = outcome.failure {
            let reason = failure.message.text(config.language)
            metadata["message_id"] = "\(NianbaoMessageID.reportFailed)"
            // the verdict the failure maps to, as the file's JSON and folder give it; the reason
            // tells it apart
            metadata["verdict"] = "\(failure.verdict.rawValue)"
            metadata["failure_reason"] = "\(reason)"
            logger.warning("\(text(config, "无法审核 \(name)：\(reason)", "could not check \(name): \(reason)"))", metadata: metadata)
        } else if outcome.accepted {
            metadata["message_id"] = "\(NianbaoMessageID.reportAccepted)"
            metadata["verdict"] = "\(Verdict.accepted.rawValue)"
            logger.notice(
                "\(text(config, "已通过：\(name)（\(outcome.recorded.warnings) 条提示）", "accepted: \(name) (\(outcome.recorded.warnings) warnings)"))",
                metadata: metadata)
        } else {
            metadata["message_id"] = "\(NianbaoMessageID.reportRejected)"
            metadata["verdict"] = "\(Verdict.rejected.rawValue)"
            logger.notice(
                "\(text(config, "已退回：\(name)（\(outcome.recorded.errors) 处错误）", "rejected: \(name) (\(outcome.recorded.errors) errors)"))",
                metadata: metadata)
        }
    }

    /// A file that changed after it was read goes back to the inbox under its name (or, if that
    /// name is taken again, stays where it is and is checked again on a later scan).
    static func requeue(workFile: URL, name: String, config: DaemonConfig, logger: Logger, stage: String?) -> Bool {
        let back = NoReplace.moveFile(from: workFile, to: config.inbox.file(name)) == 0
        logger.notice(
            "\(text(config, "\(name) 在审核期间被改写，已\(back ? "放回收件目录，稳定后重新审核" : "留待下次重新审核")", "\(name) was written to while it was being checked; \(back ? "it is back in the inbox and will be checked once it settles" : "it will be checked again")"))",
            metadata: ["report_file": "\(name)"])
        if !back && stage != nil {
            // published but changed: keep it out of sight of the verdict, in work/
            _ = NoReplace.moveFile(from: workFile, to: config.instanceWork.file(name))
        }
        return back
    }
}
