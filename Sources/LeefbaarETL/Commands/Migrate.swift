import ArgumentParser
import CLICore
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

    func run() throws {
        let db = try connection.connect()
        let migrator = Migrator(connection: db, migrations: try Migration.load(from: try connection.sql().migrations))
        if status {
            for line in try migrator.status() {
                print("\(Migration.stem(version: line.version, name: line.name))  \(line.state)\(line.appliedAt.map { "  \($0)" } ?? "")")
            }
            return
        }
        let applied = try migrator.migrate()
        if applied.isEmpty {
            print("migrate: up to date")
        } else {
            for m in applied { print("applied \(Migration.stem(version: m.version, name: m.name))") }
        }
    }
}
