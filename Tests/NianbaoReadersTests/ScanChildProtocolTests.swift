import Testing
import NianbaoCore

@testable import NianbaoReaders

/// What crosses from the reader child about a scan besides its document.
struct ScanChildProtocolTests {
    @Test("a page's progress line and a scan's timeout cross the child's channels; other stderr lines are not progress")
    func childProtocol() {
        let line = ReaderIsolation.encodeProgress(page: 3, of: 7)
        #expect(ReaderIsolation.decodeProgress(String(line.dropLast())).map { [$0.0, $0.1] } == [3, 7])
        #expect(ReaderIsolation.decodeProgress("nianbao-read/3 page 8 7") == nil)
        #expect(ReaderIsolation.decodeProgress("warning: something") == nil)
        let timeout = NianbaoError.scanTimeout(seconds: 45)
        #expect(ReaderIsolation.decodeFailure(code: timeout.code, ReaderIsolation.encodeFailure(timeout)) == timeout)
        #expect(ReaderIsolation.decodeFailure(code: .timeout, ReaderIsolation.encodeFailure(.timeout)) == .timeout)
        #expect(timeout != .timeout)
        #expect(timeout.message.zh.contains("45 秒"))
    }
}
