// Each stage of checking a report, and the whole check, per report, on the fixtures:
//
//   swift package --disable-sandbox benchmark
//   swift package --disable-sandbox benchmark --filter 'seeds.*'
//
// Text inputs: "seeds" (the five seed reports, all five in each iteration: divide the time by
// five for one report) and "huaian" (the 淮安 2024 text as `pdftotext -layout` writes it).
// Their stages: detect (the format told from the content), sha256, decode (bytes → text),
// text-document (text → TextDocument: the plain-text reader's typed document), extract
// (TextDocument → AnnualReport), rules (the rule engine on the report), note,
// json, and check: the whole pipeline as `nianbao check` runs it on a file's bytes (format told,
// read, hashed, decoded, extracted, checked, JSON and note rendered). Documents: .docx (the 2021 template), .html (seed 002 as a web page), .pdf (the
// 淮安 2024 PDF): their reader, the whole check with the reader in this process, and for .docx
// and .html the whole check with the reader in a child, as the command line and the daemon run
// it (when the release build's `nianbao` is beside this benchmark); for .pdf also `pdftotext
// -bbox-layout` alone, the floor of the PDF path.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Benchmark
import NianbaoKit
import NianbaoCore
import NianbaoText
import NianbaoExtract
import NianbaoRules
import NianbaoReaders

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: Fixtures.metrics, timeUnits: .microseconds, warmupIterations: 5,
        maxDuration: .seconds(2), maxIterations: 1_000_000)

    // MARK: text reports, stage by stage

    for (name, files) in [("seeds", Fixtures.seeds), ("huaian", [Fixtures.huaian])] {
        let texts = files.map { try! TextDecoder.decode($0.bytes).text }
        let documents = texts.map { TextDocument($0) }
        let reports = documents.map { Extractor.extract($0) }
        let engine = RuleEngine()
        let pipeline = Pipeline()
        let results = files.map { pipeline.check(pipeline.input(fileName: $0.name, bytes: $0.bytes), checkedAt: Fixtures.checkedAt) }

        Benchmark("\(name)/detect") { benchmark in
            for f in files { blackHole(FormatDetector.detect(bytes: f.bytes, fileName: f.name)) }
        }
        Benchmark("\(name)/sha256") { benchmark in
            for f in files { blackHole(FileHash.sha256Hex(f.bytes)) }
        }
        Benchmark("\(name)/decode") { benchmark in
            for f in files { blackHole(try! TextDecoder.decode(f.bytes)) }
        }
        // the plain-text reader: text → the typed document (lines, cells of table rows, compact text)
        Benchmark("\(name)/text-document") { benchmark in
            for t in texts { blackHole(TextDocument(t)) }
        }
        // extraction proper: the typed document → AnnualReport
        Benchmark("\(name)/extract") { benchmark in
            for d in documents { blackHole(Extractor.extract(d)) }
        }
        Benchmark("\(name)/rules") { benchmark in
            for (r, d) in zip(reports, documents) { blackHole(engine.run(RuleInput(report: r, document: d))) }
        }
        Benchmark("\(name)/note") { benchmark in
            for (f, r) in zip(files, results) { blackHole(r.note(fileName: f.name, language: .zh)) }
        }
        // the page as the service writes it: bytes, the findings grouped once for both notes (the
        // grouping is counted in the text note, which the check writes either way)
        let groups = results.map(\.noteGroups)
        Benchmark("\(name)/html-note") { benchmark in
            for ((f, r), g) in zip(zip(files, results), groups) where r.verdict == .rejected || r.warnings > 0 {
                blackHole(r.htmlNoteBytes(fileName: f.name, language: .zh, groups: g))
            }
        }
        Benchmark("\(name)/json") { benchmark in
            for r in results { blackHole(r.json.bytes()) }
        }
        Benchmark("\(name)/check") { benchmark in
            for f in files { blackHole(Fixtures.checkWhole(f, pipeline: pipeline)) }
        }
    }

    // MARK: documents through their readers

    let inProcess = Pipeline()
    let isolated = Fixtures.nianbaoBinary.map { Pipeline(isolation: ReaderIsolation(helperExecutable: $0)) }
    for (name, file) in [("docx", Fixtures.docx), ("html", Fixtures.html)] {
        let format: DocumentFormat = name == "docx" ? .docx : .html
        Benchmark("\(name)/read") { benchmark in
            blackHole(try! DocumentReader.read(bytes: file.bytes, format: format, pdfPath: nil, isolation: nil))
        }
        Benchmark("\(name)/check") { benchmark in
            blackHole(Fixtures.checkWhole(file, pipeline: inProcess))
        }
        if let isolated {
            Benchmark("\(name)/check, reader in a child") { benchmark in
                blackHole(Fixtures.checkWhole(file, pipeline: isolated))
            }
        }
    }

    if let pdftotext = PDFTextReader.executablePath {
        let pdf = Fixtures.pdf
        Benchmark("pdf/pdftotext -bbox-layout alone") { benchmark in
            blackHole(Fixtures.run(pdftotext, ["pdftotext", "-bbox-layout", "-enc", "UTF-8", pdf.path, "-"]))
        }
        Benchmark("pdf/read") { benchmark in
            blackHole(try! PDFTextReader().document(fromFile: pdf.path))
        }
        Benchmark("pdf/check") { benchmark in
            blackHole(Fixtures.checkWhole(pdf, pipeline: inProcess))
        }
    }
}

