// The OCR helper: reads scans for `nianbao` (a reader child, see `ReaderIsolation`), the one
// program of the package that links Tesseract and Leptonica. Run as
// `nianbao-ocr read-document --format pdf|image --ocr-timeout SECONDS …` with the scan on its
// standard input; `nianbao` finds it beside itself.
import NianbaoOCR
import NianbaoReaders
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count > 1, arguments[1] == ReaderIsolation.subcommand else {
    let text = "nianbao-ocr reads scans for nianbao, which runs it; it is not run by hand.\n"
        + "Usage: nianbao-ocr \(ReaderIsolation.subcommand) --format <format> --ocr-timeout <seconds> [--memory-limit <bytes>] [--cpu-limit <seconds>]\n"
    _ = Array(text.utf8).withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}
exit(ReaderIsolation.main(arguments: Array(arguments.dropFirst(2)), scanEngine: TesseractScan()))
