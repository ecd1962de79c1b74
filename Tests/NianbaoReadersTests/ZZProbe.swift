import Testing
@testable import NianbaoReaders
@Test func probe() throws {
    for tag in ["div", "span", "table"] {
        let html = "<html><body>" + String(repeating: "<\(tag)>", count: 100_000) + "一、总体情况" + String(repeating: "</\(tag)>", count: 100_000) + "</body></html>"
        do { let r = try HTMLReader.text(from: Array(html.utf8)); print("PROBE", tag, r.text.prefix(50).debugDescription, r.text.count) } catch { print("PROBE", tag, error) }
    }
    let open = String(repeating: "<w:sdt><w:sdtContent>", count: 1000)
    let close = String(repeating: "</w:sdtContent></w:sdt>", count: 1000)
    let docx = try ZipBuilder.docx(body: open + "<w:p><w:r><w:t>深</w:t></w:r></w:p>" + close)
    do { print("PROBE", try DocxReader.text(from: docx)) } catch { print("PROBE", error) }
    let laughsHidden = "<?xml version=\"1.0\"?><!--" + String(repeating: "x", count: 8192) + "-->" + HostileInputTests.laughs
    let d2 = try ZipBuilder.zip([("word/document.xml", Data(laughsHidden.utf8))])
    do { print("PROBE", try DocxReader.text(from: d2)) } catch { print("PROBE", error) }
}
import Foundation
