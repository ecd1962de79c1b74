import Foundation
import NianbaoCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts the word-processor formats offices also save in (.doc, .rtf, .odt, Kingsoft .wps) to
/// .docx with LibreOffice (`soffice --headless --convert-to docx`), so that the Word reader reads
/// them and their cells, merged cells and places come out exactly as for a .docx.
///
/// Each conversion runs LibreOffice as a child process of its own process group with a fresh
/// profile (`-env:UserInstallation=`) made for it in a private temporary folder, macros off
/// (security level "very high", macro execution disabled) and links from untrusted places
/// blocked, an address-space cap (`prlimit --as`) and a wall-clock limit (the whole group is
/// killed beyond it). The input, the profile and the converted bytes live in that folder only,
/// never next to the report, and the folder is removed afterwards. The service's unit runs it
/// with `PrivateNetwork=yes`, so LibreOffice has no network there.
public struct OfficeConverter: Sendable, Equatable {
    /// The Debian package that provides the converter.
    public static let package = "libreoffice-writer-nogui"

    /// The `soffice` to run; nil means LibreOffice's own launcher or `soffice` on `PATH`.
    public var executable: String?
    /// The wall-clock limit for one conversion.
    public var timeout: Duration
    /// LibreOffice's address-space limit.
    public var memoryLimitBytes: Int
    /// The largest .docx accepted from LibreOffice.
    public var maximumOutputBytes: Int

    public init(executable: String? = nil, timeout: Duration = .seconds(30), memoryLimitBytes: Int = 2 << 30,
                maximumOutputBytes: Int = 64 << 20) {
        self.executable = executable
        self.timeout = timeout
        self.memoryLimitBytes = memoryLimitBytes
        self.maximumOutputBytes = maximumOutputBytes
    }

