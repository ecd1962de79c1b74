import Foundation
import Synchronization
import Testing

@testable import NianbaoDaemon
import NianbaoTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What lets a burst go at the filesystem's speed without giving up safety: files already at
/// rest are taken at once, a check's mark costs no file per report, and checks and publishes
/// overlap without more checks at once than `workers`.
@Suite struct BurstTests {

    /// A report written and left alone before the service looked (it was started, or busy) has
    /// been at rest for longer than the settle time: it is taken at the next scan.
    @Test func aFileAlreadyAtRestIsTakenAtTheNextScanNotAfterAnotherSettleTime() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        try write("OK", to: root.url.appendingPathComponent("年报.txt"))
        let entries = try DirectoryListing.files(in: root.url)
        let settle = Duration.seconds(2)
        let t0 = ContinuousClock.now
        // the wall clock five seconds after the file was written
        let later = WallClock(nanoseconds: Directories.wallClockNanoseconds() + 5_000_000_000, at: t0)

        var local = StabilityTracker()
        #expect(local.observe(entries, now: t0, settleTime: settle, wallClock: later).isEmpty,
                "one look is never enough")
        #expect(local.nextStable == t0, "the next scan is due at once")
        #expect(local.observe(entries, now: t0 + .milliseconds(300), settleTime: settle, wallClock: later).map(\.name) == ["年报.txt"])

        // on a network share the file's times come from another clock: the settle time counts
        // from the first look
        var remote = StabilityTracker()
        _ = remote.observe(entries, now: t0, settleTime: settle)
        #expect(remote.nextStable == t0 + settle)
        #expect(remote.observe(entries, now: t0 + .milliseconds(300), settleTime: settle).isEmpty)
        #expect(remote.observe(entries, now: t0 + settle, settleTime: settle).map(\.name) == ["年报.txt"])
    }

    /// A file just written is not taken before the settle time, and a write between two looks
    /// (which changes its ctime even where size and mtime come out the same) starts it over.
    @Test func aFileStillBeingWrittenWaitsForTheSettleTime() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let file = root.url.appendingPathComponent("年报.txt")
        try write("第一段", to: file)
        let settle = Duration.seconds(2)
        let t0 = ContinuousClock.now
        var tracker = StabilityTracker()
        _ = tracker.observe(try DirectoryListing.files(in: root.url), now: t0, settleTime: settle,
                            wallClock: .now())
        let due = try #require(tracker.nextStable)
        #expect(due > t0 + .milliseconds(1500), "written a moment ago: due about a settle time later")
        #expect(tracker.observe(try DirectoryListing.files(in: root.url), now: t0 + .milliseconds(300), settleTime: settle,
                                wallClock: .now()).isEmpty)

        // rewritten with the same size, and its mtime put back: only the ctime tells
        let before = try #require(try DirectoryListing.files(in: root.url).first)
        usleep(20_000)
        try write("第二段", to: file)
        var times = [
            timespec(tv_sec: Int(before.mtimeNanoseconds / 1_000_000_000), tv_nsec: Int(before.mtimeNanoseconds % 1_000_000_000)),
            timespec(tv_sec: Int(before.mtimeNanoseconds / 1_000_000_000), tv_nsec: Int(before.mtimeNanoseconds % 1_000_000_000)),
        ]
        #expect(utimensat(AT_FDCWD, file.path, &times, 0) == 0)
        let after = try #require(try DirectoryListing.files(in: root.url).first)
        #expect(after.size == before.size && after.mtimeNanoseconds == before.mtimeNanoseconds)
        #expect(tracker.observe([after], now: t0 + settle + .milliseconds(100), settleTime: settle,
                                wallClock: .now()).isEmpty,
                "changed since the last look: it must settle again")
    }

    /// The mark that says "this check has not ended" survives a crash and is found on restart,
    /// and a burst of checks creates no file per report for it.
    @Test func aCheckThatNeverEndedIsFoundAfterARestartAndMarksAreReused() throws {
        let root = try TemporaryDirectory()
        defer { root.cleanup() }
        let work = root.url
        for name in ["a.txt", "b.txt", "c.txt"] { try write("OK", to: work.appendingPathComponent(name)) }

        let slots = CheckingSlots()
        for _ in 0..<50 {
            let a = slots.begin("a.txt", in: work)
            let b = slots.begin("b.txt", in: work)
            slots.end(a)
            slots.end(b)
        }
        #expect(names(in: work).filter { $0.hasPrefix(".") }.count == 2, "two checks at once: two marks, reused")

        // the process dies while checking c.txt
        _ = slots.begin("c.txt", in: work)
        CheckingMarks.convertSlots(in: work)
        #expect(CheckingMarks.has(work: work, name: "c.txt"))
        #expect(!CheckingMarks.has(work: work, name: "a.txt") && !CheckingMarks.has(work: work, name: "b.txt"))
        #expect(!names(in: work).contains { $0.hasPrefix(CheckingMarks.slotPrefix) }, "the slots themselves are gone")

        // when idle, a service's slots go: nothing of ours is left in work/
        let other = CheckingSlots()
        other.end(other.begin("a.txt", in: work))
        other.close()
        #expect(names(in: work).filter { $0.hasPrefix(CheckingMarks.slotPrefix) }.isEmpty)
    }

    /// Never more than `limit` holders at once, and everyone gets a turn.
    @Test func permitsBoundTheChecksRunningAtOnce() async {
        let permits = Permits(2)
        final class Counts: Sendable { let value = Mutex((now: 0, most: 0, done: 0)) }
        let counts = Counts()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    await permits.acquire()
                    counts.value.withLock {
                        $0.now += 1
                        $0.most = max($0.most, $0.now)
                    }
                    try? await Task.sleep(for: .milliseconds(5))
                    counts.value.withLock {
                        $0.now -= 1
                        $0.done += 1
                    }
                    permits.release()
                }
            }
        }
        let final = counts.value.withLock { $0 }
        #expect(final.most == 2 && final.done == 20)
    }
}
