import Postgres

/// Moves a load's rows into the target chunk by chunk: COPY into staging, delete replaced scopes,
/// then send the merge without waiting, so the client converts the next chunk meanwhile.
final class ChunkMerger {
    let db: Connection
    let sql: MergeSQL
    let batchID: Int64
    let file: String
    private(set) var loaded = 0
    private var pendingRows: Int?

    init(db: Connection, sql: MergeSQL, batchID: Int64, file: String) {
        self.db = db
        self.sql = sql
        self.batchID = batchID
        self.file = file
    }

    /// Stages one chunk and sends its merge.
    func stage(_ bytes: [UInt8], rows: Int) throws {
        try db.execute("truncate \(sql.staging)")
        let copied = try db.copyIn(sql.copyStaging) { try $0.write(bytes) }
        guard copied == rows else {
            throw WarehouseError(.invalidInput, "staging received \(copied) rows, expected \(rows)")
        }
        if let delete = sql.deleteScopes { try db.execute(delete, [batchID]) }
        try db.execute("savepoint leefbaar_merge")
        try db.send(sql.insert, [batchID])
        pendingRows = rows
    }

    /// Waits for the merge in flight, if any. A key twice in the file is reported with its lines.
    func collect() throws {
        guard let rows = pendingRows else { return }
        pendingRows = nil
        do {
            let merged = try db.receive().affectedRows
            if merged < rows { try reportDuplicates(nil) }
            loaded += merged
            for statement in sql.afterMerge { try db.execute(statement, statement.contains("$1") ? [batchID] : []) }
            try db.execute("release savepoint leefbaar_merge")
        } catch let error as PostgresError where error.sqlState == "23505" || error.sqlState == "21000" {
            try db.execute("rollback to savepoint leefbaar_merge")
            try reportDuplicates(error)
        }
    }

    private func reportDuplicates(_ error: PostgresError?) throws {
        let rows = try sql.duplicateKeys.map { try db.execute($0, [batchID]) }
        guard let rows, !rows.isEmpty else {
            if let error { throw error }
            throw WarehouseError(.invalidInput, "\(file): fewer rows merged than staged")
        }
        let list = try rows.map { "key \(try $0.decode(0, as: String.self)) on lines \(try $0.decode(1, as: String.self))" }
        throw WarehouseError(.invalidInput, "\(file): the same key occurs more than once: \(list.joined(separator: "; "))")
    }

    /// Drops a merge in flight after a failure elsewhere, so the transaction can be rolled back.
    func abandon() {
        if pendingRows != nil {
            pendingRows = nil
            db.discardResults()
        }
    }

    /// Marks the batches this load replaced whole, and drops staging.
    func finish() throws {
        if sql.deleteScopes != nil { try db.execute(sql.markReplaced, [batchID]) }
        try db.execute("drop table \(sql.staging)")
    }
}
