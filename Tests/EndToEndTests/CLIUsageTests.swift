import Foundation
import Postgres
import Testing
import TestSupport

/// What an operator meets first: typos named with the right word, usage errors as exit 2, and
/// errors that say what to do next.
@Suite(.ownThread) struct CLIUsageTests {
    @Test func typosAreNamedWithTheNearestWordAndExit2() throws {
        let cases: [(tool: String, args: [String], message: String)] = [
            ("leefbaar-etl", ["load", "--fed", "ledger", "x.csv"], "unknown option '--fed'. Did you mean '--feed'?"),
            ("leefbaar-report", ["run", "uitgaven", "--yaer", "2019"], "unknown option '--yaer'. Did you mean '--year'?"),
            ("leefbaar-etl", ["lod"], "unknown command 'lod'. Did you mean 'load'?"),
            ("leefbaar-etl", ["tenant", "ad", "partner", "x"], "unknown command 'ad'. Did you mean 'add'?"),
            (
                "leefbaar-etl", ["tenant", "add", "--nam", "x", "partner", "y"],
                "unknown option '--nam'. Did you mean '--name'? See 'leefbaar-etl tenant add --help'"
            ),
        ]
        for c in cases {
            let r = try runTool(c.tool, c.args)
            #expect(r.status == 2, "\(c.args): \(r.stderr)")
            #expect(r.stderr.contains(c.message), "\(c.args): \(r.stderr)")
        }
        let version = try runTool("leefbaar-etl", ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.range(of: #"^\d+\.\d+\.\d+ \(schema \d{4}_[a-z_]+, "#, options: .regularExpression) != nil, "\(version.stdout)")
        // A bare command, or a bare group of commands: its usage on standard error, exit 2.
        for args in [[], ["tenant"], ["settings"]] {
            let bare = try runTool("leefbaar-etl", args)
            #expect(bare.status == 2, "\(args)")
            #expect(bare.stderr.contains("SUBCOMMANDS") && bare.stdout.isEmpty, "\(args): \(bare.stdout)")
        }
        #expect(try runTool("leefbaar-etl", ["tenant"]).stderr.contains("USAGE: leefbaar-etl tenant <subcommand>"))
    }

    /// Options with a fixed set of values are typed: a wrong value is a usage error listing the
    /// values, and shells complete them, feeds and reports from the SQL folder and tenants from the warehouse.
    @Test func typedOptionsListTheirValuesAndNamesComplete() throws {
        let cases: [(tool: String, args: [String], message: String)] = [
            ("leefbaar-report", ["run", "uitgaven", "--year", "2019", "--format", "xls"], "The value 'xls' is invalid for '--format <format>'"),
            ("leefbaar-etl", ["load", "--feed", "ledger", "--log-format", "xml", "x.csv"], "Please provide one of 'human' and 'json'"),
            ("leefbaar-etl", ["tenant", "add", "gemeent", "GM0106"], "Please provide one of 'gemeente' and 'partner'"),
            ("leefbaar-etl", ["batches", "show", "1", "--format", "table"], "Please provide one of 'text' and 'json'"),
            ("leefbaar-etl", ["feeds", "--format", "text"], "Please provide one of 'table' and 'json'"),
        ]
        for c in cases {
            let r = try runTool(c.tool, c.args)
            #expect(r.status == 2, "\(c.args): \(r.stderr)")
            #expect(r.stderr.contains(c.message), "\(c.args): \(r.stderr)")
        }
        let feeds = try runTool("leefbaar-etl", ["---completion", "load", "--", "--feed", "3", "2", "leefbaar-etl", "load", "--feed", "le"])
        #expect(feeds.stdout.split(separator: "\n") == ["ledger", "leefbaarometer"], "\(feeds.stdout) \(feeds.stderr)")
        let reports = try runTool("leefbaar-report", ["---completion", "run", "--", "positional@0", "2", "1", "leefbaar-report", "run", "l"])
        #expect(reports.stdout.split(separator: "\n") == ["langer-thuis", "leefbaarometer"], "\(reports.stdout) \(reports.stderr)")
        let script = try runTool("leefbaar-etl", ["--generate-completion-script", "bash"])
        #expect(
            script.status == 0 && script.stdout.contains("---completion load -- --feed") && script.stdout.contains("-W 'human'$'\\n''json'"),
            "\(script.stdout.prefix(300))")
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            #expect(try runTool("leefbaar-etl", ["tenant", "add", "gemeente", "GM0106"], environment: env).status == 0)
            let tenants = try runTool(
                "leefbaar-report", ["---completion", "run", "--", "--tenant", "4", "2", "leefbaar-report", "run", "--tenant", "G"], environment: env)
            #expect(tenants.stdout.split(separator: "\n") == ["GM0106"], "\(tenants.stdout) \(tenants.stderr)")
        }
    }

