import Foundation
import Ingest
import Postgres

/// The batch log: every write to `etl.batch`, `etl.reject` and `etl.replacement` goes through
/// here, so a batch's lifecycle (running → loaded | failed; loaded → partly replaced | replaced)
/// has one owner. Reads for people are `BatchHistory`.
struct BatchLog {
    let connection: Connection

    /// Opens a batch (`running`) for a file and returns its id. `sha256` may follow when it closes.
    func open(feed: String, file: String, sha256: String?, bytes: Int64) throws -> Int64 {
        guard
            let id = try connection.scalar(
                "insert into etl.batch (feed, file_name, file_sha256, bytes) values ($1, $2, $3, $4) returning batch_id",
                [feed, file, sha256, bytes], as: Int64.self)
        else { throw WarehouseError(.invalidInput, "could not create a batch") }
        return id
    }

    /// Closes a batch as loaded, with its counts and details (inside the load's transaction).
    func loaded(_ batch: Int64, read: Int, loaded: Int, rejected: Int, details: String, sha256: String) throws {
        try connection.execute(
            """
            update etl.batch set status = 'loaded', finished_at = clock_timestamp(), rows_read = $2, rows_loaded = $3,
                rows_rejected = $4, details = $5::jsonb, file_sha256 = $6 where batch_id = $1
            """, [batch, read, loaded, rejected, details, sha256])
    }

    /// Closes a batch as failed (in its own transaction) and keeps its rejects for `leefbaar-etl rejects`.
    func failed(_ batch: Int64, message: String, read: Int, rejects: [Reject], sha256: String?) throws {
        guard connection.isOpen else { return }
        try connection.withTransaction {
            try connection.execute(
                """
                update etl.batch set status = 'failed', finished_at = clock_timestamp(), error = $2,
                    rows_read = $3, rows_loaded = 0, rows_rejected = $4, file_sha256 = coalesce($5, file_sha256) where batch_id = $1
                """, [batch, message, read, rejects.count, sha256])
            try storeRejects(rejects, batch: batch)
        }
    }

    /// Marks a running batch whose process is gone failed; whether it was still running.
    func abandoned(_ batch: Int64) throws -> Bool {
        try connection.execute(
            """
            update etl.batch set status = 'failed', finished_at = clock_timestamp(),
                error = 'abandoned: the loading process ended before the batch finished (found ' || to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS') || ')'
            where batch_id = $1 and status = 'running'
            """, [batch]
        ).affectedRows > 0
    }

    /// A whole earlier batch of the same file, reloaded (`--force`), is replaced by this one.
    func replacedWhole(_ previous: Int64, by batch: Int64) throws {
        try connection.execute("update etl.batch set status = 'replaced', replaced_by = $2 where batch_id = $1", [previous, batch])
    }

    /// Records what the load removed of earlier batches (from the merge's `leefbaar_gone` tally):
    /// `etl.replacement`, `rows_replaced` and the status of each; returns batch, feed, rows and
    /// status per batch that lost rows.
    func replacements(by batch: Int64) throws -> [(batch: Int64, feed: String, rows: Int64, status: String)] {
        try connection.execute(
            """
            with g as (select batch_id, scope, sum(n)::bigint as n from leefbaar_gone group by 1, 2),
            ins as (insert into etl.replacement (batch_id, replaced_by, scope, rows) select batch_id, $1, scope, n from g),
            t as (select batch_id, sum(n)::bigint as n from g group by 1)
            update etl.batch b set rows_replaced = b.rows_replaced + t.n, replaced_by = $1,
                status = case when b.rows_replaced + t.n >= b.rows_loaded then 'replaced' else 'partly replaced' end
            from t where b.batch_id = t.batch_id
            returning b.batch_id, b.feed, t.n, b.status
            """, [batch]
        ).map { (try $0.decode(0), try $0.decode(1), try $0.decode(2), try $0.decode(3)) }
    }

    /// The rows a load refused, by COPY.
    func storeRejects(_ rejects: [Reject], batch: Int64) throws {
        guard !rejects.isEmpty else { return }
        try connection.copyIn("copy etl.reject (batch_id, line, column_name, raw_value, raw_record, reason) from stdin") { w in
            for r in rejects {
                // PostgreSQL text cannot hold NUL: show it as U+2400.
                let values = [r.column, r.rawValue, r.rawRecord, r.reason].map { $0?.replacingOccurrences(of: "\u{0}", with: "\u{2400}") }
                try w.write(CopyText.line([String(batch), String(r.line)] + values))
            }
        }
    }

    /// After a rekey: the batches' recorded key fingerprint becomes the new chain's.
    func rekeyed(fingerprint: String) throws {
        try connection.execute(
            "update etl.batch set details = jsonb_set(details, '{key_fingerprint}', to_jsonb($1::text)) where details ? 'key_fingerprint'", [fingerprint])
    }
}