/// The fixtures the benchmarks read, and what they share.
enum Fixtures {
    struct File: Sendable {
        var name: String
        var path: String
        var bytes: [UInt8]
    }

    /// Wall clock and throughput; allocations; peak memory; and instructions where the
    /// machine has a hardware counter for them (a virtual machine often has none).
    static let metrics: [BenchmarkMetric] = {
        var m: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident]
        if access("/sys/bus/event_source/devices/cpu/events/instructions", F_OK) == 0
            || access("/sys/bus/event_source/devices/cpu_core/events/instructions", F_OK) == 0 {
            m.insert(.instructions, at: 2)
        }
        return m
    }()

    static let checkedAt = "2026-12-01T12:00:00+08:00"

    /// Tests/Fixtures, found from this file's place in the package.
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Benchmarks/CheckBenchmarks/CheckBenchmarks.swift
        return parts.joined(separator: "/") + "/Tests/Fixtures"
    }()

    static func file(_ name: String) -> File {
        let path = directory + "/" + name
        guard case .success(let bytes) = Pipeline.readFile(path) else { fatalError("cannot read \(path)") }
        return File(name: name, path: path, bytes: bytes)
    }

    static let seeds = [
        "000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt",
        "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt",
    ].map(file)
    static let huaian = file("huaian-2024.layout.txt")
    static let docx = file("template-2021.docx")
    static let pdf = file("huaian-2024.pdf")

    /// Seed 002 as a web page: its lines as paragraphs, its tab-separated rows as tables.
    static let html: File = {
        let text = try! TextDecoder.decode(file("002_baa9f92cd75d3d34.txt").bytes).text
        func escape(_ s: Substring) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年度报告</title></head><body>\n"
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let row = line.split(separator: "\t", omittingEmptySubsequences: false)
            if row.count > 1 {
                if !inTable { page += "<table border=\"1\">\n" }
                inTable = true
                page += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
            } else {
                if inTable { page += "</table>\n" }
                inTable = false
                page += "<p>\(escape(line))</p>\n"
            }
        }
        if inTable { page += "</table>\n" }
        page += "</body></html>\n"
        return File(name: "002.html", path: "", bytes: Array(page.utf8))
    }()

    /// The release build's `nianbao`, beside this benchmark's executable, for reading in a child.
    static let nianbaoBinary: String? = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = exe.lastIndex(of: "/") else { return nil }
        let candidate = String(exe[..<slash]) + "/nianbao"
        return access(candidate, X_OK) == 0 ? candidate : nil
    }()

    /// What `nianbao check` does with one file: tell its format and read it (from its path for a
    /// PDF), check it, and render both the JSON and the note.
    static func checkWhole(_ f: File, pipeline: Pipeline) -> Int {
        let input = pipeline.input(fileName: f.name, bytes: f.bytes, path: f.path.isEmpty ? nil : f.path)
        let result = pipeline.check(input, checkedAt: Checker.timestampNow())
        return result.json.bytes().count + result.note(fileName: f.name, language: .zh).utf8.count
    }

    /// Runs a program with its output to a pipe, read to the end; returns the bytes read.
    static func run(_ executable: String, _ arguments: [String]) -> Int {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return -1 }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        close(fds[1])
        defer { close(fds[0]) }
        guard spawned == 0 else { return -1 }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            total += n
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return total
    }
}
