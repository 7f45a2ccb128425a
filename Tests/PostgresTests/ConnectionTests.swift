import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.ownThread) struct ConnectionTests {
    @Test func wrongPortNamesTargetAndHidesPassword() throws {
        let cluster = try TemporaryCluster.shared()
        let unusedPort = try TemporaryCluster.freePort()
        let secret = "Geheim-Wachtwoord-42"
        do {
            _ = try Connection(conninfo: "host=127.0.0.1 port=\(unusedPort) user=loader password=\(secret) dbname=x connect_timeout=5")
            Issue.record("connection to an unused port succeeded")
        } catch let error as PostgresError {
            #expect(error.code == .connectionFailed)
            let text = "\(error)"
            #expect(text.contains("host=127.0.0.1"))
            #expect(text.contains("port=\(unusedPort)"))
            #expect(text.contains("user=loader"))
            #expect(!text.contains(secret))
        }
        _ = cluster
    }

    @Test func wrongPasswordIsClearAndHidesPassword() throws {
        let cluster = try TemporaryCluster.shared()
        let admin = try cluster.connect()
        let role = "pw_user_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute("create role \(try admin.escapeIdentifier(role)) login password 'right-one'")
        defer { _ = try? admin.execute("drop role \(try admin.escapeIdentifier(role))") }
        let secret = "Verkeerd!Wachtwoord;99"
        let uri = "postgresql://\(role):\(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")@127.0.0.1:\(cluster.port)/postgres"
        for conninfo in ["host=127.0.0.1 port=\(cluster.port) user=\(role) password='\(secret)' dbname=postgres", uri] {
            do {
                _ = try Connection(conninfo: conninfo)
                Issue.record("wrong password accepted")
            } catch let error as PostgresError {
                let text = "\(error)"
                #expect(error.code == .connectionFailed)
                #expect(text.contains("password authentication failed"))
                #expect(text.contains("user=\(role)"))
                #expect(text.contains("port=\(cluster.port)"))
                #expect(!text.contains(secret))
                #expect(!text.contains("Verkeerd"))
            }
        }
        // The right password works over TCP.
        let ok = try Connection(conninfo: "host=127.0.0.1 port=\(cluster.port) user=\(role) password=right-one dbname=postgres")
        #expect(try ok.scalar("select current_user", as: String.self) == role)
    }

    @Test func redactedConninfoDropsPassword() {
        let text = Conninfo.redacted("postgresql://app:s3cr3t@db.example:5433/warehouse?sslmode=require")
        #expect(!text.contains("s3cr3t"))
        #expect(text.contains("host=db.example"))
        #expect(text.contains("port=5433"))
        #expect(text.contains("dbname=warehouse"))
        #expect(Conninfo.redacted("host=x password=abc") == "host=x")
    }

    @Test func malformedConnectionStringsNameTheKeyNotThePassword() throws {
        let cases: [(String, String)] = [
            ("host=localhost password=geheim w4chtw00rd dbname=x", "the value of password is followed by a word without '='"),
            ("host=localhost password='geheim w4chtw00rd dbname=x", "the quoted value of password is not closed"),
            ("postgresql://etl:50%zzw4chtw00rd@localhost/leefbaar", "the password in the URI is not percent-encoded"),
            ("postgresql://etl:100% w4chtw00rd@localhost/leefbaar", "the password in the URI is not percent-encoded"),
        ]
        for (conninfo, reason) in cases {
            do {
                _ = try Connection(conninfo: conninfo)
                Issue.record("\(reason): connected")
            } catch let error as PostgresError {
                #expect(error.message.contains(reason), "\(error.message)")
                #expect(!error.message.contains("w4chtw00rd"), "\(error.message)")
                #expect(!"\(error)".contains("w4chtw00rd"))
            }
        }
    }

    @Test func serverErrorCarriesFields() throws {
        try withTestConnection { db throws in
            try db.execute("create table t (id int primary key, v text not null)")
            try db.execute("insert into t values (1, 'a')")
            do {
                try db.execute("insert into t values ($1, $2)", [1, "b"])
                Issue.record("duplicate key accepted")
            } catch let error as PostgresError {
                #expect(error.code == .server)
                #expect(error.sqlState == "23505")
                #expect(error.constraint == "t_pkey")
                #expect(error.table == "t")
                #expect(error.detail?.contains("(id)=(1)") == true)
            }
            do {
                try db.execute("insert into t values ($1, $2)", [2, String?.none])
                Issue.record("null accepted")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23502")
                #expect(error.column == "v")
            }
        }
    }

    @Test func transactionsCommitAndRollBack() throws {
        try withTestConnection { db throws in
            try db.execute("create table t (id int)")
            try db.withTransaction { try db.execute("insert into t values (1)") }
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try db.withTransaction {
                    try db.execute("insert into t values (2)")
                    throw Boom()
                }
            }
            try db.withTransaction {
                try db.execute("insert into t values (3)")
                _ = try? db.withSavepoint {
                    try db.execute("insert into t values (4)")
                    try db.execute("select 1/0")
                }
            }
            #expect(try db.scalar("select string_agg(id::text, ',' order by id) from t", as: String.self) == "1,3")
            // A server-side error inside the body aborts the transaction and surfaces.
            #expect(throws: PostgresError.self) {
                try db.withTransaction { try db.execute("select 1/0") }
            }
            #expect(try db.scalar("select count(*) from t", as: Int.self) == 2)
        }
    }

    @Test func advisoryLocksExclude() throws {
        let cluster = try TemporaryCluster.shared()
        let a = try cluster.connect()
        let b = try cluster.connect()
        let key: Int64 = 0x4c42_0000_0001
        #expect(try a.tryAdvisoryLock(key))
        #expect(try !b.tryAdvisoryLock(key))
        #expect(try a.advisoryUnlock(key))
        #expect(try b.tryAdvisoryLock(key))
        #expect(try b.advisoryUnlock(key))
    }
}
