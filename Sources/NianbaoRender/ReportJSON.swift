import NianbaoModel

/// The `report` part of `nianbao.report/2`.
public enum ReportJSON {
    public static func cell(_ c: Cell, into w: JSONWriter) {
        w.beginObject()
        w.key("value"); w.number(c.value)
        w.key("text"); w.string(c.text)
        w.key("unit"); w.optional(c.unit)
        w.key("state"); w.string(c.state.rawValue)
        w.key("line"); w.optional(c.position?.line)
        w.key("column"); w.optional(c.position?.column)
        w.endObject()
    }

    static func cells(_ cells: [Cell], into w: JSONWriter) {
        w.beginArray()
        for c in cells { cell(c, into: w) }
        w.endArray()
    }

    static func strings(_ strings: [String], into w: JSONWriter) {
        w.beginArray(inline: true)
        for s in strings { w.string(s) }
        w.endArray()
    }

    static func rowExtras(_ r: RowCells, into w: JSONWriter) {
        w.key("found"); w.int(r.found)
        w.key("aligned"); w.bool(r.aligned)
        if !r.extra.isEmpty {
            w.key("extra")
            cells(r.extra, into: w)
        }
    }

    static func written(_ l: WrittenLabel?, into w: JSONWriter) {
        w.key("written"); w.optional(l?.text)
        w.key("line"); w.optional(l?.position.line)
    }

    /// A cell the report does not have (its table or row is missing).
    static func missingCells(_ count: Int, into w: JSONWriter) {
        w.beginArray()
        for _ in 0..<count { cell(Cell(value: nil, text: "", unit: nil, state: .missing, position: nil), into: w) }
        w.endArray()
    }

    /// Writes the report as the value at the writer's current place. A table the report lacks
    /// is written like one that is there, every cell `missing` (`"present": false`), so a
    /// reader finds every row and column in every document.
    public static func write(_ r: AnnualReport, into w: JSONWriter) {
        w.beginObject()
        w.key("title"); w.optional(r.title)
        w.key("organ"); w.optional(r.organ)
        w.key("year"); w.optional(r.year)
        w.key("edition"); w.optional(r.edition?.rawValue)
        w.key("table_edition"); w.optional(r.tableEdition?.rawValue)
        w.key("period")
        if let p = r.period {
            w.beginObject()
            w.key("from"); w.string(p.fromISO)
            w.key("to"); w.string(p.toISO)
            w.endObject()
        } else {
            w.null()
        }
        w.key("sections")
        w.beginArray()
        for s in r.sections {
            w.beginObject()
            w.key("number"); w.int(s.number)
            w.key("heading"); w.string(s.heading)
            w.key("line"); w.int(s.line)
            w.endObject()
        }
        w.endArray()
        w.key("table2")
        if let t2 = r.table2 {
            w.beginArray()
            for row in t2.rows {
                w.beginObject()
                w.key("block"); w.string(row.block)
                w.key("row"); w.string(row.label)
                w.key("key"); w.string(row.key)
                written(row.written, into: w)
                w.key("columns"); strings(row.columns, into: w)
                w.key("cells"); cells(row.row.cells, into: w)
                rowExtras(row.row, into: w)
                w.endObject()
            }
            w.endArray()
        } else {
            w.beginArray()
            for block in r.format.table2 {
                for row in block.rows {
                    w.beginObject()
                    w.key("block"); w.string(block.caption)
                    w.key("row"); w.string(row.label)
                    w.key("key"); w.string(row.key)
                    written(nil, into: w)
                    w.key("columns"); strings(block.columns, into: w)
                    w.key("cells"); missingCells(block.columns.count, into: w)
                    w.key("found"); w.int(0)
                    w.key("aligned"); w.bool(false)
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.key("table3")
        if let t3 = r.table3 {
            w.beginObject()
            w.key("present"); w.bool(true)
            w.key("columns"); strings(FormatSpec.table3ColumnKeys, into: w)
            w.key("rows")
            w.beginArray()
            for row in t3.rows {
                w.beginObject()
                w.key("key"); w.string(row.key)
                w.key("label"); w.string(row.label)
                written(row.written, into: w)
                w.key("cells"); cells(row.row.cells, into: w)
                rowExtras(row.row, into: w)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        } else {
            w.beginObject()
            w.key("present"); w.bool(false)
            w.key("columns"); strings(FormatSpec.table3ColumnKeys, into: w)
            w.key("rows")
            w.beginArray()
            for row in r.format.table3Rows {
                w.beginObject()
                w.key("key"); w.string(row.key)
                w.key("label"); w.string(row.label)
                written(nil, into: w)
                w.key("cells"); missingCells(7, into: w)
                w.key("found"); w.int(0)
                w.key("aligned"); w.bool(false)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.key("table4")
        w.beginObject()
        w.key("present"); w.bool(r.table4 != nil)
        w.key("columns"); strings(FormatSpec.table4ColumnKeys, into: w)
        if let t4 = r.table4 {
            w.key("cells"); cells(t4.row.cells, into: w)
            rowExtras(t4.row, into: w)
        } else {
            w.key("cells"); missingCells(FormatSpec.table4ColumnKeys.count, into: w)
            w.key("found"); w.int(0)
            w.key("aligned"); w.bool(false)
        }
        w.endObject()
        w.endObject()
    }
}
