import ArgumentParser
import CLICore
import Ingest
import Warehouse

/// `leefbaar-etl migrate`: apply pending migrations, or list them with `--status`.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending SQL/migrations in order, each in its own transaction.",
        discussion: "Refuses, applying nothing, when an applied migration file has changed. One migrate at a time (advisory lock)."
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "List applied and pending migrations; apply nothing.")
    var status = false

    @Flag(help: "Like --status, but exit 1 when a migration is pending or changed: a gate for deploys.")
    var check = false

    @Option(help: "With --status or --check: table or json.")
    var format: ListingFormat = .table

    func run() throws {
        let db = try connection.connect()
        let migrator = try Migrator(connection: db, sql: try connection.sql())
        if status || check {
            let lines = try migrator.status()
            let models = try migrator.modelStatus()
            format.print(
                header: ["migration", "state", "applied_at"],
                rows: lines.map { [Migration.stem(version: $0.version, name: $0.name), "\($0.state)", $0.appliedAt.map { "\($0)" } ?? ""] }
                    + models.map { ["models/" + $0.name, $0.state, $0.appliedAt ?? ""] })
            let open =
                lines.filter { "\($0.state)" != "applied" }.map { "\(Migration.stem(version: $0.version, name: $0.name)): \($0.state)" }
                + models.filter { $0.state != "applied" }.map { "models/\($0.name): \($0.state)" }
            if check && !open.isEmpty {
                throw WarehouseError(
                    .migrationMismatch,
                    "\(open.count) migration\(open.count == 1 ? " or model is" : "s or models are") not applied as written (\(open.joined(separator: ", "))): run `leefbaar-etl migrate`"
                )
            }
            return
        }
        let openModels = try migrator.modelStatus().filter { $0.state != "applied" }.map(\.name)
        let applied = try migrator.migrate()
        for name in openModels { print("applied model \(name)") }
        if applied.isEmpty && openModels.isEmpty {
            print("migrate: up to date")
        } else {
            for m in applied { print("applied \(Migration.stem(version: m.version, name: m.name))") }
        }
    }
}
