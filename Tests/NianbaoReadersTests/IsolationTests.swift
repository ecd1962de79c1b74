import Foundation
import Testing

@testable import NianbaoReaders
import NianbaoCore
import NianbaoTestSupport

/// A file that makes a parser trap, hang or flood must cost one finding, never the process
/// that read it.
@Suite("reader isolation and zip structure")
struct IsolationTests {
    static let fixtures = TestFixtures.directory

    /// The 43-byte zip whose end-of-central-directory record points past the end of the file:
    /// ZIPFoundation traps on it (`Archive(data:)` → `MemoryFile.readData`, a negative range).
    static var directoryPastEnd: [UInt8] {
        [UInt8](FileManager.default.contents(atPath: fixtures.appendingPathComponent("hostile/zip-directory-past-end.docx").path)!)
    }

    @Test("a zip whose directory points past the end of the file is refused before the zip library sees it")
    func directoryPastTheEnd() throws {
        #expect(Self.directoryPastEnd.count == 43)
        #expect(throws: NianbaoError.self) { try ZipStructure.validate(Self.directoryPastEnd) }
        do {
            _ = try DocxReader.text(from: Self.directoryPastEnd)
            Issue.record("read a truncated zip")
        } catch {
            #expect(error.code == .corruptFile)
            #expect(error.message.en.contains("central directory"), "\(error)")
        }
    }

    @Test("a zip whose end record defers to a ZIP64 record that is not there (found by the fuzzer) is refused too")
    func zip64Values() throws {
        let bytes = [UInt8](FileManager.default.contents(atPath: Self.fixtures.appendingPathComponent("hostile/zip64-directory-max-values.docx").path)!)
        #expect(throws: NianbaoError.self) { try ZipStructure.validate(bytes) }
        do {
            _ = try DocxReader.text(from: bytes)
            Issue.record("read a zip whose directory lies outside it")
        } catch {
            #expect(error.code == .corruptFile || error.code == .hostileFile, "\(error)")
        }
    }

    @Test("a damaged deflate stream (found by the fuzzer; a zip library spun on it for ever) is refused at once")
    func deflateNeverEnds() throws {
        let bytes = [UInt8](FileManager.default.contents(atPath: Self.fixtures.appendingPathComponent("hostile/deflate-stream-never-ends.docx").path)!)
        let started = ContinuousClock.now
        do {
            _ = try DocxReader.text(from: bytes)
            Issue.record("read a damaged document.xml")
        } catch {
            #expect(error.code == .corruptFile, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a real Word document passes the structure check; each truncation of it is refused or read, never a trap")
    func realDocumentAndItsTruncations() throws {
        let docx = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("template-2021.docx")))
        try ZipStructure.validate(docx)
        #expect(try DocxReader.text(from: docx).contains("政府信息公开"))
        // cut the file at many places, and corrupt the directory's offsets: each ends in a typed
        // error (or a read), in this process
        var refused = 0
        for cut in stride(from: 22, to: docx.count, by: 97) {
            var bytes = Array(docx[0..<cut])
            bytes.append(contentsOf: docx.suffix(22))  // keep an end record that now lies
            do { _ = try DocxReader.text(from: bytes) } catch { refused += 1 }
        }
        #expect(refused > 0)
    }

    /// A helper program standing in for the reader child, as a shell script.
    func helper(_ body: String) throws -> ReaderIsolation {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-helper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("helper").path
        try Fixtures.writeScript("#!/bin/sh\n" + body + "\n", to: path)
        return ReaderIsolation(helperExecutable: path, timeout: .seconds(2))
    }

    @Test("a child that dies on a signal is a reader-crashed finding; the caller goes on")
    func crashedChild() throws {
        let isolation = try helper("kill -ILL $$")
        do {
            _ = try isolation.read(bytes: Array("PK".utf8), format: .docx)
            Issue.record("no error")
        } catch {
            #expect(error == .crashed("signal \(SIGILL)"))
            #expect(error.code == .readerCrashed)
        }
    }

    @Test("a child that hangs is stopped at the time limit; one that floods is stopped at the cap")
    func hangingAndFloodingChildren() throws {
        let started = ContinuousClock.now
        #expect(throws: NianbaoError.timeout) { try self.helper("sleep 30").read(bytes: [1], format: .html) }
        #expect(ContinuousClock.now - started < .seconds(10))
        var flood = try helper("yes nianbao")
        flood.maximumOutputBytes = 1 << 20
        do {
            _ = try flood.read(bytes: [1], format: .html)
            Issue.record("no error")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test("the child's answer: the typed document with its format and encoding, or the reader's own error")
    func answers() throws {
        // the answer as a child writes it, in a file the stand-in child prints
        let document = Document(blocks: [
            .paragraph(Document.Paragraph("一、总体情况", origin: .paragraph(1))),
            .table(Document.Table(rows: [Document.Row(cells: [
                Document.Cell("行政许可", origin: .cell(table: 1, row: 2, column: 1)),
                Document.Cell("97", columnSpan: 2, origin: .cell(table: 1, row: 2, column: 2)),
            ])])),
        ], format: .html, encoding: "gb18030")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-answer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let answer = dir.appendingPathComponent("answer").path
        try Data(Array("nianbao-read/3 ok\n".utf8) + DocumentCoding.encode(document)).write(to: URL(fileURLWithPath: answer))
        let ok = try helper("cat >/dev/null; cat '\(answer)'")
        let out = try ok.read(bytes: Array("<html>".utf8), format: .html)
        #expect(out.document == document)
        #expect(out.text == "一、总体情况\n行政许可\t97" && out.format == .html && out.encoding == "gb18030")
        #expect(out.document.origins == [0: .paragraph(1), 1: .tableRow(table: 1, row: 2, columns: [1, 2])])
        // a document cut short is the reader's failure, not the caller's
        try Data(Array("nianbao-read/3 ok\n".utf8) + DocumentCoding.encode(document).dropLast(3)).write(to: URL(fileURLWithPath: answer))
        #expect(throws: NianbaoError.self) { try ok.read(bytes: Array("<html>".utf8), format: .html) }
        let refusal = dir.appendingPathComponent("refusal").path
        try Data(Array("nianbao-read/3 error hostile-file\n".utf8)
                 + ReaderIsolation.encodeFailure(.hostile("word/document.xml declares a DTD"))).write(to: URL(fileURLWithPath: refusal))
        let refused = try helper("cat >/dev/null; cat '\(refusal)'")
        #expect(throws: NianbaoError.hostile("word/document.xml declares a DTD")) {
            try refused.read(bytes: [1], format: .docx)
        }
        let mute = try helper("exit 3")
        #expect(throws: NianbaoError.crashed("exit status 3")) { try mute.read(bytes: [1], format: .docx) }
    }

    @Test("the child's side reads standard input and answers in the protocol")
    func serveRoundTrip() throws {
        // what `serve` writes is what `read` decodes
        for error in [NianbaoError.corrupt("x y"), .timeout, .unsupported(.doc), .crashed("signal 11")] {
            var out = Array("nianbao-read/3 error \(error.code)\n".utf8)
            out.append(contentsOf: ReaderIsolation.encodeFailure(error))
            #expect(throws: error) { try ReaderIsolation.decodeAnswer(out, exitStatus: 0, stderr: []) }
        }
    }
}
