import NianbaoModel

/// The `report` part of `nianbao.report/1`.
public enum ReportJSON {
    public static func cell(_ c: Cell) -> JSON {
        .object([
            ("value", .number(c.value)),
            ("text", .string(c.text)),
            ("unit", .optional(c.unit)),
            ("state", .string(c.state.rawValue)),
            ("line", .optional(c.position?.line)),
            ("column", .optional(c.position?.column)),
        ])
    }

    static func rowExtras(_ r: RowCells) -> [(String, JSON)] {
        var out: [(String, JSON)] = [("found", .int(r.found)), ("aligned", .bool(r.aligned))]
        if !r.extra.isEmpty { out.append(("extra", .array(r.extra.map(cell)))) }
        return out
    }

    static func written(_ w: WrittenLabel?) -> [(String, JSON)] {
        [("written", .optional(w?.text)), ("line", .optional(w?.position.line))]
    }

    public static func report(_ r: AnnualReport) -> JSON {
        var fields: [(String, JSON)] = [
            ("title", .optional(r.title)),
            ("organ", .optional(r.organ)),
            ("year", .optional(r.year)),
            ("edition", .optional(r.edition?.rawValue)),
            ("table_edition", .optional(r.tableEdition?.rawValue)),
            ("period", r.period.map { .object([("from", .string($0.fromISO)), ("to", .string($0.toISO))]) } ?? .null),
            ("sections", .array(r.sections.map {
                .object([("number", .int($0.number)), ("heading", .string($0.heading)), ("line", .int($0.line))])
            })),
        ]
        if let t2 = r.table2 {
            fields.append(("table2", .array(t2.rows.map { row in
                .object([("block", .string(row.block)), ("row", .string(row.label)), ("key", .string(row.key))]
                    + written(row.written)
                    + [("columns", .array(row.columns.map(JSON.string))), ("cells", .array(row.row.cells.map(cell)))]
                    + rowExtras(row.row))
            })))
        } else {
            fields.append(("table2", .null))
        }
        if let t3 = r.table3 {
            fields.append(("table3", .object([
                ("columns", .array(FormatSpec.table3ColumnKeys.map(JSON.string))),
                ("rows", .array(t3.rows.map { row in
                    .object([("key", .string(row.key)), ("label", .string(row.label))] + written(row.written)
                        + [("cells", .array(row.row.cells.map(cell)))] + rowExtras(row.row))
                })),
            ])))
        } else {
            fields.append(("table3", .null))
        }
        if let t4 = r.table4 {
            fields.append(("table4", .object([
                ("columns", .array(FormatSpec.table4ColumnKeys.map(JSON.string))),
                ("cells", .array(t4.row.cells.map(cell))),
            ] + rowExtras(t4.row))))
        } else {
            fields.append(("table4", .null))
        }
        return .object(fields)
    }
}
