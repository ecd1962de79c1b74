import Foundation
import Testing

@testable import NianbaoReaders
import NianbaoCore

@Suite struct FormatDetectorTests {
    static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)

    static func oleWith(_ stream: String) -> [UInt8] {
        var b = ole
        for u in stream.utf16 { b.append(UInt8(u & 0xFF)); b.append(UInt8(u >> 8)) }
        return b + [0, 0]
    }

    @Test func contentWinsOverTheExtension() throws {
        let docx = try Fixtures.bytes("template-2021.docx")
        #expect(FormatDetector.detect(bytes: docx, fileName: "report.txt") == .docx)
        #expect(FormatDetector.detect(bytes: docx, fileName: "report.doc") == .docx)
        #expect(FormatDetector.detect(bytes: Array("<!DOCTYPE HTML><html><body>x".utf8), fileName: "a.pdf") == .html)
        #expect(FormatDetector.detect(bytes: Array("  \n<TABLE><tr><td>1".utf8), fileName: "a.doc") == .html)
        #expect(FormatDetector.detect(bytes: Self.oleWith("WordDocument"), fileName: "report.docx") == .doc)
        #expect(FormatDetector.detect(bytes: Self.oleWith("WordDocument"), fileName: "report.wps") == .wps)
        #expect(FormatDetector.detect(bytes: Self.oleWith("Workbook"), fileName: "report.doc") == .xls)
        #expect(FormatDetector.detect(bytes: Self.ole, fileName: "report.et") == .xls)
        #expect(FormatDetector.detect(bytes: Array("%PDF-1.7\n".utf8), fileName: "report.txt") == .pdf)
        #expect(FormatDetector.detect(bytes: Array("一、总体情况\n".utf8), fileName: "report.docx") == .txt)
        #expect(FormatDetector.detect(bytes: encodeGB18030("一、总体情况\n"), fileName: "report") == .txt)
        #expect(FormatDetector.detect(bytes: Array("一、总体情况".utf8), fileName: "report.html") == .html)
        #expect(FormatDetector.detect(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], fileName: "r.pdf") == .image)
        #expect(FormatDetector.detect(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], fileName: "r.docx") == .image)
        #expect(FormatDetector.detect(bytes: Array("Rar!\u{1A}\u{07}\u{00}".utf8), fileName: "r.docx") == .archive)
        #expect(FormatDetector.detect(bytes: [0x1F, 0x8B, 8, 0], fileName: "r.txt") == .archive)
        #expect(FormatDetector.detect(bytes: Array("{\\rtf1\\ansi".utf8), fileName: "r.doc") == .rtf)
        #expect(FormatDetector.detect(bytes: [], fileName: "r.txt") == .unknown)
        #expect(FormatDetector.detect(bytes: [0, 1, 2, 3, 0, 0, 5, 0xFF, 0xFE, 0], fileName: "r.txt") == .unknown)
    }

    @Test func zipStructure() throws {
        let ofd = try ZipBuilder.zip([("OFD.xml", Data("<ofd:OFD/>".utf8)), ("Doc_0/Document.xml", Data("<x/>".utf8))])
        #expect(FormatDetector.detect(bytes: ofd, fileName: "r.pdf") == .ofd)
        let xlsx = try ZipBuilder.zip([("[Content_Types].xml", Data("<x/>".utf8)), ("xl/workbook.xml", Data("<x/>".utf8))])
        #expect(FormatDetector.detect(bytes: xlsx, fileName: "r.docx") == .xls)
        let plain = try ZipBuilder.zip([("报告.docx", Data("x".utf8))])
        #expect(FormatDetector.detect(bytes: plain, fileName: "r.docx") == .archive)
    }

    @Test func namesAndMessages() {
        #expect(DocumentFormat.doc.displayName == "Word 97-2003 文档（.doc）")
        #expect(DocumentFormat.doc.reportName == "doc")
        #expect(DocumentFormat.xls.reportName == "unknown")
        #expect(DocumentFormat.html.reportName == "html")
        for format in DocumentFormat.allCases {
            let e = NianbaoError.unsupported(format)
            #expect(!e.message.zh.isEmpty && !e.message.en.isEmpty)
        }
        #expect(NianbaoError.unsupported(.wps).message.zh.contains("WPS 文档"))
        #expect(NianbaoError.unsupported(.wps).message.zh.contains(".docx"))
        #expect(NianbaoError.noTextLayer.message.zh.contains("扫描"))
    }

    @Test func documentReaderDispatches() throws {
        let docx = try Fixtures.bytes("template-2021.docx")
        let out = try DocumentReader.read(bytes: docx, fileName: "report.txt")
        #expect(out.format == .docx)
        #expect(out.text.contains("（七）总计"))
        let txt = try DocumentReader.read(bytes: encodeGB18030("一、总体情况\n正文"), fileName: "a.txt")
        #expect(txt == ReaderOutput(text: "一、总体情况\n正文", format: .txt, encoding: "gb18030"))
        // a .doc goes to LibreOffice (here: none, so the note names the package)
        #expect(throws: NianbaoError.converterMissing(.doc)) {
            try DocumentReader.read(bytes: Self.oleWith("WordDocument"), fileName: "a.doc",
                                    office: OfficeConverter(executable: "/nonexistent/soffice"))
        }
        #expect(throws: NianbaoError.unsupported(.xls)) {
            try DocumentReader.read(bytes: Self.oleWith("Workbook"), fileName: "a.xls")
        }
        // an image is read by OCR; without OCR it is a format not read
        #expect(throws: NianbaoError.unsupported(.image)) {
            try DocumentReader.read(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], fileName: "a.jpg", ocr: nil)
        }
        if ScanReader.isAvailable {
            #expect(throws: NianbaoError.corrupt("the image cannot be decoded")) {
                try DocumentReader.read(bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], fileName: "a.jpg")
            }
        }
        let file = try DocumentReader.read(fileAt: Fixtures.path("template-2021.docx"))
        #expect(file.format == .docx)
    }
}
