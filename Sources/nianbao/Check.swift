import ArgumentParser
import Foundation
import NianbaoDaemon
import NianbaoKit

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
extension Language: ExpressibleByArgument {}

/// The rule severities a configuration sets, checked against the rule catalog
/// (`rules:` entries "code=error|warning|info|off"; info counts as warning).
func ruleSeverities(from config: DaemonConfig) throws -> [String: Severity] {
    var out: [String: Severity] = [:]
    for (code, value) in config.ruleSeverities {
        guard RuleCatalog.rule(code) != nil else {
            throw DaemonConfigError(key: "rules", message: "未知的规则代码 “\(code)”（见 nianbao rules） unknown rule code")
        }
        switch value.lowercased() {
        case "error": out[code] = .error
        case "warning", "info": out[code] = .warning
        case "off": out[code] = .off
        default: throw DaemonConfigError(key: "rules", message: "规则 \(code) 的级别应为 error、warning、info 或 off")
        }
    }
    return out
}

func isoNow() -> String { Checker.timestamp(Date()) }

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check reports and print the findings (exit 0: all accepted, 1: any rejected, 2: usage or I/O error)."
    )

    @Argument(help: "Report files (.txt, .docx, .html, .pdf).") var files: [String]
    @Option(help: "Output: text (annotated, like a compiler) or json (nianbao.report/1).") var format: OutputFormat = .text
    @Option(help: "Language of the messages: zh or en.") var lang: Language = .zh
    @Option(help: "A nianbao.yaml whose rules: entries set severities (\"cell-blank=warning\").") var config: String?

    func run() async throws {
        let severities: [String: Severity]
        do {
            severities = config == nil ? [:] : try ruleSeverities(from: await DaemonConfig.load(configFile: config, environment: [:]))
        } catch {
            FileHandle.standardError.write(Data("nianbao: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let options = CheckOptions(language: lang, severities: severities)
        let tty = isatty(STDOUT_FILENO) == 1
        let progress = isatty(STDERR_FILENO) == 1 && files.count > 1
        var anyRejected = false
        var ioError = false
        var jsonDocs: [JSON] = []
        for (i, path) in files.enumerated() {
            if progress { FileHandle.standardError.write(Data("\r[\(i + 1)/\(files.count)] \(path)\u{1B}[K".utf8)) }
            guard let input = ReportInput.load(path) else {
                ioError = true
                continue
            }
            let name = input.fileName
            let result = Checker.check(input, options: options, checkedAt: isoNow())
            if result.verdict == .rejected { anyRejected = true }
            switch format {
            case .json: jsonDocs.append(result.json)
            case .text: print(result.note(fileName: name, language: lang, color: tty))
            }
        }
        if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if format == .json {
            print(jsonDocs.count == 1 ? jsonDocs[0].serialized() : JSON.array(jsonDocs).serialized())
        }
        if ioError { throw ExitCode(2) }
        if anyRejected { throw ExitCode(1) }
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every rule with its code, default severity and description.")
    @Option(help: "Language: zh or en.") var lang: Language = .zh
    func run() {
        for r in RuleCatalog.all {
            let code = r.code.padding(toLength: 30, withPad: " ", startingAt: 0)
            let sev = r.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            print("\(code)\(sev)\(r.summary.text(lang))")
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain one rule, with an example.")
    @Argument(help: "Rule code, e.g. table3-row-total.") var code: String
    @Option(help: "Language: zh or en.") var lang: Language = .zh
    func run() throws {
        guard let r = RuleCatalog.rule(code) else {
            FileHandle.standardError.write(Data("nianbao: unknown rule \(code); see `nianbao rules`\n".utf8))
            throw ExitCode(2)
        }
        print("\(r.code) (\(r.defaultSeverity.rawValue))")
        print(r.summary.text(lang))
        print("")
        print(lang == .zh ? "示例：" : "Example:")
        print("  " + r.example)
    }
}
