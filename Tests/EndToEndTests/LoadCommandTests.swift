import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.ownThread) struct LoadCommandTests {
    @Test func exitCodesSummaryAndRejectsFile() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("load-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let header = "Boekdatum;Dagboek;Boekstuk;Regel;Gemeente;Inzet;Bedrag\n"
            let good = dir.appendingPathComponent("good.csv").path
            try (header + "01-03-2019;MEM;D;1;Assen;basis;800.000\n01-03-2019;MEM;D;2;De Wolden;plus;58.000,00\n").write(
                toFile: good, atomically: true, encoding: .utf8)
            let bad = dir.appendingPathComponent("bad.csv").path
            try (header + "01-03-2018;MEM;E;1;Assen;basis;1,00\n32-01-2018;MEM;E;2;Assen;basis;1,00\n").write(toFile: bad, atomically: true, encoding: .utf8)

            let summary = dir.appendingPathComponent("summary.json").path
            let ok = try runTool("leefbaar-etl", ["load", "--feed", "ledger", good, "--summary-json", summary], environment: env)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("ledger  \(good)  loaded"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any]
            let files = json?["files"] as? [[String: Any]]
            #expect(files?.first?["rows_loaded"] as? Int == 2)
            #expect(json?["exit_code"] as? Int == 0)

            let again = try runTool("leefbaar-etl", ["load", "--feed", "ledger", good], environment: env)
            #expect(again.status == 0)
            #expect(again.stdout.contains("skipped, already loaded as batch 1"))

            let rejectsCSV = dir.appendingPathComponent("rejects.csv").path
            let over = try runTool("leefbaar-etl", ["load", "--feed", "ledger", bad, "--rejects-file", rejectsCSV], environment: env)
            #expect(over.status == 3)
            #expect(over.stderr.contains("\(bad):3: column Boekdatum: expected a date dd-mm-yyyy (value '32-01-2018')"))
            #expect(try String(contentsOfFile: rejectsCSV, encoding: .utf8).contains("3,\"Boekdatum\",\"32-01-2018\""))

            let tolerated = try runTool("leefbaar-etl", ["load", "--feed", "ledger", bad, "--max-rejects", "1"], environment: env)
            #expect(tolerated.status == 0, "\(tolerated.stderr)")
            let batches = try runTool("leefbaar-etl", ["batches"], environment: env)
            #expect(batches.stdout.contains("failed"))
            let rejects = try runTool("leefbaar-etl", ["rejects", "3"], environment: env)
            #expect(rejects.stdout.contains("1 rejected rows in batch 3"))

            let usage = try runTool("leefbaar-etl", ["load", good], environment: env)
            #expect(usage.status == 2)
            let unknownFeed = try runTool("leefbaar-etl", ["load", "--feed", "grootboek", good], environment: env)
            #expect(unknownFeed.status == 2)  // an unknown name on the command line is a usage error
            #expect(
                unknownFeed.stderr.contains(
                    "no feed 'grootboek'. Known: activities, adaptations, areas, cases, cases-jsonl, housing-stock, initiatives, ledger, leefbaarometer, partners, programmes, projects, visits"
                ))

            let db = try cluster.connect(database: name)
            #expect(try db.scalar("select sum(amount)::text from core.spending", as: String.self) == "858001.00")
        }
    }

    @Test func aSpecWithoutHooksShowsInTheSpendingReportAtOnce() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let real = packageRoot().appendingPathComponent("Tests/Fixtures/real")
            let loaded = try runTool(
                "leefbaar-etl",
                [
                    "load", "--spec", real.appendingPathComponent("subsidies.yaml").path,
                    real.appendingPathComponent("subsidieregister-assen.csv").path,
                ], environment: env)
            #expect(loaded.status == 0, "\(loaded.stderr)")
            let db = try cluster.connect(database: name)
            let expected = try #require(try db.scalar("select sum(amount)::text from core.spending where year = 2019", as: String.self))
            let report = try runTool("leefbaar-report", ["run", "uitgaven", "--year", "2019", "--format", "csv"], environment: env)
            #expect(report.status == 0, "\(report.stderr)")
            let assen = report.stdout.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Assen,") }.map(String.init) ?? ""
            #expect(assen.hasSuffix("," + expected + ",false"), "\(report.stdout) \(report.stderr)")
        }
    }

    @Test func aLoginPasswordFilesLineEndIsNotPartOfThePassword() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
            try "wachtwoord-met-crlf\r\n".write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let code = "crlf-\(UUID().uuidString.prefix(6).lowercased())"
            let added = try runTool("leefbaar-etl", ["tenant", "add", "partner", code, "--login", "--password-file", file.path], environment: env)
            #expect(added.status == 0, "\(added.stderr)")
            let login = try Connection(conninfo: "host=127.0.0.1 port=\(cluster.port) dbname=\(name) user=leefbaar_p_\(code) password=wachtwoord-met-crlf")
            #expect(try login.scalar("select current_user::text", as: String.self) == "leefbaar_p_\(code)")
            _ = try runTool("leefbaar-etl", ["tenant", "remove", code], environment: env)
        }
    }
}