    /// LibreOffice's launcher, if installed: its program folder first (where Debian puts it),
    /// then `soffice` on `PATH`.
    public static var executablePath: String? {
        for candidate in ["/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"]
        where access(candidate, X_OK) == 0 {
            return candidate
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = dir.hasSuffix("/") ? "\(dir)soffice" : "\(dir)/soffice"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Whether LibreOffice (with its Writer) is installed.
    public static var isAvailable: Bool { executablePath != nil }

    /// Whether this converter's LibreOffice is there.
    public var isAvailable: Bool {
        guard let exe = executable ?? Self.executablePath else { return false }
        return access(exe, X_OK) == 0
    }

    /// LibreOffice's import filter for each format it converts (named, so that a damaged file
    /// fails to load instead of being opened as plain text).
    static func importFilter(for format: DocumentFormat) -> (filter: String, suffix: String)? {
        switch format {
        case .doc, .wps: return ("MS Word 97", "doc")
        case .rtf: return ("Rich Text Format", "rtf")
        case .odt: return ("writer8", "odt")
        default: return nil
        }
    }

    /// The document converted to .docx bytes.
    public func convertToDocx(_ bytes: [UInt8], from format: DocumentFormat) throws(NianbaoError) -> [UInt8] {
        guard let (filter, suffix) = Self.importFilter(for: format) else { throw .unsupported(format) }
        return try convert(bytes, from: format, filter: filter, suffix: suffix, to: "docx:MS Word 2007 XML", as: "docx")
    }

    /// A .docx printed to PDF as Word would print it, pictures included (for reading by OCR a
    /// report whose tables are pictures: see `Pipeline.check`).
    public func convertToPDF(docx bytes: [UInt8]) throws(NianbaoError) -> [UInt8] {
        try convert(bytes, from: .docx, filter: "MS Word 2007 XML", suffix: "docx", to: "pdf:writer_pdf_Export", as: "pdf")
    }

    /// `bytes`, read with LibreOffice's import `filter` from a file named `report.<suffix>`,
    /// written with the export filter `target` to `report.<outputSuffix>`.
    func convert(_ bytes: [UInt8], from format: DocumentFormat, filter: String, suffix: String, to target: String,
                 as outputSuffix: String) throws(NianbaoError) -> [UInt8] {
        guard let exe = executable ?? Self.executablePath, access(exe, X_OK) == 0 else {
            throw .converterMissing(format)
        }
        let folder = try Self.privateFolder()
        defer { Self.remove(folder) }
        let input = "\(folder)/report.\(suffix)"
        let profile = "\(folder)/profile"
        let output = "\(folder)/out"
        guard Self.write(bytes, to: input), mkdir(profile, 0o700) == 0, mkdir("\(profile)/user", 0o700) == 0,
              Self.write(Array(Self.registry.utf8), to: "\(profile)/user/registrymodifications.xcu")
        else { throw .io("cannot write the conversion's temporary files in \(folder)") }

        var arguments = ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                         "--nolockcheck", "--nofirststartwizard", "-env:UserInstallation=file://" + profile,
                         "--infilter=" + filter, "--convert-to", target, "--outdir", output, input]
        var program = exe
        if let prlimit = Self.prlimitPath {
            program = prlimit
            arguments = ["prlimit", "--as=\(memoryLimitBytes)", "--core=0", "--", exe] + arguments.dropFirst()
        }
        var environment = ["LC_ALL=C.UTF-8", "LANG=C.UTF-8", "HOME=" + folder, "TMPDIR=" + folder,
                           "SAL_USE_VCLPLUGIN=svp"]
        environment.append("PATH=" + (getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"))
        var child = ChildProcess(
            executable: program, arguments: arguments, environment: environment, standardInput: nil,
            timeout: timeout, maximumOutputBytes: 1 << 20, name: "LibreOffice")
        child.ownProcessGroup = true
        let outcome: ChildProcess.Outcome
        do {
            outcome = try child.run()
        } catch {
            switch error.code {
            case .timeout:
                throw .conversionFailed(format, "\(NianbaoError.conversionTimedOut) \(timeout.components.seconds) s")
            case .tooLarge: throw .conversionFailed(format, "LibreOffice wrote too much output")
            default: throw error
            }
        }
        let converted = "\(output)/report.\(outputSuffix)"
        var info = stat()
        guard stat(converted, &info) == 0 else {
            let said = (String(decoding: outcome.stderr, as: UTF8.self) + String(decoding: outcome.stdout, as: UTF8.self))
                .split(whereSeparator: \.isNewline).map(String.init)
                .first { $0.hasPrefix("Error") } ?? ""
            let how = outcome.signal.map { "ended by signal \($0)" } ?? "exit status \(outcome.exitStatus ?? -1)"
            throw .conversionFailed(format, "LibreOffice could not convert the file (\(how)\(said.isEmpty ? "" : "; " + said))")
        }
        if Int(info.st_size) > maximumOutputBytes {
            throw .tooLarge("the converted document holds \(info.st_size) bytes (limit \(maximumOutputBytes))")
        }
        do {
            return try DocumentReader.readFile(converted)
        } catch {
            throw .io("cannot read the converted document")
        }
    }

    /// `prlimit` (util-linux), which caps LibreOffice's address space; nil where it is missing.
    static var prlimitPath: String? {
        ["/usr/bin/prlimit", "/bin/prlimit"].first { access($0, X_OK) == 0 }
    }

    /// The profile's settings: macros never run, no link from an untrusted document is followed,
    /// no update check, no recovery data.
    static let registry = """
        <?xml version="1.0" encoding="UTF-8"?>
        <oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
        oor:op="fuse"><value>3</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
        oor:op="fuse"><value>true</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
        oor:op="fuse"><value>true</value></prop></item>
        <item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse">\
        <value>false</value></prop></item>
        <item oor:path="/org.openoffice.Office.Recovery/AutoSave"><prop oor:name="Enabled" oor:op="fuse">\
        <value>false</value></prop></item>
        <item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments">\
        <prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
        </oor:items>

        """

    /// A new folder only this process can enter, under `TMPDIR` (or /tmp).
    static func privateFolder() throws(NianbaoError) -> String {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/nianbao-convert-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw .io("cannot create a temporary folder in \(directory) (errno \(errno))") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return writeAll(fd, bytes)
    }

    /// Removes the folder and everything in it.
    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
