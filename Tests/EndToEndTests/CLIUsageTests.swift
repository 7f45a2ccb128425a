import Foundation
import Postgres
import Testing
import TestSupport

/// What an operator meets first: typos named with the right word, usage errors as exit 2, and
/// errors that say what to do next.
@Suite struct CLIUsageTests {
    @Test func typosAreNamedWithTheNearestWordAndExit2() throws {
        let cases: [(tool: String, args: [String], message: String)] = [
            ("leefbaar-etl", ["load", "--fed", "ledger", "x.csv"], "unknown option '--fed'. Did you mean '--feed'?"),
            ("leefbaar-report", ["run", "uitgaven", "--yaer", "2019"], "unknown option '--yaer'. Did you mean '--year'?"),
            ("leefbaar-etl", ["lod"], "unknown command 'lod'. Did you mean 'load'?"),
            ("leefbaar-etl", ["tenant", "ad", "partner", "x"], "unknown command 'ad'. Did you mean 'add'?"),
            ("leefbaar-etl", ["tenant", "add", "--nam", "x", "partner", "y"], "unknown option '--nam'. Did you mean '--name'? See 'leefbaar-etl tenant add --help'"),
        ]
        for c in cases {
            let r = try runTool(c.tool, c.args)
            #expect(r.status == 2, "\(c.args): \(r.stderr)")
            #expect(r.stderr.contains(c.message), "\(c.args): \(r.stderr)")
        }
        let bare = try runTool("leefbaar-etl", [])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("SUBCOMMANDS") && bare.stdout.isEmpty)
    }

    @Test func unknownNamesAreUsageErrorsWithASuggestion() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            // Not migrated yet: every command says what to do.
            let early = try runTool("leefbaar-etl", ["batches"], environment: env)
            #expect(early.status == 1)
            #expect(early.stderr.contains("run `leefbaar-etl migrate`"), "\(early.stderr)")
            let report = try runTool("leefbaar-report", ["run", "uitgaven", "--year", "2019"], environment: env)
            #expect(report.stderr.contains("run `leefbaar-etl migrate`"), "\(report.stderr)")
            let check = try runTool("leefbaar-etl", ["migrate", "--check"], environment: env)
            #expect(check.status == 1)
            #expect(check.stderr.contains("not applied as written"), "\(check.stderr)")
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            #expect(try runTool("leefbaar-etl", ["migrate", "--check"], environment: env).status == 0)
            let feed = try runTool("leefbaar-etl", ["load", "--feed", "ledgr", "x.csv"], environment: env)
            #expect(feed.status == 2)
            #expect(feed.stderr.contains("no feed 'ledgr'. Did you mean 'ledger'?"))
            let name = try runTool("leefbaar-report", ["run", "uitgave", "--year", "2019", "--allow-empty"], environment: env)
            #expect(name.status == 2)
            #expect(name.stderr.contains("no report 'uitgave'. Did you mean 'uitgaven'?"), "\(name.stderr)")
            // Negative numbers and a decimal comma, no `--` needed.
            let set = try runTool("leefbaar-etl", ["settings", "set", "inzet.plus_sd", "-0,4"], environment: env)
            #expect(set.status == 0, "\(set.stderr)")
            #expect(try runTool("leefbaar-etl", ["settings", "get", "inzet.plus_sd"], environment: env).stdout == "-0.4\n")
            #expect(try runTool("leefbaar-etl", ["settings", "set", "inzet.plus_sd", "0x1p-1"], environment: env).status == 2)
        }
    }
}

/// The report catalog refuses what it cannot honour.
@Suite struct ReportCatalogTests {
    @Test func unknownReportParametersAreRefused() throws {
        let text = "-- title: T\n-- parameters: year, tenant\n-- audience: corporation\nselect 1\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("r-\(UUID().uuidString).sql")
        try text.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sql-\(UUID().uuidString)")
        for sub in ["reports", "migrations", "feeds", "checks"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: path, to: dir.appendingPathComponent("reports/t.sql"))
        let r = try runTool("leefbaar-report", ["list", "--sql-dir", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("unknown report parameter 'tenant' (reports take year only)"), "\(r.stderr)")
    }
}
