import NianbaoModel

/// The `report` part of `nianbao.report/2`.
public enum ReportJSON {
    static let cellShape = JSONShape(["value", "text", "unit", "state", "line", "column"])

    public static func cell(_ c: Cell, into w: JSONWriter) {
        cell(c, shape: cellShape, into: w)
    }

    @inline(__always)
    static func cell(_ c: Cell, shape: JSONShape, into w: JSONWriter) {
        // a cell a line: a table of 200 cells reads down its rows
        w.beginOneLineObject(shape); w.number(c.value)
        w.oneLineMember(shape, 1); w.string(c.text)
        w.oneLineMember(shape, 2); w.optional(c.unit)
        w.oneLineMember(shape, 3); w.string(c.state.rawValue)
        w.oneLineMember(shape, 4); w.optional(c.position?.line)
        w.oneLineMember(shape, 5); w.optional(c.position?.column)
        w.endOneLineObject()
    }

    static func cells(_ cells: [Cell], into w: JSONWriter) {
        w.beginArray()
        // each cell read where it lies, not copied out of the array (and released) first; the
        // shape fetched once (a global's every use checks that it is made)
        let shape = cellShape
        cells.withUnsafeBufferPointer { cells in
            for i in cells.indices { cell(cells[i], shape: shape, into: w) }
        }
        w.endArray()
    }

    static func strings(_ strings: [String], into w: JSONWriter) {
        w.beginArray(inline: true)
        for s in strings { w.string(s) }
        w.endArray()
    }

    static let table2RowShape = JSONShape(["block", "row", "key", "written", "line", "columns", "cells", "found", "aligned", "extra"])
    static let table3RowShape = JSONShape(["key", "label", "written", "line", "cells", "found", "aligned", "extra"])

    /// The members from `written` to `extra`, `first` the index of `written` in `shape`.
    static func rowTail(_ shape: JSONShape, first: Int, written l: WrittenLabel?, columns: [String]?, _ row: RowCells,
                        into w: JSONWriter) {
        var i = first
        w.member(shape, i); w.optional(l?.text)
        w.member(shape, i + 1); w.optional(l?.position.line)
        i += 2
        if let columns {
            w.member(shape, i); strings(columns, into: w)
            i += 1
        }
        w.member(shape, i); cells(row.cells, into: w)
        w.member(shape, i + 1); w.int(row.found)
        w.member(shape, i + 2); w.bool(row.aligned)
        if !row.extra.isEmpty {
            w.member(shape, i + 3); cells(row.extra, into: w)
        }
    }

    static func rowExtras(_ r: RowCells, into w: JSONWriter) {
        w.key("found"); w.int(r.found)
        w.key("aligned"); w.bool(r.aligned)
        if !r.extra.isEmpty {
            w.key("extra")
            cells(r.extra, into: w)
        }
    }

    static func table2Row(block: String, label: String, key: String, written l: WrittenLabel?, columns: [String],
                          _ row: RowCells, into w: JSONWriter) {
        let shape = table2RowShape
        w.beginObject(shape); w.string(block)
        w.member(shape, 1); w.string(label)
        w.member(shape, 2); w.string(key)
        rowTail(shape, first: 3, written: l, columns: columns, row, into: w)
        w.endObject(shape)
    }

    static func table2Row(_ row: Table2Row, into w: JSONWriter) {
        table2Row(block: row.block, label: row.label, key: row.key, written: row.written, columns: row.columns, row.row,
                  into: w)
    }

    static func table3Row(_ row: Table3Row, into w: JSONWriter) {
        table3Row(key: row.key, label: row.label, written: row.written, row.row, into: w)
    }

    static func table3Row(key: String, label: String, written l: WrittenLabel?, _ row: RowCells, into w: JSONWriter) {
        let shape = table3RowShape
        w.beginObject(shape); w.string(key)
        w.member(shape, 1); w.string(label)
        rowTail(shape, first: 2, written: l, columns: nil, row, into: w)
        w.endObject(shape)
    }

    /// Writes the report as the value at the writer's current place.
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
        // A table the report lacks is written like one that is there, its rows from the format
        // with every cell missing (`RowCells.missing`), so every document has every row.
        w.key("table2")
        w.beginArray()
        if let t2 = r.table2 {
            t2.rows.withUnsafeBufferPointer { rows in
                for i in rows.indices { table2Row(rows[i], into: w) }
            }
        } else {
            for block in r.format.table2 {
                for row in block.rows {
                    table2Row(block: block.caption, label: row.label, key: row.key, written: nil, columns: block.columns,
                              .missing(count: block.columns.count), into: w)
                }
            }
        }
        w.endArray()
        w.key("table3")
        w.beginObject()
        w.key("present"); w.bool(r.table3 != nil)
        w.key("columns"); strings(FormatSpec.table3ColumnKeys, into: w)
        w.key("rows")
        w.beginArray()
        if let t3 = r.table3 {
            t3.rows.withUnsafeBufferPointer { rows in
                for i in rows.indices { table3Row(rows[i], into: w) }
            }
        } else {
            for row in r.format.table3Rows {
                table3Row(key: row.key, label: row.label, written: nil, .missing(count: FormatSpec.table3ColumnKeys.count), into: w)
            }
        }
        w.endArray()
        w.endObject()
        w.key("table4")
        w.beginObject()
        w.key("present"); w.bool(r.table4 != nil)
        w.key("columns"); strings(FormatSpec.table4ColumnKeys, into: w)
        let t4 = r.table4?.row ?? .missing(count: FormatSpec.table4ColumnKeys.count)
        w.key("cells"); cells(t4.cells, into: w)
        rowExtras(t4, into: w)
        w.endObject()
        w.endObject()
    }
}
