import Foundation
import NianbaoConfig
import NianbaoCore
import Testing

@testable import NianbaoDaemon

/// What STATUS= says of scans.
struct ScanStatusTests {
    @Test("STATUS= names each scan being read with its page, counts those waiting, in the configured language")
    func statusNamesScans() {
        let state = RunState()
        var config = DaemonConfig(dataDirectory: URL(fileURLWithPath: "/nonexistent"))
        state.scanEntered("a.pdf")
        state.scanEntered("b.pdf")
        state.scanProgress("a.pdf", page: 2, of: 6)
        #expect(state.statusLine(config).contains("；正在识别扫描件 a.pdf：第 2 页，共 6 页；扫描件排队待识别 1 份"))
        config.language = .en
        #expect(state.statusLine(config).contains("; reading scan a.pdf: page 2 of 6; scans waiting to be read: 1"))
        state.scanLeft("a.pdf")
        state.scanLeft("b.pdf")
        #expect(!state.statusLine(config).contains("scan"))
        #expect(state.scanCount == 0)
    }
}
