import Foundation
import Testing

/// Runs the real `nianbao watch` on temporary folders, as the service runs it.
@Suite("nianbao watch (the real binary)", .serialized)
struct WatchCommandTests {
    typealias Tool = CheckCommandTests

    final class Service {
        let dir: URL
        let process = Process()
        let stderr = Pipe()
        var inbox: URL { dir.appendingPathComponent("data/inbox") }
        var accepted: URL { dir.appendingPathComponent("data/accepted") }
        var rejected: URL { dir.appendingPathComponent("data/rejected") }
        /// This instance's work folder (the service names it after `instance:`).
        var work: URL { dir.appendingPathComponent("data").appendingPathComponent("work").appendingPathComponent("test") }
        /// The service's state directory (its index of published results), beside the data folder.
        var state: URL { dir.appendingPathComponent("state") }

        /// Whether the folders go when this object does (a restart keeps them for the next one).
        var removeOnDeinit = true

        /// `prepare` runs on the data folder before the service starts (a state a crash left);
        /// `directory` is an earlier service's folder, to start again on its data.
        init(settle: String = "1", path: String? = nil, directory: URL? = nil, prepare: ((URL) throws -> Void)? = nil) throws {
            dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-watch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let config = """
                data_dir: ./data
                poll_interval: 0.2
                settle_time: \(settle)
                workers: 2
                instance: test
                state_dir: ./state
                """
            try config.write(to: dir.appendingPathComponent("nianbao.yaml"), atomically: true, encoding: .utf8)
            if let prepare { try prepare(dir.appendingPathComponent("data")) }
            process.executableURL = Tool.binary
            process.arguments = ["watch", "--config", dir.appendingPathComponent("nianbao.yaml").path]
            process.currentDirectoryURL = dir
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "NOTIFY_SOCKET")
            env.removeValue(forKey: "NIANBAO_CONFIG")
            if let path { env["PATH"] = path }
            env["NIANBAO_LOG"] = "stderr"  // read the log back from the pipe, whatever journald runs
            process.environment = env
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // started: the folders exist (accepted/ is one that `prepare` never makes)
            try wait(seconds: 10) { FileManager.default.fileExists(atPath: self.accepted.path) }
        }

        func stop() -> Int32 {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
            return process.terminationStatus
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            if removeOnDeinit { try? FileManager.default.removeItem(at: dir) }
        }

        func names(_ url: URL) -> Set<String> {
            Set((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
        }

        func wait(seconds: Double, _ condition: () -> Bool) throws {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if condition() { return }
                usleep(100_000)
            }
            Issue.record("timed out after \(seconds) s")
        }
    }

    static let seeds = [
        ("000_6d5291d632ae3dd2.txt", "accepted"), ("001_b5d853e23248f75b.txt", "rejected"),
        ("002_baa9f92cd75d3d34.txt", "rejected"), ("003_37e901e8ac7f78da.txt", "rejected"),
        ("004_964c95048e543ea8.txt", "rejected"),
    ]

