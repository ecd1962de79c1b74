import Foundation
import NianbaoCore
import NianbaoKit
import NianbaoRules
import NianbaoText
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The one error type: a typed code, the operation, the path and the cause, from the readers to
/// the journal, and the verdict a failure maps to.
@Suite("errors")
struct ErrorTests {
    @Test("a failed system call says the operation, the path and the errno, as logs always said it")
    func systemCall() {
        let error = NianbaoError.system("rename", path: "/srv/in/年报.docx", errno: ENOENT)
        #expect(error.code == .ioError && error.operation == "rename" && error.path == "/srv/in/年报.docx")
        #expect(error.cause == .errno(ENOENT))
        #expect(error.description == "rename /srv/in/年报.docx: \(String(cString: strerror(ENOENT))) (errno \(ENOENT))")
        #expect(!error.message.zh.isEmpty && !error.message.en.isEmpty)
    }

    @Test("a file that cannot be opened is rejected with one finding of the failure's code")
    func failureIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("gone.txt").path
        let pipeline = Pipeline()
        let input = pipeline.input(fileName: "gone.txt", path: missing)
        let failure = try #require(input.failure)
        #expect(failure.code == .fileUnreadable && failure.operation == "open" && failure.path == missing)
        #expect(failure.cause == .errno(ENOENT) && failure.verdict == .rejected)
        let result = pipeline.check(input, checkedAt: "2026-12-01T10:00:00+08:00")
        #expect(result.verdict == failure.verdict)
        #expect(result.diagnostics.map(\.code) == [failure.code])
    }

    @Test("a failure that is no operation reads in logs as its message, as the error types it replaced did; its code is no finding's")
    func said() {
        let config = NianbaoError.said(.configInvalid, "配置项 workers：应为 1–256 的整数，实为 “0”", fields: ["key": "workers"])
        #expect(config.description == "配置项 workers：应为 1–256 的整数，实为 “0”" && config.fields["key"] == "workers")
        for code in [Code.configInvalid, .instanceInUse, .notAReportDocument, .indexFailed] {
            #expect(Code(rawValue: code.rawValue) == nil && !Code.all.contains(code), "\(code)")
        }
    }

    @Test("bytes that are not text: file-unreadable, operation decode, the refusal as the cause and in the message")
    func notText() {
        let error = #expect(throws: NianbaoError.self) { try TextDecoder.decode([]) }
        #expect(error?.code == .fileUnreadable && error?.operation == "decode" && error?.cause == .error("the file is empty"))
        #expect(error?.message == Localized(zh: "无法读取文件内容：文件为空", en: "The file cannot be read: the file is empty"))
        #expect(TextDecoder.attempt([0x41, 0, 0x42]) == .refused(TextDecoder.Refusal(kind: .binary, offset: 1)))
    }
}
