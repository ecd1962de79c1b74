import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Reads scanned reports by OCR: image-only PDFs (each page rendered by poppler's `pdftoppm` at
/// 300 dpi) and page images (PNG, JPEG, TIFF…).
///
/// Each page is straightened, its ruling lines found and its tables cut into the cells of their
/// grid (merged cells included); each cell is read on its own with Tesseract: a figure with the
/// digits-only engine, a label with the Chinese one. The rest of the page (title, headings,
/// prose) is read as lines of Chinese text. Red (a seal) is read as paper: the red channel of a
/// colour page is the one read.
///
/// The reading itself (Tesseract and Leptonica) is done by the OCR helper program
/// (`nianbao-ocr`, module `NianbaoOCR`), the one program that links them: a scan is sent to it
/// as to any reader child (`ReaderIsolation`), and only there is `engine` set.
public struct ScanReader: Sendable {
    /// The `pdftoppm` to run; nil means search `PATH`.
    public var pdftoppm: String?
    /// The time for the whole file; past it, the read stops with `.timeout`.
    public var timeout: Duration
    /// The most pages read.
    public var maximumPages: Int
    /// At most this many scans read at once in this process (the daemon's `ocr_workers`); nil:
    /// no limit.
    public var gate: Gate?
    /// Told how the reading of a scan goes (the daemon's lane for scans and its STATUS=).
    public var observer: Observer?
    /// What reads a scan in this process; nil (everywhere but in the OCR helper): the helper
    /// program reads it.
    public var engine: (any ScanEngine)?

    public init(pdftoppm: String? = nil, timeout: Duration = .seconds(120), maximumPages: Int = 60, gate: Gate? = nil) {
        self.pdftoppm = pdftoppm
        self.timeout = timeout
        self.maximumPages = maximumPages
        self.gate = gate
    }

    /// What the reader of one scan tells its caller, on the reading thread.
    public struct Observer: Sendable {
        /// The scan is about to wait for its turn at the gate (it leaves the caller's lane).
        public var waiting: @Sendable () -> Void
        /// Page `page` of `pages` is being read (1-based).
        public var page: @Sendable (_ page: Int, _ pages: Int) -> Void
        /// The reading ended (read, failed or timed out).
        public var ended: @Sendable () -> Void

        public init(waiting: @escaping @Sendable () -> Void = {}, page: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                    ended: @escaping @Sendable () -> Void = {}) {
            self.waiting = waiting
            self.page = page
            self.ended = ended
        }
    }

    /// A counting gate: scans beyond its width wait for one to finish (the waiting is on the
    /// checking thread, which holds no lock).
    public final class Gate: Sendable {
        let semaphore: DispatchSemaphore
        public let width: Int
        init(width: Int) {
            self.width = max(1, width)
            semaphore = DispatchSemaphore(value: self.width)
        }

        nonisolated(unsafe) private static var gates: [Int: Gate] = [:]
        private static let lock = NSLockLike()

        /// The process's gate of this width (one per width, so that a reloaded configuration
        /// with the same width shares the scans in flight).
        public static func shared(width: Int) -> Gate {
            lock.withLock {
                if let g = gates[width] { return g }
                let g = Gate(width: width)
                gates[width] = g
                return g
            }
        }

        func run<T>(_ body: () throws(NianbaoError) -> T) throws(NianbaoError) -> T {
            semaphore.wait()
            defer { semaphore.signal() }
            return try body()
        }
    }

    /// The resolution pages are read at.
    package static let dpi = 300

    /// The Debian packages OCR needs.
    public static let packages = "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng"

    /// Whether OCR can run here: Tesseract's Chinese and English data installed, and the OCR
    /// helper beside this program.
    public static var isAvailable: Bool { hasData && helperExecutable() != nil }

    /// Whether Tesseract's Chinese and English data is installed.
    static var hasData: Bool { dataDirectory(for: "chi_sim") != nil && dataDirectory(for: "eng") != nil }

    /// The OCR helper's name, installed beside `nianbao`.
    public static let helperName = "nianbao-ocr"

    /// The OCR helper: beside the running program (its real path, so that a link to it
    /// elsewhere still finds it), else on `PATH`; nil when there is none.
    public static func helperExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return find(helperName) }
        return sibling(of: String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self), named: helperName)
    }

    /// Where Debian's tesseract-ocr packages put their language data.
    static let dataDirectories = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                                  "/usr/share/tessdata"]

    /// The directory holding `language`.traineddata, if any (TESSDATA_PREFIX first).
    package static func dataDirectory(for language: String) -> String? {
        var candidates = dataDirectories
        if let prefix = getenv("TESSDATA_PREFIX") { candidates.insert(String(cString: prefix), at: 0) }
        for dir in candidates where access(dir + "/" + language + ".traineddata", R_OK) == 0 { return dir }
        return nil
    }


    package static func find(_ program: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = dir.hasSuffix("/") ? "\(dir)\(program)" : "\(dir)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    package static func sibling(of exe: String, named name: String) -> String? {
        if let slash = exe.lastIndex(of: "/") {
            let candidate = String(exe[...slash]) + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return find(name)
    }

    package struct Deadline {
        var end: ContinuousClock.Instant
        package var seconds: Int
        package init(_ timeout: Duration) {
            end = .now + timeout
            seconds = max(1, Int(timeout.components.seconds))
        }
        package func check() throws(NianbaoError) { if ContinuousClock.now >= end { throw .scanTimeout(seconds: seconds) } }
        package var remaining: Duration { max(.seconds(1), end - .now) }
    }


    /// The lines of ink on a page's prose that no line read covers: glyph-sized components
    /// (a character is 30–60 px high at 300 dpi) grouped into bands across the page, each band
    /// with a few of them (not a speck or two).
    package static func unreadBands(_ ink: [PixelBox], read: [PixelBox]) -> [PixelBox] {
        let glyphs = ink.filter { box in
            box.height >= 20 && box.height <= 150 && !read.contains { r in
                let cx = box.x + box.width / 2, cy = box.y + box.height / 2
                return cx >= r.x - 4 && cx <= r.maxX + 4 && cy >= r.y - 4 && cy <= r.maxY + 4
            }
        }.sorted { $0.y < $1.y }
        var bands: [(box: PixelBox, count: Int, width: Int)] = []
        for g in glyphs {
            let cy = g.y + g.height / 2
            if let i = bands.lastIndex(where: { cy >= $0.box.y && cy <= $0.box.maxY }) {
                let b = bands[i].box
                let x0 = min(b.x, g.x), y0 = min(b.y, g.y)
                bands[i].box = PixelBox(x: x0, y: y0, width: max(b.maxX, g.maxX) - x0, height: max(b.maxY, g.maxY) - y0)
                bands[i].count += 1
                bands[i].width += g.width
            } else {
                bands.append((g, 1, g.width))
            }
        }
        // a line of text: several glyphs, or glyphs run together, at least three characters long
        return bands.filter { $0.width >= 3 * min($0.box.height, 60) && ($0.count >= 3 || $0.width >= 150) }.map(\.box)
    }

    /// A line of prose as read, tidied: a short line (a heading) does not end in a comma (a speck
    /// read as one).
    package static func tidyLine(_ s: String) -> String {
        var t = tidy(s)
        while t.unicodeScalars.count <= 16, let last = t.unicodeScalars.last, "，,、.".unicodeScalars.contains(last) {
            t.unicodeScalars.removeLast()
        }
        return t
    }

    // MARK: - Telling and tidying what was read

    /// Whether the ink in a cell is a figure: one line of glyphs of the same height, each
    /// narrower than tall (digits), with at most a point, a sign.
    package static func looksLikeFigure(_ parts: [PixelBox]) -> Bool {
        let height = parts.map(\.height).max() ?? 0
        guard height >= 12, parts.count <= 14 else { return false }
        let top = parts.map(\.y).min()!, bottom = parts.map(\.maxY).max()!
        guard bottom - top <= height * 13 / 10 else { return false }
        for p in parts {
            if p.height * 10 >= height * 8 {
                if p.width * 100 > height * 78 { return false }
            } else if p.height * 10 <= height * 4 && p.width * 10 <= height * 7 {
                continue  // a point, a minus sign, a plus
            } else if p.height * 10 <= height * 7 && p.width * 10 <= height * 7 && p.height * 10 >= height * 4 {
                continue  // a plus sign
            } else {
                return false
            }
        }
        return true
    }

    /// A figure's text without a point before or after its digits (a speck read as one).
    package static func withoutOuterPoints(_ s: String) -> String {
        var u = s.unicodeScalars[...]
        while u.count > 1, u.last == "." { u = u.dropLast() }
        while u.count > 1, u.first == "." { u = u.dropFirst() }
        return String(String.UnicodeScalarView(u))
    }


    /// A figure as written: digits, at most one point, an optional sign.
    package static func isFigure(_ s: String) -> Bool {
        var digits = 0, points = 0
        for (i, u) in s.unicodeScalars.enumerated() {
            switch u {
            case "0"..."9": digits += 1
            case ".": points += 1
            case "+", "-": if i != 0 { return false }
            default: return false
            }
        }
        return digits > 0 && points <= 1 && !s.hasSuffix(".") && !s.hasPrefix(".")
    }

    /// A short text of letters and digits that OCR confuses with digits, as those digits.
    package static func lettersAsFigure(_ s: String) -> String? {
        let map: [Unicode.Scalar: Unicode.Scalar] = ["T": "1", "I": "1", "l": "1", "|": "1", "]": "1", "[": "1", "!": "1",
                                                     "O": "0", "o": "0", "D": "0", "Q": "0", "S": "5", "s": "5",
                                                     "Z": "2", "z": "2", "B": "8", "g": "9", "q": "9", "G": "6"]
        let scalars = Array(s.unicodeScalars)
        guard (1...4).contains(scalars.count), scalars.contains(where: { map[$0] != nil }) else { return nil }
        var out = String.UnicodeScalarView()
        for u in scalars {
            if ("0"..."9").contains(u) { out.append(u) } else if let d = map[u] { out.append(d) } else { return nil }
        }
        return String(out)
    }

    /// What the figures engine read, without spaces and line breaks.
    package static func tidyFigure(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where !(u == " " || u == "\n" || u == "\t" || u == "\r") {
            if ",，。、'‘’`\"“”:：;；".unicodeScalars.contains(u) { continue }
            switch u {
            case "十" where out.isEmpty: out.append("+")  // a plus sign read as the character for ten
            case "一" where out.isEmpty, "—" where out.isEmpty, "－" where out.isEmpty: out.append("-")
            case "O", "o", "〇": out.append("0")
            case "l", "I", "|": out.append("1")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Chinese text as read: lines joined, spaces dropped between CJK characters (Tesseract
    /// spaces every character), half-width brackets and colons made full-width as the format
    /// writes them.
    package static func tidy(_ s: String) -> String {
        let lines = s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(trimmed).filter { !$0.isEmpty }
        var out = String.UnicodeScalarView()
        for line in lines {
            let scalars = Array(line.unicodeScalars)
            for (i, u) in scalars.enumerated() {
                if u == " " || u == "\t" {
                    // a space stays only between two Latin letters or digits
                    let prev = out.last, next = i + 1 < scalars.count ? scalars[i + 1] : nil
                    if let prev, let next, isLatin(prev), isLatin(next), out.last != " " { out.append(" ") }
                    continue
                }
                switch u {
                case "(", "〈": out.append("（")
                case "〉": out.append("）")
                case ")": out.append("）")
                case ":": out.append("：")
                default: out.append(u)
                }
            }
        }
        // "《四）": an opening bracket read as a book-title mark (no closing 》)
        if out.first == "《", !out.contains("》"), out.contains("）") {
            out.removeFirst()
            out.insert("（", at: out.startIndex)
        }
        return String(out)
    }

    static func trimmed(_ s: Substring) -> String {
        var scalars = s.unicodeScalars[...]
        while let f = scalars.first, f == " " || f == "\t" { scalars = scalars.dropFirst() }
        while let l = scalars.last, l == " " || l == "\t" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    static func isLatin(_ u: Unicode.Scalar) -> Bool {
        (u.value >= 0x30 && u.value <= 0x39) || (u.value >= 0x41 && u.value <= 0x5A) || (u.value >= 0x61 && u.value <= 0x7A)
    }

    /// A page number at the foot or head of the page ("- 3 -", "3", "第3页").
    package static func isPageNumber(_ s: String, box: PixelBox, pageHeight: Int) -> Bool {
        guard box.y > pageHeight * 88 / 100 || box.maxY < pageHeight * 8 / 100 else { return false }
        let core = s.unicodeScalars.filter { !("-—–_ 第页共/".unicodeScalars.contains($0)) }
        return !core.isEmpty && core.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
    }
}


/// A pthread mutex, for the few globals of the OCR reader.
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}


/// What reads a scan in this process (Tesseract, in the OCR helper: `NianbaoOCR.TesseractScan`).
public protocol ScanEngine: Sendable {
    /// A page image file's bytes (PNG, JPEG, TIFF…), read with `reader`'s limits.
    func scanned(image bytes: [UInt8], by reader: ScanReader, progress: (Int, Int) -> Void) throws(NianbaoError)
        -> ScannedDocument
    /// An image-only PDF at `path`, page by page.
    func scanned(pdfAt path: String, by reader: ScanReader, progress: (Int, Int) -> Void) throws(NianbaoError)
        -> ScannedDocument
}
