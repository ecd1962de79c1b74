import Crypto

/// SHA-256 of a file as lowercase hex, for notes, JSON and the journal (swift-crypto).
public enum FileHash {
    /// The hash of bytes already in memory.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(Crypto.SHA256.hash(data: bytes))
    }

    /// A hash fed piece by piece, for a file read in chunks.
    public struct Streaming: Sendable {
        private var hasher = Crypto.SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        public mutating func finish() -> String { FileHash.hex(hasher.finalize()) }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        // written straight into the string's storage: no array, no table
        String(unsafeUninitializedCapacity: 64) { out in
            var n = 0
            for byte in digest {
                let hi = byte >> 4, lo = byte & 0x0F
                out[n] = hi < 10 ? 0x30 + hi : 0x57 + hi
                out[n + 1] = lo < 10 ? 0x30 + lo : 0x57 + lo
                n += 2
            }
            return n
        }
    }
}