    @Test func unknownNamesAreUsageErrorsWithASuggestion() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            // Not migrated yet: every command that reads the database says what to do.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("early-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let ledger = dir.appendingPathComponent("grootboek-2019.csv")
            try "Boekdatum;Dagboek\n".write(to: ledger, atomically: true, encoding: .utf8)
            for command in [
                ["batches"], ["rejects", "1"], ["settings", "list"], ["tenant", "list"], ["load", "--feed", "ledger", ledger.path],
                ["load", "--dry-run", "--feed", "ledger", ledger.path], ["run", "--inbox", dir.path, "--settle", "0"],
            ] {
                let early = try runTool("leefbaar-etl", command, environment: env)
                #expect(early.status == 1, "\(command)")
                #expect(early.stderr.contains("run `leefbaar-etl migrate`"), "\(command): \(early.stderr)")
            }
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
            let unknown = try runTool("leefbaar-etl", ["settings", "get", "inzet.plus"], environment: env)
            #expect(unknown.status == 2 && unknown.stderr.contains("no setting 'inzet.plus'. Did you mean 'inzet.plus_sd'?"), "\(unknown.stderr)")
            let orange = try runTool("leefbaar-etl", ["settings", "set", "inzet.plusplus_sd", "0"], environment: env)
            #expect(orange.status == 2 && orange.stderr.contains("must not be above the yellow one (inzet.plus_sd -0.4)"), "\(orange.stderr)")
            let batch = try runTool("leefbaar-etl", ["rejects", "999"], environment: env)
            #expect(batch.status == 2 && batch.stderr.contains("no batch 999"), "\(batch.stderr)")
        }
    }
}

