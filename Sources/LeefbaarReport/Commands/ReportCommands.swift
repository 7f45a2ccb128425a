import ArgumentParser
import CLICore
import Foundation
import Ingest
import Reports
import Warehouse

/// `leefbaar-report list`.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the reports: name, title, audiences.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "table or json.") var format: ListingFormat = .table

    func run() throws {
        let catalog = try ReportCatalog(sql: try connection.sql())
        let rows = catalog.reports.map { [$0.name, $0.title, $0.audiences.map(\.rawValue).sorted().joined(separator: ", ")] }
        format.print(header: ["name", "title", "audience"], rows: rows.sorted { $0[0] < $1[0] })
    }
}

/// `leefbaar-report run NAME`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one report for a tenant and year.",
        discussion: "A tenant's report runs under its PostgreSQL role in a READ ONLY transaction: row-level security decides what it sees."
    )
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The report (see list).", completion: Completions.reports) var name: String
    @Option(help: "The tenant: a gemeente code (GM0106), a partner code, or corporation (default).", completion: Completions.tenants) var tenant: String?
    @Option(help: "The year.") var year: Int
    @Option(help: "table, csv, csv-nl, json, md or html.") var format: ReportFormat = .table
    @Option(help: "Write to this file instead of standard output.", completion: .file()) var out: String?
    @Flag(help: "Report on a year for which no spending is loaded (by default that is an error naming the latest loaded year).")
    var allowEmpty = false

    func validate() throws {
        guard (2000...2100).contains(year) else { throw ValidationError("--year must be between 2000 and 2100") }
    }

    func run() throws {
        let db = try connection.connect()
        let catalog = try ReportCatalog(sql: try connection.sql())
        let runner = ReportRunner(connection: db, catalog: catalog)
        let who = try runner.tenant(tenant)
        try runner.requireLoaded(year: year, allowEmpty: allowEmpty)
        let text = try runner.render(try catalog.report(name), tenant: who, year: year, format: format).text
        if let out {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
        } else {
            print(text, terminator: "")
        }
    }
}

/// `leefbaar-report export`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every report each tenant may see, in every format, one folder per tenant, with an index.html.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The year.") var year: Int
    @Option(help: "The folder to write into.", completion: .directory) var out: String
    @Option(name: .customLong("tenant"), help: "Only these tenants (repeatable); corporation for the corporation. Default: the corporation and every tenant.")
    var tenants: [String] = []
    @Flag(help: "Export a year for which no spending is loaded (by default that is an error naming the latest loaded year).")
    var allowEmpty = false
    @Flag(help: "With --tenant: also remove the folders of tenants that no longer exist. (An export of every tenant always holds exactly the current tenants.)")
    var clean = false

    func run() throws {
        let db = try connection.connect()
        let catalog = try ReportCatalog(sql: try connection.sql())
        let runner = ReportRunner(connection: db, catalog: catalog)
        try runner.requireLoaded(year: year, allowEmpty: allowEmpty)
        let who: [Tenant?] = tenants.isEmpty ? [nil] + (try TenantRegistry(connection: db).list()).map { $0 } : try tenants.map { try runner.tenant($0) }
        let started = Date()
        let written = try Exporter(runner: runner, catalog: catalog).export(tenants: who, year: year, to: out, keepOthers: !tenants.isEmpty, clean: clean)
        print(
            "wrote \(written.values.map(\.count).reduce(0, +)) files for \(written.count) recipients to \(out) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; open \(out)/index.html"
        )
    }
}

extension ReportFormat: ExpressibleByArgument {}
