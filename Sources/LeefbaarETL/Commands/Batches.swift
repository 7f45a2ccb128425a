import ArgumentParser
import CLICore
import Foundation
import Ingest
import Warehouse

/// `leefbaar-etl batches`: recent loads.
struct Batches: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List recent batches (loads) with their counts and status; `batches show N` for one in full.",
        subcommands: [ListBatches.self, ShowBatch.self],
        defaultSubcommand: ListBatches.self
    )
}

/// `leefbaar-etl batches show N`: one batch in full: counts, error, details, what replaced it.
struct ShowBatch: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one batch in full: counts, the whole error, details, replacements.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The batch number.") var batch: Int64
    @Option(help: "text or json.") var format: RecordFormat = .text

    func run() throws {
        let db = try connection.connect()
        guard
            let json = try db.scalar(
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
        if format == .json {
            print(json)
            return
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return }
        for key in [
            "batch", "feed", "file", "status", "rows_read", "rows_loaded", "rows_rejected", "rows_replaced", "replaced_by",
            "started_at", "finished_at", "run_by", "sha256", "bytes", "error",
        ] {
            guard let value = object[key], !(value is NSNull) else { continue }
            print("\(key): \(InboxRun.escaped("\(value)"))")
        }
        if let details = object["details"] as? [String: Any] {
            for (k, v) in details.sorted(by: { $0.key < $1.key }) { print("details.\(k): \(InboxRun.escaped("\(v)"))") }
        }
        for r in object["replacements"] as? [[String: Any]] ?? [] {
            print("replaced: \(r["rows"] ?? 0) rows of scope \(r["scope"] ?? "") by batch \(r["by"] ?? "")")
        }
    }
}

/// `leefbaar-etl batches [list]`: recent loads.
struct ListBatches: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recent batches (loads) with their counts and status.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "How many.") var limit = 20
    @Option(help: "Only this feed.", completion: Completions.feeds) var feed: String?
    @Option(help: "table or json.") var format: ListingFormat = .table

    func run() throws {
        let db = try connection.connect()
        try BatchJanitor.failAbandoned(db)
        let rows = try db.execute(
            """
            select batch_id, feed, file_name, status, rows_read, rows_loaded, rows_rejected,
                   to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(round(extract(epoch from finished_at - started_at)::numeric, 2)::text, ''),
                   coalesce(left(error, 80), '')
            from etl.batch where ($2::text is null or feed = $2) order by batch_id desc limit $1
            """, [limit, feed])
        format.print(
            header: ["batch", "feed", "file", "status", "read", "loaded", "rejected", "started", "seconds", "error"],
            rows: rows.map { r in (0..<10).map { r[$0] ?? "" } }, rightAligned: [0, 4, 5, 6, 8])
    }
}

/// `leefbaar-etl rejects BATCH`: the rows a load refused.
struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the rejected rows of a batch.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The batch number.") var batch: Int64
    @Option(help: "Also write them as CSV here.", completion: .file()) var rejectsFile: String?

    func run() throws {
        let db = try connection.connect()
        guard let file = try db.scalar("select file_name from etl.batch where batch_id = $1", [batch], as: String.self) else {
            throw ValidationError("no batch \(batch)")
        }
        let rejects = try db.execute(
            """
            select line, column_name, raw_value, coalesce(raw_record, ''), reason from etl.reject where batch_id = $1 order by line, reject_id
            """, [batch]
        ).map {
            Reject(
                line: try $0.decode(0, as: Int.self), column: try $0.decode(1), rawValue: try $0.decode(2),
                rawRecord: try $0.decode(3), reason: try $0.decode(4))
        }
        for line in LoadReport.rejectLines(rejects, file: file, limit: Int.max) { print(line) }
        print("\(rejects.count) rejected rows in batch \(batch)")
        if let rejectsFile {
            try LoadReport.rejectsCSV(rejects.map { (file, $0) }).write(toFile: rejectsFile, atomically: true, encoding: .utf8)
        }
    }
}
