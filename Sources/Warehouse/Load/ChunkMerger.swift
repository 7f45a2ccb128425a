import Ingest
import Postgres

/// Moves a load's rows into the target chunk by chunk, on two connections so that three things
/// run at once: the client converts chunk k+2, a second connection COPYs chunk k+1 into one of two
/// staging tables (committed, so the load's transaction can read it; the client does not wait for
/// the COPY to be stored before it converts on), and the load's own connection merges chunk k from
/// the other staging table into `core`. The merge is the only step inside the load's transaction;
/// staging tables are scaffolding, dropped at the end. An exchange (`exchanges`) has no staging
/// and no merge: the chunks are COPYed into one fresh table, put in place of the target's year
/// partitions by `finish`, in the load's transaction.
final class ChunkMerger {
    let db: Connection
    let stager: Connection
    let tables: [MergeSQL]
    let batchID: Int64
    let file: String
    private(set) var loaded = 0
    /// Staged rows the target's own rules (CHECK, NOT NULL) refuse, taken out before their merge.
    private(set) var ruleRejects: [Reject] = []
    private var checkRules = true
    private var chunk = 0
    private var pending: (rows: Int, sql: MergeSQL)?
    /// The chunk whose COPY was sent to the stager and not yet received.
    private var staged: (rows: Int, sql: MergeSQL)?
    /// Exchange mode: the one table every chunk is COPYed into (scaffolding like the staging
    /// tables, in the target's shape without indexes, CHECKs or NOT NULLs; made and filled in one
    /// transaction of the second connection, committed by `collect`), put in place of the
    /// target's year partitions by `finish`. Nothing is merged row by row.
    private let fresh: MergeSQL?
    /// The steps `finish` sent to the second connection, and those still to run on the load's
    /// (see `startIndexBuild`).
    private var indexBuild: ExchangeSteps?

    /// A target's `<target>_exchange_steps(regclass)` split over the two connections: the phases
    /// of the steps sent to the second connection as one script and not yet received, in order,
    /// and the load connection's steps.
    struct ExchangeSteps {
        let secondPhases: [Int]
        let load: [(phase: Int, statement: String)]
    }

    /// Creates the two staging tables (committed), or the fresh table of an exchange (in a
    /// transaction `collect` commits), on the second connection.
    init(db: Connection, sql: MergeSQL, batchID: Int64, file: String) throws {
        self.db = db
        self.batchID = batchID
        self.file = file
        stager = try db.openSibling()
        try stager.actAsOwner(local: false)
        try stager.useLoadSettings(local: false)
        if try ChunkMerger.exchanges(sql, db) {
            let table = try sql.with(stagingTable: "\(sql.stagingBase)_\(batchID)_rows", connection: db)
            try stager.execute("drop table if exists \(table.staging)")
            // Made and filled in one transaction, committed by `collect`: COPY FREEZE writes the
            // rows frozen, so the scans and index builds that follow find them settled instead
            // of setting every row's hint bits (writing every page once more).
            try stager.execute("begin")
            try ChunkMerger.createFresh(table.staging, like: sql.target, batch: batchID, stager)
            fresh = table
            tables = []
        } else {
            tables = try ["a", "b"].map { try sql.with(stagingTable: "\(sql.stagingBase)_\(batchID)_\($0)", connection: db) }
            for table in tables { try stager.executeScript(table.createStaging) }
            fresh = nil
        }
    }

    /// Whether a load exchanges partitions: a replace feed whose scope is the target's `year`
    /// (`target_scope: [year]`) into a partitioned target that has an exchange function
    /// `<target>_exchange(fresh regclass, year integer, feed text, batch bigint, rows bigint, held jsonb)`.
    /// The spec's staged columns must be the target's (no stage-only columns, no after-merge SQL).
    static func exchanges(_ sql: MergeSQL, _ db: Connection) throws -> Bool {
        guard case .replace = sql.spec.merge, sql.spec.targetScope == ["year"], sql.stagingColumns == sql.columns, sql.spec.afterMerge.isEmpty
        else { return false }
        return try db.scalar(
            """
            select c.relkind = 'p' and to_regprocedure($1 || '_exchange(regclass, integer, text, bigint, bigint, jsonb)') is not null
            from pg_class c where c.oid = $1::regclass
            """, [sql.target], as: Bool?.self) == true
    }

