import Foundation

/// CSV: plain (`,`, dot decimals) or Dutch Excel (`;`, decimal comma, UTF-8 BOM).
enum CSVRenderer {
    static func render(_ table: ReportTable, dutch: Bool) -> String {
        let separator: Unicode.Scalar = dutch ? ";" : ","
        func quote(_ s: String) -> String {
            // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
            s.unicodeScalars.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = dutch ? "\u{FEFF}" : ""
        // Column names stay the stable SQL names; a declared total row is marked, so a sum of a
        // column does not count it twice.
        let marked = table.total != nil
        out += (table.columns.map { quote($0.name) } + (marked ? ["is_totaal"] : [])).joined(separator: String(separator)) + "\r\n"
        for (index, row) in table.rows.enumerated() {
            out +=
                (zip(row, table.columns).map { value, column in
                    guard let value else { return "" }
                    if dutch && column.kind == .decimal { return DutchNumber.format(value, grouping: false) }
                    // Excel runs a cell starting with = + - @ (or a tab or CR before one) as a formula:
                    // in the Excel flavour such text gets a leading ' so it stays text (OWASP CSV injection).
                    if dutch, !column.isNumeric, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                        return quote("'" + value)
                    }
                    return quote(value)
                } + (marked ? [table.isTotal(index) ? (dutch ? "ja" : "true") : (dutch ? "nee" : "false")] : [])).joined(separator: String(separator)) + "\r\n"
        }
        return out
    }
}
