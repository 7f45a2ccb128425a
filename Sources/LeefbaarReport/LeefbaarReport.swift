import ArgumentParser
import CLICore

/// `leefbaar-report`: serves the partnership reports per gemeente and partner.
struct LeefbaarReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leefbaar-report",
        abstract: "Serve and export Leefbaar's partnership reports, each tenant isolated by row-level security.",
        discussion: """
            Connection: --database-url, else DATABASE_URL, else libpq's own PGHOST/PGPORT/PGDATABASE/PGUSER/PGSERVICE \
            and ~/.pgpass. Exit codes: 0 ok, 1 failure, 2 usage.
            """,
        version: leefbaarVersion,
        subcommands: [List.self, Run.self, Export.self, SchemaDoc.self]
    )
}

@main
enum Main {
    static func main() { CommandRunner.main(LeefbaarReport.self) }
}
