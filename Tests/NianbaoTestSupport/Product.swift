import Foundation

/// The `nianbao` program this test run built, and the package's folders.
public enum TestProduct {
    /// The package's root folder: `NIANBAO_PACKAGE_ROOT`, or the folder above Tests/.
    public static let packageRoot: URL = {
        if let root = ProcessInfo.processInfo.environment["NIANBAO_PACKAGE_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root, isDirectory: true)
        }
        // this file is Tests/NianbaoTestSupport/Product.swift
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// A file or folder of the package (`systemd/nianbao.catalog`, `Config/nianbao.yaml`).
    public static func file(_ relativePath: String) -> URL { packageRoot.appendingPathComponent(relativePath) }

    /// The `nianbao` executable built with the tests: `NIANBAO_BINARY` when set, otherwise the
    /// one beside the test bundle being run (`.build/<triple>/<debug|release>/`), so that
    /// `swift test -c release` runs the release build's program.
    public static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["NIANBAO_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        let programs = candidates.map { $0.appendingPathComponent("nianbao") }
        return programs.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? programs[0]
    }()
}
