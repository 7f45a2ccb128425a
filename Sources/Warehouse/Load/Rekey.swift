import Crypto
import Foundation
import Ingest
import Postgres

/// Changing the pseudonymisation key without the original values: every pseudonym in the
/// warehouse is hashed once more, with the new key, in one transaction; the new key joins the
/// chain, so later loads hash values through the old keys and then the new one and meet the same
/// pseudonyms. Someone holding only an old (leaked) key cannot compute the new pseudonyms.
public enum Rekey {
    /// What a rekey changed.
    public struct Outcome: Sendable {
        /// Rows re-pseudonymised per `table.column`.
        public var rows: [String: Int]
        public var oldFingerprint: String
        public var newFingerprint: String
    }

    /// Re-pseudonymises every `personal: hash` column of the feeds in `sql` with `newKey`, in one
    /// transaction, and records the new chain's fingerprint on the batches. The current chain
    /// comes from the environment (LEEFBAAR_HASH_KEY / LEEFBAAR_HASH_KEY_FILE) and must be the one
    /// the loaded batches used.
    public static func run(_ connection: Connection, sql: SQLDirectory, newKey: Data) throws -> Outcome {
        let current = try PrivacyGuard.fromEnvironment()
        guard let oldFingerprint = current.fingerprint else {
            throw WarehouseError(.invalidInput, "rekey needs the current key: set LEEFBAAR_HASH_KEY_FILE (or LEEFBAAR_HASH_KEY)")
        }
        let key = try PrivacyGuard.key(newKey, source: "the new key")
        let newFingerprint = PrivacyGuard.fingerprint(of: current.chain + [key])
        var columns: [(table: String, column: String)] = []
        for spec in try FeedSpec.all(in: sql) {
            for c in spec.columns where c.personal == .hash && !c.stageOnly && !columns.contains(where: { $0 == (spec.target, c.name) }) {
                columns.append((spec.target, c.name))
            }
        }
        var rows: [String: Int] = [:]
        let symmetric = SymmetricKey(data: key)
        try connection.withTransaction {
            try connection.actAsOwner(local: true)
            // No load may write pseudonyms under the old chain meanwhile.
            for table in Set(columns.map(\.table)).sorted() {
                _ = try connection.scalar("select pg_advisory_xact_lock($1::int, hashtext($2))", [TargetLock.lockClass, table], as: String.self)
            }
            if let other = try connection.scalar(
                """
                select details->>'key_fingerprint' from etl.batch where details ? 'key_fingerprint' and details->>'key_fingerprint' <> $1 limit 1
                """, [oldFingerprint], as: String.self)
            {
                throw WarehouseError(
                    .invalidInput,
                    "the current key (fingerprint \(oldFingerprint)) is not the one the loaded batches used (\(other)); set LEEFBAAR_HASH_KEY_FILE to the key file in use"
                )
            }
            try connection.execute("create temp table leefbaar_rekey (old text primary key, new text not null) on commit drop")
            for (table, column) in columns {
                let olds = try connection.execute("select distinct \(column) from \(table) where \(column) is not null").map {
                    try $0.decode(0, as: String.self)
                }
                try connection.execute("truncate leefbaar_rekey")
                if !olds.isEmpty {
                    try connection.copyIn("copy leefbaar_rekey (old, new) from stdin") { w in
                        for old in olds { try w.write(CopyText.line([old, PrivacyGuard.step(old, symmetric)])) }
                    }
                }
                rows["\(table).\(column)"] = try connection.execute(
                    "update \(table) t set \(column) = m.new from leefbaar_rekey m where t.\(column) = m.old"
                ).affectedRows
            }
            try BatchLog(connection: connection).rekeyed(fingerprint: newFingerprint)
        }
        return Outcome(rows: rows, oldFingerprint: oldFingerprint, newFingerprint: newFingerprint)
    }
}
