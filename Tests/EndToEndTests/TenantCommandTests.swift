import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct TenantCommandTests {
    @Test func addListRemoveWithLoginFromStandardInput() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let code = "p'; drop table core.spending; -- \(UUID().uuidString.prefix(6))"
            let added = try runTool("leefbaar-etl", ["tenant", "add", "partner", code, "--name", "Test \"Partner\"", "--login"],
                                    environment: env, stdin: "s3cret-from-stdin\n")
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("as role leefbaar_p_\(code), can log in"))
            #expect(!added.stdout.contains("s3cret") && !added.stderr.contains("s3cret"))
            let login = try Connection(conninfo: "host=127.0.0.1 port=\(cluster.port) dbname=\(name) user='leefbaar_p_\(code.replacingOccurrences(of: "'", with: "\\'"))' password=s3cret-from-stdin")
            #expect(try login.scalar("select count(*) from core.spending", as: Int.self) == 0)
            let list = try runTool("leefbaar-etl", ["tenant", "list"], environment: env)
            #expect(list.stdout.contains("Test \"Partner\""))
            let badKind = try runTool("leefbaar-etl", ["tenant", "add", "woningcorporatie", "x"], environment: env)
            #expect(badKind.status == 2)
            let badCode = try runTool("leefbaar-etl", ["tenant", "add", "gemeente", "Assen"], environment: env)
            #expect(badCode.status == 1)
            #expect(badCode.stderr.contains("CBS code like GM0106"))
            let removed = try runTool("leefbaar-etl", ["tenant", "remove", code], environment: env)
            #expect(removed.status == 0, "\(removed.stderr)")
            let admin = try cluster.connect(database: name)
            #expect(try admin.scalar("select count(*) from pg_roles where rolname = $1", ["leefbaar_p_" + code], as: Int.self) == 0)
        }
    }

    @Test func codesThatDifferOnlyInCaseAreRefused() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            #expect(try runTool("leefbaar-etl", ["tenant", "add", "partner", "buurtbemiddeling"], environment: env).status == 0)
            let twin = try runTool("leefbaar-etl", ["tenant", "add", "partner", "Buurtbemiddeling"], environment: env)
            #expect(twin.status == 1)
            #expect(twin.stderr.contains("tenant buurtbemiddeling already exists; Buurtbemiddeling differs from it only in case"), "\(twin.stderr)")
            let admin = try cluster.connect(database: name)
            #expect(try admin.scalar("select count(*) from core.tenant", as: Int.self) == 1)
        }
    }
}
