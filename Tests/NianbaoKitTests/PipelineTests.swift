import Foundation
import Testing

@testable import NianbaoKit
import NianbaoRules

/// The one way a file becomes an input: opened once, by one descriptor, never through a link
/// where the caller asks so (the daemon), and never read when it is not a regular file.
@Suite("pipeline: opening files")
struct PipelineTests {
    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("a symlink is refused without reading its target; a FIFO is refused without blocking")
    func linksAndPipes() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target.txt")
        try Data("SECRET".utf8).write(to: target)
        let link = dir.appendingPathComponent("report.txt")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let pipeline = Pipeline()
        let input = pipeline.input(fileName: "report.txt", path: link.path, followSymlinks: false)
        #expect(input.failure?.code == .notARegularFile && input.bytes.isEmpty)
        #expect(input.failure?.message.zh.contains("符号链接") == true)
        let result = pipeline.check(input, checkedAt: "2026-01-01T00:00:00+08:00")
        #expect(result.verdict == .rejected && !result.json.serialized().contains("SECRET"))
        // a person naming a link on the command line means its target
        if case .success(let bytes) = Pipeline.readFile(link.path, followSymlinks: true) {
            #expect(bytes == Array("SECRET".utf8))
        } else {
            Issue.record("a followed link is read")
        }
        let fifo = dir.appendingPathComponent("pipe.txt")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        guard case .failure(let failure) = Pipeline.readFile(fifo.path, followSymlinks: false) else {
            Issue.record("a FIFO was read")
            return
        }
        #expect(failure.code == .notARegularFile && failure.fields["kind"] == "fifo")
        guard case .failure(let folder) = Pipeline.readFile(dir.path) else {
            Issue.record("a folder was read")
            return
        }
        #expect(folder.code == .notARegularFile && folder.fields["kind"] == "directory")
    }

    @Test("the file hash is SHA-256 (FIPS 180-4 vectors), whole or streamed")
    func hash() {
        #expect(FileHash.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(FileHash.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var streaming = FileHash.Streaming()
        let text = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        text.prefix(10).withUnsafeBytes { streaming.update($0) }
        text.dropFirst(10).withUnsafeBytes { streaming.update($0) }
        #expect(streaming.finish() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("a file that is not a report gets one finding, not eleven; a report missing parts keeps its findings")
    func notAReport() {
        let pipeline = Pipeline()
        let hello = pipeline.check(pipeline.input(fileName: "hello.txt", bytes: Array("hello\n关于报送年报的通知\n".utf8)),
                                   checkedAt: "2026-01-01T00:00:00+08:00")
        #expect(hello.diagnostics.map(\.code) == [.notAReport] && hello.verdict == .rejected)
        let titled = pipeline.check(pipeline.input(fileName: "t.txt", bytes: Array("某镇人民政府2023年政府信息公开工作年度报告\n正文\n".utf8)),
                                    checkedAt: "2026-01-01T00:00:00+08:00")
        #expect(!titled.diagnostics.contains { $0.code == .notAReport })
        #expect(titled.diagnostics.filter { $0.code == .sectionMissing }.count == 6)
        #expect(RuleCatalog.rule("not-a-report") != nil)
    }
}