    /// A table of `target`'s columns (defaults and generated columns too) that takes any row (the
    /// rows that break a rule become rejects before the exchange adds the target's constraints),
    /// its `batch_id` the batch's.
    private static func createFresh(_ table: String, like target: String, batch: Int64, _ connection: Connection) throws {
        // Without autovacuum: it would take a lock the exchange's index builds then wait for (the
        // exchange gives the partition its autovacuum back).
        try connection.execute("create table \(table) (like \(target) including defaults including generated) with (autovacuum_enabled = false)")
        let notNull = try connection.execute(
            "select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attnotnull", [table]
        ).map { "alter column \(try connection.escapeIdentifier(try $0.decode(0, as: String.self))) drop not null" }
        try connection.execute("alter table \(table) \((notNull + ["alter column batch_id set default \(batch)"]).joined(separator: ", "))")
    }

    /// The rows per chunk for this load, given the option's. An exchange only COPYs its chunks,
    /// so it takes at most 10,000: the server waits for the client to convert a whole chunk
    /// before its COPY starts, and with each chunk converted while the one before is stored, the
    /// waits add up to about a chunk and a half's conversion in all. At 1M lines, 100,000-row
    /// chunks left the server 0.19–0.36 s without work between COPYs, 10,000-row chunks
    /// 0.07–0.17 s, with no cost of their own to see in the COPYs' sum.
    func chunkRows(_ option: Int) -> Int {
        fresh == nil ? option : min(option, 10_000)
    }

    /// Sends the COPY of one chunk without waiting for it, after sending the merge of the chunk
    /// before it (an exchange only COPYs).
    func stage(_ bytes: [UInt8], rows: Int) throws {
        try mergeStaged()
        if let fresh {
            try stager.sendCopyIn(fresh.copyStaging + " with (freeze)") { try $0.write(bytes) }
            staged = (rows, fresh)
            return
        }
        let sql = tables[chunk % 2]
        chunk += 1
        // This table's previous chunk was merged two chunks ago and collected since.
        try stager.execute("delete from \(sql.staging)")
        try stager.sendCopyIn(sql.copyStaging) { try $0.write(bytes) }
        staged = (rows, sql)
    }

    /// Waits for the staged chunk's COPY, takes out its broken rows, waits for the merge before it,
    /// and sends the chunk's merge.
    private func mergeStaged() throws {
        guard let (rows, sql) = staged else { return }
        staged = nil
        let copied = try stager.receive().affectedRows
        guard copied == rows else {
            throw WarehouseError(.invalidInput, "staging received \(copied) rows, expected \(rows)")
        }
        if fresh != nil {
            loaded += rows
            return
        }
        let kept = rows - (try takeOutBrokenRows(sql))
        try collectMerge()
        if let delete = sql.deleteScopes { try db.execute(delete, [batchID, sql.spec.name]) }
        try db.execute("savepoint leefbaar_merge")
        try db.send(sql.insert, [batchID])
        pending = (kept, sql)
    }

    /// Rows of the staged chunk that break a CHECK or NOT NULL of the target become rejects (line,
    /// column, value, the rule); returns how many were taken out.
    private func takeOutBrokenRows(_ sql: MergeSQL) throws -> Int {
        guard checkRules, let statement = sql.takeOutBrokenRows else { return 0 }
        let broken: QueryResult
        do {
            broken = try stager.execute(statement)
        } catch let error as PostgresError where error.sqlState?.hasPrefix(SQLState.syntaxOrAccessClass) == true {
            // A rule that cannot be evaluated on the staging types: the merge itself enforces it.
            checkRules = false
            return 0
        }
        for row in broken {
            let rule = sql.rowRules[(try row.decode(1, as: Int.self)) - 1]
            ruleRejects.append(
                Reject(
                    line: try row.decode(0), column: rule.column, rawValue: try row.decode(2, as: String?.self),
                    rawRecord: try row.decode(3), reason: rule.reason))
        }
        return broken.count
    }

    /// Merges the last staged chunk and waits for every merge. A key twice in the file is reported
    /// with its lines.
    func collect() throws {
        try mergeStaged()
        try collectMerge()
        // An exchange's fresh table then takes the target's defaults only. Its rows are checked
        // against the target's rules by the exchange itself (`finish`).
        if let fresh {
            try stager.execute("alter table \(fresh.staging) alter column batch_id drop default")
            try stager.execute("commit")
        }
    }

