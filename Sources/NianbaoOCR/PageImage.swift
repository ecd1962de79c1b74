import NianbaoCore
import NianbaoReaders
import CTesseract

/// One Leptonica image, owned (destroyed with the value's last reference). Not shared between
/// threads: an OCR worker owns its pages.
final class Pixmap {
    private(set) var pix: UnsafeMutablePointer<PIX>?

    init?(_ pix: UnsafeMutablePointer<PIX>?) {
        guard let pix else { return nil }
        self.pix = pix
    }

    deinit { pixDestroy(&pix) }

    var width: Int { Int(pixGetWidth(pix)) }
    var height: Int { Int(pixGetHeight(pix)) }
    var depth: Int { Int(pixGetDepth(pix)) }

    /// The largest image decoded, in pixels (an A2 page at 300 dpi is 35 million): a larger
    /// image is refused before it is decoded, a larger PDF page rendered at a lower resolution.
    static let maximumPixels = 40_000_000

    /// Decodes PNG, JPEG, TIFF, PNM… from memory, as 8-bit grey. A colour image gives its red
    /// channel: the red of a seal fades into the paper and the black text under it stays.
    static func decodeGrey(_ bytes: [UInt8]) throws(NianbaoError) -> Pixmap {
        guard !bytes.isEmpty else { throw .corrupt("the image is empty") }
        var w: Int32 = 0, h: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0
        let ok = bytes.withUnsafeBufferPointer { p in
            pixReadHeaderMem(p.baseAddress, p.count, nil, &w, &h, &bps, &spp, nil)
        }
        guard ok == 0, w > 0, h > 0 else { throw .corrupt("the image cannot be decoded") }
        guard Int(w) * Int(h) <= maximumPixels else {
            throw .tooLarge("the image is \(w) × \(h) pixels, more than \(maximumPixels)")
        }
        let raw = bytes.withUnsafeBufferPointer { p in pixReadMem(p.baseAddress, p.count) }
        guard let image = Pixmap(raw) else { throw .corrupt("the image cannot be decoded") }
        return try image.grey()
    }

    /// This image as 8-bit grey (the red channel of colour).
    func grey() throws(NianbaoError) -> Pixmap {
        if depth == 8 && pixGetColormap(pix) == nil { return self }
        if depth == 32, let red = Pixmap(pixGetRGBComponent(pix, Int32(COLOR_RED))) { return red }
        guard let g = Pixmap(pixConvertTo8(pix, 0)) else { throw .corrupt("the image has an unsupported depth (\(depth) bits)") }
        return g
    }

