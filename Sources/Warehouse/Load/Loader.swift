import Foundation
import Ingest
import Logging
import Postgres

/// Loads files of one feed: one file is one batch, loaded in one transaction or not at all.
public final class Loader {
    let connection: Connection
    let spec: FeedSpec
    let logger: Logger

    /// A loader for a feed on a connection (a role that is, or may become, `leefbaar_owner`).
    public init(connection: Connection, spec: FeedSpec, logger: Logger = Logger(label: "leefbaar.load")) {
        self.connection = connection
        self.spec = spec
        self.logger = logger
    }

    /// Loads one file. A file already loaded for this feed is skipped unless `force`.
    ///
    /// One channel for failures: everything that goes wrong comes back as a result with status
    /// `failed`, its `errorCode` saying what kind, recorded on its batch when there is one, and
    /// nothing of the file stays in core. Problems of *this file* (it cannot be read, rows over the
    /// reject limit, a check, a key twice, the spec's SQL, the pseudonym key) have their own codes;
    /// three say the run cannot go on as it is: `.locked` (another load holds the target: exit 75,
    /// or leave the file for the next run), `.interrupted` (SIGINT/SIGTERM) and `.connectionLost`.
    public func load(file: String, options: LoadOptions = LoadOptions()) -> LoadResult {
        let started = Date()
        var result = LoadResult(feed: spec.name, file: file, status: options.dryRun ? .dryRun : .loaded)
        do {
            try load(file: file, options: options, into: &result)
        } catch {
            result.rowsLoaded = 0
            result.replaced = []
            // A stop was asked: whatever failed (the statement cancelled on the server, a step that
            // noticed) failed because of it.
            let stopped = options.shouldStop?() ?? false
            result.fail(stopped ? .interrupted : Loader.code(error), Loader.describe(error))
        }
        result.seconds = Date().timeIntervalSince(started)
        if options.dryRun { return result }
        let batch = result.batchID.map { "\($0)" } ?? "-"
        for warning in result.warnings {
            logger.warning("\(warning)", metadata: ["feed": "\(spec.name)", "batch": "\(batch)"])
        }
        for replacement in result.replaced {
            logger.info("\(replacement)", metadata: ["feed": "\(spec.name)", "batch": "\(batch)"])
        }
        if result.status != .skipped {
            logger.log(
                level: result.status == .failed ? .error : .info, "\(result.status.rawValue) \(file)",
                metadata: [
                    "feed": "\(spec.name)", "batch": "\(batch)", "read": "\(result.rowsRead)",
                    "loaded": "\(result.rowsLoaded)", "rejected": "\(result.rowsRejected)",
                ])
        }
        return result
    }

