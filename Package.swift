// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "nianbao",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "NianbaoKit", targets: ["NianbaoKit"]),
        .executable(name: "nianbao", targets: ["nianbao"]),
        // reads scans for nianbao (the one program that links Tesseract), installed beside it
        .executable(name: "nianbao-ocr", targets: ["nianbao-ocr"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // FilePath, which swift-configuration's file provider takes
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // the benchmark suite (Benchmarks/); the malloc interposer counts allocations without jemalloc
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Debian's C libraries, through pkg-config.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "NianbaoZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // OCR of scanned reports: Tesseract's C API and Leptonica (tesseract.pc requires lept)
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract",
                       providers: [.apt(["libtesseract-dev", "libleptonica-dev"])]),

        // the shared words: language, localised text, severity, positions, document format, errors
        .target(name: "NianbaoCore"),
        // bytes -> text with positions (decoding, normalisation)
        .target(name: "NianbaoText", dependencies: ["NianbaoCore"]),
        // the national format as data, and the typed report model
        .target(name: "NianbaoModel", dependencies: ["NianbaoCore"]),
        // text -> AnnualReport (template-guided extraction)
        .target(name: "NianbaoExtract", dependencies: ["NianbaoCore", "NianbaoText", "NianbaoModel"]),
        // AnnualReport -> diagnostics
        .target(name: "NianbaoRules", dependencies: ["NianbaoCore", "NianbaoText", "NianbaoModel"]),
        // diagnostics -> verdict, note, JSON
        .target(name: "NianbaoRender", dependencies: ["NianbaoCore", "NianbaoText", "NianbaoModel", "NianbaoRules"]),
        // checked reports' JSON -> the consolidated table (CSV, xlsx) and an overview
        .target(name: "NianbaoSummary", dependencies: ["NianbaoModel", "NianbaoRender", "NianbaoZlib"]),
        // the library: the pipeline over all layers (file -> reader -> extraction -> rules -> outcome)
        .target(
            name: "NianbaoKit",
            dependencies: [
                "NianbaoCore", "NianbaoText", "NianbaoModel", "NianbaoExtract", "NianbaoRules", "NianbaoRender",
                "NianbaoReaders", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // document formats (docx, html, pdf) -> text the extractor reads
        .target(
            name: "NianbaoReaders",
            dependencies: [
                "NianbaoCore", "NianbaoText", "CLibXML2", "NianbaoZlib",
            ]
        ),
        // scans -> their pages' cells and lines, by Tesseract and Leptonica: only in the OCR helper
        .target(name: "NianbaoOCR", dependencies: ["NianbaoCore", "NianbaoReaders", "CTesseract"]),
        // nianbao.yaml, NIANBAO_* variables and overrides -> the configuration the one-shot check and
        // the daemon share
        .target(
            name: "NianbaoConfig",
            dependencies: [
                "NianbaoCore", "NianbaoRules", "NianbaoRender", "NianbaoKit",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // the drop-folder daemon: filesystem, journal, sd_notify
        .target(
            name: "NianbaoDaemon",
            dependencies: [
                "NianbaoCore", "NianbaoText", "NianbaoModel", "NianbaoRules", "NianbaoRender", "NianbaoReaders", "NianbaoKit",
                "NianbaoConfig", "NianbaoSummary", "CSystemd", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "nianbao",
            dependencies: [
                "NianbaoCore", "NianbaoText", "NianbaoExtract", "NianbaoRules", "NianbaoRender", "NianbaoReaders",
                "NianbaoKit", "NianbaoConfig", "NianbaoDaemon", "NianbaoSummary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer entry point over the whole pipeline; built only by scripts/fuzz (-sanitize=fuzzer)
        .executableTarget(name: "nianbao-ocr", dependencies: ["NianbaoOCR", "NianbaoReaders"]),
        .executableTarget(
            name: "nianbao-fuzz", dependencies: ["NianbaoReaders", "NianbaoOCR", "NianbaoKit"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // what every test target shares: the fixtures folder, the program the run built, temporary and
        // results folders, report builders, transcription, the 淮安 2024 golden cells
        .target(
            name: "NianbaoTestSupport", dependencies: ["NianbaoModel", "NianbaoRender", "NianbaoKit"], path: "Tests/NianbaoTestSupport"
        ),
        .testTarget(
            name: "NianbaoKitTests",
            dependencies: [
                "NianbaoCore", "NianbaoText", "NianbaoModel", "NianbaoExtract", "NianbaoRules", "NianbaoRender",
                "NianbaoReaders", "NianbaoKit", "NianbaoTestSupport",
            ]
        ),
        .testTarget(
            name: "NianbaoSummaryTests",
            dependencies: [
                "NianbaoModel", "NianbaoKit", "NianbaoSummary", "NianbaoTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // ZIPFoundation builds the test zips: an independent writer for the reader to read
        .testTarget(
            name: "NianbaoReadersTests",
            dependencies: [
                "NianbaoCore", "NianbaoText", "NianbaoModel", "NianbaoExtract", "NianbaoRules", "NianbaoRender",
                "NianbaoReaders", "NianbaoOCR", "NianbaoKit", "NianbaoTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(
            name: "NianbaoDaemonTests",
            dependencies: [
                "NianbaoCore", "NianbaoRender", "NianbaoKit", "NianbaoConfig", "NianbaoDaemon", "NianbaoSummary", "NianbaoTestSupport",
                "CSystemd", .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "NianbaoIntegrationTests",
            dependencies: ["NianbaoCore", "NianbaoRender", "NianbaoReaders", "NianbaoKit", "NianbaoDaemon", "NianbaoTestSupport"]
        ),
        // each stage of checking a report, and the whole check, per report:
        // swift package --disable-sandbox benchmark (see README, "Speed")
        .executableTarget(
            name: "CheckBenchmarks",
            dependencies: [
                "NianbaoCore", "NianbaoText", "NianbaoExtract", "NianbaoRules", "NianbaoReaders", "NianbaoKit",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CheckBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
