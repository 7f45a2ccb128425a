import ArgumentParser
import CLICore
import Foundation
import Ingest
import Logging
import Warehouse

/// `leefbaar-etl load`: loads files of one feed, one batch per file.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load files into the warehouse: one file is one batch, in one transaction.",
        discussion: """
            A file whose SHA-256 was already loaded for the feed is skipped (exit 0). Rejected rows go to \
            etl.reject; more than --max-rejects fails the file (exit 3) and nothing of it is loaded.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The feed (SQL/feeds/<feed>.yaml).", completion: Completions.feeds)
    var feed: String?

    @Option(help: "A feed spec file, for a layout no SQL/feeds spec covers.", completion: .file(extensions: ["yaml", "yml"]))
    var spec: String?

    @Flag(help: "Read, convert and validate; write nothing.")
    var dryRun = false

    @Option(help: "Rejected rows allowed per file: a count (10) or a percentage (1%). Default: the spec's max_rejects.")
    var maxRejects: String?

    @Flag(help: "Reload files already loaded, replacing their rows.")
    var force = false

    @Flag(help: "Let a replace remove far more rows of a scope than the file brings (a stray year, a gemeente gone from a year).")
    var allowShrink = false

    @Option(help: "Wait up to this many seconds for another load into the same table to finish (default: exit 75 at once).")
    var wait: Double = 0

    @Option(help: "Write a JSON summary of the run here.", completion: .file())
    var summaryJson: String?

    @Option(help: "Also write the rejects as CSV here.", completion: .file())
    var rejectsFile: String?

    @Option(help: "Log format: human lines or json (one object per line).")
    var logFormat: LogFormat = .human

    @OptionGroup var verbosity: Verbosity

    @Argument(help: "The files to load.", completion: .file())
    var files: [String]

    func validate() throws {
        if feed != nil && spec != nil { throw ValidationError("give --feed NAME or --spec PATH, not both") }
        if let maxRejects, RejectLimit(maxRejects) == nil { throw ValidationError("--max-rejects takes a count or a percentage, e.g. 10 or 1%") }
        if files.isEmpty { throw ValidationError("name at least one file") }
    }

    func run() throws {
        logFormat.bootstrap(level: verbosity.level)
        let sql = try? connection.sql()
        let feedSpec: FeedSpec
        if let spec {
            feedSpec = try FeedSpec.load(path: spec, sql: sql)
        } else {
            guard let sql else { throw WarehouseError(.missingFile, "no SQL/ folder found: pass --sql-dir or set LEEFBAAR_SQL_DIR") }
            if let feed {
                feedSpec = try FeedSpec.named(feed, in: sql)
            } else {
                // No --feed: the feed whose file_pattern matches, as the nightly run picks it.
                let specs = try FeedSpec.all(in: sql)
                let names = files.map { ($0 as NSString).lastPathComponent }
                let matching = specs.filter { s in names.allSatisfy { InboxRun.takes(s, $0) } }
                guard matching.count == 1, let only = matching.first else {
                    throw ValidationError(
                        matching.isEmpty
                            ? "no feed's file_pattern matches \(names.joined(separator: ", ")): give --feed NAME (see leefbaar-etl feeds)"
                            : "several feeds match \(names.joined(separator: ", ")) (\(matching.map(\.name).joined(separator: ", "))): give --feed NAME")
                }
                feedSpec = only
            }
        }
        let db = try connection.connect()
        let interruption = Interruption(connection: db)
        let loader = Loader(connection: db, spec: feedSpec, logger: Logger(label: "leefbaar.load"))
        var results: [LoadResult] = []
        for file in files {
            var options = LoadOptions()
            options.dryRun = dryRun
            options.force = force
            options.allowShrink = allowShrink
            options.waitSeconds = wait
            options.maxRejects = maxRejects.flatMap(RejectLimit.init)
            options.shouldStop = { interruption.requested }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let progress = Progress(label: (file as NSString).lastPathComponent, totalBytes: size)
            if !verbosity.quiet { options.progress = { bytes, rows in progress.update(bytes: bytes, rows: rows) } }
            let result = loader.load(file: file, options: options)
            progress.finish()
            results.append(result)
            if interruption.requested { break }
            for line in LoadReport.rejectLines(result.rejects, file: result.source) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            if result.status == .failed, let message = result.message {
                FileHandle.standardError.write(Data("leefbaar-etl: error: \(message)\n".utf8))
                if result.stopsTheRun { break }
            } else if result.status == .skipped, let message = result.message, !verbosity.quiet {
                print("\(file): skipped, \(message)")
            }
            if verbosity.quiet { continue }
            for replacement in result.replaced { print("\(file): \(replacement)") }
            if !result.droppedColumns.isEmpty {
                print("\(file): columns not kept (never stored): \(result.droppedColumns.joined(separator: ", "))")
            }
        }
        if !verbosity.quiet { print(LoadReport.table(results)) }
        let status = LoadReport.exitStatus(results)
        if let summaryJson { try LoadReport.json(results, exitCode: status.rawValue).write(to: URL(fileURLWithPath: summaryJson)) }
        if let rejectsFile {
            let all = results.flatMap { r in r.rejects.map { (r.source, $0) } }
            try LoadReport.rejectsCSV(all).write(toFile: rejectsFile, atomically: true, encoding: .utf8)
        }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
