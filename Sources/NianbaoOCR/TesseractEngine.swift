import NianbaoCore
import NianbaoReaders
#if canImport(Glibc)
import Glibc
#endif
import CTesseract

/// One Tesseract engine (a `TessBaseAPI`) for one language and setting. An OCR worker owns its
/// engines: the page image is set once per page, then each cell is a rectangle of it.
final class TesseractEngine {
    private var handle: OpaquePointer?

    /// - Parameters:
    ///   - whitelist: the only characters it may read (figures: digits and signs).
    init(language: String, whitelist: String? = nil, pageSegmentation: TessPageSegMode) throws(NianbaoError) {
        guard let dir = ScanReader.dataDirectory(for: language) else {
            throw .ocrMissing("the Tesseract data for \(language) is not installed")
        }
        guard let api = TessBaseAPICreate() else { throw .io("cannot create a Tesseract engine") }
        handle = api
        // a blank configuration: no user words or patterns, no debug output files
        let status = TessBaseAPIInit2(api, dir, language, OEM_LSTM_ONLY)
        guard status == 0 else {
            TessBaseAPIDelete(api)
            handle = nil
            throw .ocrMissing("Tesseract cannot load its data for \(language) from \(dir)")
        }
        _ = TessBaseAPISetVariable(api, "debug_file", "/dev/null")
        _ = TessBaseAPISetVariable(api, "user_defined_dpi", "300")
        if let whitelist { _ = TessBaseAPISetVariable(api, "tessedit_char_whitelist", whitelist) }
        // Chinese is written without spaces between characters
        if language.hasPrefix("chi") { _ = TessBaseAPISetVariable(api, "preserve_interword_spaces", "1") }
        TessBaseAPISetPageSegMode(api, pageSegmentation)
    }

    deinit {
        if let handle {
            TessBaseAPIEnd(handle)
            TessBaseAPIDelete(handle)
        }
    }

    /// Sets the page (the image must outlive the reads that follow).
    func setImage(_ image: Pixmap, dpi: Int) {
        TessBaseAPISetImage2(handle, image.pix)
        TessBaseAPISetSourceResolution(handle, Int32(dpi))
    }

    /// The text in `box` of the page set, and the mean confidence of its words (0…100).
    func read(_ box: PixelBox) -> (text: String, confidence: Double) {
        TessBaseAPISetRectangle(handle, Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height))
        guard let raw = TessBaseAPIGetUTF8Text(handle) else { return ("", 0) }
        let text = String(cString: raw)
        TessDeleteText(raw)
        let confidence = Double(TessBaseAPIMeanTextConf(handle))
        return (text, max(0, min(100, confidence)))
    }

    /// The lines of text in `box`, each with its box and confidence.
    func lines(in box: PixelBox) -> [ScannedLine] {
        TessBaseAPISetRectangle(handle, Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height))
        guard TessBaseAPIRecognize(handle, nil) == 0, let it = TessBaseAPIGetIterator(handle) else { return [] }
        defer { TessResultIteratorDelete(it) }
        var out: [ScannedLine] = []
        let page = TessResultIteratorGetPageIterator(it)
        repeat {
            guard let raw = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE) else { continue }
            let text = String(cString: raw)
            TessDeleteText(raw)
            var l: Int32 = 0, t: Int32 = 0, r: Int32 = 0, b: Int32 = 0
            _ = TessPageIteratorBoundingBox(page, RIL_TEXTLINE, &l, &t, &r, &b)
            let confidence = Double(TessResultIteratorConfidence(it, RIL_TEXTLINE))
            out.append(ScannedLine(text: text, box: PixelBox(x: Int(l), y: Int(t), width: Int(r - l), height: Int(b - t)),
                                   confidence: confidence))
        } while TessPageIteratorNext(page, RIL_TEXTLINE) != 0
        return out
    }
}
