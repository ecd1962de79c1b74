// The whole pipeline from bytes to verdict, for libFuzzer: the format told from the bytes, the
// reader for it run in this process (so a trap in a reader is found, not contained), extraction,
// the rules, the note and the JSON. Built with -sanitize=fuzzer,address and run by scripts/fuzz;
// a plain build replays inputs given on the command line.
import Foundation
import NianbaoKit
import NianbaoReaders
import NianbaoOCR

/// Each input is tried under one of the names a file may arrive with, so every reader sees it.
let names = ["report.txt", "report.docx", "report.html", "report.ofd", "report.doc", "report.wps"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let name = names[bytes.count % names.count]
    // no isolation, no PDF and no LibreOffice: readers in this process (OFD's among them);
    // pdftotext is poppler's and LibreOffice its own project's to fuzz, so .doc, .rtf, .odt and
    // .wps end in the note that names the missing package, and what LibreOffice would hand on
    // (a .docx) goes through the converted documents' path below
    // scans: the page analysis (image decoding, straightening, ruling lines, the grid) on the
    // bytes, in this process; Tesseract's recognition itself is upstream's to fuzz, and too slow
    // per input, so the pipeline below runs without OCR
    let pipeline = Pipeline(isolation: nil, pdf: PDFTextReader(executable: "/nonexistent"),
                            office: OfficeConverter(executable: "/nonexistent"), ocr: nil)
    if FormatDetector.detect(bytes: bytes, fileName: name) == .image {
        _ = try? ScanReader(timeout: .seconds(20)).analysed(image: bytes)
    }
    if bytes.starts(with: [0x50, 0x4B]) {
        _ = try? ConvertedFormatReader.document(fromConverted: bytes, format: .doc)
    }
    let input = pipeline.input(fileName: name, bytes: bytes)
    let result = pipeline.check(input, checkedAt: "2026-01-01T00:00:00+08:00")
    _ = result.json.serialized()
    _ = result.note(fileName: name, language: .zh)
    _ = result.note(fileName: name, language: .en)
    return 0
}

#if FUZZING
/// libFuzzer's driver, in the runtime that -sanitize=fuzzer links.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
struct FuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv) { data, size in fuzz(data, size) })
        #else
        // replay: run the inputs named on the command line through the same entry point
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            _ = [UInt8](data).withUnsafeBufferPointer { fuzz($0.baseAddress, $0.count) }
            print("ok \(path)")
        }
        #endif
    }
}
