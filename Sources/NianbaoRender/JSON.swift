/// A JSON value with ordered object keys, so documents read in a stable, documented order.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

    public static func optional(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    public static func optional(_ i: Int?) -> JSON { i.map(JSON.int) ?? .null }

    /// A number as the report wrote it: integral values print without a decimal point.
    public static func number(_ d: Double?) -> JSON {
        guard let d else { return .null }
        if d == d.rounded(), abs(d) < 1e15 { return .int(Int(d)) }
        return .double(d)
    }

    public func serialized(pretty: Bool = true) -> String {
        String(decoding: bytes(pretty: pretty), as: UTF8.self)
    }

    /// The value as UTF-8 JSON text.
    public func bytes(pretty: Bool = true) -> [UInt8] {
        let w = JSONWriter(pretty: pretty)
        write(into: w)
        return w.bytes
    }

    /// Writes the value at the writer's current place.
    public func write(into w: JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .int(let i): w.int(i)
        case .double(let d): w.double(d)
        case .string(let s): w.string(s)
        case .array(let a):
            // arrays of scalars stay on one line
            w.beginArray(inline: a.allSatisfy(\.isScalar))
            for v in a { v.write(into: w) }
            w.endArray()
        case .object(let o):
            w.beginObject()
            for (k, v) in o {
                w.key(k)
                v.write(into: w)
            }
            w.endObject()
        }
    }

    var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }
}

/// Writes JSON text straight into UTF-8 bytes, the way nianbao prints it: two-space
/// indentation, one member or element per line, arrays of scalars on one line (`[1, 2]`), a
/// table's cells an object a line, empty containers as `{}` and `[]`; or, not pretty, with no
/// whitespace at all.
///
/// Values are written in order: `beginObject()`, then `key(_:)` and one value per member, then
/// `endObject()`; `beginArray(inline:)`, the elements, `endArray()`. An array is `inline` when
/// the caller knows all its elements are scalars.
///
/// The writer is an object that owns its buffer, so appending is a bounds check and a copy,
/// with no array bookkeeping (no uniqueness checks, no copy on write).
public final class JSONWriter {
    private var storage: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    public let pretty: Bool
    /// Open containers, as a stack of bits (bit 0 the innermost): whether each has an element
    /// yet, and whether it is an inline array; levels beyond 64 spill into `deeper`.
    private var depth = 0
    private var hasItems: UInt64 = 0
    private var inline: UInt64 = 0
    private var deeper: [UInt8] = []
    /// Set between a key and its value.
    private var afterKey = false

    /// - Parameters:
    ///   - pretty: indent as nianbao prints its documents; false writes no whitespace.
    ///   - capacity: bytes to reserve.
    public init(pretty: Bool = true, capacity: Int = 0) {
        self.pretty = pretty
        self.capacity = max(capacity, 256)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// The bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    /// How many bytes are written so far (since the last `drain`).
    public var byteCount: Int { count }

    /// Calls `body` with the bytes written so far, then empties the buffer (keeping its
    /// capacity) and goes on at the same place (for writing a long document out in pieces).
    public func drain(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try body(UnsafeBufferPointer(start: storage, count: count))
        count = 0
    }

    @inline(__always)
    private func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity = newCapacity
    }

    @inline(__always)
    private func put(_ b: UInt8) {
        reserve(1)
        storage[count] = b
        count += 1
    }

    @inline(__always)
    private func put(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        Self.copy(p, n, to: storage + count)
        count += n
    }