    /// Waits for the merge in flight, if any.
    private func collectMerge() throws {
        guard let (rows, sql) = pending else { return }
        pending = nil
        do {
            let merged = try db.receive().affectedRows
            if merged < rows { try reportDuplicates(sql, nil) }
            loaded += merged
            for statement in sql.afterMerge { try db.executeSpecStatement(statement, batch: batchID) }
            try db.execute("release savepoint leefbaar_merge")
        } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation || error.sqlState == SQLState.cardinalityViolation {
            try db.execute("rollback to savepoint leefbaar_merge")
            try reportDuplicates(sql, error)
        }
    }

    /// Exchange mode: puts the merged rows in place of the target's partitions, year by year (a
    /// file of one year exchanges the fresh table itself). A key twice in a year, or a key another
    /// feed's row holds in that year, is reported with its lines.
    /// The exchange adds the target's NOT NULLs and CHECKs to the rows in one scan; only when one
    /// fails are the rows that break a rule taken out as rejects (one more scan) and the years
    /// exchanged again without them, so a clean file is scanned once for its rules, not twice.
    func finish() throws {
        guard let sql = fresh else { return }
        // While the load's connection counts the years, the second analyzes the table and starts
        // the key's build; the build is stopped if the table is not exchanged whole (several
        // years, rows to take out).
        try db.send(yearCountQuery(sql))
        do {
            indexBuild = try startIndexBuild(sql, sql.staging, analyze: true)
        } catch {
            db.discardResults()
            throw error
        }
        var years = try yearCounts(db.receive())
        if years.count != 1 || years[0].year == nil { stopIndexBuild() }
        if years.contains(where: { $0.year == nil }) {
            // A row without a year would be exchanged nowhere: the rules (booking_date's NOT NULL) take it out first.
            loaded -= try takeOutBrokenRows(sql)
            years = try yearCounts(sql)
        }
        try db.execute("savepoint leefbaar_years")
        do {
            try exchange(sql, years)
            try db.execute("release savepoint leefbaar_years")
        } catch let error as PostgresError where error.sqlState == SQLState.checkViolation || error.sqlState == SQLState.notNullViolation {
            stopIndexBuild()
            try db.execute("rollback to savepoint leefbaar_years")
            let broken = try takeOutBrokenRows(sql)
            guard broken > 0 else { throw error }
            loaded -= broken
            try exchange(sql, try yearCounts(sql))
        }
    }

    /// The fresh table's rows per year (a nil year last).
    private func yearCounts(_ sql: MergeSQL) throws -> [(year: Int?, rows: Int64)] {
        try yearCounts(db.execute(yearCountQuery(sql)))
    }

    private func yearCountQuery(_ sql: MergeSQL) -> String {
        "select year, count(*) from \(sql.staging) group by 1 order by 1"
    }

    private func yearCounts(_ result: QueryResult) throws -> [(year: Int?, rows: Int64)] {
        try result.map { (try $0.decode(0, as: Int?.self), try $0.decode(1, as: Int64.self)) }
    }

