import Foundation
import Ingest
import Postgres

/// Batches whose process died: each running batch holds an advisory lock on its id for as long
/// as its loader lives; a `running` batch whose lock is free was abandoned (killed process,
/// lost connection) and is marked `failed`. Its rows were never committed.
public enum BatchJanitor {
    /// The first key of the two-key advisory locks on batch ids ("LBbt").
    static let lockClass: Int32 = 0x4C42_6274

    static func hold(_ batchID: Int64, _ connection: Connection) throws {
        try connection.execute("select pg_advisory_lock($1::int, ($2::bigint % 2147483647)::int)", [lockClass, batchID])
    }

    static func release(_ batchID: Int64, _ connection: Connection) {
        guard connection.isOpen else { return }
        _ = try? connection.execute("select pg_advisory_unlock($1::int, ($2::bigint % 2147483647)::int)", [lockClass, batchID])
    }

    /// Marks abandoned running batches failed and returns their ids.
    @discardableResult
    public static func failAbandoned(_ connection: Connection) throws -> [Int64] {
        let running = try connection.execute("select batch_id from etl.batch where status = 'running' order by batch_id").map {
            try $0.decode(0, as: Int64.self)
        }
        var abandoned: [Int64] = []
        for id in running {
            let free = try connection.scalar("select pg_try_advisory_lock($1::int, ($2::bigint % 2147483647)::int)", [lockClass, id], as: Bool.self) ?? false
            guard free else { continue }
            defer { release(id, connection) }
            if try BatchLog(connection: connection).abandoned(id) { abandoned.append(id) }
            // Its staging tables (committed by the staging connection) are left over too.
            try dropStaging(of: id, connection)
        }
        return abandoned
    }

    /// Drops a batch's staging tables: `<feed>_<batch>_a` and `_b`, or `_rows` (an exchange's
    /// fresh table) and the tables its target's steps made beside it (`_rows_summary`).
    static func dropStaging(of batch: Int64, _ connection: Connection) throws {
        let tables = try connection.execute(
            """
            select format('drop table if exists staging.%I', c.relname) from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'staging' and c.relkind = 'r' and c.relname ~ ('_' || $1::text || '_([ab]|rows)(_[a-z]+)?$')
            """, [batch]
        ).map { try $0.decode(0, as: String.self) }
        for drop in tables { try connection.execute(drop) }
    }
}
