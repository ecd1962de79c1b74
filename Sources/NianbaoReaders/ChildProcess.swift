import NianbaoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program as a child process with a wall-clock limit and an output cap, collecting its
/// standard output and (the start of) its standard error. Whatever the child does — crash,
/// hang, flood its output — the caller gets a typed answer and the child is reaped.
package struct ChildProcess {
    package struct Outcome {
        /// The exit status, or nil if the child was ended by a signal.
        package var exitStatus: Int32?
        /// The signal that ended the child, if one did.
        var signal: Int32?
        package var stdout: [UInt8]
        var stderr: [UInt8]
    }

    var executable: String
    var arguments: [String]
    var environment: [String]
    /// The child's standard input: this descriptor (not closed here), or /dev/null.
    var standardInput: Int32?
    var timeout: Duration
    var maximumOutputBytes: Int
    /// What the output cap and the time limit are reported as.
    var name: String
    /// Whether the child leads a process group of its own, so that a time limit or an output
    /// cap ends the programs it started too (LibreOffice's launcher and its office process).
    var ownProcessGroup = false
    /// Sees each line the child writes to its standard error as it comes (a progress report);
    /// the lines it answers true for are its own and left out of `stderr`.
    var standardErrorLine: ((String) -> Bool)?

    package init(executable: String, arguments: [String], environment: [String], standardInput: Int32?, timeout: Duration,
                 maximumOutputBytes: Int, name: String) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardInput = standardInput
        self.timeout = timeout
        self.maximumOutputBytes = maximumOutputBytes
        self.name = name
    }

    package func run() throws(NianbaoError) -> Outcome {
        // close-on-exec from the start: other children spawned concurrently must not inherit
        // these ends (the child gets its own through dup2, which clears the flag)
        let out = try Descriptors.pipe().get()
        let err: (read: Int32, write: Int32)
        do {
            err = try Descriptors.pipe().get()
        } catch {
            close(out.read)
            close(out.write)
            throw error
        }
        let outPipe = [out.read, out.write], errPipe = [err.read, err.write]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input = standardInput {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // and nothing else: whatever a library of the parent opened without O_CLOEXEC stays out
        _ = Descriptors.closeFrom(3, in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        }
        var pid: pid_t = 0
        var spawnResult: Int32 = 0
        for attempt in 0..<20 {
            spawnResult = withCStringArray(arguments) { argv in
                withCStringArray(environment) { envp in
                    posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                }
            }
            // ETXTBSY: the program file is still open for writing somewhere (being installed, or
            // a descriptor inherited by a child spawned concurrently): wait a moment
            guard spawnResult == ETXTBSY, attempt < 19 else { break }
            usleep(5_000)
        }
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawnResult == 0 else { throw .io("cannot run \(executable) (error \(spawnResult))") }

        let deadline = ContinuousClock.now + timeout
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var pendingLine: [UInt8] = []
        var failure: NianbaoError?
        while open[0] || open[1] {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                failure = .timeout
                break
            }
            let ms = Int32(clamping: remaining.components.seconds * 1000
                + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            var fds = [
                pollfd(fd: open[0] ? outPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0),
            ]
            let r = poll(&fds, 2, ms)
            if r < 0 {
                if errno == EINTR { continue }
                failure = .io("poll failed (errno \(errno))")
                break
            }
            if r == 0 { continue }
            for i in 0..<2 where open[i] && fds[i].revents != 0 {
                let fd = i == 0 ? outPipe[0] : errPipe[0]
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    open[i] = false
                } else if n == 0 {
                    open[i] = false
                } else if i == 0 {
                    stdout.append(contentsOf: buffer[0..<n])
                    if stdout.count > maximumOutputBytes {
                        failure = .tooLarge("\(name) produced more than \(maximumOutputBytes) bytes")
                    }
                } else if let handler = standardErrorLine {
                    // whole lines to the handler; a line longer than 8 KiB is not one of its own
                    for byte in buffer[0..<n] {
                        if byte == 0x0A || pendingLine.count >= 8192 {
                            if !handler(String(decoding: pendingLine, as: UTF8.self)), stderr.count < 8192 {
                                stderr.append(contentsOf: pendingLine.prefix(8192 - stderr.count))
                                if stderr.count < 8192 { stderr.append(0x0A) }
                            }
                            pendingLine.removeAll(keepingCapacity: true)
                            if byte == 0x0A { continue }
                        }
                        pendingLine.append(byte)
                    }
                } else if stderr.count < 8192 {
                    stderr.append(contentsOf: buffer[0..<min(n, 8192 - stderr.count)])
                }
            }
            if failure != nil { break }
        }
        if !pendingLine.isEmpty, stderr.count < 8192 { stderr.append(contentsOf: pendingLine.prefix(8192 - stderr.count)) }
        var status: Int32 = 0
        if let failure {
            kill(ownProcessGroup ? -pid : pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw failure
        }
        // Both pipes are closed: the child is exiting; still bound the wait. It is usually gone
        // within a fraction of a millisecond: look again soon, then less and less often.
        var pause: UInt32 = 20
        while true {
            let w = waitpid(pid, &status, WNOHANG)
            if w == pid { break }
            if w < 0 && errno != EINTR { break }
            if ContinuousClock.now >= deadline {
                kill(ownProcessGroup ? -pid : pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                throw .timeout
            }
            usleep(pause)
            pause = min(pause * 2, 2_000)
        }
        // whatever the child left running in its group (a launcher's office process) goes with it
        if ownProcessGroup { kill(-pid, SIGKILL) }
        let signalled = status & 0x7F
        if signalled != 0 {
            return Outcome(exitStatus: nil, signal: signalled, stdout: stdout, stderr: stderr)
        }
        return Outcome(exitStatus: (status >> 8) & 0xFF, signal: nil, stdout: stdout, stderr: stderr)
    }

    /// The environment a reader child gets: a UTF-8 locale, PATH and HOME, and no crash
    /// backtracer (a trap ends the child at once; the parent reports it).
    package static func readerEnvironment() -> [String] {
        var env: [String] = ["LC_ALL=C.UTF-8", "LANG=C.UTF-8", "SWIFT_BACKTRACE=enable=no"]
        if let p = getenv("PATH") { env.append("PATH=" + String(cString: p)) }
        if let h = getenv("HOME") { env.append("HOME=" + String(cString: h)) }
        if let t = getenv("TMPDIR") { env.append("TMPDIR=" + String(cString: t)) }
        // where Tesseract's language data is, when not in Debian's place
        if let t = getenv("TESSDATA_PREFIX") { env.append("TESSDATA_PREFIX=" + String(cString: t)) }
        return env
    }
}

/// Writes all of `bytes` to `fd` (retrying short writes and EINTR); false on an error.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var written = 0
    return bytes.withUnsafeBytes { raw -> Bool in
        while written < raw.count {
            let n = write(fd, raw.baseAddress! + written, raw.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += n
        }
        return true
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
