import ArgumentParser
import Foundation

/// One record as `key: value` lines for people or a JSON object for programs (`--format text|json`).
public enum RecordFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text, json
}

/// Listings as a table for people or JSON for programs (`--format table|json`).
public enum ListingFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case table, json

    /// Prints rows under a header: an aligned table, or a JSON array of objects keyed by the header.
    /// `numeric` columns are right-aligned in the table and numbers in JSON (null when empty).
    public func print(header: [String], rows: [[String]], numeric: Set<Int> = []) {
        switch self {
        case .table:
            Swift.print(TextTable(header: header, rows: rows, rightAligned: numeric).render())
        case .json:
            func value(_ column: Int, _ text: String) -> Any {
                guard numeric.contains(column) else { return text }
                if text.isEmpty { return NSNull() }
                if let integer = Int64(text) { return integer }
                return Double(text) ?? text
            }
            let objects = rows.map { row in
                Dictionary(uniqueKeysWithValues: zip(header, row).enumerated().map { ($0.element.0, value($0.offset, $0.element.1)) })
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            Swift.print(String(decoding: data, as: UTF8.self))
        }
    }
}
