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
    let gemeenten: [String: String]
    let privacy: PrivacyGuard
    let limit: RejectLimit
    /// What the target's columns accept (numeric precision and scale, integer ranges, lengths).
    let limits: [String: ColumnLimit]

    var rowsRead = 0
    var rowsWritten = 0
    var rowsLoaded = 0
    var rowsSkipped = 0
    var rowsFiltered = 0
    var allRejects: [Reject] = []
    var dropped: [String] = []
    var replacements: [Replacement] = []
    var warnings: [String] = []
    /// The chunk merger of the load in progress: made in the load's transaction, its staging
    /// tables dropped by `load` once the transaction has ended, whatever happened.
    private var merger: ChunkMerger?

    /// A session for a file; a dry run only `read`s it, a load `load`s it into a batch.
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
        gemeenten = map
        privacy = try PrivacyGuard.fromEnvironment()
        limit = options.maxRejects ?? loader.spec.maxRejects
        limits = try ColumnLimit.read(target: loader.spec.target, loader.connection)
    }

    /// Reads the whole file, handing the valid rows' COPY text to `flush` in chunks of up to
    /// `chunkRows` rows (the last chunk may be smaller; a file of only rejects gives none).
    mutating func read(chunkRows: Int = 100_000, _ flush: ([UInt8], Int) throws -> Void) throws {
        var source = try openRecordSource(probe: probe, spec: spec)
        let converter = try RowConverter(
            spec: spec, header: spec.input.format == .csv && !source.headerFromFile ? nil : source.header,
            fieldCount: source.header.count, gemeenten: gemeenten, limits: limits,
            privacy: privacy, file: probe.path)
        dropped = source.headerFromFile ? converter.unusedFields : []
        let kept = spec.columns.indices.filter { spec.columns[$0].personal != .drop }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(chunkRows, 100_000) * 128)
        var chunkCount = 0
        while let record = try source.next() {
            rowsRead += 1
            if let problem = record.problem {
                try reject(
                    Reject(line: record.line, column: problem.column, rawValue: problem.value, rawRecord: shown(record, converter), reason: problem.reason))
                continue
            }
            switch converter.convert(record) {
            case .skip(.outsideWerkgebied):
                rowsSkipped += 1
            case .skip(.filtered):
                rowsFiltered += 1
            case .row(let values):
                for i in kept {
                    CopyText.escape(values[i], into: &chunk)
                    chunk.append(0x09)
                }
                chunk.append(contentsOf: String(record.line).utf8)
                chunk.append(0x0A)
                chunkCount += 1
                rowsWritten += 1
                if chunkCount >= chunkRows {
                    try flush(chunk, chunkCount)
                    chunk.removeAll(keepingCapacity: true)
                    chunkCount = 0
                }
            case .reject(let e):
                try reject(Reject(line: record.line, column: e.column, rawValue: e.raw.map(scrubbed), rawRecord: shown(record, converter), reason: e.reason))
            }
            if rowsRead % 4096 == 0 {
                if rowsRead % 65_536 == 0 { options.progress?(source.bytesRead, rowsRead) }
                if options.shouldStop?() == true {
                    throw WarehouseError(.interrupted, "\(probe.path): interrupted at line \(record.line); nothing of the file was loaded")
                }
            }
        }
        options.progress?(source.bytesRead, rowsRead)
        try probe.requireUnchanged()
        dropped += source.undeclared
        warnings = source.warnings
        if chunkCount > 0 { try flush(chunk, chunkCount) }
        if rowsRead == 0 {
            throw WarehouseError(.invalidInput, "\(probe.path): no data rows\(source.headerFromFile ? " after the header" : "")")
        }
        if limit.exceeded(rejected: allRejects.count, read: rowsRead) {
            throw overThreshold()
        }
    }

    /// Personal data never reaches etl.reject either: free text is scrubbed, and for a feed with
    /// personal columns only the fields the spec uses that are not personal are kept.
    private func shown(_ record: SourceRecord, _ converter: RowConverter) -> String {
        guard let safe = converter.shareableFields else { return privacy.scrub(record.raw) }
        guard record.problem == nil else { return "(not kept: the feed holds personal data and the record could not be read into fields)" }
        return privacy.scrub(safe.filter { $0 < record.fields.count }.map { "\(converter.fieldNames[$0])=\(record.fields[$0] ?? "")" }.joined(separator: "; "))
    }

    private func scrubbed(_ text: String) -> String {
        privacy.scrub(text)
    }

    private mutating func reject(_ r: Reject) throws {
        allRejects.append(r)
        if case .count(let n) = limit, allRejects.count > n { throw overThreshold() }
    }

    private func overThreshold() -> WarehouseError {
        let first = allRejects.first.map { " First: line \($0.line)\($0.column.map { ", column \($0)" } ?? ""): \($0.reason)." } ?? ""
        return WarehouseError(
            .rejectsOverThreshold,
            "\(probe.path): \(allRejects.count) rejected rows exceed --max-rejects \(limit); nothing loaded.\(first)")
    }

    /// Loads the file as `batchID` in one transaction (as the owner), replacing the whole earlier
    /// batch `previous` (a forced reload); the staging tables go when the transaction has ended.
    mutating func load(batch batchID: Int64, replacing previous: Int64?) throws {
        defer {
            merger?.dropStaging()
            merger = nil
        }
        try connection.withTransaction {
            try connection.actAsOwner(local: true)
            try loadInTransaction(batchID, replacing: previous)
        }
    }

    /// Stages, merges and checks the file inside the load's transaction.
    private mutating func loadInTransaction(_ batchID: Int64, replacing previous: Int64?) throws {
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
        let merger = try ChunkMerger(db: db, sql: sql, batchID: batchID, file: probe.path)
        self.merger = merger
        do {
            try read(chunkRows: options.chunkRows) { bytes, rows in
                try merger.stage(bytes, rows: rows)
            }
            try merger.collect()
            if !merger.ruleRejects.isEmpty {
                allRejects = (allRejects + merger.ruleRejects).sorted { $0.line < $1.line }
                if limit.exceeded(rejected: allRejects.count, read: rowsRead) { throw overThreshold() }
            }
            try merger.finish()
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
        try BatchLog(connection: connection).loaded(batchID, read: rowsRead, loaded: rowsLoaded, rejected: allRejects.count, details: LoadSession.json(details))
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
                    .checkFailed, "\(probe.path): data check \(check.name) failed (\(count) rows), e.g. \(sample.joined(separator: "; ")); nothing loaded")
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
                    \(probe.path): the file would shrink \(shrunk.count == 1 ? "a scope" : "\(shrunk.count) scopes") of feed \(spec.name) \
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
