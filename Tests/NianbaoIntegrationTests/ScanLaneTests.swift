import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether this machine reads scans (poppler and Tesseract's Chinese data, in Debian's places).
enum OCRInstalled {
    static var yes: Bool {
        let data = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"]
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftoppm")
            && data.contains { FileManager.default.fileExists(atPath: $0 + "/chi_sim.traineddata") }
    }
}

/// Scans in the real `nianbao watch`: read by OCR in their own lane, so that text reports get their
/// verdicts while a scan is read with a single checking worker; a scan's page shows in STATUS=;
/// a scan not read within `ocr_timeout` is rejected with a note saying so.
@Suite("scans in the real service", .serialized,
       .enabled(if: OCRInstalled.yes, "pdftoppm or Tesseract (chi_sim, eng) is not installed"))
struct ScanLaneTests {
    typealias Tool = CheckCommandTests

    static let scan = Tool.fixtures.appendingPathComponent("scan-corpus/r05-2021-portrait-serif-grey.pdf")

    /// A datagram socket standing in for systemd's NOTIFY_SOCKET.
    final class NotifySocket: Sendable {
        let path: String
        private let fd: Int32
        private let received = Mutex<[String]>([])

        init() throws {
            path = NSTemporaryDirectory() + "nianbao-scan-notify-\(UUID().uuidString.prefix(8)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard fd >= 0, bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        }

        /// Everything received so far.
        var messages: [String] {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count <= 0 { break }
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                received.withLock { $0.append(message) }
            }
            return received.withLock { $0 }
        }

        func close() {
            _ = Glibc.close(fd)
            unlink(path)
        }
    }

    /// The service with one checking worker, the given extra configuration, STATUS= to `notify`.
    final class Service {
        let dir: URL
        let process = Process()
        var inbox: URL { dir.appendingPathComponent("data/inbox") }
        var accepted: URL { dir.appendingPathComponent("data/accepted") }
        var rejected: URL { dir.appendingPathComponent("data/rejected") }

