import Foundation

/// The formats a report comes in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, csv
    case csvNL = "csv-nl"
    case json, md, html

    /// The file extension in exports.
    public var fileExtension: String {
        switch self {
        case .table: return "txt"
        case .csv: return "csv"
        case .csvNL: return "nl.csv"
        case .json: return "json"
        case .md: return "md"
        case .html: return "html"
        }
    }

    /// Renders a report result.
    public func render(_ context: ReportContext, _ table: ReportTable) -> String {
        switch self {
        case .table: return TextRenderer.render(context, table)
        case .csv: return CSVRenderer.render(table, dutch: false)
        case .csvNL: return CSVRenderer.render(table, dutch: true)
        case .json: return JSONRenderer.render(context, table)
        case .md: return MarkdownRenderer.render(context, table)
        case .html:
            return HTMLRenderer.page(
                title: context.title, subtitle: HTMLRenderer.subtitle(context), body: HTMLRenderer.section(context, table),
                generated: context.generatedAt, sources: context.sourceLines)
        }
    }
}

/// Values as people read them (tables, Markdown, HTML): Dutch numbers, euro amounts.
enum DisplayValue {
    static func text(_ value: String?, _ column: ReportTable.Column) -> String {
        guard let value else { return "" }
        if column.money { return DutchNumber.euro(value, cents: column.cents) }
        switch column.kind {
        case .integer, .decimal: return DutchNumber.format(value, grouping: column.kind == .integer ? value.count > 4 : true)
        case .date:
            let p = value.prefix(10).split(separator: "-")
            return p.count == 3 ? "\(p[2])-\(p[1])-\(p[0])" : value
        case .boolean: return value == "t" ? "ja" : "nee"
        case .text: return value
        }
    }
}

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

/// JSON: the report's context, its columns and its rows as objects; numbers stay exact.
enum JSONRenderer {
    static func render(_ context: ReportContext, _ table: ReportTable) -> String {
        let rows: [[String: Any]] = table.rows.enumerated().map { index, row in
            var object: [String: Any] = [:]
            if table.total != nil { object["is_totaal"] = table.isTotal(index) }
            for (value, column) in zip(row, table.columns) {
                guard let value else {
                    object[column.name] = NSNull()
                    continue
                }
                switch column.kind {
                case .integer: object[column.name] = Int64(value).map { NSNumber(value: $0) } ?? value as Any
                case .decimal: object[column.name] = NSDecimalNumber(string: value, locale: Locale(identifier: "en_US_POSIX"))
                case .boolean: object[column.name] = value == "t"
                default: object[column.name] = value
                }
            }
            return object
        }
        let document: [String: Any] = [
            "report": context.report, "title": context.title, "tenant": context.tenant, "year": context.year,
            "columns": table.columns.map { c -> [String: String] in
                var o = ["name": c.name, "type": c.money ? "money" : c.kind.rawValue, "label": c.heading]
                if let e = c.explanation { o["explanation"] = e }
                return o
            },
            "rows": rows,
            "bronnen": context.sources.map { s -> [String: Any] in
                var o: [String: Any] = ["feed": s.feed, "last_loaded": ISO8601DateFormatter().string(from: s.lastLoaded)]
                if let d = s.detail {
                    o["batches"] = d.batches
                    o["rows"] = d.rows
                    o["files"] = d.files
                }
                return o
            },
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Markdown: a heading, the description and a pipe table.
enum MarkdownRenderer {
    static func render(_ context: ReportContext, _ table: ReportTable) -> String {
        "# \(context.title)\n\n\(context.tenant) · \(context.year)\n\n\(context.description)\n\n" + tableText(table) + "\n" + sources(context.sourceLines)
    }

    /// The page's last lines: the loads the figures stand on.
    static func sources(_ lines: [String]) -> String {
        lines.isEmpty ? "" : "Bronnen:\n\n" + lines.map { "- " + $0 }.joined(separator: "\n") + "\n"
    }

    static func tableText(_ table: ReportTable) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "| " + table.columns.map { cell($0.heading) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for (index, row) in table.rows.enumerated() {
            let total = table.isTotal(index)
            out +=
                "| "
                + zip(row, table.columns).map { v, c in
                    let text = cell(DisplayValue.text(v, c))
                    return total && !text.isEmpty ? "**\(text)**" : text
                }.joined(separator: " | ") + " |\n"
        }
        let explained = table.columns.filter { $0.explanation != nil }
        if !explained.isEmpty {
            out += "\n" + explained.map { "- **\(cell($0.heading))**: \($0.explanation ?? "")" }.joined(separator: "\n") + "\n"
        }
        return out
    }
}