    /// Appends `n` bytes from `p`, which has at least 15 readable bytes after them: copied 16
    /// at a time, the last move past the end landing in room reserved but not yet written.
    @inline(__always)
    private func putPadded(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n + 16)
        let from = UnsafeRawPointer(p), to = UnsafeMutableRawPointer(storage + count)
        var k = 0
        repeat {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self), toByteOffset: k,
                          as: SIMD16<UInt8>.self)
            k += 16
        } while k < n
        count += n
    }

    /// Copies `n` bytes. Most of what is written comes in pieces of a few dozen bytes (a
    /// member's name with its indentation, a figure's text), which two overlapping unaligned
    /// moves copy without calling `memmove`.
    @inline(__always)
    private static func copy(_ p: UnsafePointer<UInt8>, _ n: Int, to target: UnsafeMutablePointer<UInt8>) {
        let from = UnsafeRawPointer(p), to = UnsafeMutableRawPointer(target)
        if n >= 16 {
            if n > 32 {
                target.update(from: p, count: n)
                return
            }
            to.storeBytes(of: from.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 16, as: SIMD16<UInt8>.self), toByteOffset: n - 16,
                          as: SIMD16<UInt8>.self)
        } else if n >= 8 {
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
        } else if n > 0 {
            target[0] = p[0]
            target[n >> 1] = p[n >> 1]
            target[n - 1] = p[n - 1]
        }
    }

    @inline(__always)
    private func literal(_ s: StaticString) {
        put(s.utf8Start, s.utf8CodeUnitCount)
    }

    @inline(__always)
    private func lineBreak(depth: Int) {
        guard pretty else { return }
        let n = 1 + 2 * depth
        // copied from a line break already indented, like a member's name from its shape: 15
        // levels (whose start is any shallower one), then the padding `putPadded` reads past
        let indented: StaticString = "\n                                              "
        if n <= 31 {
            putPadded(indented.utf8Start, n)
            return
        }
        reserve(n)
        storage[count] = 0x0A
        (storage + count + 1).update(repeating: 0x20, count: 2 * depth)
        count += n
    }

    /// What goes before a value: nothing after a key, a separator and a line break in a container.
    @inline(__always)
    private func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        let first = hasItems & 1 == 0
        hasItems |= 1
        if inline & 1 != 0 {
            if !first {
                put(0x2C)
                if pretty { put(0x20) }
            }
        } else {
            if !first { put(0x2C) }
            lineBreak(depth: depth)
        }
    }

    private func push(inline isInline: Bool) {
        if depth >= 64 { deeper.append(UInt8(hasItems >> 63) | UInt8(inline >> 63) << 1) }
        hasItems <<= 1
        inline = inline << 1 | (isInline ? 1 : 0)
        depth += 1
    }

    /// Closes the innermost container; returns whether it had elements and whether it was inline.
    private func pop() -> (hadItems: Bool, wasInline: Bool) {
        let popped = (hasItems & 1 != 0, inline & 1 != 0)
        hasItems >>= 1
        inline >>= 1
        depth -= 1
        if depth >= 64 {
            let spilled = deeper.removeLast()
            hasItems |= UInt64(spilled & 1) << 63
            inline |= UInt64(spilled >> 1) << 63
        }
        return popped
    }

    public func beginObject() {
        beforeValue()
        put(0x7B)
        push(inline: false)
    }

    public func endObject() {
        if pop().hadItems { lineBreak(depth: depth) }
        put(0x7D)
    }

    /// Opens an array; `inline` keeps it on one line (for arrays whose elements are all scalars).
    public func beginArray(inline: Bool = false) {
        beforeValue()
        put(0x5B)
        push(inline: inline)
    }

    public func endArray() {
        let (hadItems, wasInline) = pop()
        if hadItems && !wasInline { lineBreak(depth: depth) }
        put(0x5D)
    }

    /// Opens an object of a known shape and writes its first member's name: what goes before
    /// each member is copied from the shape, not composed key by key. Each member's value
    /// follows `member(_:_:)` (the first one's, this call); `endObject(_:)` closes it.
    public func beginObject(_ shape: JSONShape) {
        beforeValue()
        put(0x7B)
        push(inline: false)
        hasItems |= 1
        shaped(shape, 0)
    }

    /// Opens an object of a known shape written on one line (`{"value": 0, "text": "0", …}`;
    /// for small objects of scalars, such as a table's cells), and writes its first member's
    /// name. Each member's value follows `oneLineMember(_:_:)`; `endOneLineObject()` closes it.
    public func beginOneLineObject(_ shape: JSONShape) {
        beforeValue()
        put(0x7B)
        push(inline: true)
        hasItems |= 1
        let (start, n) = pretty ? shape.oneLine(0) : shape.compact(0)
        putPadded(start, n)
        afterKey = true
    }

    /// The name of member `index` (1 or more) of the open one-line object of `shape`.
    @inline(__always)
    public func oneLineMember(_ shape: JSONShape, _ index: Int) {
        let (start, n) = pretty ? shape.oneLine(index) : shape.compact(index)
        putPadded(start, n)
        afterKey = true
    }

    public func endOneLineObject() {
        _ = pop()
        put(0x7D)
    }

    /// The name of member `index` (1 or more) of the open object of `shape`.
    @inline(__always)
    public func member(_ shape: JSONShape, _ index: Int) {
        shaped(shape, index)
    }

    public func endObject(_ shape: JSONShape) {
        _ = pop()
        if pretty && depth + 1 < JSONShape.depths {
            let (start, n) = shape.closing(depth: depth)
            putPadded(start, n)
        } else {
            lineBreak(depth: depth)
        }
        put(0x7D)
    }

    @inline(__always)
    private func shaped(_ shape: JSONShape, _ index: Int) {
        if depth < JSONShape.depths {
            let (start, n) = pretty ? shape.member(index, depth: depth) : shape.compact(index)
            putPadded(start, n)
            afterKey = true
        } else {
            if index > 0 { put(0x2C) }
            lineBreak(depth: depth)
            quote(shape.names[index])
            keySeparator()
        }
    }

    /// A member's name in the open object. (A literal name takes the `StaticString` form.)
    @_disfavoredOverload
    public func key(_ name: String) {
        beforeValue()
        quote(name)
        keySeparator()
    }

    /// A member's name known at compile time to need no escaping (ASCII letters, digits, `_`).
    public func key(_ name: StaticString) {
        beforeValue()
        reserve(name.utf8CodeUnitCount + 4)
        storage[count] = 0x22
        (storage + count + 1).update(from: name.utf8Start, count: name.utf8CodeUnitCount)
        count += name.utf8CodeUnitCount + 1
        storage[count] = 0x22
        storage[count + 1] = 0x3A
        count += 2
        if pretty {
            storage[count] = 0x20
            count += 1
        }
        afterKey = true
    }

    @inline(__always)
    private func keySeparator() {
        put(0x3A)
        if pretty { put(0x20) }
        afterKey = true
    }

    public func null() {
        beforeValue()
        literal("null")
    }

    public func bool(_ b: Bool) {
        beforeValue()
        if b {
            literal("true")
        } else {
            literal("false")
        }
    }

    public func int(_ i: Int) {
        beforeValue()
        digits(i)
    }

    /// A double as Swift prints it (`1.5`, `1e+20`); not finite: `null`.
    public func double(_ d: Double) {
        beforeValue()
        if d.isFinite {
            var text = d.description
            text.withUTF8 { put($0.baseAddress!, $0.count) }
        } else {
            literal("null")
        }
    }

    /// A number as the report wrote it: integral values without a decimal point; nil is `null`.
    public func number(_ d: Double?) {
        guard let d else { return null() }
        // (`Int(d)` converted back is `d` exactly when `d` is integral: no rounding call)
        if abs(d) < 1e15, Double(Int(d)) == d { return int(Int(d)) }
        double(d)
    }

    public func string(_ s: String) {
        beforeValue()
        quote(s)
    }

    public func optional(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    public func optional(_ i: Int?) {
        if let i { int(i) } else { null() }
    }

    private func digits(_ i: Int) {
        if i >= 0 && i < 10 {
            put(0x30 &+ UInt8(truncatingIfNeeded: i))
            return
        }
        // at most 20 digits and a sign, written backwards from the end of the room made for them
        reserve(24)
        var n = i.magnitude
        var digits = 0
        var m = n
        repeat {
            digits += 1
            m /= 10
        } while m > 0
        if i < 0 {
            storage[count] = 0x2D
            count += 1
        }
        var at = count + digits
        repeat {
            at -= 1
            storage[at] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
        } while n > 0
        count += digits
    }

    /// Writes `s` quoted: `"` and `\` escaped, `\n` `\r` `\t` by name, other control
    /// characters as `\u00XX`; everything else (all of Chinese included) as its own UTF-8 bytes,
    /// copied in runs.
    private func quote(_ s: String) {
        // a native or small string lends its bytes as they are; only a bridged one is copied
        if s.utf8.withContiguousStorageIfAvailable({ quote($0) }) == nil {
            var s = s
            s.withUTF8 { quote($0) }
        }
    }

    /// Writes `text` quoted, in one copy when nothing in it needs escaping (nearly always).
    @inline(__always)
    private func quote(_ text: UnsafeBufferPointer<UInt8>) {
        if !Self.needsEscaping(text) {
            let n = text.count
            reserve(n + 2)
            storage[count] = 0x22
            if n > 0 { Self.copy(text.baseAddress!, n, to: storage + count + 1) }
            storage[count + n + 1] = 0x22
            count += n + 2
        } else {
            put(0x22)
            escape(text)
            put(0x22)
        }
    }

    /// Whether any byte of `text` is escaped: a control character, `"` or `\`. Tested eight
    /// bytes at a time (a byte below 0x20, or equal to 0x22 or 0x5C, found by carries that stay
    /// within the byte), as most of what is quoted is Chinese text that needs none.
    @inline(__always)
    private static func needsEscaping(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = text.count
        guard n > 0 else { return false }
        let raw = UnsafeRawPointer(text.baseAddress!)
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, high: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i + 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // per byte, the high bit of: b ≥ 0x20; b ≠ 0x22; b ≠ 0x5C
            let printable = ((x & low) &+ 0x6060_6060_6060_6060) | x
            let q = x ^ 0x2222_2222_2222_2222, bs = x ^ 0x5C5C_5C5C_5C5C_5C5C
            let notQuote = ((q & low) &+ low) | q
            let notBackslash = ((bs & low) &+ low) | bs
            if printable & notQuote & notBackslash & high != high { return true }
            i += 8
        }
        while i < n {
            let b = text[i]
            if b < 0x20 || b == 0x22 || b == 0x5C { return true }
            i += 1
        }
        return false
    }

    /// A lowercase hexadecimal digit.
    @inline(__always)
    private static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    private func escape(_ text: UnsafeBufferPointer<UInt8>) {
        guard let base = text.baseAddress else { return }
        var run = 0
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if run < i { put(base + run, i - run) }
            switch b {
            case 0x22: literal("\\\"")
            case 0x5C: literal("\\\\")
            case 0x0A: literal("\\n")
            case 0x0D: literal("\\r")
            case 0x09: literal("\\t")
            default:
                literal("\\u00")
                put(Self.hex(b >> 4))
                put(Self.hex(b & 0x0F))
            }
            i += 1
            run = i
        }
        if run < n { put(base + run, n - run) }
    }
}