/// The report catalog refuses what it cannot honour.
@Suite(.ownThread) struct ReportCatalogTests {
    @Test func unknownReportParametersAreRefused() throws {
        let text = "-- title: T\n-- parameters: year, tenant\n-- audience: corporation\nselect 1\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("r-\(UUID().uuidString).sql")
        try text.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sql-\(UUID().uuidString)")
        for sub in ["reports", "migrations", "feeds", "checks"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: path, to: dir.appendingPathComponent("reports/t.sql"))
        let r = try runTool("leefbaar-report", ["list", "--sql-dir", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("unknown report parameter 'tenant' (reports take year only)"), "\(r.stderr)")
    }
}

/// Changing the pseudonymisation key in one transaction keeps every dossier one dossier.
@Suite(.ownThread) struct RekeyTests {
    @Test func rekeyKeepsDossiersTogetherAndRefusesTheOldKeyAlone() throws {
        try withTestDatabase { cluster, name throws in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rekey-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let keyFile = dir.appendingPathComponent("hash.key")
            let newKey = dir.appendingPathComponent("new.key")
            try "0123456789abcdef0123456789abcdef\n".write(to: keyFile, atomically: true, encoding: .utf8)
            try "fedcba9876543210fedcba9876543210\n".write(to: newKey, atomically: true, encoding: .utf8)
            // LEEFBAAR_HASH_KEY is emptied: other tests set it in this process, and it wins over the file.
            let env = ["DATABASE_URL": cluster.conninfo(database: name), "LEEFBAAR_HASH_KEY_FILE": keyFile.path, "LEEFBAAR_HASH_KEY": ""]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            #expect(try runTool("leefbaar-etl", ["tenant", "add", "partner", "buurtbemiddeling"], environment: env).status == 0)
            let header = "Partner;Dossier;Gemeente;Geopend;Soort\n"
            let first = dir.appendingPathComponent("a.csv")
            let second = dir.appendingPathComponent("b.csv")
            try (header + "buurtbemiddeling;BB-1;Assen;01-02-2019;overlast\nbuurtbemiddeling;BB-2;Assen;03-02-2019;overlast\n").write(
                to: first, atomically: true, encoding: .utf8)
            try (header + "buurtbemiddeling;BB-1;Assen;15-02-2019;burenruzie\n").write(to: second, atomically: true, encoding: .utf8)
            #expect(try runTool("leefbaar-etl", ["load", "--feed", "cases", first.path], environment: env).status == 0)
            let db = try cluster.connect(database: name)
            let before = try db.execute("select case_id from core.care_case order by case_id").map { try $0.decode(0, as: String.self) }

            let rekey = try runTool("leefbaar-etl", ["rekey", "--new-key-file", newKey.path], environment: env)
            #expect(rekey.status == 0, "\(rekey.stderr)")
            #expect(rekey.stdout.contains("core.care_case.case_id: 2 rows re-pseudonymised"), "\(rekey.stdout)")
            let after = try db.execute("select case_id from core.care_case order by case_id").map { try $0.decode(0, as: String.self) }
            #expect(after.count == 2 && Set(after).isDisjoint(with: before))
            #expect(try String(contentsOf: keyFile, encoding: .utf8).split(separator: "\n").count == 2)
            // A later load under the chain meets the same dossier: still two cases, BB-1 updated.
            let again = try runTool("leefbaar-etl", ["load", "--feed", "cases", second.path], environment: env)
            #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
            #expect(try db.scalar("select count(*) || '/' || count(*) filter (where kind = 'burenruzie') from core.care_case", as: String.self) == "2/1")
            // The old key alone is refused.
            let oldOnly = dir.appendingPathComponent("old.key")
            try "0123456789abcdef0123456789abcdef\n".write(to: oldOnly, atomically: true, encoding: .utf8)
            var oldEnv = env
            oldEnv["LEEFBAAR_HASH_KEY_FILE"] = oldOnly.path
            let refused = try runTool("leefbaar-etl", ["load", "--feed", "cases", "--force", second.path], environment: oldEnv)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("is not the one earlier loads used"), "\(refused.stderr)")
        }
    }
}

/// Under cron a clean night says nothing.
@Suite(.ownThread) struct QuietRunTests {
    @Test func aQuietCleanInboxRunPrintsNothing() throws {
        try withTestDatabase { cluster, name throws in
            let (env, inbox) = try InboxRunTests.migratedWithInbox(cluster, name)
            defer { try? FileManager.default.removeItem(at: inbox) }
            try InboxRunTests.ledger(year: 2019, lines: 30).write(to: inbox.appendingPathComponent("grootboek-2019.csv"), atomically: true, encoding: .utf8)
            let quiet = try runTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0", "-q"], environment: env)
            #expect(quiet.status == 0)
            #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)|\(quiet.stderr)")
            // A file it leaves alone is still told.
            try "x".write(to: inbox.appendingPathComponent("notities.txt"), atomically: true, encoding: .utf8)
            let told = try runTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0", "--quiet"], environment: env)
            #expect(told.status == 0)
            #expect(told.stdout.contains("notities.txt: left alone"), "\(told.stdout)")
            // load FILE finds its feed by file_pattern.
            let file = inbox.appendingPathComponent("grootboek-2018.csv")
            try InboxRunTests.ledger(year: 2018, lines: 5).write(to: file, atomically: true, encoding: .utf8)
            let load = try runTool("leefbaar-etl", ["load", file.path], environment: env)
            #expect(load.status == 0, "\(load.stderr)")
            #expect(load.stdout.contains("ledger  \(file.path)  loaded"))
        }
    }
}