    /// Straightened: the skew found (±3°) rotated away; the angle in degrees.
    func deskewed() -> (Pixmap, Double) {
        var angle: Float = 0, conf: Float = 0
        guard let binary = Pixmap(pixThresholdToBinary(pix, 160)) else { return (self, 0) }
        let found = pixFindSkewSweepAndSearch(binary.pix, &angle, &conf, 4, 2, 3.0, 0.2, 0.01)
        guard found == 0, conf >= 2.5, abs(angle) >= 0.05 else { return (self, 0) }
        let radians = Float.pi / 180 * angle
        guard let rotated = Pixmap(pixRotate(pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE),
                                             Int32(width), Int32(height)))
        else { return (self, 0) }
        return (rotated, Double(angle))
    }

    /// 1-bit: ink where the grey is darker than `threshold`.
    func binary(threshold: Int) -> Pixmap? { Pixmap(pixThresholdToBinary(pix, Int32(threshold))) }

    /// The grey level of the paper (the histogram's brightest large peak) and a threshold
    /// between it and the ink.
    func inkThreshold() -> Int {
        var histogram = [Int](repeating: 0, count: 256)
        let wpl = Int(pixGetWpl(pix))
        guard let data = pixGetData(pix) else { return 160 }
        let step = max(1, height / 400)
        for y in stride(from: 0, to: height, by: step) {
            let line = data + y * wpl
            for x in stride(from: 0, to: width, by: 3) {
                let v = Int((line[x >> 2] >> UInt32(24 - 8 * (x & 3))) & 0xFF)
                histogram[v] += 1
            }
        }
        var paper = 255
        var best = 0
        for v in 100..<256 where histogram[v] > best {
            best = histogram[v]
            paper = v
        }
        return max(90, min(200, paper * 7 / 10))
    }

    /// Opened with a line-shaped brick: only runs of ink at least `length` long survive.
    func lines(horizontal: Bool, length: Int) -> Pixmap? {
        let closed = horizontal ? pixCloseBrick(nil, pix, 5, 1) : pixCloseBrick(nil, pix, 1, 5)
        guard let closed = Pixmap(closed) else { return nil }
        return Pixmap(horizontal ? pixOpenBrick(nil, closed.pix, Int32(length), 1)
                                 : pixOpenBrick(nil, closed.pix, 1, Int32(length)))
    }

    /// The boxes of the 8-connected components.
    func components() -> [PixelBox] {
        guard let boxa = pixConnComp(pix, nil, 8) else { return [] }
        var b: UnsafeMutablePointer<BOXA>? = boxa
        defer { boxaDestroy(&b) }
        return Self.boxes(boxa)
    }

    static func boxes(_ boxa: UnsafeMutablePointer<BOXA>) -> [PixelBox] {
        var out: [PixelBox] = []
        let n = boxaGetCount(boxa)
        out.reserveCapacity(Int(n))
        for i in 0..<n {
            var x: Int32 = 0, y: Int32 = 0, w: Int32 = 0, h: Int32 = 0
            if boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0 {
                out.append(PixelBox(x: Int(x), y: Int(y), width: Int(w), height: Int(h)))
            }
        }
        return out
    }

    /// The components inside `box` (clipped to the image).
    func components(in box: PixelBox) -> [PixelBox] {
        guard let clip = clipped(box) else { return [] }
        return clip.components().map { PixelBox(x: $0.x + box.x, y: $0.y + box.y, width: $0.width, height: $0.height) }
    }

    func clipped(_ box: PixelBox) -> Pixmap? {
        guard box.width > 0, box.height > 0,
              let b = boxCreate(Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height)) else { return nil }
        var p: UnsafeMutablePointer<BOX>? = b
        defer { boxDestroy(&p) }
        return Pixmap(pixClipRectangle(pix, b, nil))
    }

    /// `self` minus the ink of `other` (same size, 1-bit).
    func subtracting(_ other: Pixmap) -> Pixmap? { Pixmap(pixSubtract(nil, pix, other.pix)) }

    /// Paints `box` white (1-bit: clears it).
    func clear(_ box: PixelBox) {
        guard let b = boxCreate(Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height)) else { return }
        var p: UnsafeMutablePointer<BOX>? = b
        _ = pixClearInRect(pix, b)
        boxDestroy(&p)
    }

    /// Paints `box` with one grey level (8-bit).
    func paint(_ box: PixelBox, grey: UInt32) {
        guard let b = boxCreate(Int32(box.x), Int32(box.y), Int32(box.width), Int32(box.height)) else { return }
        var p: UnsafeMutablePointer<BOX>? = b
        _ = pixSetInRectArbitrary(pix, b, grey)
        boxDestroy(&p)
    }

    func copy() -> Pixmap? { Pixmap(pixCopy(nil, pix)) }

    /// This grey image with the ink of `mask` (1-bit, same size), grown by `grow` pixels,
    /// painted white: the ruling lines taken out of what Tesseract reads.
    func whitening(_ mask: Pixmap, grow: Int) -> Pixmap? {
        guard let out = copy(), let grown = Pixmap(pixDilateBrick(nil, mask.pix, Int32(2 * grow + 1), Int32(2 * grow + 1)))
        else { return nil }
        guard pixPaintThroughMask(out.pix, grown.pix, 0, 0, 255) == 0 else { return nil }
        return out
    }

    /// The union of two 1-bit images of the same size.
    func union(_ other: Pixmap) -> Pixmap? { Pixmap(pixOr(nil, pix, other.pix)) }
}
