import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

@Suite struct MigratorTests {
    static let base = Migration(
        version: 1, name: "schemas",
        sql: """
            create schema etl;
            create table etl.schema_migrations (version integer primary key, name text not null, sha256 text not null,
                applied_at timestamptz not null default now());
            """)
    static let second = Migration(
        version: 2, name: "counter",
        sql: """
            create table public.counter (n int);
            insert into public.counter values (1);
            """)
    static let third = Migration(version: 3, name: "more", sql: "insert into public.counter values (3);")

    @Test func applyingTwiceIsANoOp() throws {
        try withTestConnection { db throws in
            let migrator = Migrator(connection: db, migrations: [Self.base, Self.second])
            #expect(try migrator.migrate().map(\.version) == [1, 2])
            #expect(try migrator.migrate().isEmpty)
            #expect(try db.scalar("select count(*) from public.counter", as: Int.self) == 1)
            #expect(try db.scalar("select count(*) from etl.schema_migrations", as: Int.self) == 2)
            #expect(try migrator.status().map(\.state) == ["applied", "applied"])
        }
    }

    @Test func changedChecksumIsRefusedAndNothingApplied() throws {
        try withTestConnection { db throws in
            try Migrator(connection: db, migrations: [Self.base, Self.second]).migrate()
            let edited = Migration(version: 2, name: "counter", sql: Self.second.sql + "\n-- edited")
            let migrator = Migrator(connection: db, migrations: [Self.base, edited, Self.third])
            do {
                try migrator.migrate()
                Issue.record("changed migration accepted")
            } catch let error as WarehouseError {
                #expect(error.code == .migrationMismatch)
                #expect(error.message.contains("0002_counter.sql"))
                #expect(error.message.contains("changed"))
            }
            #expect(try db.scalar("select count(*) from etl.schema_migrations", as: Int.self) == 2)
            #expect(try db.scalar("select sum(n) from public.counter", as: Int.self) == 1)
            #expect(try migrator.status().map(\.state) == ["applied", "changed", "pending"])
        }
    }

    @Test func failingMigrationRollsBackItself() throws {
        try withTestConnection { db throws in
            let broken = Migration(version: 3, name: "broken", sql: "insert into public.counter values (3); select 1/0;")
            do {
                try Migrator(connection: db, migrations: [Self.base, Self.second, broken]).migrate()
                Issue.record("broken migration applied")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22012")
                #expect(error.message.contains("0003_broken.sql"))
            }
            #expect(try db.scalar("select sum(n) from public.counter", as: Int.self) == 1)
            #expect(try db.scalar("select max(version) from etl.schema_migrations", as: Int.self) == 2)
        }
    }

    @Test func concurrentMigrationsApplyEachFileOnce() throws {
        try withTestDatabase { cluster, name throws in
            let slow = Migration(
                version: 2, name: "slow",
                sql: """
                    create table public.counter (n int);
                    select pg_sleep(0.3);
                    insert into public.counter values (1);
                    """)
            let results = ResultsBox()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let db = try cluster.connect(database: name)
                    let applied = try Migrator(connection: db, migrations: [Self.base, slow]).migrate()
                    results.add(applied.count)
                } catch {
                    results.add(-1)
                }
            }
            #expect(results.values.sorted() == [0, 0, 0, 2])
            let db = try cluster.connect(database: name)
            #expect(try db.scalar("select count(*) from public.counter", as: Int.self) == 1)
        }
    }

    @Test func projectMigrationsLoadInOrder() throws {
        let migrations = try Migration.load(from: packageRoot().appendingPathComponent("SQL/migrations").path)
        #expect(migrations.first?.version == 1)
        #expect(migrations.map(\.version) == Array(1...migrations.count))
        #expect(migrations.allSatisfy { $0.sha256.count == 64 })
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int] = []
    func add(_ v: Int) {
        lock.lock()
        values.append(v)
        lock.unlock()
    }
}
