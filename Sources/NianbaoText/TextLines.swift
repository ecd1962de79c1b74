/// The lines of a text, held one after another in one array (a report has hundreds of lines:
/// one array for them all, not one each, to allocate, copy and free).
public struct TextLines: RandomAccessCollection, Sendable {
    /// Every line's scalars, one line after another, without terminators.
    public private(set) var scalars: [UInt32]
    /// Where each line starts in `scalars`, and after the last, where the text ends.
    public private(set) var starts: [Int]

    init(scalars: [UInt32], starts: [Int]) {
        precondition(starts.first == 0 && starts.last == scalars.count)
        self.scalars = scalars
        self.starts = starts
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { starts.count - 1 }

    /// Line `l` (0-based).
    @inlinable
    public subscript(l: Int) -> TextLine {
        TextLine(base: scalars, start: starts[l], count: starts[l + 1] - starts[l])
    }

    /// Replaces the scalars of line `l` by as many others (table markup neutralised in place).
    mutating func update(_ l: Int, _ body: (inout [UInt32]) -> Void) {
        let range = starts[l]..<starts[l + 1]
        var line = Array(scalars[range])
        body(&line)
        precondition(line.count == range.count, "a line keeps its length")
        scalars.replaceSubrange(range, with: line)
    }
}

/// One line of a `TextLines`: its scalars, 0-based.
public struct TextLine: RandomAccessCollection, Sendable {
    @usableFromInline let base: [UInt32]
    @usableFromInline let start: Int
    public let count: Int

    @inlinable
    init(base: [UInt32], start: Int, count: Int) {
        self.base = base
        self.start = start
        self.count = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> UInt32 {
        precondition(i >= 0 && i < count, "a column within the line")
        return base[start + i]
    }

    /// Columns `r` of the line as an array slice of the text's storage, for reading in place.
    /// (The slice's indices are not the line's columns: read it from its `startIndex`.)
    @inlinable
    public func scalars(_ r: Range<Int>) -> ArraySlice<UInt32> {
        precondition(r.lowerBound >= 0 && r.upperBound <= count, "columns within the line")
        return base[(start + r.lowerBound)..<(start + r.upperBound)]
    }

    /// The whole line as an array slice of the text's storage (see `scalars(_:)`).
    @inlinable public var all: ArraySlice<UInt32> { base[start..<(start + count)] }

    /// The line's scalars as an array of their own.
    public var array: [UInt32] { Array(all) }
}