    /// The load itself: every problem is thrown, and `load(file:options:)` turns it into the result.
    private func load(file: String, options: LoadOptions, into result: inout LoadResult) throws {
        // The first hurdle of a new database: say what to do rather than which relation is missing.
        guard try connection.scalar("select to_regclass('etl.batch') is not null", as: Bool.self) == true else {
            throw WarehouseError(.invalidInput, "the database is not migrated (it has no etl.batch): run `leefbaar-etl migrate`; nothing loaded")
        }
        // Hashed later: beside the load, or before it when a loaded batch of the feed has the size.
        let probe = try FileProbe(path: file, input: spec.input)
        result.bytes = probe.size
        result.entry = probe.entry
        if let hashed = spec.columns.first(where: { $0.personal == .hash }) {
            let privacy = try PrivacyGuard.fromEnvironment()
            guard let fingerprint = privacy.fingerprint else {
                throw WarehouseError(
                    .invalidInput, "\(spec.path): column \(hashed.name) is pseudonymised (personal: hash): set LEEFBAAR_HASH_KEY or LEEFBAAR_HASH_KEY_FILE")
            }
            // The same people must keep the same pseudonyms: a load under another key is refused.
            if !options.dryRun,
                let other = try connection.scalar(
                    """
                    select details->>'key_fingerprint' from etl.batch where status in ('loaded', 'partly replaced')
                      and details ? 'key_fingerprint' and details->>'key_fingerprint' <> $1 order by batch_id desc limit 1
                    """, [fingerprint], as: String.self)
            {
                throw WarehouseError(
                    .invalidInput,
                    "\(file): the pseudonymisation key (fingerprint \(fingerprint)) is not the one earlier loads used (fingerprint \(other)); the same dossiers would get new pseudonyms and be counted twice. Use the earlier key; to change keys, follow \"Changing the key\" in docs/privacy.md"
                )
            }
        }
        if options.dryRun {
            var session = try LoadSession(loader: self, probe: probe, options: options)
            defer { session.fill(&result) }
            try session.stream.read { _, _ in }
            return
        }

        // The SQL a spec carries is checked against the database before anything is written.
        if let problem = try specSQLProblem() { throw WarehouseError(.invalidInput, problem) }
        try BatchJanitor.failAbandoned(connection)
        // One writer per target: a second load into the same table waits (--wait) or exits 75,
        // so two loads of one scope never both commit. Taken before "already loaded?".
        try TargetLock.acquire(spec.target, connection, wait: options.waitSeconds, shouldStop: options.shouldStop)
        defer { TargetLock.release(spec.target, connection) }
        // "Already loaded" needs an equal SHA-256, and that an equal size. A file the size of no
        // loaded batch of the feed is hashed beside the load (BackgroundSHA256), while the client
        // leaves the CPU time spare between its chunks, rather than read whole before it starts.
        let sameSize =
            try connection.scalar(
                "select exists (select from etl.batch where feed = $1 and status = 'loaded' and bytes in ($2, 0))", [spec.name, Int64(probe.size)],
                as: Bool.self) ?? true
        let sha256 = sameSize ? try probe.checksum() : nil
        var previous: Int64?
        if let sha256 {
            // For a national file (only_werkgebied), "already loaded" holds only for the same werkgebied:
            // once a gemeente is added, the file is loaded again by itself, replacing the earlier batch.
            let found = try connection.execute(
                """
                select batch_id, not $3 or details->>'werkgebied' is not distinct from
                       (select string_agg(gemeente_code, ',' order by gemeente_code collate "C") from core.gemeente)
                from etl.batch where feed = $1 and file_sha256 = $2 and status = 'loaded'
                order by batch_id desc limit 1
                """, [spec.name, sha256, spec.onlyWerkgebied]
            ).first
            previous = try found?.decode(0)
            let sameWerkgebied = try found?.decode(1, as: Bool.self) ?? true
            if let previous, !options.force, sameWerkgebied {
                result.status = .skipped
                result.batchID = previous
                result.message = "already loaded as batch \(previous)"
                return
            }
        }
        let hasher = sha256 == nil ? BackgroundSHA256(probe) : nil
        defer { hasher?.stop() }
        let checksum = { () throws -> String in try sha256 ?? hasher?.wait() ?? probe.checksum() }  // hasher is set when sha256 is not
        let batchID = try BatchLog(connection: connection).open(feed: spec.name, file: file, sha256: sha256, bytes: Int64(probe.size))
        result.batchID = batchID
        // Held while the batch runs: a batch left 'running' without this lock lost its process.
        try BatchJanitor.hold(batchID, connection)
        defer { BatchJanitor.release(batchID, connection) }
        var session: LoadSession?
        defer { session?.fill(&result) }
        do {
            session = try LoadSession(loader: self, probe: probe, options: options)
            try session?.load(batch: batchID, replacing: previous, checksum: checksum)
        } catch {
            // Once its batch is open, whatever fails is recorded on it, with every reject; over a
            // lost connection nothing can be, and the next run marks the batch abandoned.
            guard Loader.code(error) != .connectionLost else { throw error }
            do {
                // The file's checksum too, unless the load was stopped (or the file changed).
                let stopped = options.shouldStop?() ?? false
                try recordFailure(
                    batchID, message: Loader.describe(error), read: session?.rowsRead ?? 0, rejects: session?.allRejects ?? [],
                    sha256: stopped ? nil : try? checksum(), stopped: stopped)
            } catch let recording {
                // The first error may not look like a lost connection (the server went away
                // while it answered); that nothing could be recorded over it says so.
                let lost = Loader.code(recording) == .connectionLost
                throw WarehouseError(
                    lost ? .connectionLost : Loader.code(error) ?? .invalidInput,
                    "\(Loader.describe(error)); this could not be recorded on batch \(batchID): \(Loader.describe(recording))")
            }
            throw error
        }
    }

    /// Marks the batch failed. After a stop, once more if the first try fails: the signal's cancel
    /// request reaches the server on its own, and one that comes after the statement it was meant
    /// for has ended cancels the next one (the rollback, or this record) instead; the batch was
    /// then left `running` until a later run called it abandoned.
    func recordFailure(_ batch: Int64, message: String, read: Int, rejects: [Reject], sha256: String?, stopped: Bool) throws {
        let log = BatchLog(connection: connection)
        do {
            try log.failed(batch, message: message, read: read, rejects: rejects, sha256: sha256)
        } catch let error as PostgresError where stopped && !error.isConnectionProblem {
            if connection.inTransaction { _ = try? connection.execute("rollback") }
            try log.failed(batch, message: message, read: read, rejects: rejects, sha256: sha256)
        }
    }

    /// The first of the spec's SQL pieces (replace scope, checks) the database cannot run as a
    /// query over the target, named with its spec line; nil when all run. Nothing is executed for real.
    func specSQLProblem() throws -> String? {
        var pieces: [(origin: String, sql: String, parameters: [(any PostgresEncodable)?])] = []
        if case .replace(let scope) = spec.merge {
            pieces.append((spec.scopeOrigin, "select \((scope + spec.targetScope).joined(separator: ", ")) from \(spec.target) limit 0", []))
        }
        for check in spec.checks {
            let body = check.query
            pieces.append((check.origin, "select * from (\n\(body)\n) as c limit 0", body.contains("$1") ? [Int64(0)] : []))
        }
        guard !pieces.isEmpty else { return nil }
        return try connection.withTransaction(readOnly: true) {
            try connection.actAsOwner(local: true)
            for piece in pieces {
                do {
                    try connection.withSavepoint { _ = try connection.execute(piece.sql, piece.parameters) }
                } catch let error as PostgresError {
                    return "\(piece.origin): this SQL of the spec does not run against \(spec.target): \(error.message); nothing loaded"
                }
            }
            return nil
        }
    }

    static func describe(_ error: any Error) -> String {
        if let w = error as? WarehouseError { return w.message }
        if let pg = error as? PostgresError, pg.isConnectionProblem { return "the database connection was lost: \(pg.message)" }
        return "\(error)"
    }

    /// The kind of a failure: a warehouse error's own code; a lost connection is `.connectionLost`.
    static func code(_ error: any Error) -> WarehouseError.Code? {
        if let w = error as? WarehouseError { return w.code }
        if let pg = error as? PostgresError, pg.isConnectionProblem { return .connectionLost }
        return nil
    }
}
