import Foundation
import Ingest
import TestSupport
import Testing
import Warehouse

@Suite(.ownThread) struct MigrateCommandTests {
    @Test func helpAndVersion() throws {
        for tool in ["leefbaar-etl", "leefbaar-report"] {
            let help = try runTool(tool, ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: \(tool)"))
            #expect(help.stdout.contains("Exit codes"))
            let version = try runTool(tool, ["--version"])
            #expect(version.status == 0)
            let newest = try Migration.load(from: packageRoot().appendingPathComponent("SQL/migrations").path).last
            #expect(
                version.stdout.hasPrefix("0.2.0 (schema \(newest.map { Migration.stem(version: $0.version, name: $0.name) } ?? "?"), "), "\(version.stdout)")
            let bad = try runTool(tool, ["--no-such-option"])
            #expect(bad.status == 2)
        }
    }

    @Test func migrateAppliesThenIsUpToDate() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            let first = try runTool("leefbaar-etl", ["migrate"], environment: env)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("applied 0001_schemas"))
            let second = try runTool("leefbaar-etl", ["migrate"], environment: env)
            #expect(second.status == 0)
            #expect(second.stdout.contains("up to date"))
            let status = try runTool("leefbaar-etl", ["migrate", "--status", "--database-url", cluster.conninfo(database: name)])
            #expect(status.stdout.range(of: #"0001_schemas +applied"#, options: .regularExpression) != nil, "\(status.stdout)")
            #expect(!status.stdout.contains(" pending"))
            let json = try runTool("leefbaar-etl", ["migrate", "--status", "--format", "json", "--database-url", cluster.conninfo(database: name)])
            let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]] ?? []
            #expect(rows.first?["migration"] == "0001_schemas" && rows.allSatisfy { $0["state"] == "applied" && $0["applied_at"]?.isEmpty == false })
        }
    }

    @Test func migrateRefusesAChangedFile() throws {
        try withTestDatabase { cluster, name throws in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("migrations"), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("migrations/0001_schemas.sql")
            try FileManager.default.copyItem(at: packageRoot().appendingPathComponent("SQL/migrations/0001_schemas.sql"), to: file)
            let env = ["DATABASE_URL": cluster.conninfo(database: name), "LEEFBAAR_SQL_DIR": dir.path]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            try (try String(contentsOf: file, encoding: .utf8) + "\n-- edited\n").write(to: file, atomically: true, encoding: .utf8)
            try "create table public.should_not_exist (x int);".write(
                to: dir.appendingPathComponent("migrations/0002_more.sql"), atomically: true, encoding: .utf8)
            let refused = try runTool("leefbaar-etl", ["migrate"], environment: env)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("0001_schemas.sql (file changed since it was applied)"))
            let db = try cluster.connect(database: name)
            #expect(try db.scalar("select to_regclass('public.should_not_exist') is null", as: Bool.self) == true)
        }
    }

    @Test func connectionErrorHidesPassword() throws {
        let port = try TemporaryCluster.freePort()
        let result = try runTool("leefbaar-etl", ["migrate", "--database-url", "postgresql://etl:Zeer%21Geheim@127.0.0.1:\(port)/warehouse"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("port=\(port)"))
        #expect(result.stderr.contains("user=etl"))
        #expect(!result.stderr.contains("Geheim"))
    }
}