        init(extra: String, notify: NotifySocket) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-scan-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let config = """
                data_dir: ./data
                poll_interval: 0.2
                settle_time: 0.5
                workers: 1
                instance: test
                state_dir: ./state
                \(extra)
                """
            try config.write(to: dir.appendingPathComponent("nianbao.yaml"), atomically: true, encoding: .utf8)
            process.executableURL = Tool.binary
            process.arguments = ["watch", "--config", dir.appendingPathComponent("nianbao.yaml").path]
            process.currentDirectoryURL = dir
            var env = ProcessInfo.processInfo.environment
            env["NOTIFY_SOCKET"] = notify.path
            env.removeValue(forKey: "NIANBAO_CONFIG")
            env["NIANBAO_LOG"] = "stderr"
            process.environment = env
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            try wait(seconds: 10) { FileManager.default.fileExists(atPath: self.accepted.path) }
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: dir)
        }

        func names(_ url: URL) -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []) }

        func drop(_ source: URL, as name: String) throws {
            try FileManager.default.copyItem(at: source, to: inbox.appendingPathComponent(name))
        }

        /// The report and its JSON in accepted/ or rejected/ (the JSON is placed first).
        func published(_ name: String) -> Bool {
            [accepted, rejected].contains { folder in
                let here = names(folder)
                return here.contains(name) && here.contains(name + ".nianbao.json")
            }
        }

        func wait(seconds: Double, _ condition: () -> Bool) throws {
            let end = Date().addingTimeInterval(seconds)
            while !condition() {
                if Date() > end { throw CocoaError(.fileReadUnknown) }
                usleep(50_000)
            }
        }
    }

    @Test("workers: 1 — text reports get their verdicts while a scan is read; STATUS= shows the scan's page k of n")
    func textReportsFlowPastAScan() throws {
        let notify = try NotifySocket()
        defer { notify.close() }
        let s = try Service(extra: "", notify: notify)
        try s.drop(Self.scan, as: "scan.pdf")
        // the scan is being read: STATUS= says so, with its page
        try s.wait(seconds: 60) { notify.messages.contains { $0.contains("正在识别扫描件 scan.pdf：第 1 页，共 4 页") } }
        // text reports dropped after it, with the only checking worker's scan still being read
        let seeds = ["000_6d5291d632ae3dd2.txt", "001_b5d853e23248f75b.txt", "002_baa9f92cd75d3d34.txt"]
        for name in seeds { try s.drop(Tool.fixtures.appendingPathComponent(name), as: name) }
        try s.wait(seconds: 60) { seeds.allSatisfy { s.published($0) } || s.published("scan.pdf") }
        #expect(seeds.allSatisfy { s.published($0) }, "the text reports have their verdicts")
        #expect(!s.published("scan.pdf"), "while the scan is still being read")
        // and the scan gets its own, having shown its later pages too
        try s.wait(seconds: 180) { s.published("scan.pdf") }
        #expect(s.names(s.accepted).contains("scan.pdf"))
        let statuses = notify.messages.filter { $0.contains("正在识别扫描件 scan.pdf") }
        #expect(statuses.contains { $0.contains("第 2 页，共 4 页") } || statuses.contains { $0.contains("第 3 页，共 4 页") },
                Comment(rawValue: statuses.joined(separator: "\n")))
        // and once read, STATUS= no longer names it
        try s.wait(seconds: 5) { notify.messages.last { $0.contains("STATUS=") }.map { !$0.contains("识别扫描件") } ?? false }
    }

    @Test("a scan not read within ocr_timeout is rejected with a note saying so, naming the limit and what to do")
    func scanPastItsTimeLimit() throws {
        let notify = try NotifySocket()
        defer { notify.close() }
        let s = try Service(extra: "ocr_timeout: 1", notify: notify)
        try s.drop(Self.scan, as: "slow-scan.pdf")
        try s.wait(seconds: 60) { s.published("slow-scan.pdf") }
        #expect(s.names(s.rejected).contains("slow-scan.pdf"), "the scan is in rejected/")
        let note = try String(contentsOf: s.rejected.appendingPathComponent("slow-scan.pdf.审核意见.txt"), encoding: .utf8)
        #expect(note.contains("扫描件"), Comment(rawValue: note))
        #expect(note.contains("1 秒内识别完毕"), Comment(rawValue: note))
        #expect(note.contains("Word/WPS 直接导出的 PDF"), Comment(rawValue: note))
        #expect(note.contains("ocr_timeout"), Comment(rawValue: note))
        #expect(!note.contains("读取文件超时"), "not the generic timeout text")
    }
}

/// Images and PDFs no scanner made, through `nianbao check` as staff run it (the OCR reader in the
/// reader child, with its limits): each ends in a verdict with a note, never a crash or a hang.
@Suite("hostile scans through the real binary", .enabled(if: OCRInstalled.yes, "pdftoppm or Tesseract is not installed"))
struct HostileScanCommandTests {
    typealias Tool = CheckCommandTests

    /// The odd files: the fixtures of scan-hostile, and cut-off scans made here (a PDF cut in the
    /// middle of a page image; a JPEG page cut after its header, saved as .jpg).
    static func files() throws -> [URL] {
        let dir = Tool.fixtures.appendingPathComponent("scan-hostile")
        var files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map { dir.appendingPathComponent($0) }
        let scan = [UInt8](try Data(contentsOf: ScanLaneTests.scan))
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-hostile-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let cutPDF = tmp.appendingPathComponent("cut.pdf")
        try Data(scan.prefix(scan.count / 2)).write(to: cutPDF)
        files.append(cutPDF)
        // the first page's JPEG: from its start-of-image marker, cut a few kilobytes in
        if let start = (0..<(scan.count - 3)).first(where: { scan[$0] == 0xFF && scan[$0 + 1] == 0xD8 && scan[$0 + 2] == 0xFF }) {
            let cutJPEG = tmp.appendingPathComponent("cut.jpg")
            try Data(scan[start..<min(scan.count, start + 6000)]).write(to: cutJPEG)
            files.append(cutJPEG)
        }
        return files
    }

