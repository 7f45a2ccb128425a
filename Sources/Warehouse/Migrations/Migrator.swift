import Ingest
import Postgres

/// Applies migrations in order, each in its own transaction, under an advisory lock.
public struct Migrator {
    /// The advisory lock key migrations take (ASCII "LBMIGRAT").
    public static let lockKey: Int64 = 0x4C42_4D49_4752_4154

    /// An applied migration as recorded in `etl.schema_migrations`.
    public struct Applied: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let sha256: String
        public let appliedAt: String
    }

    /// One line of `migrate --status`.
    public struct StatusLine: Sendable {
        public let version: Int
        public let name: String
        /// `applied`, `pending`, `changed` (file differs from what was applied) or `missing` (applied, no file).
        public let state: String
        public let appliedAt: String?
    }

    let connection: Connection
    let migrations: [Migration]
    let models: [Model]

    /// A migrator for a connection and the migrations (and models) on disk.
    public init(connection: Connection, migrations: [Migration], models: [Model] = []) {
        self.connection = connection
        self.migrations = migrations
        self.models = models
    }

    /// The migrations and models of a SQL folder.
    public init(connection: Connection, sql: SQLDirectory) throws {
        self.init(connection: connection, migrations: try Migration.load(from: sql.migrations), models: try Model.load(from: sql.models))
    }

    /// Each model file and whether the database holds it as written: `applied`, `changed` or `new`.
    public func modelStatus() throws -> [(name: String, state: String, appliedAt: String?)] {
        let exists = try connection.scalar("select to_regclass('etl.schema_model') is not null", as: Bool.self) ?? false
        var done: [String: (sha256: String, at: String)] = [:]
        if exists {
            for row in try connection.execute("select name, sha256, applied_at::text from etl.schema_model") {
                done[try row.decode(0, as: String.self)] = (try row.decode(1), try row.decode(2))
            }
        }
        return models.map { m in (m.name, done[m.name].map { $0.sha256 == m.sha256 ? "applied" : "changed" } ?? "new", done[m.name]?.at) }
    }

    /// What is recorded as applied (empty before the first migration).
    public func applied() throws -> [Applied] {
        let exists = try connection.scalar("select to_regclass('etl.schema_migrations') is not null", as: Bool.self) ?? false
        guard exists else { return [] }
        return try connection.execute("select version, name, sha256, applied_at::text from etl.schema_migrations order by version").map {
            Applied(version: try $0.decode(0), name: try $0.decode(1), sha256: try $0.decode(2), appliedAt: try $0.decode(3))
        }
    }

    /// Applied and pending migrations, and any mismatch.
    public func status() throws -> [StatusLine] {
        let done = Dictionary(uniqueKeysWithValues: try applied().map { ($0.version, $0) })
        var lines = migrations.map { m -> StatusLine in
            guard let a = done[m.version] else { return StatusLine(version: m.version, name: m.name, state: "pending", appliedAt: nil) }
            return StatusLine(version: m.version, name: m.name, state: a.sha256 == m.sha256 ? "applied" : "changed", appliedAt: a.appliedAt)
        }
        let onDisk = Set(migrations.map(\.version))
        for a in done.values where !onDisk.contains(a.version) {
            lines.append(StatusLine(version: a.version, name: a.name, state: "missing", appliedAt: a.appliedAt))
        }
        return lines.sorted { $0.version < $1.version }
    }

    /// Applies what is pending and returns it. Refuses, applying nothing, when an applied file
    /// changed or disappeared. Waits for the lock unless `wait` is false (then throws `.locked`).
    @discardableResult
    public func migrate(wait: Bool = true) throws -> [Migration] {
        if wait {
            try connection.advisoryLock(Migrator.lockKey)
        } else if try !connection.tryAdvisoryLock(Migrator.lockKey) {
            throw WarehouseError(.locked, "another migrate is running")
        }
        defer { _ = try? connection.advisoryUnlock(Migrator.lockKey) }

        let lines = try status()
        let bad = lines.filter { $0.state == "changed" || $0.state == "missing" }
        guard bad.isEmpty else {
            let list = bad.map {
                "\(Migration.stem(version: $0.version, name: $0.name)).sql ("
                    + ($0.state == "changed" ? "file changed since it was applied" : "applied, but the file is gone") + ")"
            }
            throw WarehouseError(.migrationMismatch, "refusing to migrate, nothing applied: " + list.joined(separator: "; "))
        }
        let pending = Set(lines.filter { $0.state == "pending" }.map(\.version))
        var done: [Migration] = []
        for migration in migrations where pending.contains(migration.version) {
            do {
                try connection.withTransaction {
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        "insert into etl.schema_migrations (version, name, sha256) values ($1, $2, $3)",
                        [migration.version, migration.name, migration.sha256])
                }
            } catch let error as PostgresError {
                var wrapped = error
                wrapped.message = "migration \(Migration.stem(version: migration.version, name: migration.name)).sql failed: " + error.message
                throw wrapped
            }
            done.append(migration)
        }
        // After any migration, every model again: a migration may have dropped a view to change its columns.
        try applyModels(all: !done.isEmpty)
        return done
    }

    /// Re-applies every model, in order and in one transaction, when any is new or changed (or
    /// `all`), and records their checksums; returns the names that were new or changed.
    @discardableResult
    func applyModels(all: Bool = false) throws -> [String] {
        let open = try modelStatus().filter { $0.state != "applied" }.map(\.name)
        guard !open.isEmpty || (all && !models.isEmpty) else { return [] }
        try connection.withTransaction {
            for model in models {
                do {
                    try connection.executeScript(model.sql)
                } catch let error as PostgresError {
                    var wrapped = error
                    wrapped.message = "model \(model.name).sql failed (nothing of the models applied): " + error.message
                    throw wrapped
                }
                try connection.execute(
                    """
                    insert into etl.schema_model (name, sha256) values ($1, $2)
                    on conflict (name) do update set sha256 = excluded.sha256, applied_at = now()
                    """, [model.name, model.sha256])
            }
        }
        return open
    }
}
