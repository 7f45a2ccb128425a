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
    public func print(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        switch self {
        case .table:
            Swift.print(TextTable(header: header, rows: rows, rightAligned: rightAligned).render())
        case .json:
            let objects = rows.map { row in Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, $1) }) }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            Swift.print(String(decoding: data, as: UTF8.self))
        }
    }
}
