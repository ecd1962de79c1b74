import NianbaoZlib
import NianbaoModel

extension Summary {
    /// The consolidated table as an Excel workbook (Office Open XML): one sheet per year, the
    /// header row frozen and bold, figures as numbers, and a totals row (SUM formulas with
    /// their values) under each sheet's reports.
    public func xlsx() -> [UInt8] {
        var years: [Int?] = []
        for e in entries where !years.contains(e.year) { years.append(e.year) }
        if years.isEmpty { years = [nil] }
        var sheets: [(name: String, xml: [UInt8])] = []
        for year in years {
            let rows = entries.filter { $0.year == year }.map(row)
            sheets.append((year.map { "\($0)年" } ?? "年度不明", sheetXML(rows: rows)))
        }
        var parts: [(String, [UInt8])] = []
        var overrides = ""
        var workbookSheets = ""
        var relations = ""
        for (i, sheet) in sheets.enumerated() {
            let n = i + 1
            parts.append(("xl/worksheets/sheet\(n).xml", sheet.xml))
            overrides += "<Override PartName=\"/xl/worksheets/sheet\(n).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            workbookSheets += "<sheet name=\"\(XML.escape(sheet.name))\" sheetId=\"\(n)\" r:id=\"rId\(n)\"/>"
            relations += "<Relationship Id=\"rId\(n)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(n).xml\"/>"
        }
        relations += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        parts.insert(("[Content_Types].xml", Array((head + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(overrides)</Types>
            """).utf8)), at: 0)
        parts.insert(("_rels/.rels", Array((head + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """).utf8)), at: 1)
        parts.append(("xl/workbook.xml", Array((head + """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets>\(workbookSheets)</sheets></workbook>
            """).utf8)))
        parts.append(("xl/_rels/workbook.xml.rels", Array((head + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relations)</Relationships>
            """).utf8)))
        parts.append(("xl/styles.xml", Array((head + """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>
            """).utf8)))
        return ZipWriter.stored(parts)
    }

    /// One sheet: header, one row per report, totals.
    func sheetXML(rows: [[Cell]]) -> [UInt8] {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        xml += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        xml += "<sheetData>"
        func text(_ ref: String, _ s: String, bold: Bool = false) -> String {
            "<c r=\"\(ref)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t>\(XML.escape(s))</t></is></c>"
        }
        xml += "<row r=\"1\">"
        for (i, title) in Self.header.enumerated() { xml += text(XML.column(i) + "1", title, bold: true) }
        xml += "</row>"
        for (r, cells) in rows.enumerated() {
            let n = r + 2
            xml += "<row r=\"\(n)\">"
            for (i, cell) in cells.enumerated() {
                switch cell {
                case .text(let s): xml += text(XML.column(i) + "\(n)", s)
                case .number(let v): xml += "<c r=\"\(XML.column(i))\(n)\"><v>\(v)</v></c>"
                case .empty: break
                }
            }
            xml += "</row>"
        }
        let last = rows.count + 1
        let totalRow = rows.count + 2
        xml += "<row r=\"\(totalRow)\">" + text("A\(totalRow)", "合计（\(rows.count) 份）", bold: true)
        for (i, sum) in Self.totals(rows).enumerated() {
            guard let sum else { continue }
            let col = XML.column(i)
            xml += "<c r=\"\(col)\(totalRow)\" s=\"1\"><f>SUM(\(col)2:\(col)\(last))</f><v>\(sum)</v></c>"
        }
        xml += "</row></sheetData></worksheet>"
        return Array(xml.utf8)
    }
}

enum XML {
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // characters XML 1.0 cannot hold are dropped
                if u.value < 0x20 && u != "\t" && u != "\n" && u != "\r" { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// `A`, `B`, … `Z`, `AA`, … for a zero-based column index.
    static func column(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }
}

/// A zip archive of stored (uncompressed) entries: what an .xlsx needs, with zlib's CRC-32.
enum ZipWriter {
    static func stored(_ files: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, into a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, into a: inout [UInt8]) {
            a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)]
        }
        for (name, data) in files {
            let nameBytes = Array(name.utf8)
            let crc = data.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32(0, $0.baseAddress, uInt($0.count))) }
            let offset = UInt32(out.count)
            // local file header
            u32(0x0403_4B50, into: &out)
            u16(20, into: &out); u16(0x0800, into: &out); u16(0, into: &out)  // version, UTF-8 names, stored
            u16(0, into: &out); u16(0x21, into: &out)  // time, date (1980-01-01)
            u32(crc, into: &out); u32(UInt32(data.count), into: &out); u32(UInt32(data.count), into: &out)
            u16(nameBytes.count, into: &out); u16(0, into: &out)
            out += nameBytes
            out += data
            // its central directory entry
            u32(0x0201_4B50, into: &central)
            u16(20, into: &central); u16(20, into: &central); u16(0x0800, into: &central); u16(0, into: &central)
            u16(0, into: &central); u16(0x21, into: &central)
            u32(crc, into: &central); u32(UInt32(data.count), into: &central); u32(UInt32(data.count), into: &central)
            u16(nameBytes.count, into: &central); u16(0, into: &central); u16(0, into: &central)
            u16(0, into: &central); u16(0, into: &central); u32(0, into: &central)
            u32(offset, into: &central)
            central += nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, into: &out)
        u16(0, into: &out); u16(0, into: &out)
        u16(files.count, into: &out); u16(files.count, into: &out)
        u32(UInt32(central.count), into: &out); u32(centralOffset, into: &out)
        u16(0, into: &out)
        return out
    }
}