/// The member names of an object written many times (a cell, a row), with the bytes that go
/// before each member at every depth worked out once: `,`, the line break and indentation, the
/// quoted name and `: `. See `JSONWriter.beginObject(_:)`.
///
/// The pieces sit in memory the shape owns and never changes after `init`, reached through plain
/// pointers: a member's name costs the writer two loads and a copy, with no array bounds checked
/// or retained on the way (an object per cell makes this the writer's most frequent step).
public final class JSONShape: @unchecked Sendable {
    /// Depths (of the object's members) the bytes are worked out for; deeper objects are
    /// written name by name.
    static let depths = 16
    let names: [String]
    /// Every piece, one after another: for each depth from 1, the pieces of the pretty form
    /// (`names.count` members, then the closing line break), then those of the compact form;
    /// then 16 bytes of padding (see `JSONWriter.putPadded`).
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Where each piece starts in `bytes`; piece `k` ends where piece `k + 1` starts.
    private let starts: UnsafeMutablePointer<Int32>
    /// Pieces per depth: one per member and the closing one.
    private let stride: Int

    /// - Parameter names: the members' names, in order; ASCII letters, digits and `_`.
    public init(_ names: [String]) {
        self.names = names
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        for depth in 1..<Self.depths {
            for (i, name) in names.enumerated() {
                starts.append(Int32(bytes.count))
                if i > 0 { bytes.append(0x2C) }
                bytes.append(0x0A)
                bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
                bytes.append(0x22)
                bytes.append(contentsOf: name.utf8)
                bytes.append(contentsOf: [0x22, 0x3A, 0x20])
            }
            starts.append(Int32(bytes.count))
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(0x20, count: 2 * (depth - 1)))
        }
        for (i, name) in names.enumerated() {
            starts.append(Int32(bytes.count))
            if i > 0 { bytes.append(0x2C) }
            bytes.append(0x22)
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: [0x22, 0x3A])
        }
        // the pretty form of an object on one line: `, "name": `
        for (i, name) in names.enumerated() {
            starts.append(Int32(bytes.count))
            if i > 0 { bytes.append(contentsOf: [0x2C, 0x20]) }
            bytes.append(0x22)
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: [0x22, 0x3A, 0x20])
        }
        starts.append(Int32(bytes.count))
        bytes.append(contentsOf: repeatElement(0, count: 16))
        stride = names.count + 1
        self.bytes = .allocate(capacity: bytes.count)
        self.bytes.initialize(from: bytes, count: bytes.count)
        self.starts = .allocate(capacity: starts.count)
        self.starts.initialize(from: starts, count: starts.count)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
    }

    @inline(__always)
    private func piece(_ k: Int) -> (UnsafePointer<UInt8>, Int) {
        let start = Int(starts[k])
        return (UnsafePointer(bytes + start), Int(starts[k + 1]) - start)
    }

    /// What goes before member `index` of an object whose members are at `depth` (1 or more).
    @inline(__always)
    func member(_ index: Int, depth: Int) -> (UnsafePointer<UInt8>, Int) { piece((depth - 1) * stride + index) }
    /// What goes before the `}` of an object opened at `depth`.
    @inline(__always)
    func closing(depth: Int) -> (UnsafePointer<UInt8>, Int) { piece(depth * stride + stride - 1) }
    @inline(__always)
    func compact(_ index: Int) -> (UnsafePointer<UInt8>, Int) { piece((Self.depths - 1) * stride + index) }
    /// What goes before member `index` of an object written on one line.
    @inline(__always)
    func oneLine(_ index: Int) -> (UnsafePointer<UInt8>, Int) { piece((Self.depths - 1) * stride + names.count + index) }
}
