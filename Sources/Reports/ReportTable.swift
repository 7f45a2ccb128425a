import Foundation

/// The result of a report: typed columns and text values (exact, as PostgreSQL printed them).
public struct ReportTable: @unchecked Sendable {
    /// A column and how to show it.
    public struct Column: Sendable, Equatable {
        public enum Kind: String, Sendable { case text, integer, decimal, date, boolean }
        public var name: String
        public var kind: Kind
        public var money: Bool
        /// For a money column: shown with cents (some amount of the report has them) or in whole euros.
        public var cents = false
        /// The Dutch label people read (the catalog's `-- label:`), and a one-line explanation.
        public var label: String?
        public var explanation: String?
        /// What people read as the column's heading.
        public var heading: String { label ?? name }
        public var isNumeric: Bool { kind == .integer || kind == .decimal }
    }

    public var columns: [Column]
    public var rows: [[String?]]
    /// The report's total row (declared in the catalog): its column and value.
    public var total: (column: Int, value: String)?

    /// Whether row `i` is the total row.
    public func isTotal(_ i: Int) -> Bool {
        guard let total, i < rows.count, total.column < rows[i].count else { return false }
        return rows[i][total.column] == total.value
    }

    /// The values of a column by name.
    public func values(_ name: String) -> [String?] {
        guard let i = columns.firstIndex(where: { $0.name == name }) else { return [] }
        return rows.map { $0[i] }
    }

    /// PostgreSQL type OID → kind.
    static func kind(oid: UInt32) -> Column.Kind {
        switch oid {
        case 20, 21, 23: return .integer
        case 700, 701, 1700: return .decimal
        case 1082, 1114, 1184: return .date
        case 16: return .boolean
        default: return .text
        }
    }
}

/// What a report run was for: which report, which tenant, which year.
public struct ReportContext: Sendable {
    public var report: String
    public var title: String
    public var description: String
    /// Display name of the tenant (or "Corporatie").
    public var tenant: String
    public var year: Int
    public var chart: ReportDefinition.Chart?
    public var generatedAt: Date
    /// The loads the figures stand on, per feed (the page ends with them).
    public var sources: [Source] = []

    /// The batches of one feed a report stands on: when the last was loaded and, for the
    /// corporation only, how many files with how many rows and their names (what other tenants
    /// delivered is no tenant's business).
    public struct Source: Sendable {
        public var feed: String
        public var lastLoaded: Date
        public var detail: (batches: Int, rows: Int, files: [String])?
    }

    /// The data's as-of moment: when the last of its loads finished.
    public var asOf: Date? { sources.map(\.lastLoaded).max() }

    /// One Dutch line per feed and the as-of line, as pages end with them.
    public var sourceLines: [String] {
        guard let asOf else { return [] }
        let lines = sources.map { s in
            guard let d = s.detail else { return "\(s.feed): laatst geladen \(DutchNumber.dateTime(s.lastLoaded))" }
            return
                "\(s.feed): \(d.batches == 1 ? "1 bestand" : "\(d.batches) bestanden") (\(d.files.joined(separator: ", "))), \(DutchNumber.integer(d.rows)) regels, laatst geladen \(DutchNumber.dateTime(s.lastLoaded))"
        }
        return lines + ["Stand van de gegevens: \(DutchNumber.dateTime(asOf))"]
    }
}
