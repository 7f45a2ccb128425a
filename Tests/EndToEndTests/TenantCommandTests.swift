import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.ownThread) struct TenantCommandTests {
    @Test func addListRemoveWithLoginFromStandardInput() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let code = "p-\(UUID().uuidString.prefix(6).lowercased())"
            let added = try runTool(
                "leefbaar-etl", ["tenant", "add", "partner", code, "--name", "Test \"Partner\"", "--login"],
                environment: env, stdin: "s3cret-from-stdin\n")
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("as role leefbaar_p_\(code), can log in"))
            #expect(!added.stdout.contains("s3cret") && !added.stderr.contains("s3cret"))
            let login = try Connection(conninfo: "host=127.0.0.1 port=\(cluster.port) dbname=\(name) user='leefbaar_p_\(code)' password=s3cret-from-stdin")
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

    @Test func codesAreNormalisedAndAddingTwiceChangesNothing() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            #expect(try runTool("leefbaar-etl", ["tenant", "add", "partner", "buurtbemiddeling"], environment: env).status == 0)
            // The same code in other case is the same tenant: adding it again changes nothing.
            let twin = try runTool("leefbaar-etl", ["tenant", "add", "partner", "Buurtbemiddeling"], environment: env)
            #expect(twin.status == 0, "\(twin.stderr)")
            #expect(twin.stdout.contains("tenant buurtbemiddeling (buurtbemiddeling) exists already"), "\(twin.stdout)")
            let different = try runTool("leefbaar-etl", ["tenant", "add", "partner", "buurtbemiddeling", "--name", "Iets Anders"], environment: env)
            #expect(different.status == 1)
            #expect(different.stderr.contains("tenant buurtbemiddeling (partner, buurtbemiddeling) already exists"), "\(different.stderr)")
            let gemeente = try runTool("leefbaar-etl", ["tenant", "add", "gemeente", "gm0106"], environment: env)
            #expect(gemeente.status == 0 && gemeente.stdout.contains("gemeente tenant GM0106"), "\(gemeente.stdout)\(gemeente.stderr)")
            let admin = try cluster.connect(database: name)
            #expect(try admin.scalar("select string_agg(tenant_code, ',' order by tenant_code) from core.tenant", as: String.self) == "GM0106,buurtbemiddeling")
        }
    }
}
