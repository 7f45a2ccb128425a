import Foundation
import Ingest
import Postgres

/// The state of one file's load: reading, converting, counting, rejecting, merging.
struct LoadSession {
    let loader: Loader
    let probe: FileProbe
    let options: LoadOptions
    var spec: FeedSpec { loader.spec }
    var connection: Connection { loader.connection }
    /// The file read into COPY text, with its counts, rejects and warnings.
    var stream: RowStream
    var privacy: PrivacyGuard { stream.privacy }
    var limit: RejectLimit { stream.limit }
    var rowsRead: Int { stream.rowsRead }
    var rowsWritten: Int { stream.rowsWritten }
    var rowsSkipped: Int { stream.rowsSkipped }
    var rowsFiltered: Int { stream.rowsFiltered }
    var dropped: [String] { stream.dropped }
    var warnings: [String] { stream.warnings }
    var allRejects: [Reject] {
        get { stream.rejects }
        set { stream.rejects = newValue }
    }
    var gemeenten: [String: String] { stream.gemeenten }
    var rowsLoaded = 0
    var replacements: [Replacement] = []
    /// The chunk merger of the load in progress: made in the load's transaction, its staging
    /// tables dropped by `load` once the transaction has ended, whatever happened.
    private var merger: ChunkMerger?

    /// A session for a file; a dry run only reads its `stream`, a load `load`s it into a batch.
    init(loader: Loader, probe: FileProbe, options: LoadOptions) throws {
        self.loader = loader
        self.probe = probe
        self.options = options
        var map: [String: String] = [:]
        for row in try loader.connection.execute("select gemeente_code, name from core.gemeente") {
            let code: String = try row.decode(0)
            let name: String = try row.decode(1)
            for key in [code, name, RowConverter.normalize(code), RowConverter.normalize(name)] { map[key] = code }
        }
        stream = RowStream(
            probe: probe, spec: loader.spec, gemeenten: map, privacy: try PrivacyGuard.fromEnvironment(),
            limit: options.maxRejects ?? loader.spec.maxRejects, limits: try ColumnLimit.read(target: loader.spec.target, loader.connection))
        stream.progress = options.progress
        stream.shouldStop = options.shouldStop
    }

    /// Loads the file as `batchID` in one transaction (as the owner), replacing the whole earlier
    /// batch `previous` (a forced reload), and records the file's SHA-256 (`checksum`) on the
    /// batch as it closes; the staging tables go when the transaction has ended.
    mutating func load(batch batchID: Int64, replacing previous: Int64?, checksum: () throws -> String) throws {
        defer {
            merger?.dropStaging()
            merger = nil
        }
        try connection.withTransaction {
            try connection.actAsOwner(local: true)
            try connection.useLoadSettings(local: true)
            try loadInTransaction(batchID, replacing: previous, checksum: checksum)
        }
    }

    /// Stages, merges and checks the file inside the load's transaction.
    private mutating func loadInTransaction(_ batchID: Int64, replacing previous: Int64?, checksum: () throws -> String) throws {
        var sql = try MergeSQL(spec: spec, connection: connection)
        try sql.loadPrimaryKey(connection)
        let db = connection
        try db.executeScript(MergeSQL.createTallies)
        if let previous {
            try db.execute(sql.deleteBatch, [previous])
            try BatchLog(connection: db).replacedWhole(previous, by: batchID)
            for table in spec.extraTargets {
                try db.execute("delete from \(table) where batch_id = $1", [previous])
            }
        }
        // Chunks are pipelined: while the server merges chunk k (sent without waiting), the client
        // reads and converts chunk k + 1.
        let merger = try ChunkMerger(db: db, sql: sql, batchID: batchID, file: probe.name)
        self.merger = merger
        do {
            try stream.read(chunkRows: merger.chunkRows(options.chunkRows)) { bytes, rows in
                try merger.stage(bytes, rows: rows)
            }
            try merger.collect()
            try merger.finish()
            if !merger.ruleRejects.isEmpty {
                allRejects = (allRejects + merger.ruleRejects).sorted { $0.line < $1.line }
                if limit.exceeded(rejected: allRejects.count, read: rowsRead) { throw stream.overThreshold() }
            }
        } catch {
            merger.abandon()
            throw error
        }
        rowsLoaded = merger.loaded
        try recordReplacements(batchID)
        try BatchLog(connection: connection).storeRejects(allRejects, batch: batchID)
        try runChecks(batchID)
        var details: [String: String] = [:]
        if !dropped.isEmpty { details["dropped_columns"] = dropped.joined(separator: ",") }
        if rowsSkipped > 0 { details["skipped_outside_werkgebied"] = String(rowsSkipped) }
        if rowsFiltered > 0 { details["skipped_by_where"] = String(rowsFiltered) }
        if !warnings.isEmpty { details["warnings"] = warnings.joined(separator: "; ") }
        if spec.onlyWerkgebied { details["werkgebied"] = werkgebied }
        for (k, v) in privacy.counts { details["personal_\(k)"] = String(v) }
        if spec.columns.contains(where: { $0.personal == .hash }), let fingerprint = privacy.fingerprint { details["key_fingerprint"] = fingerprint }
        try BatchLog(connection: connection).loaded(
            batchID, read: rowsRead, loaded: rowsLoaded, rejected: allRejects.count, details: LoadSession.json(details), sha256: try checksum())
    }

