import Foundation

/// An aligned table for a terminal.
enum TextRenderer {
    static func render(_ context: ReportContext, _ table: ReportTable) -> String {
        let header = table.columns.map(\.heading)
        let rows = table.rows.map { row in zip(row, table.columns).map { DisplayValue.text($0, $1) } }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return table.columns[i].isNumeric ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        var out = ["\(context.title) — \(context.tenant), \(context.year)", ""]
        out.append(line(header))
        out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        out += rows.map(line)
        if rows.isEmpty { out.append("(geen gegevens)") }
        return out.map {
            var s = $0
            while s.last == " " { s.removeLast() }
            return s
        }.joined(separator: "\n") + "\n"
    }
}
