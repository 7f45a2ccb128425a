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
    /// One rule for failures: whatever is wrong with *this file* (it cannot be read, rows over the
    /// reject limit, a check, a key twice, the spec's SQL, the pseudonym key) comes back as a result
    /// with status `failed`, recorded on its batch, and nothing of it stays in core. What stops
    /// *the run* is thrown: the target is locked by another load (exit 75), the connection is lost,
    /// the run is interrupted, the key configuration cannot be read.
    public func load(file: String, options: LoadOptions = LoadOptions()) throws -> LoadResult {
        let started = Date()
        var result = LoadResult(feed: spec.name, file: file, status: options.dryRun ? .dryRun : .loaded)
        let probe: FileProbe
        do {
            probe = try FileProbe(path: file, input: spec.input)
        } catch let error as WarehouseError {
            result.fail(error.code, error.message)
            return result
        }
        result.bytes = probe.size
        if let hashed = spec.columns.first(where: { $0.personal == .hash }) {
            let privacy = try PrivacyGuard.fromEnvironment()
            guard let fingerprint = privacy.fingerprint else {
                result.fail(
                    .invalidInput, "\(spec.path): column \(hashed.name) is pseudonymised (personal: hash): set LEEFBAAR_HASH_KEY or LEEFBAAR_HASH_KEY_FILE")
                return result
            }
            // The same people must keep the same pseudonyms: a load under another key is refused.
            if !options.dryRun,
                let other = try connection.scalar(
                    """
                    select details->>'key_fingerprint' from etl.batch where status in ('loaded', 'partly replaced')
                      and details ? 'key_fingerprint' and details->>'key_fingerprint' <> $1 order by batch_id desc limit 1
                    """, [fingerprint], as: String.self)
            {
                result.fail(
                    .invalidInput,
                    "\(file): the pseudonymisation key (fingerprint \(fingerprint)) is not the one earlier loads used (fingerprint \(other)); the same dossiers would get new pseudonyms and be counted twice. Use the earlier key; to change keys, follow \"Changing the key\" in docs/privacy.md"
                )
                return result
            }
        }
        if options.dryRun {
            var session = try LoadSession(loader: self, probe: probe, options: options)
            do {
                try session.stream.read { _, _ in }
            } catch let error as WarehouseError {
                result.fail(error.code, error.message)
            }
            session.fill(&result)
            result.seconds = Date().timeIntervalSince(started)
            return result
        }

        // The SQL a spec carries is checked against the database before anything is written.
        if let problem = try specSQLProblem() {
            result.fail(.invalidInput, problem)
            return result
        }
        try BatchJanitor.failAbandoned(connection)
        // One writer per target: a second load into the same table waits (--wait) or exits 75,
        // so two loads of one scope never both commit. Taken before "already loaded?".
        try TargetLock.acquire(spec.target, connection, wait: options.waitSeconds, shouldStop: options.shouldStop)
        defer { TargetLock.release(spec.target, connection) }
        // For a national file (only_werkgebied), "already loaded" holds only for the same werkgebied:
        // once a gemeente is added, the file is loaded again by itself, replacing the earlier batch.
        let found = try connection.execute(
            """
            select batch_id, not $3 or details->>'werkgebied' is not distinct from
                   (select string_agg(gemeente_code, ',' order by gemeente_code collate "C") from core.gemeente)
            from etl.batch where feed = $1 and file_sha256 = $2 and status = 'loaded'
            order by batch_id desc limit 1
            """, [spec.name, probe.sha256, spec.onlyWerkgebied]
        ).first
        let previous: Int64? = try found?.decode(0)
        let sameWerkgebied = try found?.decode(1, as: Bool.self) ?? true
        if let previous, !options.force, sameWerkgebied {
            result.status = .skipped
            result.batchID = previous
            result.message = "already loaded as batch \(previous)"
            result.seconds = Date().timeIntervalSince(started)
            return result
        }
        let log = BatchLog(connection: connection)
        let batchID = try log.open(feed: spec.name, file: file, sha256: probe.sha256, bytes: Int64(probe.size))
        result.batchID = batchID
        // Held while the batch runs: a batch left 'running' without this lock lost its process.
        try BatchJanitor.hold(batchID, connection)
        defer { BatchJanitor.release(batchID, connection) }
        var session = try LoadSession(loader: self, probe: probe, options: options)
        do {
            try session.load(batch: batchID, replacing: previous)
            session.fill(&result)
        } catch {
            session.fill(&result)
            result.rowsLoaded = 0
            result.fail((error as? WarehouseError)?.code, Loader.describe(error))
            try log.failed(batchID, message: result.message ?? "failed", read: result.rowsRead, rejects: session.allRejects)
            if let pg = error as? PostgresError, pg.isConnectionProblem { throw error }
        }
        result.seconds = Date().timeIntervalSince(started)
        for warning in result.warnings {
            logger.warning("\(warning)", metadata: ["feed": "\(spec.name)", "batch": "\(batchID)"])
        }
        for replacement in result.replaced {
            logger.info("\(replacement)", metadata: ["feed": "\(spec.name)", "batch": "\(batchID)"])
        }
        logger.log(
            level: result.status == .failed ? .error : .info, "\(result.status.rawValue) \(file)",
            metadata: [
                "feed": "\(spec.name)", "batch": "\(batchID)", "read": "\(result.rowsRead)",
                "loaded": "\(result.rowsLoaded)", "rejected": "\(result.rowsRejected)",
            ])
        return result
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
        return "\(error)"
    }
}
