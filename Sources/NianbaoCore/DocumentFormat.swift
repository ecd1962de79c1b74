/// What a file really is, told by its content (magic bytes and structure); the file name's
/// extension only breaks ties.
public enum DocumentFormat: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case txt
    case docx
    case html
    case pdf
    /// Word 97-2003 (OLE compound file with a WordDocument stream).
    case doc
    /// Kingsoft WPS Writer document.
    case wps
    /// Excel workbook (.xls, .xlsx, WPS .et).
    case xls
    /// OFD (GB/T 33190) fixed-layout document.
    case ofd
    /// Rich Text Format.
    case rtf
    /// OpenDocument text (.odt).
    case odt
    /// PNG, JPEG, GIF, BMP, TIFF, WebP.
    case image
    /// zip (not docx/xlsx/ofd), rar, 7z, gzip, bzip2, xz.
    case archive
    case unknown

    /// Whether nianbao has a reader for this format.
    public var isReadable: Bool {
        switch self {
        case .txt, .docx, .html, .pdf, .doc, .wps, .rtf, .odt, .ofd: return true
        default: return false
        }
    }

    /// The name written in `nianbao.report/2` JSON (`format`).
    public var reportName: String {
        switch self {
        case .txt, .docx, .html, .pdf, .doc, .wps, .rtf, .odt, .ofd: return rawValue
        default: return "unknown"
        }
    }

    /// The name shown to office staff.
    public var displayName: String {
        switch self {
        case .txt: return "纯文本文件（.txt）"
        case .docx: return "Word 文档（.docx）"
        case .html: return "网页文件（.html）"
        case .pdf: return "PDF 文件（.pdf）"
        case .doc: return "Word 97-2003 文档（.doc）"
        case .wps: return "WPS 文档"
        case .xls: return "Excel 表格"
        case .ofd: return "OFD 版式文件"
        case .rtf: return "RTF 文档（.rtf）"
        case .odt: return "OpenDocument 文档（.odt）"
        case .image: return "图片"
        case .archive: return "压缩包"
        case .unknown: return "无法识别的文件"
        }
    }

    /// The name written in English logs.
    public var englishName: String {
        switch self {
        case .txt: return "plain text"
        case .docx: return "Word document (.docx)"
        case .html: return "HTML page"
        case .pdf: return "PDF"
        case .doc: return "Word 97-2003 document (.doc)"
        case .wps: return "WPS document"
        case .xls: return "Excel workbook"
        case .ofd: return "OFD document"
        case .rtf: return "RTF document"
        case .odt: return "OpenDocument text (.odt)"
        case .image: return "image"
        case .archive: return "archive"
        case .unknown: return "unknown format"
        }
    }
}
