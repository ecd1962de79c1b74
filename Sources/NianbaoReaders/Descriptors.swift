import NianbaoCore
#if canImport(Glibc)
    import Glibc
#endif

/// Descriptors made close-on-exec as they are created, never marked afterwards: a child spawned
/// by another thread between the creation and an `fcntl(FD_CLOEXEC)` would inherit them (and a
/// write end a child keeps open makes the reader wait for that child; a program file it keeps
/// open for writing makes the next spawn of it fail with ETXTBSY).
enum Descriptors {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias MkOSTempS = @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> Int32

    // glibc's pipe2 and mkostemps, looked up at run time (the Swift Glibc module does not
    // export them)
    private static let pipe2Function: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let mkostempsFunction: MkOSTempS? = dlsym(nil, "mkostemps").map { unsafeBitCast($0, to: MkOSTempS.self) }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFromFunction: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Has the spawned child close every descriptor from `lowest` up before it runs the program
    /// (glibc 2.34 and later; false where it is missing). Returns whether it was added.
    static func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) -> Bool {
        guard let add = addCloseFromFunction else { return false }
        return add(&actions, lowest) == 0
    }

    /// A pipe whose two ends are close-on-exec from the start: (read end, write end), or the errno.
    static func pipe() -> Result<(read: Int32, write: Int32), NianbaoError> {
        guard let pipe2 = pipe2Function else { return .failure(.io("pipe2 is not available")) }
        var ends: [Int32] = [-1, -1]
        guard ends.withUnsafeMutableBufferPointer({ pipe2($0.baseAddress!, O_CLOEXEC) }) == 0 else {
            return .failure(.io("pipe failed (errno \(errno))"))
        }
        return .success((ends[0], ends[1]))
    }

    /// A new file `<directory>/<prefix>XXXXXX<suffix>` open for reading and writing,
    /// close-on-exec from the start: its descriptor and path.
    static func temporaryFile(prefix: String, suffix: String = "") -> Result<(fd: Int32, path: String), NianbaoError> {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        guard let mkostemps = mkostempsFunction else { return .failure(.io("mkostemps is not available")) }
        var template = Array("\(directory)/\(prefix)XXXXXX\(suffix)".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkostemps($0.baseAddress!, Int32(suffix.utf8.count), O_CLOEXEC) }
        guard fd >= 0 else { return .failure(.io("cannot create a temporary file in \(directory) (errno \(errno))")) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .success((fd, path))
    }
}