    /// Exchanges each year's rows for the year's partition.
    private func exchange(_ sql: MergeSQL, _ counts: [(year: Int?, rows: Int64)]) throws {
        let years = counts.compactMap { c in c.year.map { ($0, c.rows) } }
        for (index, (year, rows)) in years.enumerated() {
            var table = sql.staging
            if years.count > 1 {
                // One table per year, made in the load's transaction.
                table = "staging." + (try db.escapeIdentifier("\(sql.stagingBase)_\(batchID)_\(year)"))
                let columns = (sql.columns + ["batch_id", "source_line"]).joined(separator: ", ")
                try db.execute("create table \(table) (like \(sql.staging) including defaults including generated)")
                try db.execute("insert into \(table) (\(columns)) select \(columns) from \(sql.staging) where year = $1", [year])
            }
            try db.execute("savepoint leefbaar_exchange")
            do {
                // A table made in the load's transaction is not visible to the second connection.
                if let rest = indexBuild {
                    indexBuild = nil
                    try finishIndexBuild(rest)
                } else if years.count == 1, let rest = try startIndexBuild(sql, table) {
                    try finishIndexBuild(rest)
                }
                // Only the first year's exchange may count on the second connection: the ones after it
                // would wait there for the exclusive lock the first took on the target (the load's
                // transaction keeps it), and the load would wait for them.
                let held = index == 0 ? try countHeld(sql, table, year) : nil
                try db.execute(
                    "select \(sql.target)_exchange($1::regclass, $2, $3, $4, $5, $6::jsonb)", [table, year, sql.spec.name, batchID, rows, held])
                try db.execute("release savepoint leefbaar_exchange")
            } catch let error as PostgresError where error.sqlState == SQLState.uniqueViolation {
                try db.execute("rollback to savepoint leefbaar_exchange")
                let key = sql.spec.key.joined(separator: ", ")
                try reportDuplicates(
                    sql, error, duplicates: sql.spec.key.isEmpty ? nil : sql.duplicateKeys(among: "select \(key), source_line from \(table)"),
                    held: sql.keysHeld(in: table, where: "t.year = \(year) and b.feed <> $1"), parameter: sql.spec.name)
            }
        }
    }

    /// The year's rows in the target per batch, counted on the second connection while the load's
    /// checks the fresh table's rules, when the target has `<target>_exchange_lock(integer)` and
    /// `<target>_exchange_rules(regclass, integer)`; else nil, and the exchange counts them itself
    /// after its rules' scan, one after the other. The lock function locks the target against
    /// writes in the load's transaction before the count's query is sent, so the count sees
    /// every row committed before it and no writer adds one until the load ends. At 5M lines the
    /// count reads the old partition (0.6–1.1 s) while the rules' scan runs in one process.
    private func countHeld(_ sql: MergeSQL, _ table: String, _ year: Int) throws -> String? {
        guard
            try db.scalar(
                "select to_regprocedure($1 || '_exchange_lock(integer)') is not null and to_regprocedure($1 || '_exchange_rules(regclass, integer)') is not null",
                [sql.target], as: Bool.self) == true,
            let count = try db.scalar("select \(sql.target)_exchange_lock($1)", [year], as: String.self)
        else { return nil }
        try stager.send(count)
        do {
            try db.execute("select \(sql.target)_exchange_rules($1::regclass, $2)", [table, year])
        } catch {
            cancelStager()
            throw error
        }
        return try stager.receive().first?.decode(0, as: String.self)
    }

    /// Makes the fresh table ready for its exchange on both connections at once: the steps the
    /// target's `<target>_exchange_steps(regclass)` gives (the indexes still missing, with the
    /// primary key, the costliest, on the second connection; for core.spending also its foreign
    /// keys, and the year's sum for its summary), the second connection's sent as one script, each
    /// step in a transaction of its own (`startIndexBuild` sends it and returns the load's), the
    /// load's run meanwhile in the load's transaction (`finishIndexBuild`), each once the second
    /// connection's steps of earlier phases have ended: the load's transaction holds its locks to
    /// its end, so the second connection must never need one it holds. Each build sorts its own
    /// index in one process (the load's settings, `useLoadSettings`), so both cores work where one
    /// build after another left one idle through each build's single-process steps. The exchange
    /// does whatever is still missing (all of it when the target has no such function).
    /// `analyze`: the second connection analyzes the table first (before the builds, whose locks
    /// would make it wait), so the exchange finds its statistics.
    private func startIndexBuild(_ sql: MergeSQL, _ table: String, analyze: Bool = false) throws -> ExchangeSteps? {
        guard try stager.scalar("select to_regprocedure($1 || '_exchange_steps(regclass)') is not null", [sql.target], as: Bool.self) == true
        else { return nil }
        let steps = try stager.execute("select second, phase, statement from \(sql.target)_exchange_steps($1::regclass)", [table]).map {
            (second: try $0.decode(0, as: Bool.self), phase: try $0.decode(1, as: Int.self), statement: try $0.decode(2, as: String.self))
        }
        if analyze { try stager.execute("analyze \(table)") }
        let second = steps.filter(\.second)
        guard !second.isEmpty else { return nil }
        try stager.sendScript(second.map { "begin; \($0.statement); commit;" }.joined(separator: "\n"))
        return ExchangeSteps(secondPhases: second.map(\.phase), load: steps.filter { !$0.second }.map { ($0.phase, $0.statement) })
    }

