import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

@Suite(.ownThread) struct MigratorTests {
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

    static let modelTable = Migration(
        version: 4, name: "models",
        sql: "create table etl.schema_model (name text primary key, sha256 text not null, applied_at timestamptz not null default now());")

    /// A view's one current definition lives in a model file: a new or changed file is re-applied
    /// by the next migrate (all models, in order, in one transaction); an unchanged one is not.
    @Test func changedModelsAreReappliedAndABrokenOneChangesNothing() throws {
        try withTestConnection { db throws in
            let v1 = Model(name: "10_counter_view", sql: "create or replace view public.counter_view as select n from public.counter;")
            let doubled = Model(name: "20_doubled", sql: "create or replace view public.doubled as select n * 2 as d from public.counter_view;")
            let migrations = [Self.base, Self.second, Self.modelTable]
            let first = Migrator(connection: db, migrations: migrations, models: [v1, doubled])
            #expect(try first.modelStatus().map(\.state) == ["new", "new"])
            try first.migrate()
            #expect(try first.modelStatus().map(\.state) == ["applied", "applied"])
            #expect(try db.scalar("select d from public.doubled", as: Int.self) == 2)
            let appliedAt = try db.scalar("select applied_at::text from etl.schema_model where name = '20_doubled'", as: String.self)
            #expect(try first.applyModels().isEmpty)
            // The definition changes in its one place; the dependent view stays.
            let v2 = Model(name: "10_counter_view", sql: "create or replace view public.counter_view as select n + 10 as n from public.counter;")
            let second = Migrator(connection: db, migrations: migrations, models: [v2, doubled])
            #expect(try second.modelStatus().map(\.state) == ["changed", "applied"])
            #expect(try second.applyModels() == ["10_counter_view"])
            #expect(try db.scalar("select d from public.doubled", as: Int.self) == 22)
            #expect(try db.scalar("select applied_at::text from etl.schema_model where name = '20_doubled'", as: String.self) != appliedAt)
            // A broken model: the error names it, and no model of that run is applied.
            let broken = Model(name: "30_broken", sql: "create or replace view public.broken as select nope from public.counter;")
            let v3 = Model(name: "10_counter_view", sql: "create or replace view public.counter_view as select n + 100 as n from public.counter;")
            do {
                try Migrator(connection: db, migrations: migrations, models: [v3, doubled, broken]).migrate()
                Issue.record("a broken model was applied")
            } catch let error as PostgresError {
                #expect(error.message.contains("model 30_broken.sql failed (nothing of the models applied)"), "\(error.message)")
            }
            #expect(try db.scalar("select d from public.doubled", as: Int.self) == 22)
            #expect(try db.scalar("select count(*) from etl.schema_model", as: Int.self) == 2)
            // A migration that drops a view (to change its columns) gets it back from the models.
            let drop = Migration(version: 5, name: "drop_doubled", sql: "drop view public.doubled;")
            try Migrator(connection: db, migrations: migrations + [drop], models: [v2, doubled]).migrate()
            #expect(try db.scalar("select d from public.doubled", as: Int.self) == 22)
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
