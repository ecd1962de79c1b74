import Foundation
import Testing

@testable import NianbaoKit
import NianbaoRender

/// The JSON writer prints every document byte for byte as documented: the layout, the
/// escapes, the numbers, and `checked_at`.
@Suite("JSON writer")
struct JSONWriterTests {
    @Test("strings: quote, backslash and control characters escaped, everything else as written")
    func escapes() {
        let s = "a\"b\\c\nd\re\tf\u{01}g\u{1F}h\u{7F}i 年报　（一）😀"
        #expect(JSON.string(s).serialized() == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\u{7F}i 年报　（一）😀\"")
        #expect(JSON.string("").serialized() == "\"\"")
        // a string that Swift keeps inline (small) and one bridged from Foundation
        #expect(JSON.string("\"").serialized() == "\"\\\"\"")
        let bridged = NSString(string: "报告\n第二行") as String
        #expect(JSON.string(bridged).serialized() == "\"报告\\n第二行\"")
        #expect(JSON.object([("键\"", .int(1))]).serialized() == "{\n  \"键\\\"\": 1\n}")
    }

    @Test("numbers: integral values without a point, others as Swift prints them, no inf or nan")
    func numbers() {
        #expect(JSON.number(3).serialized() == "3")
        #expect(JSON.number(-0.0).serialized() == "0")
        #expect(JSON.number(1.5).serialized() == "1.5")
        #expect(JSON.number(2060387.04).serialized() == "2060387.04")
        #expect(JSON.number(1e15).serialized() == "1000000000000000.0")
        #expect(JSON.number(1e17).serialized() == "1e+17")
        #expect(JSON.number(nil).serialized() == "null")
        #expect(JSON.double(.infinity).serialized() == "null")
        #expect(JSON.double(.nan).serialized() == "null")
        #expect(JSON.int(Int.min).serialized() == "-9223372036854775808")
        #expect(JSON.int(Int.max).serialized() == "9223372036854775807")
        #expect(JSON.int(-7).serialized() == "-7")
        #expect(JSON.int(10).serialized() == "10")
    }

    @Test("layout: two spaces a level, scalar arrays on one line, empty containers closed")
    func layout() {
        let value = JSON.object([
            ("a", .array([.int(1), .string("x"), .null, .bool(true)])),
            ("b", .array([.object([("c", .bool(false))]), .array([])])),
            ("d", .object([])),
            ("e", .array([])),
            ("f", .array([.array([.int(1)])])),
        ])
        #expect(value.serialized() == """
            {
              "a": [1, "x", null, true],
              "b": [
                {
                  "c": false
                },
                []
              ],
              "d": {},
              "e": [],
              "f": [
                [1]
              ]
            }
            """)
        #expect(value.serialized(pretty: false)
                == #"{"a":[1,"x",null,true],"b":[{"c":false},[]],"d":{},"e":[],"f":[[1]]}"#)
        #expect(JSON.null.serialized() == "null")
    }

    @Test("a table's cells: an object a line in the pretty form, none of the spaces in the compact one")
    func oneLineObjects() throws {
        let shape = JSONShape(["value", "text", "unit"])
        func write(pretty: Bool) -> String {
            let w = JSONWriter(pretty: pretty)
            w.beginObject()
            w.key("cells")
            w.beginArray()
            for v in [0, 12] {
                w.beginOneLineObject(shape); w.int(v)
                w.oneLineMember(shape, 1); w.string("\(v)")
                w.oneLineMember(shape, 2); w.null()
                w.endOneLineObject()
            }
            w.endArray()
            w.key("after")
            w.bool(true)
            w.endObject()
            return String(decoding: w.bytes, as: UTF8.self)
        }
        #expect(write(pretty: true) == """
            {
              "cells": [
                {"value": 0, "text": "0", "unit": null},
                {"value": 12, "text": "12", "unit": null}
              ],
              "after": true
            }
            """)
        #expect(write(pretty: false) == #"{"cells":[{"value":0,"text":"0","unit":null},{"value":12,"text":"12","unit":null}],"after":true}"#)
        // a report's JSON parses, its cells one to a line
        let json = Checker.check(CheckInput(fileName: "t.txt", bytes: Array(try Fixtures.text("003_37e901e8ac7f78da.txt").utf8)),
                                 checkedAt: "").json.serialized()
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
        let lines = json.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("{\"value\": 1, \"text\": \"1\", \"unit\": null, \"state\": \"number\", \"line\": 52, \"column\": 19},"), "\(json.prefix(3000))")
        #expect(lines.filter { $0.hasPrefix("{\"value\": ") }.count >= 190)
    }

    @Test("deep nesting indents past the writer's table of spaces")
    func deepNesting() {
        var value = JSON.int(1)
        for _ in 0..<200 { value = .object([("k", value)]) }
        let text = value.serialized()
        let lines = text.split(separator: "\n")
        #expect(lines.count == 401)
        #expect(lines[200] == Substring(String(repeating: "  ", count: 200) + "\"k\": 1"))
        #expect(lines.last == "}")
        // arrays and objects alternating past 64 levels, an inline array at the bottom
        var mixed = JSON.array([.int(1), .int(2)])
        for i in 0..<150 { mixed = i % 2 == 0 ? .object([("k", mixed)]) : .array([mixed, .null]) }
        let mixedText = mixed.serialized()
        let parsed = try? JSONSerialization.jsonObject(with: Data(mixedText.utf8), options: [.fragmentsAllowed])
        #expect(parsed != nil)
        let inner = mixedText.split(separator: "\n").first { $0.hasSuffix("[1, 2]") }
        #expect(inner == Substring(String(repeating: "  ", count: 150) + "\"k\": [1, 2]"))
        #expect(mixedText.hasSuffix("\n  null\n]"))
        #expect(mixed.serialized(pretty: false).hasSuffix("{\"k\":[1,2]}" + String(repeating: ",null]}", count: 74) + ",null]"))
    }

    @Test("the writer written by hand gives what the value gives")
    func streaming() {
        let w = JSONWriter()
        w.beginArray()
        w.beginObject()
        w.key("n"); w.number(2.0)
        w.key("s"); w.optional(nil as String?)
        w.key("i"); w.optional(4 as Int?)
        w.endObject()
        w.beginArray(inline: true)
        w.string("a"); w.string("b")
        w.endArray()
        w.endArray()
        let value = JSON.array([.object([("n", .int(2)), ("s", .null), ("i", .int(4))]), .array([.string("a"), .string("b")])])
        #expect(String(decoding: w.bytes, as: UTF8.self) == value.serialized())
    }

    @Test("checked_at: written by hand as Foundation's ISO 8601 formatter writes it in +08:00")
    func timestamps() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        let moments: [TimeInterval] = [0, 59.999, 951_782_400, 1_709_164_799.5, 1_764_590_400, 1_798_732_799,
                                       4_102_444_800, 253_402_271_999]
        for t in moments {
            let date = Date(timeIntervalSince1970: t)
            #expect(Checker.timestamp(date) == f.string(from: date), "\(t)")
        }
        #expect(Checker.timestamp(secondsSince1970: 1_796_128_053) == "2026-12-01T20:27:33+08:00")
    }
}
