import Foundation

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
