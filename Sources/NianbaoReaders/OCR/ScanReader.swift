import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CTesseract
import Dispatch

/// Reads scanned reports by OCR: image-only PDFs (each page rendered by poppler's `pdftoppm` at
/// 300 dpi) and page images (PNG, JPEG, TIFF…).
///
/// Each page is straightened, its ruling lines found and its tables cut into the cells of their
/// grid (merged cells included); each cell is read on its own with Tesseract: a figure with the
/// digits-only engine, a label with the Chinese one. The rest of the page (title, headings,
/// prose) is read as lines of Chinese text. Red (a seal) is read as paper: the red channel of a
/// colour page is the one read.
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
    static let dpi = 300

    /// The Debian packages OCR needs.
    public static let packages = "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng"

    /// Whether OCR can run here (Tesseract's Chinese and English data installed).
    public static var isAvailable: Bool { TesseractEngine.isAvailable }

    /// Reads a page image file (PNG, JPEG, TIFF…) given as bytes.
    public func scanned(image bytes: [UInt8], progress: (Int, Int) -> Void = { _, _ in }) throws(NianbaoError) -> ScannedDocument {
        let deadline = Deadline(timeout)
        let engines = try Engines()
        progress(1, 1)
        let grey = try Pixmap.decodeGrey(bytes)
        let page = try read(grey: grey, resolution: Int(pixGetXRes(grey.pix)), number: 1, engines: engines, deadline: deadline)
        return ScannedDocument(pages: [page])
    }

    /// The page analysis alone, without Tesseract: the image decoded, straightened, its ruling
    /// lines found and cut into cells (for the fuzzer, which feeds it untrusted images); the
    /// number of cells found.
    public func analysed(image bytes: [UInt8]) throws(NianbaoError) -> Int {
        let grey = try Pixmap.decodeGrey(bytes)
        let page = try read(grey: grey, resolution: Int(pixGetXRes(grey.pix)), number: 1, engines: nil,
                            deadline: Deadline(timeout))
        return page.blocks.reduce(0) {
            if case .table(let t) = $1 { return $0 + t.cells.count }
            return $0
        }
    }

    /// Reads an image-only PDF at `path`, page by page.
    public func scanned(pdfAt path: String, progress: (Int, Int) -> Void = { _, _ in }) throws(NianbaoError) -> ScannedDocument {
        let deadline = Deadline(timeout)
        guard let exe = pdftoppm ?? Self.find("pdftoppm") else { throw .pdftotextMissing }
        let sizes = try pageSizes(path, pdfinfo: Self.sibling(of: exe, named: "pdfinfo"))
        guard !sizes.isEmpty else { throw .corrupt("the PDF has no pages") }
        guard sizes.count <= maximumPages else { throw .tooLarge("the scanned PDF has \(sizes.count) pages") }
        let engines = try Engines()
        var pages: [ScannedPage] = []
        for (i, size) in sizes.enumerated() {
            try deadline.check()
            progress(i + 1, sizes.count)
            // a page's pixels at 300 dpi, fewer for a huge page (resolution lowered to fit)
            let pixels = (size.width / 72 * Double(Self.dpi)) * (size.height / 72 * Double(Self.dpi))
            guard size.width > 1, size.height > 1, pixels.isFinite else {
                pages.append(ScannedPage(number: i + 1, width: 0, height: 0, dpi: Self.dpi, skew: 0, blocks: []))
                continue
            }
            var dpi = Self.dpi
            if pixels > Double(Pixmap.maximumPixels) {
                dpi = max(1, Int(Double(Self.dpi) * (Double(Pixmap.maximumPixels) / pixels).squareRoot()))
            }
            let arg = path.hasPrefix("-") ? "./" + path : path
            let outcome: ChildProcess.Outcome
            do {
                outcome = try ChildProcess(
                    executable: exe,
                    arguments: ["pdftoppm", "-r", String(dpi), "-f", String(i + 1), "-l", String(i + 1), "-singlefile", arg],
                    environment: ChildProcess.readerEnvironment(), standardInput: nil, timeout: deadline.remaining,
                    maximumOutputBytes: Pixmap.maximumPixels * 3 + 4096, name: "pdftoppm"
                ).run()
            } catch let error where error.code == .timeout {
                throw .scanTimeout(seconds: deadline.seconds)
            }
            guard outcome.exitStatus == 0, !outcome.stdout.isEmpty else {
                throw .corrupt("pdftoppm could not render page \(i + 1)")
            }
            let grey = try Pixmap.decodeGrey(outcome.stdout)
            pages.append(try read(grey: grey, resolution: dpi, number: i + 1, engines: engines, deadline: deadline))
        }
        return ScannedDocument(pages: pages)
    }

    /// The page sizes (points) `pdfinfo` reports.
    func pageSizes(_ path: String, pdfinfo: String?) throws(NianbaoError) -> [(width: Double, height: Double)] {
        guard let pdfinfo else { throw .pdftotextMissing }
        let arg = path.hasPrefix("-") ? "./" + path : path
        let outcome = try ChildProcess(
            executable: pdfinfo, arguments: ["pdfinfo", "-f", "1", "-l", String(maximumPages + 1), arg],
            environment: ChildProcess.readerEnvironment(), standardInput: nil, timeout: .seconds(30),
            maximumOutputBytes: 1 << 20, name: "pdfinfo"
        ).run()
        guard outcome.exitStatus == 0 else { throw .corrupt("pdfinfo cannot read the PDF") }
        var sizes: [(Double, Double)] = []
        for line in String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n") {
            // "Page    1 size:  595.44 x 842.04 pts (A4)"
            guard line.hasPrefix("Page "), line.contains(" size:") else { continue }
            let after = line[line.range(of: " size:")!.upperBound...].split(separator: " ")
            guard after.count >= 3, let w = Double(after[0]), let h = Double(after[2]) else { continue }
            sizes.append((w, h))
        }
        return sizes
    }

    static func find(_ program: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = dir.hasSuffix("/") ? "\(dir)\(program)" : "\(dir)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func sibling(of exe: String, named name: String) -> String? {
        if let slash = exe.lastIndex(of: "/") {
            let candidate = String(exe[...slash]) + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return find(name)
    }

    // MARK: - A page

    /// The engines one read uses: Chinese for labels (a block) and prose (a page), digits for figures.
    final class Engines {
        let labels: TesseractEngine
        let prose: TesseractEngine
        let figures: TesseractEngine
        /// One digit at a time, for a figure the line reading failed on.
        let digit: TesseractEngine
        init() throws(NianbaoError) {
            labels = try TesseractEngine(language: "chi_sim", pageSegmentation: PSM_SINGLE_BLOCK)
            prose = try TesseractEngine(language: "chi_sim", pageSegmentation: PSM_SINGLE_COLUMN)
            figures = try TesseractEngine(language: "eng", whitelist: "0123456789.+-", pageSegmentation: PSM_SINGLE_LINE)
            digit = try TesseractEngine(language: "eng", whitelist: "0123456789", pageSegmentation: PSM_SINGLE_CHAR)
        }
        func setImage(_ image: Pixmap, dpi: Int) {
            labels.setImage(image, dpi: dpi)
            prose.setImage(image, dpi: dpi)
            figures.setImage(image, dpi: dpi)
            digit.setImage(image, dpi: dpi)
        }
    }

    struct Deadline {
        var end: ContinuousClock.Instant
        var seconds: Int
        init(_ timeout: Duration) {
            end = .now + timeout
            seconds = max(1, Int(timeout.components.seconds))
        }
        func check() throws(NianbaoError) { if ContinuousClock.now >= end { throw .scanTimeout(seconds: seconds) } }
        var remaining: Duration { max(.seconds(1), end - .now) }
    }

    func read(grey source: Pixmap, resolution: Int, number: Int, engines: Engines?, deadline: Deadline)
        throws(NianbaoError) -> ScannedPage
    {
        // every page at about 300 dpi: small scans scaled up (at most twice), so that the sizes
        // below (in pixels at 300 dpi) hold
        var grey = source
        let dpiIn = (72...1200).contains(resolution) ? resolution : Self.dpi
        if dpiIn < 280 {
            let scale = min(2, Float(Self.dpi) / Float(dpiIn))
            if Double(grey.width) * Double(grey.height) * Double(scale * scale) <= Double(Pixmap.maximumPixels),
               let scaled = Pixmap(pixScale(grey.pix, scale, scale)) {
                grey = scaled
            }
        }
        let (page, skew) = grey.deskewed()
        guard page.width >= 16, page.height >= 16, let ink = page.binary(threshold: page.inkThreshold()) else {
            return ScannedPage(number: number, width: page.width, height: page.height, dpi: Self.dpi, skew: skew, blocks: [])
        }
        try deadline.check()
        // ruling lines: runs of ink 120 px (1 cm) long across, 80 px (6.8 mm) down: longer than any
        // stroke of a heading's character
        let hLines = ink.lines(horizontal: true, length: 120)
        let vLines = ink.lines(horizontal: false, length: 80)
        var text = ink
        if let hLines, let v = vLines, let a = ink.subtracting(hLines), let b = a.subtracting(v) { text = b }
        let hBoxes = hLines?.components() ?? []
        let vBoxes = vLines?.components() ?? []
        let grids = TableGrid.tables(horizontal: hBoxes, vertical: vBoxes, tolerance: 10)
        // long lines that make no grid: a table that could not be cut
        let unreadable = grids.isEmpty && hBoxes.filter { $0.width > page.width / 3 }.count >= 3
            && vBoxes.filter { $0.height > 40 }.count >= 2
        // Tesseract reads the 1-bit page without its ruling lines (steadier on figures and
        // labels than its own thresholding of the grey page)
        guard let engines else {
            // the analysis alone: the grid's cells, unread
            let blocks = grids.map { grid in
                ScannedBlock.table(ScannedTable(box: grid.box, rowCount: grid.ys.count - 1, columnCount: grid.xs.count - 1,
                                                cells: grid.cells.map {
                                                    ScannedCell(row: $0.row, column: $0.column, rowSpan: $0.rowSpan,
                                                                columnSpan: $0.columnSpan, box: grid.box(of: $0), text: "",
                                                                confidence: 0, numeric: false)
                                                }))
            }
            return ScannedPage(number: number, width: page.width, height: page.height, dpi: Self.dpi, skew: skew,
                               blocks: blocks, tableUnreadable: unreadable)
        }
        engines.setImage(text, dpi: Self.dpi)
        var blocks: [ScannedBlock] = []
        for grid in grids {
            try deadline.check()
            blocks.append(.table(readTable(grid, text: text, engines: engines)))
        }
        // the prose: the page without its tables
        if let prose = text.copy() {
            for grid in grids { prose.clear(grid.box) }
            let inkBoxes = prose.components().filter { $0.height >= 12 || $0.width >= 12 }
            if !inkBoxes.isEmpty {
                let x0 = inkBoxes.map(\.x).min()!, y0 = inkBoxes.map(\.y).min()!
                let x1 = inkBoxes.map(\.maxX).max()!, y1 = inkBoxes.map(\.maxY).max()!
                engines.prose.setImage(prose, dpi: Self.dpi)
                let area = PixelBox(x: max(0, x0 - 10), y: max(0, y0 - 10), width: min(page.width, x1 + 10) - max(0, x0 - 10),
                                    height: min(page.height, y1 + 10) - max(0, y0 - 10))
                var lines: [ScannedLine] = []
                for line in engines.prose.lines(in: area) {
                    let t = Self.tidyLine(line.text)
                    if t.isEmpty || Self.isPageNumber(t, box: line.box, pageHeight: page.height) { continue }
                    lines.append(ScannedLine(text: t, box: line.box, confidence: line.confidence))
                }
                // a line the page's layout analysis left out (a bold heading whose characters
                // run together in a dark scan is taken for a picture): read on its own
                engines.labels.setImage(prose, dpi: Self.dpi)
                for band in Self.unreadBands(inkBoxes, read: lines.map(\.box)) {
                    let box = PixelBox(x: max(0, band.x - 10), y: max(0, band.y - 10),
                                       width: min(page.width, band.maxX + 10) - max(0, band.x - 10),
                                       height: min(page.height, band.maxY + 10) - max(0, band.y - 10))
                    let (raw, confidence) = engines.labels.read(box)
                    let t = Self.tidyLine(raw)
                    // words, not a speck or a seal's remains read as signs
                    guard confidence >= 70, t.unicodeScalars.filter({ $0.value >= 0x4E00 && $0.value <= 0x9FFF }).count >= 2,
                          !Self.isPageNumber(t, box: box, pageHeight: page.height)
                    else { continue }
                    lines.append(ScannedLine(text: t, box: box, confidence: confidence))
                }
                blocks += lines.map { .line($0) }
                withExtendedLifetime(prose) {}
            }
        }
        blocks.sort { $0.top < $1.top }
        return ScannedPage(number: number, width: page.width, height: page.height, dpi: Self.dpi, skew: skew,
                           blocks: blocks, tableUnreadable: unreadable)
    }

    func readTable(_ grid: TableGrid, text: Pixmap, engines: Engines) -> ScannedTable {
        var cells: [ScannedCell] = []
        for g in grid.cells {
            let box = grid.box(of: g)
            let inset = 6
            let inner = PixelBox(x: box.x + inset, y: box.y + inset, width: box.width - 2 * inset, height: box.height - 2 * inset)
            var cell = ScannedCell(row: g.row, column: g.column, rowSpan: g.rowSpan, columnSpan: g.columnSpan, box: box,
                                   text: "", confidence: 100, numeric: false)
            guard inner.width > 4, inner.height > 4 else {
                cells.append(cell)
                continue
            }
            let parts = text.components(in: inner).filter { $0.height >= 9 || $0.width >= 9 }
            let glyphs = parts.filter { $0.height >= 12 }
            guard !glyphs.isEmpty else {
                cells.append(cell)
                continue
            }
            let x0 = parts.map(\.x).min()!, y0 = parts.map(\.y).min()!
            let x1 = parts.map(\.maxX).max()!, y1 = parts.map(\.maxY).max()!
            let pad = 12
            let area = PixelBox(x: max(box.x + 2, x0 - pad), y: max(box.y + 2, y0 - pad),
                                width: min(box.maxX - 2, x1 + pad) - max(box.x + 2, x0 - pad),
                                height: min(box.maxY - 2, y1 + pad) - max(box.y + 2, y0 - pad))
            if Self.looksLikeFigure(parts) {
                let (raw, wholeConfidence) = engines.figures.read(area)
                var confidence = wholeConfidence
                // a speck beside the digits read as a point: a figure neither starts nor ends with one
                var figure = Self.withoutOuterPoints(Self.tidyFigure(raw))
                // a figure read unsurely as a line is read one glyph at a time too: the same
                // digits read surely so are sure; a figure the line reading failed on (a run of
                // 1s, a lone 1 in a dark scan) is the glyphs' when they are surer
                if !Self.isFigure(figure) || confidence < 75,
                   let (glyphs, glyphConfidence) = Self.readGlyphs(parts, engine: engines.digit)
                {
                    if glyphs == figure {
                        confidence = max(confidence, glyphConfidence)
                    } else if !Self.isFigure(figure) || (confidence < 30 && glyphConfidence > confidence) {
                        figure = glyphs
                        confidence = glyphConfidence
                    }
                }
                // narrow characters (他, 计) look like digits: a figure read unsurely is read as
                // Chinese too, and a surer word wins
                var word = false
                if Self.isFigure(figure), confidence < 75 {
                    let (text, textConfidence) = engines.labels.read(area)
                    let tidied = Self.tidy(text)
                    word = !tidied.isEmpty && !Self.isFigure(Self.tidyFigure(tidied)) && textConfidence > confidence
                        && tidied.unicodeScalars.contains { $0.value >= 0x3400 && $0.value <= 0x9FFF }
                }
                if Self.isFigure(figure), !word {
                    cell.text = figure
                    cell.confidence = confidence
                    cell.numeric = true
                    cells.append(cell)
                    continue
                }
            }
            let (raw, confidence) = engines.labels.read(area)
            cell.text = Self.tidy(raw)
            if cell.text.hasSuffix("."), Self.isFigure(String(cell.text.dropLast())) { cell.text.removeLast() }
            // a figure the Chinese engine read as letters ("T" for 1, "O" for 0): a figure, read
            // with the engine's (low) confidence
            if let figure = Self.lettersAsFigure(cell.text) { cell.text = figure }
            cell.confidence = confidence
            if Self.isFigure(Self.tidyFigure(cell.text)) {
                cell.text = Self.tidyFigure(cell.text)
                cell.numeric = true
            }
            cells.append(cell)
        }
        return ScannedTable(box: grid.box, rowCount: grid.ys.count - 1, columnCount: grid.xs.count - 1, cells: cells)
    }

    /// The lines of ink on a page's prose that no line read covers: glyph-sized components
    /// (a character is 30–60 px high at 300 dpi) grouped into bands across the page, each band
    /// with a few of them (not a speck or two).
    static func unreadBands(_ ink: [PixelBox], read: [PixelBox]) -> [PixelBox] {
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
    static func tidyLine(_ s: String) -> String {
        var t = tidy(s)
        while t.unicodeScalars.count <= 16, let last = t.unicodeScalars.last, "，,、.".unicodeScalars.contains(last) {
            t.unicodeScalars.removeLast()
        }
        return t
    }

    // MARK: - Telling and tidying what was read

    /// Whether the ink in a cell is a figure: one line of glyphs of the same height, each
    /// narrower than tall (digits), with at most a point, a sign.
    static func looksLikeFigure(_ parts: [PixelBox]) -> Bool {
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
    static func withoutOuterPoints(_ s: String) -> String {
        var u = s.unicodeScalars[...]
        while u.count > 1, u.last == "." { u = u.dropLast() }
        while u.count > 1, u.first == "." { u = u.dropFirst() }
        return String(String.UnicodeScalarView(u))
    }

    /// A whole number read one glyph at a time: the cell's ink (`parts`, one line of digit-sized
    /// glyphs, no point or sign) cut into glyphs where the ink parts (those overlapping across
    /// are one glyph), each read as one digit; with the least sure glyph's confidence. Nil when
    /// a part is not of a digit's height or a glyph is not read as one digit.
    static func readGlyphs(_ parts: [PixelBox], engine: TesseractEngine) -> (String, Double)? {
        let height = parts.map(\.height).max() ?? 0
        guard height >= 12, (1...8).contains(parts.count), parts.allSatisfy({ $0.height * 10 >= height * 8 }) else { return nil }
        var glyphs: [PixelBox] = []
        for p in parts.sorted(by: { $0.x < $1.x }) {
            if let last = glyphs.last, p.x < last.maxX - 2 {
                let x0 = min(last.x, p.x), y0 = min(last.y, p.y)
                glyphs[glyphs.count - 1] = PixelBox(x: x0, y: y0, width: max(last.maxX, p.maxX) - x0,
                                                    height: max(last.maxY, p.maxY) - y0)
            } else {
                glyphs.append(p)
            }
        }
        var out = ""
        var confidence = 100.0
        for g in glyphs {
            let pad = max(6, height / 4)
            let x = max(0, g.x - pad), y = max(0, g.y - pad)
            let (raw, c) = engine.read(PixelBox(x: x, y: y, width: g.maxX + pad - x, height: g.maxY + pad - y))
            let digit = tidyFigure(raw)
            guard digit.unicodeScalars.count == 1, isFigure(digit) else { return nil }
            out += digit
            confidence = min(confidence, c)
        }
        return (out, confidence)
    }

    /// A figure as written: digits, at most one point, an optional sign.
    static func isFigure(_ s: String) -> Bool {
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
    static func lettersAsFigure(_ s: String) -> String? {
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
    static func tidyFigure(_ s: String) -> String {
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
    static func tidy(_ s: String) -> String {
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
    static func isPageNumber(_ s: String, box: PixelBox, pageHeight: Int) -> Bool {
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
