import ArgumentParser
import CLICore

/// `leefbaar-etl`: loads municipal, partner and ledger files into the Leefbaar warehouse.
struct LeefbaarETL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leefbaar-etl",
        abstract: "Load livability data (Leefbaarometer, CBS areas, housing stock, partner exports, ledgers) into PostgreSQL.",
        discussion: """
            Connection: --database-url, else DATABASE_URL, else libpq's own PGHOST/PGPORT/PGDATABASE/PGUSER/PGSERVICE \
            and ~/.pgpass. Exit codes: 0 ok, 1 failure, 2 usage, 3 rejects over threshold, 75 locked.
            """,
        version: leefbaarVersion,
        subcommands: [
            Migrate.self, Feeds.self, Load.self, RunInbox.self, Batches.self, Rejects.self, TenantCommand.self, Settings.self, RekeyCommand.self, Sample.self,
        ]
    )
}

@main
enum Main {
    static func main() { CommandRunner.main(LeefbaarETL.self) }
}
