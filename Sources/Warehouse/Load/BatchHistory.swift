import Ingest
import Postgres

/// What the batch log says about past loads: recent batches, one batch in full, its rejects.
public struct BatchHistory {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The columns of `recent`, in order.
    public static let recentColumns = ["batch", "feed", "file", "status", "read", "loaded", "rejected", "started", "seconds", "error"]

    /// The latest batches (of one feed), newest first, as text cells; abandoned ones are marked failed first.
    public func recent(limit: Int, feed: String?) throws -> [[String]] {
        try BatchJanitor.failAbandoned(connection)
        return try connection.execute(
            """
            select batch_id, feed, file_name, status, rows_read, rows_loaded, rows_rejected,
                   to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(round(extract(epoch from finished_at - started_at)::numeric, 2)::text, ''),
                   coalesce(left(error, 80), '')
            from etl.batch where ($2::text is null or feed = $2) order by batch_id desc limit $1
            """, [limit, feed]
        ).map { r in (0..<Self.recentColumns.count).map { r[$0] ?? "" } }
    }

    /// One batch in full as a JSON object: counts, the whole error, details, the replacements of its rows.
    public func json(_ batch: Int64) throws -> String {
        guard
            let json = try connection.scalar(
                """
                select jsonb_build_object('batch', b.batch_id, 'feed', b.feed, 'file', b.file_name, 'sha256', b.file_sha256, 'bytes', b.bytes,
                       'status', b.status, 'rows_read', b.rows_read, 'rows_loaded', b.rows_loaded, 'rows_rejected', b.rows_rejected,
                       'rows_replaced', b.rows_replaced, 'replaced_by', b.replaced_by, 'started_at', b.started_at, 'finished_at', b.finished_at,
                       'run_by', b.run_by, 'error', b.error, 'details', b.details,
                       'replacements', coalesce((select jsonb_agg(jsonb_build_object('by', r.replaced_by, 'scope', r.scope, 'rows', r.rows) order by r.replaced_by, r.scope)
                                                 from etl.replacement r where r.batch_id = b.batch_id), '[]'::jsonb))::text
                from etl.batch b where b.batch_id = $1
                """, [batch], as: String.self)
        else {
            throw WarehouseError(.unknownName, "no batch \(batch): see leefbaar-etl batches")
        }
        return json
    }

    /// The batch's file and the rows it refused, in file order.
    public func rejects(_ batch: Int64) throws -> (file: String, rejects: [Reject]) {
        guard let file = try connection.scalar("select file_name from etl.batch where batch_id = $1", [batch], as: String.self) else {
            throw WarehouseError(.unknownName, "no batch \(batch): see leefbaar-etl batches")
        }
        let rejects = try connection.execute(
            "select line, column_name, raw_value, coalesce(raw_record, ''), reason from etl.reject where batch_id = $1 order by line, reject_id", [batch]
        ).map {
            Reject(
                line: try $0.decode(0, as: Int.self), column: try $0.decode(1), rawValue: try $0.decode(2),
                rawRecord: try $0.decode(3), reason: try $0.decode(4))
        }
        return (file, rejects)
    }
}