    /// Runs the spec's data checks on the merged rows, read-only: in a savepoint whose transaction is
    /// set read only, each check a subquery (so neither a data-modifying WITH nor a write through a
    /// function can change anything); the savepoint is rolled back afterwards.
    private func runChecks(_ batchID: Int64) throws {
        guard !spec.checks.isEmpty else { return }
        try connection.execute("savepoint leefbaar_checks")
        try connection.execute("set local transaction_read_only = on")
        for check in spec.checks {
            let body = check.query
            let failures: QueryResult
            do {
                // The true number of failing rows, and the first three of them.
                failures = try connection.execute("select count(*) over (), * from (\n\(body)\n) as failing limit 3", body.contains("$1") ? [batchID] : [])
            } catch let error as PostgresError where error.sqlState == SQLState.readOnlyTransaction || error.sqlState == SQLState.featureNotSupported {
                throw WarehouseError(
                    .checkFailed,
                    "\(spec.path): data check \(check.name) tried to change data; checks are queries that only read. Nothing loaded (\(error.message))")
            }
            if let first = failures.first {
                let count = try first.decode(0, as: Int.self)
                let sample = failures.map { row in (1..<failures.columnCount).map { row[$0] ?? "NULL" }.joined(separator: " ") }
                throw WarehouseError(
                    .checkFailed, "\(probe.name): data check \(check.name) failed (\(count) rows), e.g. \(sample.joined(separator: "; ")); nothing loaded")
            }
        }
        try connection.execute("rollback to savepoint leefbaar_checks")
    }

    /// Refuses a replace that would shrink a scope beyond `max_shrink` (unless allowed), then
    /// records on each earlier batch what this load removed of it.
    private mutating func recordReplacements(_ batchID: Int64) throws {
        if !options.allowShrink, spec.maxShrinkPercent < 100 {
            let shrunk = try connection.execute(MergeSQL.shrunkScopes, [100 - spec.maxShrinkPercent]).map {
                "\(try $0.decode(0, as: String.self)): \(try $0.decode(1, as: Int64.self)) rows would be replaced by \(try $0.decode(2, as: Int64.self))"
            }
            if !shrunk.isEmpty {
                throw WarehouseError(
                    .shrinkRefused,
                    """
                    \(probe.name): the file would shrink \(shrunk.count == 1 ? "a scope" : "\(shrunk.count) scopes") of feed \(spec.name) \
                    by more than \(RejectLimit.percent(spec.maxShrinkPercent)) (\(shrunk.prefix(5).joined(separator: "; "))); \
                    nothing loaded. If that is what you mean, load it with --allow-shrink.
                    """)
            }
        }
        replacements = try BatchLog(connection: connection).replacements(by: batchID).map {
            Replacement(batchID: $0.batch, feed: $0.feed, rows: Int($0.rows), status: $0.status)
        }.sorted { $0.batchID < $1.batchID }
    }

    /// The gemeenten rows were kept for (only_werkgebied feeds): a file is loaded again once this changes.
    var werkgebied: String { Set(gemeenten.values).sorted().joined(separator: ",") }

    static func json(_ dict: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    func fill(_ result: inout LoadResult) {
        result.rowsRead = rowsRead
        result.rowsLoaded = rowsLoaded
        result.rowsRejected = allRejects.count
        result.rejects = Array(allRejects.prefix(options.keepRejects))
        result.droppedColumns = dropped
        result.rowsSkipped = rowsSkipped
        result.rowsFiltered = rowsFiltered
        result.personalData = privacy.counts
        result.replaced = replacements
        result.warnings = warnings
        if result.status == .dryRun { result.rowsLoaded = rowsWritten }
    }
}