    @Test("each ends in a verdict and a note (exit status 0 or 1), within the OCR time limit")
    func noCrashNoHang() throws {
        let files = try Self.files()
        #expect(files.count >= 9)
        for file in files {
            let start = ContinuousClock.now
            let run = try Tool.run(["check", "--format", "json", file.path])
            let took = ContinuousClock.now - start
            #expect(run.status == 0 || run.status == 1, "\(file.lastPathComponent): status \(run.status) \(run.stderr)")
            #expect(run.stdout.contains("\"verdict\""), "\(file.lastPathComponent): \(run.stdout.prefix(300))")
            #expect(!run.stdout.contains("reader-crashed"), "\(file.lastPathComponent): \(run.stdout.prefix(600))")
            #expect(took < .seconds(150), "\(file.lastPathComponent): \(took)")
        }
    }
}

/// Scans are read by the OCR helper `nianbao-ocr`, the one program that links Tesseract and
/// Leptonica: `nianbao` itself (the checker, the service, its reader children) never loads them
/// nor the image, network and crypto libraries they bring, and starts without them.
@Suite("the OCR helper beside the real binary")
struct OCRHelperTests {
    typealias Tool = CheckCommandTests

    static var helper: URL { Tool.binary.deletingLastPathComponent().appendingPathComponent("nianbao-ocr") }

    /// The shared libraries `ldd` resolves for `program` (every one it loads, not only those it names).
    static func libraries(_ program: URL) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        p.arguments = [program.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            $0.split(separator: " ").first.map { String($0.trimmingCharacters(in: .whitespaces)) }
        }
    }

    @Test("nianbao loads neither Tesseract nor Leptonica; the helper beside it loads both")
    func onlyTheHelperLinksTesseract() throws {
        let main = try Self.libraries(Tool.binary)
        #expect(!main.isEmpty)
        #expect(!main.contains { $0.hasPrefix("libtesseract") || $0.hasPrefix("liblept") || $0.hasPrefix("libcurl") },
                "\(main)")
        #expect(FileManager.default.isExecutableFile(atPath: Self.helper.path), "no \(Self.helper.path)")
        let helper = try Self.libraries(Self.helper)
        #expect(helper.contains { $0.hasPrefix("libtesseract") } && helper.contains { $0.hasPrefix("liblept") }, "\(helper)")
        // run by hand, it says what it is for (status 2), and reads nothing
        let run = try Tool.runProgram(Self.helper, [])
        #expect(run.status == 2 && run.stderr.contains("nianbao-ocr reads scans for nianbao"), "\(run.status) \(run.stderr)")
    }

    @Test("a scan checked by a nianbao with no helper beside it: rejected as ocr-missing, the text reports still read",
          .enabled(if: OCRInstalled.yes, "pdftoppm or Tesseract is not installed"))
    func noHelperNoScan() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let alone = dir.appendingPathComponent("nianbao")
        try FileManager.default.copyItem(at: Tool.binary, to: alone)
        let path = "/usr/bin:/bin"
        try #require(!path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/nianbao-ocr") },
                     "a nianbao-ocr is installed on \(path)")
        let run = try Tool.runProgram(alone, ["check", "--format", "json", ScanLaneTests.scan.path, Tool.fixture("000_6d5291d632ae3dd2.txt")],
                                      environment: ["PATH": path])
        #expect(run.status == 1, "\(run.status) \(run.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(results.count == 2)
        let scan = results[0], text = results[1]
        #expect(scan["verdict"] as? String == "rejected")
        let codes = (scan["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes == ["ocr-missing"], "\(codes)")
        #expect(text["verdict"] as? String == "accepted")
        // the English note names what is missing: the helper, not Tesseract's data
        let en = try Tool.runProgram(alone, ["check", "--lang", "en", ScanLaneTests.scan.path], environment: ["PATH": path])
        #expect(en.stdout.contains("the OCR helper nianbao-ocr is not installed beside nianbao"), "\(en.stdout)")
    }

    @Test("a scan read through the helper gives the figures the scan shows",
          .enabled(if: OCRInstalled.yes, "pdftoppm or Tesseract is not installed"))
    func readThroughTheHelper() throws {
        let run = try Tool.run(["check", "--format", "json", ScanLaneTests.scan.path])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]).first
        #expect(result?["verdict"] as? String == "accepted", "\(run.stdout.prefix(800))")
        let report = result?["report"] as? [String: Any]
        #expect((report?["table3"] as? [String: Any])?["present"] as? Bool == true)
    }
}
