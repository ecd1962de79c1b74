// nianbao-bench: decode + extract throughput on the fixture reports, one core.
//
//   swift run -c release --scratch-path .build-bench nianbao-bench [FIXTURES_DIR] [--seconds N] [--iterations N]
//
// Reads Tests/Fixtures/00*.txt and huaian-2024.layout.txt (found from this file's path unless a
// directory is given), then decodes and extracts each file repeatedly on the calling thread for
// about N seconds in all (default 5), and prints reports/second per file and overall, and the
// process's peak resident set size.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NianbaoKit

func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return out
}

func listFixtures(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if (name.hasPrefix("00") && name.hasSuffix(".txt")) || name == "huaian-2024.layout.txt" { names.append(name) }
    }
    return names.sorted()
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

func fixed(_ x: Double, _ decimals: Int) -> String {
    var m = 1.0
    for _ in 0..<decimals { m *= 10 }
    let r = (x * m).rounded() / m
    var s = "\(r)"
    if let dot = s.firstIndex(of: ".") {
        let have = s.distance(from: dot, to: s.endIndex) - 1
        if have < decimals { s += String(repeating: "0", count: decimals - have) }
    } else if decimals > 0 {
        s += "." + String(repeating: "0", count: decimals)
    }
    return s
}

/// Decodes and extracts one report; returns a number that depends on the result so the work
/// cannot be optimised away.
@inline(never)
func checkOnce(_ bytes: [UInt8]) -> Int {
    guard let (text, _) = try? TextDecoder.decode(bytes) else { return -1 }
    let r = Extractor.extract(TextDocument(text))
    var n = r.sections.count
    n &+= r.table2?.rows.reduce(0) { $0 + $1.row.found } ?? 0
    n &+= r.table3?.rows.reduce(0) { $0 + $1.row.found } ?? 0
    n &+= r.table4?.row.found ?? 0
    return n
}

// MARK: - Arguments

var args = Array(CommandLine.arguments.dropFirst())
var totalSeconds = 5.0
if let i = args.firstIndex(of: "--seconds"), i + 1 < args.count, let s = Double(args[i + 1]) {
    totalSeconds = s
    args.removeSubrange(i...(i + 1))
}
// --iterations N: exactly N reports per file (for instruction counts under valgrind)
var fixedIterations: Int?
if let i = args.firstIndex(of: "--iterations"), i + 1 < args.count, let n = Int(args[i + 1]) {
    fixedIterations = n
    args.removeSubrange(i...(i + 1))
}
let fixturesDir: String = args.first ?? {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Sources/nianbao-bench/main.swift
    return parts.joined(separator: "/") + "/Tests/Fixtures"
}()

let names = listFixtures(fixturesDir)
guard !names.isEmpty else {
    print("nianbao-bench: no fixtures in \(fixturesDir)")
    exit(1)
}
let files: [(String, [UInt8])] = names.compactMap { n in readFile(fixturesDir + "/" + n).map { (n, $0) } }

// MARK: - Run

let clock = ContinuousClock()
let perFile = totalSeconds / Double(files.count)
var sink = 0
var totalReports = 0
var totalTime = 0.0
var totalBytes = 0
print("nianbao-bench: \(files.count) files from \(fixturesDir), ~\(fixed(perFile, 2)) s each, one thread")
print(pad("file", 30) + pad("bytes", 8) + pad("reports", 9) + pad("reports/s", 11) + "ms/report")
for (name, bytes) in files {
    // warm-up
    for _ in 0..<3 { sink &+= checkOnce(bytes) }
    var count = 0
    let start = clock.now
    var elapsed = 0.0
    if let n = fixedIterations {
        for _ in 0..<n { sink &+= checkOnce(bytes) }
        count = n
        elapsed = max(seconds(clock.now - start), 1e-9)
    } else {
        repeat {
            for _ in 0..<10 { sink &+= checkOnce(bytes) }
            count += 10
            elapsed = seconds(clock.now - start)
        } while elapsed < perFile
    }
    totalReports += count
    totalTime += elapsed
    totalBytes += bytes.count * count
    let rate = Double(count) / elapsed
    print(pad(name, 30) + pad("\(bytes.count)", 8) + pad("\(count)", 9) + pad(fixed(rate, 1), 11) + fixed(1000 / rate, 3))
}
var usage = rusage()
#if canImport(Darwin)
getrusage(RUSAGE_SELF, &usage)
let peakKB = Int(usage.ru_maxrss) / 1024  // bytes on Darwin
#else
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
let peakKB = Int(usage.ru_maxrss)  // KiB on Linux
#endif
print("overall: \(totalReports) reports in \(fixed(totalTime, 2)) s = \(fixed(Double(totalReports) / totalTime, 1)) reports/s, "
      + "\(fixed(Double(totalBytes) / totalTime / 1_048_576, 2)) MiB/s")
print("peak RSS (getrusage ru_maxrss): \(peakKB) KiB (\(fixed(Double(peakKB) / 1024, 1)) MiB)")
// ru_maxrss survives execve, so under `swift run` it also counts the swift-run process that
// exec'd this one; Linux's VmHWM is this program's own high-water mark.
if let status = readFile("/proc/self/status") {
    for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        print("peak RSS (/proc/self/status VmHWM, this program only): \(kb) KiB")
    }
}
print("checksum: \(sink)")
