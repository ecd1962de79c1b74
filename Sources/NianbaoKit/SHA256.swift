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
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
