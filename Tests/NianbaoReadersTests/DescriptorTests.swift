import Foundation
import Synchronization
import Testing

@testable import NianbaoReaders

#if canImport(Glibc)
    import Glibc
#endif

/// A child program must start with its standard descriptors and nothing else, however many
/// threads make pipes and temporary files meanwhile: an inherited write end keeps another
/// reader waiting, an inherited file held open for writing makes a spawn fail with ETXTBSY.
@Suite("descriptors made close-on-exec at creation")
struct DescriptorTests {
    @Test("children spawned on four threads while four others make pipes and temporaries inherit none of them")
    func noLeaks() throws {
        let spawners = 4, makers = 4, spawnsEach = 40
        let stop = Flag()
        let leaks = Mutex<[String]>([])
        let done = DispatchGroup()
        // threads of their own (the makers never wait, and would starve a task pool)
        for _ in 0..<makers {
            done.enter()
            Thread.detachNewThread {
                while !stop.isSet {
                    if case .success(let ends) = Descriptors.pipe() {
                        close(ends.read)
                        close(ends.write)
                    }
                    if case .success(let file) = Descriptors.temporaryFile(prefix: "nianbao-test-") {
                        unlink(file.path)
                        close(file.fd)
                    }
                }
                done.leave()
            }
        }
        let spawned = DispatchGroup()
        for _ in 0..<spawners {
            spawned.enter()
            Thread.detachNewThread {
                for _ in 0..<spawnsEach {
                    let child = ChildProcess(
                        executable: "/bin/ls", arguments: ["ls", "/proc/self/fd"], environment: [],
                        standardInput: nil, timeout: .seconds(20), maximumOutputBytes: 1 << 16, name: "ls")
                    guard let outcome = try? child.run() else {
                        leaks.withLock { $0.append("spawn failed") }
                        continue
                    }
                    // 0, 1, 2 and the one `ls` opens on /proc/self/fd
                    let fds = String(decoding: outcome.stdout, as: UTF8.self).split(whereSeparator: \.isWhitespace)
                        .compactMap { Int($0) }
                    if fds.contains(where: { $0 > 3 }) || outcome.exitStatus != 0 { leaks.withLock { $0.append("\(fds)") } }
                }
                spawned.leave()
            }
        }
        spawned.wait()
        stop.set()
        done.wait()
        let found = leaks.withLock { $0 }
        #expect(found.isEmpty, "children saw descriptors of other threads: \(found.prefix(5))")
    }

    @Test("a pipe and a temporary file are close-on-exec as soon as they exist")
    func flags() throws {
        let ends = try Descriptors.pipe().get()
        defer { close(ends.read); close(ends.write) }
        #expect(fcntl(ends.read, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(ends.write, F_GETFD) & FD_CLOEXEC != 0)
        let file = try Descriptors.temporaryFile(prefix: "nianbao-test-", suffix: ".pdf").get()
        defer { unlink(file.path); close(file.fd) }
        #expect(fcntl(file.fd, F_GETFD) & FD_CLOEXEC != 0)
        #expect(file.path.hasSuffix(".pdf"))
    }
}

final class Flag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