    private func finishIndexBuild(_ steps: ExchangeSteps) throws {
        var pending = steps.secondPhases
        do {
            for step in steps.load {
                // The second connection's steps of earlier phases first (begin, the step, commit).
                while let phase = pending.first, phase < step.phase {
                    try receiveStagerStep()
                    pending.removeFirst()
                }
                try db.execute(step.statement)
            }
        } catch {
            // Stop the other connection's steps rather than wait for them: the load is failing.
            cancelStager()
            throw error
        }
        for _ in pending { try receiveStagerStep() }
        stager.discardResults()  // the end of the script
    }

    /// Waits for one step of the second connection's script: its begin, statement and commit.
    private func receiveStagerStep() throws {
        do {
            try stager.receive(results: 3)
        } catch {
            endStagerTransaction()
            throw error
        }
    }

    /// Stops the build `finish` started, when the table is not to be exchanged as it is.
    private func stopIndexBuild() {
        guard indexBuild != nil else { return }
        indexBuild = nil
        cancelStager()
    }

    /// Cancels the second connection's statement in flight and drops its result.
    private func cancelStager() {
        stager.cancelToken()?.cancel()
        stager.discardResults()
        endStagerTransaction()
    }

    /// Rolls back the transaction a failed or cancelled step of the second connection left open.
    private func endStagerTransaction() {
        if stager.isOpen, stager.inTransaction { _ = try? stager.execute("rollback") }
    }

    private func reportDuplicates(_ sql: MergeSQL, _ error: PostgresError?) throws {
        try reportDuplicates(sql, error, duplicates: sql.duplicateKeys, held: sql.keysHeldElsewhere, parameter: batchID)
    }

    /// Names the lines of a key the file holds twice (`duplicates`, with `$1` = `parameter` when it
    /// uses it), else the rows of other batches holding a key of the file (`held`).
    private func reportDuplicates(_ sql: MergeSQL, _ error: PostgresError?, duplicates: String?, held heldQuery: String, parameter: any PostgresEncodable)
        throws
    {
        let rows = try duplicates.map { try db.execute($0, $0.contains("$1") ? [parameter] : []) }
        guard let rows, !rows.isEmpty else {
            // Not twice in the file: the key is held by a row of another batch the load does not replace.
            if let error, error.sqlState == SQLState.uniqueViolation, !sql.primaryKey.isEmpty {
                let held = try db.execute(heldQuery, [parameter])
                if !held.isEmpty {
                    let list = try held.map { r in
                        "key \(try r.decode(0, as: String.self)) on line \(try r.decode(1, as: Int.self)) is held by batch \(try r.decode(2, as: Int.self)) (feed \(try r.decode(3, as: String.self)), line \(try r.decode(4, as: Int.self)))"
                    }
                    throw WarehouseError(
                        .invalidInput,
                        "\(file): \(list.joined(separator: "; ")). The key (\(sql.primaryKey.joined(separator: ", "))) must be unique in \(sql.target)\(fresh == nil ? " across files" : " within a year, across feeds"); a replace removes only the feed's own rows in the file's scopes\(fresh == nil ? " (do numbers restart each year?)" : ""). Nothing loaded"
                    )
                }
            }
            if let error { throw error }
            throw WarehouseError(.invalidInput, "\(file): fewer rows merged than staged")
        }
        let list = try rows.map { "key \(try $0.decode(0, as: String.self)) on lines \(try $0.decode(1, as: String.self))" }
        throw WarehouseError(.invalidInput, "\(file): the same key occurs more than once: \(list.joined(separator: "; "))")
    }

    /// Drops a merge in flight after a failure elsewhere, so the transaction can be rolled back.
    func abandon() {
        stopIndexBuild()
        if staged != nil {
            staged = nil
            stager.discardResults()
        }
        if pending != nil {
            pending = nil
            db.discardResults()
        }
    }

    /// Drops the staging tables; call after the load's transaction has ended.
    func dropStaging() {
        // An exchange's fresh table not yet committed goes with its transaction.
        endStagerTransaction()
        if stager.isOpen { try? BatchJanitor.dropStaging(of: batchID, stager) }
    }
}
