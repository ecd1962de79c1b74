import Foundation
import Testing

/// `check --format json` against the project's schema (docs/report.schema.json, described in
/// docs/report-json.md), with a validator for the part of JSON Schema the schema uses.
@Suite("JSON: documents validate against docs/report.schema.json")
struct SchemaTests {
    typealias Tool = CheckCommandTests

    nonisolated(unsafe) static let schema: [String: Any] = {
        let url = Tool.root.appendingPathComponent("docs/report.schema.json")
        return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any] ?? [:]
    }()

    /// Errors of `value` against `schema` (type, const, enum, pattern, required, properties,
    /// items, oneOf, $ref to #/$defs/…), each with its JSON path.
    static func validate(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
        var errors: [String] = []
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard let def = (Self.schema["$defs"] as? [String: Any])?[name] as? [String: Any] else { return ["\(path): no \(ref)"] }
            return validate(value, def, at: path)
        }
        func typeName(_ v: Any) -> String {
            if v is NSNull { return "null" }
            if let n = v as? NSNumber {
                // JSONSerialization gives true and false as NSNumbers of type char or Bool
                let kind = String(cString: n.objCType)
                if kind == "c" || kind == "B" { return "boolean" }
                return n.doubleValue == n.doubleValue.rounded() ? "integer" : "number"
            }
            if v is String { return "string" }
            if v is [Any] { return "array" }
            if v is [String: Any] { return "object" }
            return "unknown"
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            let actual = typeName(value)
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok { errors.append("\(path): \(actual), expected \(allowed.joined(separator: "|"))") }
        }
        if let constant = schema["const"] as? String, value as? String != constant { errors.append("\(path): not \(constant)") }
        if let options = schema["enum"] as? [Any] {
            let matches = options.contains { option in
                if option is NSNull { return value is NSNull }
                return (option as? String).map { $0 == value as? String } ?? false
            }
            if !matches { errors.append("\(path): \(value) not in \(options)") }
        }
        if let pattern = schema["pattern"] as? String, let s = value as? String,
            s.range(of: pattern, options: .regularExpression) == nil
        {
            errors.append("\(path): \(s) does not match \(pattern)")
        }
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            let passing = alternatives.filter { validate(value, $0, at: path).isEmpty }.count
            if passing != 1 { errors.append("\(path): matches \(passing) of oneOf") }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { errors.append("\(path): lacks \(key)") }
            for (key, sub) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                if let v = object[key] { errors += validate(v, sub, at: "\(path).\(key)") }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in array.enumerated() { errors += validate(v, items, at: "\(path)[\(i)]") }
        }
        return errors
    }

    func documents(_ args: [String]) throws -> [Any] {
        let r = try Tool.run(["check", "--format", "json"] + args)
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])
    }

    @Test("one file, three files, an unreadable file and a text without tables: every document validates")
    func documentsValidate() throws {
        #expect(Self.schema["$defs"] != nil, "the schema is read")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // a report's prose with its headings but no tables: every table present: false, all cells missing
        let noTables = dir.appendingPathComponent("无表格.txt")
        try "某镇人民政府2024年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
            .write(to: noTables, atomically: true, encoding: .utf8)
        let runs: [[String]] = [
            [Tool.fixture("003_37e901e8ac7f78da.txt")],
            [Tool.fixture("000_6d5291d632ae3dd2.txt"), Tool.fixture("huaian-2024.pdf"), Tool.fixture("template-2021.docx")],
            ["/nonexistent/报告.txt"],
            [noTables.path],
        ]
        for args in runs {
            let docs = try documents(args)
            #expect(docs.count == args.count)
            for doc in docs {
                let errors = Self.validate(doc, Self.schema)
                #expect(errors.isEmpty, "\(args): \(errors.prefix(5))")
            }
        }
        // the text without tables: tables are there, every cell missing
        let doc = try #require(try documents([noTables.path]).first as? [String: Any])
        let report = try #require(doc["report"] as? [String: Any])
        let t3 = try #require(report["table3"] as? [String: Any])
        #expect(t3["present"] as? Bool == false)
        let states = (t3["rows"] as? [[String: Any]] ?? []).flatMap { ($0["cells"] as? [[String: Any]] ?? []).map { $0["state"] as? String } }
        #expect(!states.isEmpty && states.allSatisfy { $0 == "missing" })
        #expect((report["table4"] as? [String: Any])?["present"] as? Bool == false)
    }

    @Test("the validator is not a rubber stamp: a document with a wrong field fails")
    func validatorRejects() throws {
        var doc = try #require(try documents([Tool.fixture("003_37e901e8ac7f78da.txt")]).first as? [String: Any])
        doc["verdict"] = "maybe"
        doc["errors"] = "three"
        doc.removeValue(forKey: "sha256")
        let errors = Self.validate(doc, Self.schema)
        #expect(errors.contains { $0.contains("$.verdict") })
        #expect(errors.contains { $0.contains("$.errors") })
        #expect(errors.contains { $0.contains("lacks sha256") })
    }
}
