/// Ruled tables on a page image: the ruling lines found (runs of ink long in one direction),
/// grouped into tables where they cross, and each table cut into the cells of its grid, merged
/// cells found where a ruling line between two grid cells is missing.
package struct TableGrid: Equatable {
    /// The x of each column boundary and y of each row boundary, ascending.
    package var xs: [Int]
    package var ys: [Int]
    /// Each cell: top row, left column, spans (in grid units).
    package var cells: [GridCell]

    package struct GridCell: Equatable {
        package var row: Int
        package var column: Int
        package var rowSpan: Int
        package var columnSpan: Int
    }

    package var box: PixelBox { PixelBox(x: xs.first!, y: ys.first!, width: xs.last! - xs.first!, height: ys.last! - ys.first!) }

    package func box(of cell: GridCell) -> PixelBox {
        PixelBox(x: xs[cell.column], y: ys[cell.row], width: xs[cell.column + cell.columnSpan] - xs[cell.column],
                 height: ys[cell.row + cell.rowSpan] - ys[cell.row])
    }

    /// A horizontal or vertical line segment: `position` across it, `start..<end` along it.
    struct Segment: Equatable {
        var position: Int
        var start: Int
        var end: Int
        var thickness: Int
    }

    /// The tables formed by `horizontal` and `vertical` segments (boxes of the line images'
    /// components); `tolerance` is how far apart two lines may be and still meet (pixels).
    package static func tables(horizontal hBoxes: [PixelBox], vertical vBoxes: [PixelBox], tolerance: Int) -> [TableGrid] {
        let h = hBoxes.filter { $0.width > 3 * $0.height }.map {
            Segment(position: $0.y + $0.height / 2, start: $0.x, end: $0.maxX, thickness: $0.height)
        }
        let v = vBoxes.filter { $0.height > 3 * $0.width }.map {
            Segment(position: $0.x + $0.width / 2, start: $0.y, end: $0.maxY, thickness: $0.width)
        }
        guard !h.isEmpty, !v.isEmpty else { return [] }
        // union-find over all segments: h first, then v
        var parent = Array(0..<(h.count + v.count))
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for (i, a) in h.enumerated() {
            for (j, b) in v.enumerated()
            where b.position >= a.start - tolerance && b.position <= a.end + tolerance
                && a.position >= b.start - tolerance && a.position <= b.end + tolerance
            {
                let ra = find(i), rb = find(h.count + j)
                if ra != rb { parent[ra] = rb }
            }
        }
        var groups: [Int: (h: [Segment], v: [Segment])] = [:]
        for i in 0..<h.count { groups[find(i), default: ([], [])].h.append(h[i]) }
        for j in 0..<v.count { groups[find(h.count + j), default: ([], [])].v.append(v[j]) }
        var out: [TableGrid] = []
        for (_, g) in groups where g.h.count >= 2 && g.v.count >= 2 {
            if let grid = grid(h: g.h, v: g.v, tolerance: tolerance) { out.append(grid) }
        }
        return out.sorted { $0.ys[0] < $1.ys[0] }
    }

    /// Clusters of positions closer than `tolerance`, as their weighted means.
    static func cluster(_ segments: [Segment], tolerance: Int) -> [Int] {
        let sorted = segments.sorted { $0.position < $1.position }
        var out: [Int] = []
        var group: [Segment] = []
        func flush() {
            guard !group.isEmpty else { return }
            let weight = group.reduce(0) { $0 + ($1.end - $1.start) }
            let sum = group.reduce(0) { $0 + $1.position * ($1.end - $1.start) }
            out.append(weight > 0 ? sum / weight : group[0].position)
            group = []
        }
        for s in sorted {
            if let last = group.last, s.position - last.position > tolerance { flush() }
            group.append(s)
        }
        flush()
        return out
    }

    /// How much of `from..<to` the segments at `position` (± tolerance) cover, 0…1.
    static func coverage(_ segments: [Segment], position: Int, from: Int, to: Int, tolerance: Int) -> Double {
        guard to > from else { return 1 }
        var spans: [(Int, Int)] = []
        for s in segments where abs(s.position - position) <= tolerance {
            let a = max(from, s.start), b = min(to, s.end)
            if b > a { spans.append((a, b)) }
        }
        spans.sort { $0.0 < $1.0 }
        var covered = 0
        var reach = from
        for (a, b) in spans {
            if b <= reach { continue }
            covered += b - max(a, reach)
            reach = b
        }
        return Double(covered) / Double(to - from)
    }

    static func grid(h: [Segment], v: [Segment], tolerance: Int) -> TableGrid? {
        let ys = cluster(h, tolerance: tolerance)
        let xs = cluster(v, tolerance: tolerance)
        guard ys.count >= 2, xs.count >= 2 else { return nil }
        let rows = ys.count - 1, columns = xs.count - 1
        guard rows <= 400, columns <= 100 else { return nil }
        // a boundary is drawn between two grid cells when a line covers most of their common side
        // (the inner part: the crossing lines' thickness left out)
        func verticalEdge(_ x: Int, _ r: Int) -> Bool {
            coverage(v, position: xs[x], from: ys[r] + tolerance, to: ys[r + 1] - tolerance, tolerance: tolerance) >= 0.5
        }
        func horizontalEdge(_ y: Int, _ c: Int) -> Bool {
            coverage(h, position: ys[y], from: xs[c] + tolerance, to: xs[c + 1] - tolerance, tolerance: tolerance) >= 0.5
        }
        var parent = Array(0..<(rows * columns))
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        for r in 0..<rows {
            for c in 0..<columns {
                if c + 1 < columns, !verticalEdge(c + 1, r) { union(r * columns + c, r * columns + c + 1) }
                if r + 1 < rows, !horizontalEdge(r + 1, c) { union(r * columns + c, (r + 1) * columns + c) }
            }
        }
        var extent: [Int: (r0: Int, c0: Int, r1: Int, c1: Int)] = [:]
        for r in 0..<rows {
            for c in 0..<columns {
                let root = find(r * columns + c)
                if let e = extent[root] {
                    extent[root] = (min(e.r0, r), min(e.c0, c), max(e.r1, r), max(e.c1, c))
                } else {
                    extent[root] = (r, c, r, c)
                }
            }
        }
        let cells = extent.values.map {
            GridCell(row: $0.r0, column: $0.c0, rowSpan: $0.r1 - $0.r0 + 1, columnSpan: $0.c1 - $0.c0 + 1)
        }.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        return TableGrid(xs: xs, ys: ys, cells: cells)
    }
}
