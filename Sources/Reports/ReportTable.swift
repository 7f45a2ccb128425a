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
}
