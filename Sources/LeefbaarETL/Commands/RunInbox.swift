import ArgumentParser
import CLICore
import Foundation
import Ingest
import Logging
import Warehouse

/// `leefbaar-etl run --inbox DIR`: the scheduled job.
struct RunInbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load every file waiting in an inbox folder, for a scheduler (systemd timer, cron).",
        discussion: """
            Files are matched to feeds by the specs' file_pattern and loaded in dependency order (the specs' \
            order, then by name). Loaded or already-loaded files move to DIR/archive/YYYY-MM-DD/, failed ones to \
            DIR/failed/ with <file>.error.txt. Unknown files, .part files and files modified in the last \
            --settle seconds are left alone. One run at a time (advisory lock). Exit codes: 0 all loaded or \
            skipped, 1 a file failed, 3 rejects over threshold, 75 another run holds the lock, 130 interrupted.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The inbox folder.", completion: .directory) var inbox: String
    @Option(help: "Wait up to this many seconds for another run to finish (default: exit 75 at once).") var wait: Double = 0
    @Option(help: "Seconds since a file's last change before it counts as complete.") var settle: Double = 5
    @Option(help: "Log format: human lines or json (one object per line).") var logFormat: LogFormat = .human
    @Option(help: "Write a JSON summary of the run here.", completion: .file()) var summaryJson: String?
    @OptionGroup var verbosity: Verbosity

    func validate() throws {
        if wait < 0 || settle < 0 { throw ValidationError("--wait and --settle take seconds (0 or more)") }
    }

    func run() throws {
        logFormat.bootstrap(level: verbosity.level)
        let logger = Logger(label: "leefbaar.run")
        let db = try connection.connect()
        let specs = try FeedSpec.all(in: try connection.sql())
        let interruption = Interruption(connection: db)
        var job = InboxRun(connection: db, specs: specs, inbox: inbox, logger: logger)
        job.settleSeconds = settle
        job.loadOptions.shouldStop = { interruption.requested }
        job.loadOptions.waitSeconds = wait
        if !verbosity.quiet {
            job.makeProgress = { name, size in
                let progress = Progress(label: name, totalBytes: size)
                return ({ bytes, rows in progress.update(bytes: bytes, rows: rows) }, { progress.finish() })
            }
        }
        try job.lock(wait: wait)
        let outcomes = try job.run()
        let results = outcomes.compactMap(\.result)
        if !results.isEmpty && !verbosity.quiet { print(LoadReport.table(results)) }
        for o in outcomes where o.action != .archived {
            print("\(InboxRun.escaped(o.file)): \(o.action.rawValue)\(o.note.map { " — \(InboxRun.escaped($0))" } ?? "")")
        }
        var status = LoadReport.exitStatus(results)
        if outcomes.contains(where: { $0.action == .interrupted }) || interruption.requested { status = .interrupted }
        if let summaryJson {
            try LoadReport.json(results, exitCode: status.rawValue).write(to: URL(fileURLWithPath: summaryJson))
        }
        logger.info(
            "run finished",
            metadata: [
                "exit": "\(status.rawValue)", "files": "\(results.count)",
                "failed": "\(outcomes.filter { $0.action == .failed }.count)",
                "left_alone": "\(outcomes.filter { $0.action == .leftAlone }.count)",
            ])
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
