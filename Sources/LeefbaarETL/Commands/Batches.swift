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
        let json = try BatchHistory(connection: try connection.connect()).json(batch)
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
        let rows = try BatchHistory(connection: try connection.connect()).recent(limit: limit, feed: feed)
        format.print(header: BatchHistory.recentColumns, rows: rows, numeric: [0, 4, 5, 6, 8])
    }
}

/// `leefbaar-etl rejects BATCH`: the rows a load refused.
struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the rejected rows of a batch.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The batch number.") var batch: Int64
    @Option(help: "Also write them as CSV here.", completion: .file()) var rejectsFile: String?

    func run() throws {
        let (file, rejects) = try BatchHistory(connection: try connection.connect()).rejects(batch)
        for line in LoadReport.rejectLines(rejects, file: file, limit: Int.max) { print(line) }
        print("\(rejects.count) rejected rows in batch \(batch)")
        if let rejectsFile {
            try LoadReport.rejectsCSV(rejects.map { (file, $0) }).write(toFile: rejectsFile, atomically: true, encoding: .utf8)
        }
    }
}