/// `batches show N` tells one batch in full, with what replaced it.
@Suite(.ownThread) struct BatchShowTests {
    @Test func showsTheWholeErrorDetailsAndReplacements() throws {
        try withTestDatabase { cluster, name throws in
            let (env, inbox) = try InboxRunTests.migratedWithInbox(cluster, name)
            defer { try? FileManager.default.removeItem(at: inbox) }
            let a = inbox.appendingPathComponent("grootboek-a.csv")
            let b = inbox.appendingPathComponent("grootboek-b.csv")
            try InboxRunTests.ledger(year: 2019, lines: 10).write(to: a, atomically: true, encoding: .utf8)
            try InboxRunTests.ledger(year: 2019, lines: 10).replacingOccurrences(of: "10,00", with: "11,00").write(to: b, atomically: true, encoding: .utf8)
            #expect(try runTool("leefbaar-etl", ["load", a.path, b.path], environment: env).status == 0)
            let text = try runTool("leefbaar-etl", ["batches", "show", "1"], environment: env)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("status: replaced"))
            #expect(text.stdout.contains("replaced: 10 rows of scope 2019 by batch 2"), "\(text.stdout)")
            let json = try runTool("leefbaar-etl", ["batches", "show", "2", "--format", "json"], environment: env)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["rows_loaded"] as? Int == 10 && object?["status"] as? String == "loaded")
            #expect(try runTool("leefbaar-etl", ["batches", "show", "99"], environment: env).status == 2)
        }
    }
}

/// Admin listings come as JSON for scripts too.
@Suite(.ownThread) struct ListingFormatTests {
    @Test func tenantsBatchesAndSettingsAsJSON() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            #expect(try runTool("leefbaar-etl", ["tenant", "add", "gemeente", "GM0106"], environment: env).status == 0)
            for args in [["tenant", "list"], ["batches", "list"], ["settings", "list"]] {
                let r = try runTool("leefbaar-etl", args + ["--format", "json"], environment: env)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) is [[String: Any]], "\(args): \(r.stdout)")
            }
            // Counts are numbers, not strings.
            let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("grootboek-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: ledger) }
            try InboxRunTests.ledger(year: 2019, lines: 10).write(to: ledger, atomically: true, encoding: .utf8)
            #expect(try runTool("leefbaar-etl", ["load", "--feed", "ledger", ledger.path], environment: env).status == 0)
            let batches = try runTool("leefbaar-etl", ["batches", "list", "--format", "json"], environment: env)
            let batch = (try JSONSerialization.jsonObject(with: Data(batches.stdout.utf8)) as? [[String: Any]])?.first
            #expect(batch?["batch"] as? Int == 1 && batch?["read"] as? Int == 10 && batch?["loaded"] as? Int == 10, "\(batches.stdout)")
            #expect(batch?["seconds"] is Double && batch?["feed"] as? String == "ledger", "\(batches.stdout)")
            let tenants = try runTool("leefbaar-etl", ["tenant", "list", "--format", "json"], environment: env)
            let list = try JSONSerialization.jsonObject(with: Data(tenants.stdout.utf8)) as? [[String: String]]
            #expect(list?.first?["code"] == "GM0106" && list?.first?["role"] == "leefbaar_gm0106")
            #expect(try runTool("leefbaar-etl", ["settings", "list", "--format", "jsn"], environment: env).status == 2)
        }
    }
}