    @Test("the five seeds land where EXPECTED.md says, with JSON and notes")
    func seeds() throws {
        let s = try Service()
        for (name, _) in Self.seeds {
            try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent(name), to: s.inbox.appendingPathComponent(name))
        }
        // published: each report and its JSON in place (temporaries of a publish under way are hidden)
        try s.wait(seconds: 30) {
            Self.seeds.allSatisfy { name, verdict in
                let folder = s.names(verdict == "accepted" ? s.accepted : s.rejected)
                return folder.contains(name) && folder.contains(name + ".nianbao.json")
            }
        }
        for (name, verdict) in Self.seeds {
            let folder = verdict == "accepted" ? s.accepted : s.rejected
            #expect(s.names(folder).contains(name), "\(name) in \(verdict)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name + ".nianbao.json"))) as? [String: Any]
            #expect(json?["verdict"] as? String == verdict)
            #expect(json?["file"] as? String == name)
            let note = folder.appendingPathComponent(name + ".审核意见.txt")
            if verdict == "rejected" {
                let bytes = [UInt8](try Data(contentsOf: note))
                #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "note has a BOM")
                #expect(bytes.contains(0x0D), "note has CRLF line ends")
                #expect(String(decoding: bytes, as: UTF8.self).contains("不通过"))
            } else {
                #expect(!FileManager.default.fileExists(atPath: note.path), "an accepted report without warnings has no note")
            }
        }
        try s.wait(seconds: 5) { s.names(s.inbox).isEmpty && s.names(s.work).isEmpty }  // the check slots go once idle
        #expect(s.stop() == 0)
    }

    @Test("a file still being written is not taken; ignored names stay; a collision keeps both files")
    func safety() throws {
        let s = try Service(settle: "1.5")
        // ignored names
        for name in [".~lock.report.docx#", "~$report.docx", "report.tmp", "upload.part", ".hidden.txt"] {
            try Data("x".utf8).write(to: s.inbox.appendingPathComponent(name))
        }
        // a slow writer: half now, the rest after 3 s
        let seed = try Data(contentsOf: Tool.fixtures.appendingPathComponent("003_37e901e8ac7f78da.txt"))
        let slow = s.inbox.appendingPathComponent("slow.txt")
        let handle = try { () throws -> FileHandle in
            _ = FileManager.default.createFile(atPath: slow.path, contents: nil)
            return try FileHandle(forWritingTo: slow)
        }()
        let half = seed.count / 2
        for i in 0..<6 {
            try handle.write(contentsOf: seed[(i * half / 6)..<((i + 1) * half / 6)])
            usleep(500_000)
            #expect(s.names(s.inbox).contains("slow.txt"), "not taken while still growing")
        }
        try handle.write(contentsOf: seed[half...])
        try handle.close()
        try s.wait(seconds: 15) { s.names(s.rejected).contains("slow.txt") }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: s.rejected.appendingPathComponent("slow.txt.nianbao.json"))) as? [String: Any]
        #expect(json?["bytes"] as? Int == seed.count, "the whole file was checked")
        // the same name twice: both kept
        try seed.write(to: s.inbox.appendingPathComponent("slow.txt"))
        try s.wait(seconds: 15) { s.names(s.rejected).count >= 8 }
        let kept = s.names(s.rejected).filter { !$0.hasSuffix(".json") && !$0.hasSuffix("审核意见.txt") && !$0.hasSuffix("审核意见.html") }
        #expect(kept.count == 2, "\(kept)")
        #expect(s.names(s.inbox) == [".~lock.report.docx#", "~$report.docx", "report.tmp", "upload.part", ".hidden.txt"])
        #expect(s.stop() == 0)
    }

    @Test("a file that is not a report still ends up where a person sees it, with a reason")
    func unreadable() throws {
        let s = try Service()
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600))
            .write(to: s.inbox.appendingPathComponent("旧格式.doc"))
        try Data([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00] + [UInt8](repeating: 7, count: 100)).write(to: s.inbox.appendingPathComponent("garbage.txt"))
        try Data().write(to: s.inbox.appendingPathComponent("empty.txt"))
        // the report is moved beside its note last: wait for both (the damaged .doc goes through
        // LibreOffice first, which takes a moment)
        let names = ["旧格式.doc", "garbage.txt", "empty.txt"]
        try s.wait(seconds: 30) { names.allSatisfy { s.names(s.rejected).contains($0) && s.names(s.rejected).contains($0 + ".审核意见.txt") } }
        for name in names {
            #expect(s.names(s.rejected).contains(name), "\(name)")
            let note = try String(contentsOf: s.rejected.appendingPathComponent(name + ".审核意见.txt"), encoding: .utf8)
            #expect(note.contains("不通过"))
        }
        let doc = try String(contentsOf: s.rejected.appendingPathComponent("旧格式.doc.审核意见.txt"), encoding: .utf8)
        #expect(doc.contains(".docx"), "asks for a supported format")
        #expect(s.stop() == 0)
    }

    @Test("without pdftotext, a PDF is rejected with a note saying this server cannot check PDF")
    func withoutPdftotext() throws {
        let s = try Service(path: "/nonexistent")
        try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent("huaian-2024.pdf"), to: s.inbox.appendingPathComponent("report.pdf"))
        try s.wait(seconds: 15) { s.names(s.rejected).contains("report.pdf.审核意见.txt") }
        let note = try String(contentsOf: s.rejected.appendingPathComponent("report.pdf.审核意见.txt"), encoding: .utf8)
        #expect(note.contains("pdftotext") && note.contains("无法审核 PDF"))
        #expect(s.stop() == 0)
        let log = String(decoding: s.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("<3>未安装 pdftotext"), "said at start-up")
        #expect(log.contains("<3>无法审核 PDF 报告 report.pdf"), "an error for the operator")
    }

    @Test("a report whose name leaves no room for its sidecars' names still lands, with its note")
    func longName() throws {
        let s = try Service()
        let name = String(repeating: "长", count: 80) + ".txt"  // 244 bytes: name + .审核意见.txt > 255
        try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent("003_37e901e8ac7f78da.txt"), to: s.inbox.appendingPathComponent(name))
        try s.wait(seconds: 15) { s.names(s.rejected).count >= 4 }
        let landed = s.names(s.rejected)
        #expect(landed.count == 4, "\(landed)")
        #expect(landed.allSatisfy { $0.utf8.count <= 255 && $0.hasPrefix("长长长") })
        #expect(landed.contains { $0.hasSuffix("….txt") } && landed.contains { $0.hasSuffix(".审核意见.txt") }
                && landed.contains { $0.hasSuffix(".审核意见.html") })
        try s.wait(seconds: 5) { s.names(s.inbox).isEmpty && s.names(s.work).isEmpty }  // the check slots go once idle
        #expect(s.stop() == 0)
    }

    @Test("a file that breaks a reader is rejected with a note; the service and the reports beside it go on")
    func hostileFile() throws {
        let s = try Service()
        try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent("hostile/zip-directory-past-end.docx"),
                                         to: s.inbox.appendingPathComponent("报告.docx"))
        try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"),
                                         to: s.inbox.appendingPathComponent("000.txt"))
        try s.wait(seconds: 15) { s.names(s.rejected).contains("报告.docx.审核意见.txt") && s.names(s.accepted).contains("000.txt") }
        #expect(s.process.isRunning, "the service is still up")
        let note = try String(contentsOf: s.rejected.appendingPathComponent("报告.docx.审核意见.txt"), encoding: .utf8)
        #expect(note.contains("不通过") && note.contains("损坏"), "\(note)")
        #expect(s.stop() == 0)
    }

    @Test("a file found in work/ with its checking mark (the last check never ended) is rejected, not checked again")
    func quarantine() throws {
        let seed = Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt")
        let s = try Service { data in
            // what a process that died while checking `poison.txt` leaves behind
            let work = data.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: seed, to: work.appendingPathComponent("poison.txt"))
            try FileManager.default.copyItem(at: seed, to: work.appendingPathComponent("innocent.txt"))
            try Data("poison.txt\n".utf8).write(to: work.appendingPathComponent(Self.checkingMark(for: "poison.txt")))
            // a mark whose report was published before the mark was removed
            try Data("gone.txt\n".utf8).write(to: work.appendingPathComponent(Self.checkingMark(for: "gone.txt")))
        }
        try FileManager.default.copyItem(at: seed, to: s.inbox.appendingPathComponent("new.txt"))
        try s.wait(seconds: 15) {
            s.names(s.rejected).contains("poison.txt.审核意见.txt") && s.names(s.accepted).isSuperset(of: ["innocent.txt", "new.txt"])
        }
        let note = try String(contentsOf: s.rejected.appendingPathComponent("poison.txt.审核意见.txt"), encoding: .utf8)
        #expect(note.contains("check-crashed") && note.contains("服务意外中止") && note.contains("重新提交"), "\(note)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: s.rejected.appendingPathComponent("poison.txt.nianbao.json"))) as? [String: Any]
        #expect(json?["verdict"] as? String == "rejected")
        #expect(json?["bytes"] as? Int == (try Data(contentsOf: seed)).count, "the JSON describes the file beside it")
        try s.wait(seconds: 5) { s.names(s.work).isEmpty }  // no mark and no report left in work/
        #expect(s.stop() == 0)
        let log = String(decoding: s.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("<3>上次审核 poison.txt 时服务意外中止"), "an error for the operator")
    }

    @Test("a SIGKILL while a report is being checked: after the restart that report is rejected with check-crashed, not checked again; the others are checked")
    func killedDuringACheck() throws {
        let seed = try Data(contentsOf: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"))
        // a large text (about 29 MB): its check lasts long enough to be caught in the act
        let large = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-large-\(UUID().uuidString).txt")
        try Data(repeating: 0, count: 0).write(to: large)
        let handle = try FileHandle(forWritingTo: large)
        for _ in 0..<3000 { try handle.write(contentsOf: seed) }
        try handle.close()
        defer { try? FileManager.default.removeItem(at: large) }

        let first = try Service()
        first.removeOnDeinit = false
        try FileManager.default.moveItem(at: large, to: first.inbox.appendingPathComponent("大文件.txt"))
        // being checked: a check slot in work/ names it
        func slotsNaming(_ name: String) -> Bool {
            first.names(first.work).filter { $0.hasPrefix(".nianbao-checking-slot-") }.contains {
                (try? String(contentsOf: first.work.appendingPathComponent($0), encoding: .utf8)) == name + "\n"
            }
        }
        try first.wait(seconds: 30) { slotsNaming("大文件.txt") }
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.names(first.rejected).isEmpty && first.names(first.accepted).isEmpty, "killed before it was published")

        let second = try Service(directory: first.dir)
        try seed.write(to: second.inbox.appendingPathComponent("其他.txt"))
        try second.wait(seconds: 30) {
            second.names(second.rejected).contains("大文件.txt.审核意见.txt") && second.names(second.accepted).contains("其他.txt")
        }
        let note = try String(contentsOf: second.rejected.appendingPathComponent("大文件.txt.审核意见.txt"), encoding: .utf8)
        #expect(note.contains("check-crashed") && note.contains("服务意外中止"), "\(note.prefix(600))")
        try second.wait(seconds: 5) { second.names(second.work).isEmpty }  // no slot, no mark, no report left
        #expect(second.stop() == 0)
    }

    @Test("a symlink, a pipe or a folder dropped in the inbox is never read: it goes to rejected/ with a note saying what it is")
    func notRegularFiles() throws {
        let s = try Service()
        let secret = s.dir.appendingPathComponent("secret.txt")
        try Data("机密内容 SECRET-4711".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(at: s.inbox.appendingPathComponent("链接.txt"), withDestinationURL: secret)
        #expect(mkfifo(s.inbox.appendingPathComponent("pipe.txt").path, 0o600) == 0)
        try FileManager.default.createDirectory(at: s.inbox.appendingPathComponent("报告文件夹"), withIntermediateDirectories: false)
        try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"),
                                         to: s.inbox.appendingPathComponent("000.txt"))
        // published: each entry moves in after its sidecars
        try s.wait(seconds: 15) {
            ["链接.txt", "pipe.txt", "报告文件夹"].allSatisfy { s.names(s.rejected).isSuperset(of: [$0, $0 + ".审核意见.txt"]) }
                && s.names(s.accepted).contains("000.txt")
        }
        for (name, what) in [("链接.txt", "符号链接"), ("pipe.txt", "命名管道"), ("报告文件夹", "文件夹")] {
            let note = try String(contentsOf: s.rejected.appendingPathComponent(name + ".审核意见.txt"), encoding: .utf8)
            #expect(note.contains("not-a-regular-file") && note.contains(what) && note.contains("没有读取"), "\(name): \(note)")
            let json = try String(contentsOf: s.rejected.appendingPathComponent(name + ".nianbao.json"), encoding: .utf8)
            #expect(!note.contains("SECRET-4711") && !json.contains("SECRET-4711"))
        }
        // the link itself was moved, its target untouched
        let moved = try FileManager.default.destinationOfSymbolicLink(atPath: s.rejected.appendingPathComponent("链接.txt").path)
        #expect(moved == secret.path)
        try s.wait(seconds: 5) { s.names(s.inbox).isEmpty && s.names(s.work).isEmpty }  // the check slots go once idle
        #expect(s.stop() == 0)
    }

    @Test("a name that is not UTF-8 (GBK from an old Windows client) is taken, checked and published under its readable name")
    func gbkNames() throws {
        let s = try Service()
        let seed = try Data(contentsOf: Tool.fixtures.appendingPathComponent("003_37e901e8ac7f78da.txt"))
        // "gbk-年报.txt" as GBK bytes, and a name no charset makes sense of
        for raw in [Array("gbk-".utf8) + [0xC4, 0xEA, 0xB1, 0xA8] + Array(".txt".utf8), Array("bad-".utf8) + [0xFF, 0xFE] + Array(".txt".utf8)] {
            let path = Array(s.inbox.path.utf8) + [0x2F] + raw
            let fd = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o644)
            #expect(fd >= 0)
            _ = seed.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            close(fd)
        }
        // published: the report moves in after its sidecars
        try s.wait(seconds: 15) {
            s.names(s.rejected).isSuperset(of: ["gbk-年报.txt", "gbk-年报.txt.审核意见.txt", "bad-#FF#FE.txt", "bad-#FF#FE.txt.审核意见.txt"])
        }
        #expect(s.names(s.rejected).isSuperset(of: ["gbk-年报.txt", "gbk-年报.txt.nianbao.json", "bad-#FF#FE.txt"]))
        let note = try String(contentsOf: s.rejected.appendingPathComponent("gbk-年报.txt.审核意见.txt"), encoding: .utf8)
        #expect(note.contains("文件：gbk-年报.txt"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: s.inbox.path))?.isEmpty == true, "nothing left in the inbox")
        #expect(s.stop() == 0)
        let log = String(decoding: s.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("已退回：gbk-年报.txt"), "the journal shows the readable name")
    }

    @Test("a publish cut short (sidecars placed, report still in work/) is finished on start: no orphan, no renamed copy")
    func halfPublished() throws {
        let seed = Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt")
        // the report's document as the service writes it beside a report (`check` prints a list)
        let printed = try Tool.run(["check", "--format", "json", seed.path]).stdout
        let list = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [Any])
        let json = String(decoding: try JSONSerialization.data(withJSONObject: try #require(list.first)), as: UTF8.self)
        let s = try Service { data in
            // what a crash between the sidecars' rename and the report's leaves behind
            for dir in ["work", "accepted"] {
                try FileManager.default.createDirectory(at: data.appendingPathComponent(dir), withIntermediateDirectories: true)
            }
            try FileManager.default.copyItem(at: seed, to: data.appendingPathComponent("work/报告.txt"))
            try json.write(to: data.appendingPathComponent("accepted/报告.txt.nianbao.json"), atomically: false, encoding: .utf8)
            // an older report of the same name, already published, stays as it is
            try FileManager.default.copyItem(at: seed, to: data.appendingPathComponent("accepted/旧.txt"))
        }
        try s.wait(seconds: 15) { s.names(s.accepted).contains("报告.txt") }
        #expect(s.names(s.accepted) == ["报告.txt", "报告.txt.nianbao.json", "旧.txt"], "\(s.names(s.accepted))")
        #expect(try String(contentsOf: s.accepted.appendingPathComponent("报告.txt.nianbao.json"), encoding: .utf8) == json,
                "the sidecar placed before the crash describes the report beside it")
        try s.wait(seconds: 5) { s.names(s.work).isEmpty && s.names(s.rejected).isEmpty }
        #expect(s.stop() == 0)
    }

    @Test("a writer that pauses longer than the settle time and then goes on: the verdict on the prefix is withdrawn, the whole file is checked")
    func pausingWriter() throws {
        let s = try Service(settle: "0.5")
        let seed = try Data(contentsOf: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"))
        let path = s.inbox.appendingPathComponent("slow.txt")
        _ = FileManager.default.createFile(atPath: path.path, contents: nil)
        let handle = try FileHandle(forWritingTo: path)
        try handle.write(contentsOf: seed.prefix(seed.count / 2))
        // the prefix settles, is taken and gets a verdict while the handle stays open
        try s.wait(seconds: 15) { s.names(s.rejected).contains("slow.txt.nianbao.json") }
        try handle.write(contentsOf: seed.dropFirst(seed.count / 2))
        try handle.close()
        try s.wait(seconds: 20) { s.names(s.accepted).contains("slow.txt.nianbao.json") }
        #expect(s.names(s.rejected).isEmpty, "the prefix's verdict is withdrawn: \(s.names(s.rejected))")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: s.accepted.appendingPathComponent("slow.txt.nianbao.json"))) as? [String: Any]
        let beside = try Data(contentsOf: s.accepted.appendingPathComponent("slow.txt"))
        #expect(beside == seed)
        #expect(json?["bytes"] as? Int == seed.count, "the JSON describes the file beside it")
        #expect(s.stop() == 0)
        let log = String(decoding: s.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("slow.txt 在审核期间被改写"))
    }

    @Test("reloads do not restart the settle time: a file is taken while SIGHUPs keep coming")
    func reloadStorm() throws {
        let s = try Service(settle: "1")
        try FileManager.default.copyItem(at: Tool.fixtures.appendingPathComponent("000_6d5291d632ae3dd2.txt"),
                                         to: s.inbox.appendingPathComponent("000.txt"))
        let end = Date().addingTimeInterval(6)
        while Date() < end && !s.names(s.accepted).contains("000.txt") {
            kill(s.process.processIdentifier, SIGHUP)
            usleep(20_000)
        }
        #expect(s.names(s.accepted).contains("000.txt"), "taken during 50 reloads a second")
        #expect(s.stop() == 0)
    }

    @Test("an inbox that is a file, or a junk configuration: exit status 2, and the log shows no raw control characters")
    func badFolders() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: dir.appendingPathComponent("inbox"))
        try "inbox: \(dir.path)/inbox\n".write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "inbox: \(dir.path)/in\nlanguage: \"zh\\u0007\\u001b[31m\"\n".write(to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        for (config, says) in [("a.yaml", "无法使用配置的目录"), ("b.yaml", "配置错误")] {
            let p = Process()
            p.executableURL = Tool.binary
            p.arguments = ["watch", "--config", dir.appendingPathComponent(config).path]
            p.environment = ["NIANBAO_LOG": "stderr", "PATH": "/usr/bin:/bin"]
            let err = Pipe()
            p.standardError = err
            try p.run()
            let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 2, "\(config): \(log)")
            #expect(log.contains(says), "\(log)")
            #expect(!log.unicodeScalars.contains { $0.value == 0x07 || $0.value == 0x1B }, "no raw control characters: \(log)")
        }
    }

    /// The mark's name, as the daemon derives it (FNV-1a of the name, 16 hex digits).
    static func checkingMark(for name: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return ".nianbao-checking-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
