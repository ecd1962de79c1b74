/// Plain search for a run of elements (the bytes of UTF-8, the scalars of a text) in contiguous
/// storage: the one loop the readers, the text document and the rules share.
public enum Search {
    /// Where `needle` first starts in `hay` (an offset from `hay`'s start); nil when nowhere or
    /// when `needle` is empty.
    @inlinable
    public static func firstOffset<T: Equatable>(of needle: UnsafeBufferPointer<T>, in hay: UnsafeBufferPointer<T>) -> Int? {
        guard let first = needle.first, hay.count >= needle.count else { return nil }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Where `needle` first starts in `hay[range]` (an index of `hay`); nil when nowhere or when
    /// `needle` is empty.
    @inlinable
    public static func firstIndex<T: Equatable>(of needle: [T], in hay: [T], range: Range<Int>) -> Int? {
        needle.withUnsafeBufferPointer { n in
            hay.withUnsafeBufferPointer { h in
                firstOffset(of: n, in: UnsafeBufferPointer(rebasing: h[range])).map { range.lowerBound + $0 }
            }
        }
    }
}
