import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// core.spending is partitioned by booking year; a ledger load exchanges the partitions of the
/// years in its file, keeping other feeds' rows and the summary exact.
@Suite(.ownThread) struct PartitionTests {
    /// `year:partition:rows` of core.spending, in order.
    static func layout(_ db: Connection) throws -> String? {
        try db.scalar(
            "select string_agg(y || ':' || p || ':' || n, ',' order by y, p) from (select year as y, tableoid::regclass::text as p, count(*) as n from core.spending group by 1, 2) t",
            as: String.self)
    }

    @Test func aMultiYearFileExchangesEachYearAndTakesRowsOutOfTheDefaultPartition() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                // The subsidy register (no target_scope: merged row by row) puts 2017 in the default partition.
                let register = try writeFixture(
                    dir, "subsidies.csv", ReplaceScopeTests.subsidies([("15-05-2017", "S-1", "Assen", "100,00"), ("16-05-2017", "S-2", "Meppel", "20,00")]))
                #expect(try load(db, specText: ReplaceScopeTests.subsidySpec, file: register).status == .loaded)
                #expect(try Self.layout(db) == "2017:core.spending_default:2")
                let both = try writeFixture(
                    dir, "grootboek.csv",
                    BatchTests.ledger([
                        ("01-03-2017", "A", 1, "Assen", "5,00"), ("02-03-2018", "A", 2, "Assen", "6,00"), ("03-03-2018", "A", 3, "Meppel", "7,00"),
                    ]))
                let first = try load(db, feed: "ledger", file: both)
                #expect(first.status == .loaded, "\(first.message ?? "")")
                #expect(try Self.layout(db) == "2017:core.spending_2017:3,2018:core.spending_2018:2")
                #expect(try ReplaceScopeTests.summaryMatches(db))
                // Each year partition is a real partition with its own key, row-level security and no leftover tables.
                #expect(
                    try db.scalar(
                        """
                        select string_agg(c.relname || ':' || c.relrowsecurity || ':' || c.relforcerowsecurity || ':' ||
                               (select count(*) from pg_index i where i.indrelid = c.oid and i.indisprimary), ',' order by c.relname)
                        from pg_inherits h join pg_class c on c.oid = h.inhrelid where h.inhparent = 'core.spending'::regclass
                        """, as: String.self) == "spending_2017:true:true:1,spending_2018:true:true:1,spending_default:true:true:1")
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
                // Each partition holds the parent's foreign key to core.gemeente once: the key the
                // exchange added to its table, attached to the parent's, not a second one.
                #expect(
                    try db.scalar(
                        """
                        select string_agg(c.conrelid::regclass::text || ':' || (c.conparentid = p.oid), ',' order by c.conrelid::regclass::text)
                        from pg_constraint c join pg_inherits h on h.inhrelid = c.conrelid and h.inhparent = 'core.spending'::regclass
                        join pg_constraint p on p.conrelid = 'core.spending'::regclass and p.contype = 'f'
                        where c.contype = 'f'
                        """, as: String.self) == "core.spending_2017:true,core.spending_2018:true,core.spending_default:true")
                // A partition made from a load's table has the parent's defaults, no more.
                let defaults =
                    "select string_agg(a.attname || '=' || pg_get_expr(d.adbin, d.adrelid), ',' order by a.attname) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = $1::regclass"
                #expect(try db.scalar(defaults, ["core.spending_2018"], as: String.self) == db.scalar(defaults, ["core.spending"], as: String.self))

                // A file of 2018 only replaces the ledger's 2018; 2017 stays as it was.
                let only2018 = try writeFixture(dir, "grootboek-2018.csv", BatchTests.ledger([("05-05-2018", "B", 1, "Assen", "9,00")]))
                let second = try load(db, feed: "ledger", file: only2018)
                #expect(second.status == .loaded)
                #expect(second.replaced == [Replacement(batchID: first.batchID ?? -1, feed: "ledger", rows: 2, status: "partly replaced")])
                #expect(try Self.layout(db) == "2017:core.spending_2017:3,2018:core.spending_2018:1")
                #expect(try db.scalar("select sum(amount) from core.spending", as: String.self) == "134.00")
                #expect(try ReplaceScopeTests.summaryMatches(db))
            }
        }
    }

    /// The exchange takes the indexes from the catalog: an index added to core.spending later is
    /// built before the exchange with the others (core.spending_exchange_indexes names it), not by
    /// ATTACH (which would build it in the lock), and named as ATTACH would name it.
    @Test func theExchangeBuildsEveryIndexOfTheParentItself() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                try db.execute("create index spending_account on core.spending (account)")
                let file = try writeFixture(
                    dir, "a.csv", BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00"), ("02-03-2019", "A", 2, "Assen", "6,00")]))
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(
                    try db.scalar(
                        """
                        select string_agg(p.relname || ':' || c.relname, ',' order by p.relname)
                        from pg_index i join pg_class c on c.oid = i.indexrelid join pg_inherits h on h.inhrelid = c.oid join pg_class p on p.oid = h.inhparent
                        where i.indrelid = 'core.spending_2019'::regclass
                        """, as: String.self)
                        == "spending_account:spending_2019_account_idx,spending_project:spending_2019_project_code_idx,spending_year:spending_2019_year_gemeente_code_inzet_level_idx"
                )
                // The partition comes with its statistics (the loader analyzed the table before the builds).
                #expect(
                    try db.scalar(
                        "select count(*) from pg_stats where schemaname = 'core' and tablename = 'spending_2019' and attname in ('gemeente_code', 'year')",
                        as: Int.self) == 2)
                // Nothing is missing now; a table without indexes lacks the primary key first, then each of the parent's.
                #expect(try db.execute("select * from core.spending_exchange_indexes('core.spending_2019')").count == 0)
                try db.execute("create table public.bare (like core.spending)")
                #expect(
                    try db.execute("select * from core.spending_exchange_indexes('public.bare')").map { try $0.decode(0, as: String.self) }
                        == [
                            "create unique index on public.bare USING btree (gemeente_code, journal, document, line_no)",
                            "create index on public.bare USING btree (year, gemeente_code, inzet_level)",
                            "create index on public.bare USING btree (project_code) WHERE (project_code IS NOT NULL)",
                            "create index on public.bare USING btree (account)",
                        ])
                #expect(
                    try db.scalar(
                        "select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'core.spending_2019'::regclass and contype = 'p'", as: String.self
                    )
                        == "PRIMARY KEY (gemeente_code, journal, document, line_no)")
            }
        }
    }

    /// Before the exchange the loader runs core.spending_exchange_steps on its two connections: the
    /// key's build, then the year's sum for the summary, on the second; the other indexes, then
    /// (once the key is built: the load's transaction keeps its locks) the foreign key, on the load's. The exchange takes that sum only when it holds the fresh table's
    /// rows of the year and no others, and sums the table itself otherwise.
    @Test func theExchangeTakesTheLoadersSumOnlyWhenItHoldsTheYearsRows() throws {
        try withMigratedDatabase { _, _, db throws in
            try db.execute("create table staging.t (like core.spending including defaults including generated)")
            #expect(
                try db.execute("select second, phase, statement from core.spending_exchange_steps('staging.t')").map {
                    "\(try $0.decode(0, as: Bool.self) ? "second" : "load") \(try $0.decode(1, as: Int.self)): \(try $0.decode(2, as: String.self))"
                } == [
                    "second 1: create unique index on staging.t USING btree (gemeente_code, journal, document, line_no)",
                    "load 1: create index on staging.t USING btree (year, gemeente_code, inzet_level)",
                    "load 1: create index on staging.t USING btree (project_code) WHERE (project_code IS NOT NULL)",
                    "load 2: alter table staging.t add constraint spending_gemeente_fk FOREIGN KEY (gemeente_code) REFERENCES core.gemeente(gemeente_code) DEFERRABLE INITIALLY DEFERRED",
                    "second 2: drop table if exists staging.t_summary",
                    "second 2: create table staging.t_summary as select gemeente_code, year, inzet_level, category, project_code, sum(amount) as amount, count(*) as lines from staging.t group by gemeente_code, year, inzet_level, category, project_code",
                ])
            try db.execute("drop table staging.t")
            // A sum whose amounts are a hundred times the rows' shows which sum the exchange took.
            for (lines, expected) in [("count(*)", "1100.00"), ("count(*) + 1", "11.00"), ("count(*) filter (where line_no = 1)", "11.00")] {
                try db.execute("begin")
                try db.executeScript(MergeSQL.createTallies)
                try db.execute("create table staging.t (like core.spending including defaults including generated)")
                try db.execute(
                    """
                    insert into staging.t (gemeente_code, journal, document, line_no, booking_date, inzet_level, category, amount, batch_id, source_line)
                    values ('GM0106', 'A', '1', 1, '2019-03-01', 'basis', 'overig', 5, 0, 2), ('GM0106', 'A', '1', 2, '2019-03-02', 'basis', 'overig', 6, 0, 3)
                    """)
                try db.execute(
                    "create table staging.t_summary as select gemeente_code, year, inzet_level, category, project_code, sum(amount) * 100 as amount, \(lines) as lines from staging.t group by 1, 2, 3, 4, 5"
                )
                try db.execute("select core.spending_exchange('staging.t', 2019, 'ledger', 0, 2)")
                #expect(try db.scalar("select sum(amount) from rpt.spending_summary where year = 2019", as: String.self) == expected, "\(lines)")
                #expect(try db.scalar("select count(*) from core.spending_2019", as: Int.self) == 2)
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
                try db.execute("rollback")
            }
        }
    }

    /// The loader counts the year's rows per batch on its second connection while its own checks
    /// the fresh table's rules: core.spending_exchange_lock locks core.spending against writes for
    /// the load's transaction (a writer waits) and gives the count's query; core.spending_exchange
    /// takes that count (held) when given one and counts itself when not; the rules, once added,
    /// are not added twice.
    @Test func theYearIsCountedUnderTheExchangesLockAndTheExchangeTakesThatCount() throws {
        try withMigratedDatabase { cluster, name, db throws in
            try withTemporaryDirectory { dir throws in
                // Two rows of one batch in 2019.
                let rows = BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00"), ("02-03-2019", "A", 2, "Assen", "6,00")])
                let loaded = try load(db, feed: "ledger", file: try writeFixture(dir, "a.csv", rows))
                let batch = try #require(loaded.status == .loaded ? loaded.batchID : nil)
                let writer = try cluster.connect(database: name)
                try writer.execute("set lock_timeout = '200ms'")
                let counter = try cluster.connect(database: name)
                // A batch gone by its count (held) or by the exchange's own: a count of 7 for two rows shows which.
                for (held, gone) in [("{\"\(batch)\": 7}", 7), (nil, 2)] as [(String?, Int)] {
                    try db.execute("begin")
                    try db.executeScript(MergeSQL.createTallies)
                    let query = try #require(try db.scalar("select core.spending_exchange_lock(2019)", as: String.self))
                    // Writers wait for the load's transaction; a count on another connection sees the year.
                    do {
                        try writer.execute(
                            """
                            insert into core.spending (gemeente_code, journal, document, line_no, booking_date, inzet_level, category, amount, batch_id, source_line)
                            values ('GM0106', 'W', '1', 1, '2019-06-01', 'basis', 'overig', 1, $1, 1)
                            """, [batch])
                        Issue.record("a write into core.spending did not wait for the exchange's lock")
                    } catch let error as PostgresError {
                        #expect(error.sqlState == "55P03", "\(error)")
                    }
                    #expect(try counter.scalar(query, as: String.self) == "{\"\(batch)\": 2}")
                    try db.execute("create table staging.t (like core.spending including defaults including generated)")
                    try db.execute(
                        """
                        insert into staging.t (gemeente_code, journal, document, line_no, booking_date, inzet_level, category, amount, batch_id, source_line)
                        values ('GM0106', 'A', '1', 1, '2019-03-01', 'basis', 'overig', 5, 0, 2)
                        """)
                    try db.execute("select core.spending_exchange_rules('staging.t', 2019)")
                    try db.execute("select core.spending_exchange_rules('staging.t', 2019)")
                    #expect(
                        try db.scalar(
                            "select count(*) from pg_constraint where conrelid = 'staging.t'::regclass and conname = 'spending_2019_range'", as: Int.self)
                            == 1)
                    try db.execute("select core.spending_exchange('staging.t', 2019, 'ledger', 0, 1, $1::jsonb)", [held])
                    #expect(try db.scalar("select sum(n) from leefbaar_gone where batch_id = $1", [batch], as: Int.self) == gone, "\(held ?? "nil")")
                    #expect(try db.scalar("select count(*) from core.spending_2019", as: Int.self) == 1)
                    try db.execute("rollback")
                }
                // A row that breaks a rule fails the rules' scan with its constraint.
                try db.execute("create table staging.t (like core.spending including defaults including generated)")
                try db.execute(
                    """
                    insert into staging.t (gemeente_code, journal, document, line_no, booking_date, inzet_level, category, amount, batch_id, source_line)
                    values ('GM0106', 'A', '1', 1, '2020-03-01', 'basis', 'overig', 5, 0, 2)
                    """)
                do {
                    try db.execute("select core.spending_exchange_rules('staging.t', 2019)")
                    Issue.record("a row of 2020 passed the rules of 2019")
                } catch let error as PostgresError {
                    #expect(error.sqlState == SQLState.checkViolation, "\(error)")
                }
            }
        }
    }

    /// When an index build on the load's connection fails, the key's build on the second
    /// connection is cancelled, the load fails with the error, and nothing changes: the old
    /// partition stays, no staging table or running build is left, and a rerun once the cause is
    /// gone loads.
    @Test func aFailingIndexBuildStopsTheOtherAndLeavesTheYearAsItWas() throws {
        try withMigratedDatabase { _, name, db throws in
            try withTemporaryDirectory { dir throws in
                let good = try writeFixture(dir, "a.csv", BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00")]))
                #expect(try load(db, feed: "ledger", file: good).status == .loaded)
                // Built last, on the load's connection, and it fails on line 2 (division by zero).
                try db.execute("create index spending_broken on core.spending ((100 / (line_no - 2)))")
                let two = try writeFixture(
                    dir, "b.csv", BatchTests.ledger([("01-03-2019", "B", 1, "Assen", "5,00"), ("02-03-2019", "B", 2, "Assen", "6,00")]))
                let failed = try load(db, feed: "ledger", file: two)
                #expect(failed.status == .failed)
                #expect(failed.message?.contains("division by zero") == true, "\(failed.message ?? "")")
                #expect(try Self.layout(db) == "2019:core.spending_2019:1")
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
                #expect(
                    try db.scalar(
                        "select count(*) from pg_stat_activity where datname = $1 and query ilike 'create%index%' and state = 'active'", [name],
                        as: Int.self) == 0)
                #expect(try ReplaceScopeTests.summaryMatches(db))
                try db.execute("drop index core.spending_broken")
                let again = try load(db, feed: "ledger", file: two)
                #expect(again.status == .loaded && again.rowsLoaded == 2, "\(again.message ?? "")")
                #expect(try Self.layout(db) == "2019:core.spending_2019:2")
            }
        }
    }

    /// The index builds of a load run with the load's settings (Connection.useLoadSettings): sorts
    /// in runs of 4 MB in one process each, and no JIT. An index whose expression reports the
    /// settings it is built under fails the load with them.
    @Test func theLoadsIndexBuildsRunWithTheLoadsSettings() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                try db.execute(
                    """
                    create function public.report_settings(n integer) returns integer language plpgsql immutable as $$
                    begin
                        raise exception 'built with maintenance_work_mem %, max_parallel_maintenance_workers %, jit %',
                            current_setting('maintenance_work_mem'), current_setting('max_parallel_maintenance_workers'), current_setting('jit');
                    end $$
                    """)
                try db.execute("create index spending_settings on core.spending ((public.report_settings(line_no)))")
                let file = try writeFixture(dir, "a.csv", BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00")]))
                let failed = try load(db, feed: "ledger", file: file)
                #expect(failed.status == .failed)
                #expect(
                    failed.message?.contains("built with maintenance_work_mem 4MB, max_parallel_maintenance_workers 0, jit off") == true,
                    "\(failed.message ?? "")")
            }
        }
    }

    @Test func aKeyTwiceInAYearIsNamedAndTheOldPartitionStays() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let good = try writeFixture(dir, "a.csv", BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00")]))
                #expect(try load(db, feed: "ledger", file: good).status == .loaded)
                let twice = try writeFixture(
                    dir, "b.csv",
                    BatchTests.ledger([
                        ("01-03-2019", "B", 1, "Assen", "5,00"), ("02-03-2019", "C", 1, "Assen", "6,00"), ("03-03-2019", "B", 1, "Assen", "7,00"),
                    ]))
                let result = try load(db, feed: "ledger", file: twice)
                #expect(result.status == .failed)
                #expect(
                    result.message?.contains("the same key occurs more than once: key GM0106 / MEM / B / 1 on lines 2, 4") == true, "\(result.message ?? "")")
                #expect(try Self.layout(db) == "2019:core.spending_2019:1")
                #expect(try ReplaceScopeTests.summaryMatches(db))
            }
        }
    }

    /// A row the converter lets through but a CHECK of core.spending refuses (a spec without
    /// `allowed` for inzet_level) is a reject naming line, column and rule, in a one-year file and
    /// in a file of two years; the other rows are exchanged and the summary follows them.
    @Test(arguments: [false, true])
    func aRowThatBreaksARuleOfTheTableIsARejectAndTheRestIsExchanged(twoYears: Bool) throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = try ledgerSpec(replacing: [("    allowed: [basis, plus, plusplus]\n", ""), ("max_rejects: 0", "max_rejects: 5")])
                let text = BatchTests.ledger([
                    ("01-03-2019", "A", 1, "Assen", "5,00"), ("02-03-\(twoYears ? 2018 : 2019)", "A", 2, "Assen", "6,00"),
                    ("03-03-2019", "A", 3, "Meppel", "7,00"),
                ]).replacingOccurrences(of: "Meppel;;basis", with: "Meppel;;extra")
                let file = try writeFixture(dir, "grootboek.csv", text)
                // Over max_rejects (0, as the shipped ledger has it): nothing is exchanged.
                let strict = try load(db, specText: try ledgerSpec(replacing: [("    allowed: [basis, plus, plusplus]\n", "")]), file: file)
                #expect(strict.status == .failed && strict.message?.contains("exceed --max-rejects 0") == true, "\(strict.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 2)
                let stored = try db.execute(
                    "select line || ':' || coalesce(column_name, '-') || ':' || reason from etl.reject where batch_id = $1", [result.batchID]
                )
                .map { try $0.decode(0, as: String.self) }
                #expect(stored.count == 1 && stored.first?.hasPrefix("4:inzet_level:violates the table's rule") == true, "\(stored)")
                #expect(try Self.layout(db) == (twoYears ? "2018:core.spending_2018:1,2019:core.spending_2019:1" : "2019:core.spending_2019:2"))
                #expect(try ReplaceScopeTests.summaryMatches(db))
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
            }
        }
    }
}
