import Foundation
import Ingest
import Warehouse

/// The version both executables report, with the newest migration of the SQL folder they would
/// use (the schema they expect): `0.2.0 (schema 0017_tenants_create_nothing)`.
public var leefbaarVersion: String {
    let release = "0.2.0"
    guard let sql = try? SQLDirectory.locate(), let migrations = try? Migration.load(from: sql.migrations), let last = migrations.last else {
        return release + " (no SQL folder found)"
    }
    return release + " (schema \(Migration.stem(version: last.version, name: last.name)), \(sql.path))"
}
