import CLibPQ

/// The rows of a finished statement, read in text format. Keeps the libpq result alive.
public final class QueryResult: RandomAccessCollection {
    let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(result)) }
    public subscript(position: Int) -> Row { Row(result: self, index: Int32(position)) }

    /// The number of columns.
    public var columnCount: Int { Int(PQnfields(result)) }

    /// Column names in order.
    public var columnNames: [String] {
        (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
    }

    /// Column type OIDs in order.
    public var columnTypes: [UInt32] {
        (0..<PQnfields(result)).map { UInt32(PQftype(result, $0)) }
    }

    /// Rows affected as the server reports it (`INSERT 0 5` → 5), 0 when not applicable.
    public var affectedRows: Int {
        guard let p = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: p)) ?? 0
    }

    /// The command tag, e.g. `INSERT 0 5`, `COMMIT`, `ROLLBACK`.
    public var commandStatus: String {
        guard let p = PQcmdStatus(result) else { return "" }
        return String(cString: p)
    }

    /// The index of a column by name, or nil.
    public func columnIndex(_ name: String) -> Int? {
        let i = PQfnumber(result, name)
        return i < 0 ? nil : Int(i)
    }
}

/// One row of a `QueryResult`.
public struct Row {
    let result: QueryResult
    let index: Int32

    /// The raw text of a column, nil for SQL NULL.
    public subscript(column: Int) -> String? {
        let c = Int32(column)
        if PQgetisnull(result.result, index, c) == 1 { return nil }
        return String(cString: PQgetvalue(result.result, index, c))
    }

    /// The raw text of a named column, nil for SQL NULL or an unknown name.
    public subscript(name: String) -> String? {
        guard let c = result.columnIndex(name) else { return nil }
        return self[c]
    }

    /// Decodes a column to a Swift type; NULL decodes only into an Optional.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard column >= 0, column < result.columnCount else {
            throw PostgresError(.decoding, "column \(column) out of range (result has \(result.columnCount))")
        }
        let name = String(cString: PQfname(result.result, Int32(column)))
        guard let text = self[column] else {
            if let value = T.fromNull() { return value }
            throw PostgresError(.decoding, "column \(name) is NULL, expected \(T.self)")
        }
        guard let value = T(postgresText: text) else {
            throw PostgresError(.decoding, "column \(name): cannot decode '\(text.prefix(80))' as \(T.self)")
        }
        return value
    }

    /// Decodes a named column to a Swift type.
    public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let c = result.columnIndex(name) else {
            throw PostgresError(.decoding, "no column named \(name)")
        }
        return try decode(c, as: type)
    }
}
