/// What the target's column type accepts, read from the catalog, so that a value the database
/// would refuse is a row reject naming line and column rather than a failed file.
package struct ColumnLimit: Sendable, Equatable {
    /// The column's type as PostgreSQL prints it (`numeric(8,4)`, `integer`).
    package var typeName: String
    /// `numeric(p,s)`: at most `p` digits, `s` of them after the decimal point.
    package var precision: Int?
    package var scale: Int?
    /// smallint, integer, bigint.
    package var intRange: ClosedRange<Int64>?
    /// `varchar(n)` / `char(n)`: at most `n` characters.
    package var maxLength: Int?

    package init(typeName: String) { self.typeName = typeName }
}

extension ColumnLimit {
    /// `numeric(p,s)` as the catalog describes it.
    package static func numeric(_ precision: Int, _ scale: Int) -> ColumnLimit {
        var limit = ColumnLimit(typeName: "numeric(\(precision),\(scale))")
        limit.precision = precision
        limit.scale = scale
        return limit
    }

    /// `integer` (int4) as the catalog describes it.
    package static var integer: ColumnLimit {
        var limit = ColumnLimit(typeName: "integer")
        limit.intRange = Int64(Int32.min)...Int64(Int32.max)
        return limit
    }

    /// `varchar(n)` as the catalog describes it.
    package static func varchar(_ length: Int) -> ColumnLimit {
        var limit = ColumnLimit(typeName: "character varying(\(length))")
        limit.maxLength = length
        return limit
    }
}
