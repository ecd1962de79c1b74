import NianbaoCore
import NianbaoReaders
#if canImport(Glibc)
import Glibc
#endif
import CTesseract

/// Tesseract and Leptonica reading a scan in this process: the engine of the OCR helper
/// (`nianbao-ocr`), the one program that links them. Every other program reads a scan by
/// running that helper (`ScanReader`, `ReaderIsolation`), so that the checker and the service
/// start without loading Tesseract, Leptonica and the image, network and crypto libraries they
/// bring, and never parse an image themselves.
public struct TesseractScan: ScanEngine {
    public init() {}

    public func scanned(image bytes: [UInt8], by reader: ScanReader, progress: (Int, Int) -> Void) throws(NianbaoError)
        -> ScannedDocument
    {
        try reader.scanned(image: bytes, progress: progress)
    }

    public func scanned(pdfAt path: String, by reader: ScanReader, progress: (Int, Int) -> Void) throws(NianbaoError)
        -> ScannedDocument
    {
        try reader.scanned(pdfAt: path, progress: progress)
    }
}

extension ScanReader {
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
    }}
