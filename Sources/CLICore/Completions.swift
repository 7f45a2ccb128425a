import ArgumentParser
import Foundation
import Ingest
import Postgres
import Warehouse

/// Shell completion of names: feeds and reports from the SQL folder, tenants from the warehouse
/// (through `DATABASE_URL` or libpq's environment). Anything that fails completes nothing.
public enum Completions {
    /// `SQL/feeds/*.yaml` names.
    public static let feeds = CompletionKind.custom { _, _, prefix in names(in: \.feeds, suffix: ".yaml", prefix: prefix) }

    /// `SQL/reports/*.sql` names.
    public static let reports = CompletionKind.custom { _, _, prefix in names(in: \.reports, suffix: ".sql", prefix: prefix) }

    /// Tenant codes, and `corporation`.
    public static let tenants = CompletionKind.custom { _, _, prefix in
        let codes = (try? TenantRegistry(connection: Connection(conninfo: ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "")).list().map(\.code)) ?? []
        return (["corporation"] + codes).filter { $0.hasPrefix(prefix) }
    }

    static func names(in folder: KeyPath<SQLDirectory, String>, suffix: String, prefix: String) -> [String] {
        guard let sql = try? SQLDirectory.locate(), let files = try? FileManager.default.contentsOfDirectory(atPath: sql[keyPath: folder]) else { return [] }
        return files.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
