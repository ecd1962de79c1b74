import Foundation
import Testing
import NianbaoCore
import NianbaoReaders
import NianbaoTestSupport

/// Drives the built `nianbao` binary the way staff and scripts use it.
@Suite("nianbao check (the real binary)")
struct CheckCommandTests {
    static let root = TestProduct.packageRoot
    static let fixtures = TestFixtures.directory

    /// The program this test run built (debug or release).
    static var binary: URL { TestProduct.binary }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8] = []
    }

    /// Runs the binary; `input`: a file given as its standard input.
    static func run(_ args: [String], input: String? = nil) throws -> Run {
        try runProgram(binary, args, input: input)
    }

    /// Runs `program`; `environment`: the variables that replace the test's own, when given.
    static func runProgram(_ program: URL, _ args: [String], input: String? = nil, environment: [String: String]? = nil) throws -> Run {
        let p = Process()
        p.executableURL = program
        p.arguments = args
        if let environment { p.environment = environment }
        if let input { p.standardInput = FileHandle(forReadingAtPath: input) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
                   stdoutBytes: [UInt8](o))
    }

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test("exit status: 0 when all accepted, 1 when any rejected, 2 on usage or I/O errors")
    func exitCodes() throws {
        #expect(try Self.run(["check", Self.fixture("000_6d5291d632ae3dd2.txt")]).status == 0)
        #expect(try Self.run(["check", Self.fixture("huaian-2024.layout.txt")]).status == 0)
        for seed in ["001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt", "003_37e901e8ac7f78da.txt", "004_964c95048e543ea8.txt"] {
            #expect(try Self.run(["check", Self.fixture(seed)]).status == 1, "\(seed)")
        }
        #expect(try Self.run(["check", Self.fixture("000_6d5291d632ae3dd2.txt"), Self.fixture("003_37e901e8ac7f78da.txt")]).status == 1)
        #expect(try Self.run(["check", "/nonexistent/report.txt"]).status == 2)
        #expect(try Self.run(["check", "--format", "yaml", Self.fixture("000_6d5291d632ae3dd2.txt")]).status == 2)
    }

    @Test("many files (set aside from the argument parser): every one, in order, with options before and after them")
    func manyFiles() throws {
        let seeds = ["000_6d5291d632ae3dd2.txt", "002_baa9f92cd75d3d34.txt", "004_964c95048e543ea8.txt"].map(Self.fixture)
        let files = (0..<90).map { seeds[$0 % 3] } + ["/nonexistent/last.txt"]
        for args in [["check", "--format", "json"] + files + ["--lang", "en"],
                     ["check", "--lang", "en", "--format", "json", "--"] + files] {
            let r = try Self.run(args)
            #expect(r.status == 1)
            let docs = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            // one document per file named, the unreadable one too (its document says why)
            #expect(docs.count == 91)
            #expect(docs.map { $0["file"] as? String } == (0..<90).map { (seeds[$0 % 3] as NSString).lastPathComponent } + ["last.txt"])
            #expect((docs.last?["diagnostics"] as? [[String: Any]])?.first?["code"] as? String == "file-unreadable")
            #expect(r.stderr.contains("cannot read /nonexistent/last.txt"))
        }
        let extracted = try Self.run(["extract"] + files.dropLast())
        #expect(extracted.status == 0 && extracted.stdout.components(separatedBy: "\"file\":").count == 91)
    }

    @Test("--format json gives nianbao.report/2 with the documented fields")
    func json() throws {
        let r = try Self.run(["check", "--format", "json", Self.fixture("003_37e901e8ac7f78da.txt")])
        // always an array, one document per file, even for one file
        let docs = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(docs.count == 1)
        let doc = try #require(docs.first)
        for key in ["schema", "tool", "file", "sha256", "bytes", "format", "encoding", "checked_at", "verdict", "errors", "warnings", "report", "diagnostics"] {
            #expect(doc[key] != nil, "missing \(key)")
        }
        #expect(doc["schema"] as? String == "nianbao.report/2")
        #expect(doc["verdict"] as? String == "rejected")
        #expect(doc["format"] as? String == "txt" && doc["encoding"] as? String == "utf-8")
        #expect((doc["sha256"] as? String)?.count == 64)
        let report = try #require(doc["report"] as? [String: Any])
        for key in ["title", "organ", "year", "edition", "period", "sections", "table2", "table3", "table4"] {
            #expect(report.keys.contains(key), "report.\(key)")
        }
        let t3 = try #require(report["table3"] as? [String: Any])
        #expect(t3["columns"] as? [String] == ["natural", "commercial", "research", "nonprofit", "legal", "other", "total"])
        let rows = try #require(t3["rows"] as? [[String: Any]])
        #expect(rows.count == 23)
        let cell = try #require((rows[0]["cells"] as? [[String: Any]])?.first)
        for key in ["value", "text", "unit", "state", "line", "column"] { #expect(cell.keys.contains(key), "cell.\(key)") }
        let t4 = try #require(report["table4"] as? [String: Any])
        let states = (t4["cells"] as? [[String: Any]])?.map { $0["state"] as? String }
        #expect(states?.prefix(5).allSatisfy { $0 == "blank" } == true)
        let diags = try #require(doc["diagnostics"] as? [[String: Any]])
        for d in diags {
            for key in ["code", "severity", "message", "help", "line", "column", "section", "row", "column_key", "expected", "actual"] {
                #expect(d.keys.contains(key), "diagnostic.\(key)")
            }
        }
    }

    @Test("the rendered note reads as the golden file", arguments: ["002", "003"])
    func goldenNote(_ seed: String) throws {
        let name = ["002": "002_baa9f92cd75d3d34.txt", "003": "003_37e901e8ac7f78da.txt"][seed]!
        let r = try Self.run(["check", Self.fixture(name)])
        let golden = try String(contentsOf: Self.fixtures.appendingPathComponent("golden/\(seed).note.txt"), encoding: .utf8)
        #expect(r.stdout == golden)
    }

    @Test("--lang en writes English messages")
    func english() throws {
        let r = try Self.run(["check", "--lang", "en", Self.fixture("002_baa9f92cd75d3d34.txt")])
        #expect(r.stdout.contains("Verdict: rejected"))
        #expect(r.stdout.contains("error[row-cell-count]"))
    }

    @Test("the help lists the subcommands README and the unit file use, by those names")
    func subcommandNames() throws {
        let r = try Self.run(["--help"])
        #expect(r.status == 0)
        let listed = r.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        for name in ["check", "watch", "extract", "rules", "explain", "summary"] {
            #expect(listed.contains("\n  \(name) "), "\(name)")
        }
        // each runs under its name (its help, exit 0)
        for name in ["check", "watch", "extract", "rules", "explain", "summary"] {
            #expect(try Self.run([name, "--help"]).status == 0, "\(name)")
        }
    }

    @Test("rules and explain list the catalog")
    func rules() throws {
        let r = try Self.run(["rules"])
        #expect(r.status == 0)
        for code in ["table3-identity", "table3-row-total", "table3-total-row", "table3-wrong-cell", "table4-total", "section-missing", "section-misnumbered", "row-cell-count", "cell-blank", "amount-unit", "label-deviation"] {
            #expect(r.stdout.contains(code), "\(code)")
        }
        let e = try Self.run(["explain", "table3-row-total"])
        #expect(e.status == 0 && e.stdout.contains("table3-row-total"))
        #expect(try Self.run(["explain", "no-such-rule"]).status == 2)
        for code in ["table3-wrong-cell", "section-misnumbered"] {
            for lang in ["zh", "en"] {
                let x = try Self.run(["explain", "--lang", lang, code])
                #expect(x.status == 0 && x.stdout.contains(code), "\(code) \(lang)")
            }
        }
    }

    @Test("every code the sources can emit is listed by rules and explained by explain, in both languages")
    func everyEmittedCodeIsCatalogued() throws {
        // a finding's code is a `Code`, made only in Code.swift (`static let x = Code("…")`, its
        // initialiser is private); anything else that spells a code as a string (`code: "…"`,
        // `code == "…"`) must spell one of those
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        let made = try Regex(#"static let [a-zA-Z0-9]+ = Code\("([a-z0-9]+(?:-[a-z0-9]+)*)""#)
        let spelled = try Regex(#"code(?:: | = | == | != )"([a-z0-9]+(?:-[a-z0-9]+)*)""#)
        let member = try Regex(#"(?:code(?:: | = | == | != )|Code|return |case )\.([a-z][a-zA-Z0-9]*)\b"#)
        var codes: Set<String> = [], members: Set<String> = [], spelledCodes: Set<String> = [], used: Set<String> = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            if file.lastPathComponent == "Code.swift" {
                for m in text.matches(of: made) { codes.insert(String(m.output[1].substring!)) }
                for m in text.matches(of: try Regex(#"static let ([a-zA-Z0-9]+) = Code\("#)) { members.insert(String(m.output[1].substring!)) }
                continue
            }
            for m in text.matches(of: spelled) { spelledCodes.insert(String(m.output[1].substring!)) }
            for m in text.matches(of: member) { used.insert(String(m.output[1].substring!)) }
        }
        #expect(codes.count > 40)
        #expect(Set(Code.all.map(\.rawValue)) == codes, "Code.all lists every code")
        #expect(spelledCodes.isSubset(of: codes), "spelled out but no Code: \(spelledCodes.subtracting(codes).sorted())")
        // the rules, the readers and the pipeline name their codes by member
        for name in ["notAReport", "table3WrongCell", "cellBlank", "narrativePartsSum", "corruptFile", "fileUnreadable", "checkCrashed"] {
            #expect(members.contains(name) && used.contains(name), "\(name)")
        }
        let listed = try Self.run(["rules"]).stdout
        let listedCodes = Set(listed.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        for code in codes.sorted() {
            #expect(listedCodes.contains(code), "\(code) is a code but not listed by `nianbao rules`")
            for lang in ["zh", "en"] {
                let x = try Self.run(["explain", "--lang", lang, code])
                #expect(x.status == 0 && x.stdout.contains(code), "\(code) is not explained in \(lang)")
            }
        }
    }

    @Test("a config file sets rule severities")
    func config() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-cfg-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cfg = dir.appendingPathComponent("nianbao.yaml")
        try "rules:\n  - \"cell-blank=warning\"\n".write(to: cfg, atomically: true, encoding: .utf8)
        #expect(try Self.run(["check", "--config", cfg.path, Self.fixture("003_37e901e8ac7f78da.txt")]).status == 0)
        try "rules:\n  - \"no-such-rule=off\"\n".write(to: cfg, atomically: true, encoding: .utf8)
        let bad = try Self.run(["check", "--config", cfg.path, Self.fixture("003_37e901e8ac7f78da.txt")])
        #expect(bad.status == 2 && bad.stderr.contains("no-such-rule"))
        // a map under rules: is refused rather than silently read as nothing
        try "rules:\n  cell-blank: warning\n".write(to: cfg, atomically: true, encoding: .utf8)
        let map = try Self.run(["check", "--config", cfg.path, Self.fixture("003_37e901e8ac7f78da.txt")])
        #expect(map.status == 2 && map.stderr.contains("rules"))
        // the shipped configuration is valid
        let shipped = Self.root.appendingPathComponent("Config/nianbao.yaml").path
        #expect(try Self.run(["check", "--config", shipped, Self.fixture("000_6d5291d632ae3dd2.txt")]).status == 0)
    }

    @Test("a file that breaks a reader gets its own finding, and every other file's result is still printed")
    func hostileFileAmongOthers() throws {
        let r = try Self.run(["check", Self.fixture("hostile/zip-directory-past-end.docx"), Self.fixture("000_6d5291d632ae3dd2.txt"),
                              Self.fixture("002_baa9f92cd75d3d34.txt")])
        #expect(r.status == 1, "rejected, not a crash: \(r.status) \(r.stderr)")
        #expect(r.stdout.components(separatedBy: "审核意见\n").count == 4, "three notes")
        #expect(r.stdout.contains("错误[corrupt-file]") && r.stdout.contains("文件：000_6d5291d632ae3dd2.txt")
                && r.stdout.contains("文件：002_baa9f92cd75d3d34.txt"))
        let j = try Self.run(["check", "--format", "json", Self.fixture("hostile/zip-directory-past-end.docx")])
        #expect(j.stdout.contains("\"code\": \"corrupt-file\""), "\(j.stdout)")
    }

    @Test("the reader child answers with the typed document on the real binary")
    func readerChild() throws {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = ["read-document", "--format", "docx", "--memory-limit", String(1 << 30), "--cpu-limit", "10"]
        p.standardInput = try FileHandle(forReadingFrom: Self.fixtures.appendingPathComponent("template-2021.docx"))
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let o = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let header = Array("nianbao-read/3 ok\n".utf8)
        #expect(o.starts(with: header))
        // the typed document: its text, and the places of its table rows and paragraphs
        let document = try DocumentCoding.decode(Array(o.dropFirst(header.count)))
        #expect(document.format == .docx && document.text.contains("政府信息公开"))
        #expect(document.origins.values.contains(.tableRow(table: 2, row: 10, columns: [3, 4, 5, 6, 7, 8, 9, 10])))
        // through `check`, the place reaches the note from the child
        let r = try Self.run(["check", Self.fixture("template-2021.docx")])
        #expect(r.stdout.contains("--> template-2021.docx：第 2 个表格，第 4 行（“一、本年新收政府信息公开申请数量”），第 4 列（“自然人”）"))
        // and the prose by its paragraph
        #expect(document.origins[0] == .paragraph(1))
        #expect(r.stdout.contains("--> template-2021.docx：正文第 1 段"))
    }

    @Test("command-line manners: reasons in the user's language, a rejection decides the status, - reads standard input")
    func manners() throws {
        let mixed = try Self.run(["check", "/nonexistent/报告.txt", Self.fixtures.path, Self.fixture("002_baa9f92cd75d3d34.txt")])
        #expect(mixed.status == 1, "the rejection of 002 decides the status")
        #expect(mixed.stderr.contains("无法读取 /nonexistent/报告.txt：没有这个文件"))
        #expect(mixed.stderr.contains("是目录，不是文件"))
        #expect(mixed.stderr.contains("3 个文件中有 2 个未能读取"))
        let english = try Self.run(["check", "--lang", "en", "/nonexistent/x.txt"])
        #expect(english.status == 2 && english.stderr.contains("cannot read /nonexistent/x.txt: No such file or directory"))
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = ["check", "--format", "json", "-"]
        p.standardInput = try FileHandle(forReadingFrom: Self.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"))
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let json = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && json.contains("\"verdict\": \"accepted\"") && json.contains("\"file\": \"-\""))
    }

    @Test func summaryOfReportsNobodyCheckedSaysWhatItNeeds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-summary-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["000_6d5291d632ae3dd2.txt", "002_baa9f92cd75d3d34.txt"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let plain = try Self.run(["summary", dir.path])
        #expect(plain.status == 2)
        #expect(plain.stdout.isEmpty)
        #expect(plain.stderr.contains("2 份报告，但没有审核结果") && plain.stderr.contains("nianbao check --format json"))
        // once checked, the same folder sums up (the accepted report; the rejected one with --include-rejected)
        let checked = try Self.run(["check", "--format", "json", dir.appendingPathComponent("000_6d5291d632ae3dd2.txt").path])
        let doc = try #require(checked.stdout.data(using: .utf8))
        // `check` prints a list; a result beside its report is one document
        let list = try #require(try JSONSerialization.jsonObject(with: doc) as? [Any])
        let one = try JSONSerialization.data(withJSONObject: try #require(list.first))
        try one.write(to: dir.appendingPathComponent("000_6d5291d632ae3dd2.txt.nianbao.json"))
        let summed = try Self.run(["summary", dir.path])
        #expect(summed.status == 0)
        #expect(summed.stdout.contains("000_6d5291d632ae3dd2.txt"))
        #expect(summed.stderr.contains("报告 1 份"))
    }
}
