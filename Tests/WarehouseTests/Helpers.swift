import Foundation
import Postgres
import TestSupport
import Warehouse

/// The project's migrations.
func projectMigrations() throws -> [Migration] {
    try Migration.load(from: packageRoot().appendingPathComponent("SQL/migrations").path)
}

/// A fresh database with every migration applied, in the given cluster (default: the shared one).
func withMigratedDatabase<T>(cluster: TemporaryCluster? = nil, _ body: (TemporaryCluster, String, Connection) throws -> T) throws -> T {
    let cluster = try cluster ?? TemporaryCluster.shared()
    let name = try cluster.createDatabase(prefix: "w")
    defer { try? cluster.dropDatabase(name) }
    let db = try cluster.connect(database: name)
    try Migrator(connection: db, migrations: try projectMigrations()).migrate()
    return try body(cluster, name, db)
}
