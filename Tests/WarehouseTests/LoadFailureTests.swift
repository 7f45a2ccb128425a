import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// One failure channel out of the loader: whatever goes wrong, `Loader.load` returns a failed
/// result whose code says what kind, and nothing of the file stays.
@Suite(.ownThread) struct LoadFailureTests {
    @Test func aTargetHeldByAnotherLoadIsAFailedResultThatStopsTheRun() throws {
        try withMigratedDatabase { cluster, name, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "grootboek.csv", BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00")]))
                let other = try cluster.connect(database: name)
                try TargetLock.acquire("core.spending", other, wait: 0, shouldStop: nil)
                let held = try load(db, feed: "ledger", file: file)
                #expect(held.status == .failed && held.errorCode == .locked && held.stopsTheRun)
                #expect(held.message == "another load into core.spending is running; try again later or pass --wait SECONDS", "\(held.message ?? "")")
                #expect(held.batchID == nil)
                #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 0)
                TargetLock.release("core.spending", other)
                let free = try load(db, feed: "ledger", file: file)
                #expect(free.status == .loaded && free.errorCode == nil && !free.stopsTheRun)
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 1)
            }
        }
    }

    /// A stopped load's failure is recorded even when the signal's cancel request came late and
    /// cancelled the statement after the one it was meant for: here the load's transaction is left
    /// aborted by a cancelled statement (57014), as a cancelled rollback leaves it. Only a stop
    /// tries twice; any other failure to record goes up as before.
    @Test func aStoppedLoadsFailureIsRecordedAfterALateCancel() throws {
        try withMigratedDatabase { _, _, db throws in
            let loader = Loader(connection: db, spec: try FeedSpec.named("ledger", in: projectSQL()))
            func aborted() throws -> Int64 {
                let batch = try BatchLog(connection: db).open(feed: "ledger", file: "grootboek.csv", sha256: nil, bytes: 1)
                try db.execute("begin")
                try db.execute("set local statement_timeout = 1")
                do {
                    try db.execute("select pg_sleep(1)")
                    Issue.record("the statement was not cancelled")
                } catch let error as PostgresError {
                    #expect(error.sqlState == SQLState.queryCanceled)
                }
                return batch
            }
            let stopped = try aborted()
            try loader.recordFailure(stopped, message: "stopped by SIGTERM", read: 5, rejects: [], sha256: nil, stopped: true)
            #expect(!db.inTransaction)
            #expect(
                try db.scalar("select status || ':' || error || ':' || rows_read from etl.batch where batch_id = $1", [stopped], as: String.self)
                    == "failed:stopped by SIGTERM:5")

            let failed = try aborted()
            #expect(throws: PostgresError.self) {
                try loader.recordFailure(failed, message: "a failure", read: 0, rejects: [], sha256: nil, stopped: false)
            }
            _ = try? db.execute("rollback")
            #expect(try db.scalar("select status from etl.batch where batch_id = $1", [failed], as: String.self) == "running")
        }
    }

    /// Whatever fails once the batch is open is recorded on the batch (here: the target's column
    /// types cannot be read), not left `running` to be called abandoned later.
    @Test func aFailureAfterTheBatchOpenedIsRecordedOnIt() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = ReplaceScopeTests.subsidySpec
                    .replacingOccurrences(of: "target: core.spending", with: "target: core.nowhere")
                    .replacingOccurrences(of: "merge: {mode: replace, scope: [\"extract(year from booking_date)::integer\"]}", with: "merge: {mode: upsert}")
                let file = try writeFixture(dir, "s.csv", ReplaceScopeTests.subsidies([("15-05-2019", "S-1", "Assen", "100,00")]))
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .failed && result.batchID != nil, "\(result.message ?? "")")
                #expect(result.message?.contains("core.nowhere") == true, "\(result.message ?? "")")
                #expect(
                    try db.scalar("select status || ': ' || error from etl.batch where batch_id = $1", [result.batchID ?? -1], as: String.self)
                        == "failed: \(result.message ?? "")")
            }
        }
    }

    @Test func aLostConnectionIsAFailedResultThatStopsTheRun() throws {
        try withMigratedDatabase { cluster, name, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "grootboek.csv", BatchTests.ledger([("01-03-2019", "A", 1, "Assen", "5,00")]))
                let pid = try db.scalar("select pg_backend_pid()", as: Int32.self) ?? 0
                let other = try cluster.connect(database: name)
                #expect(try other.scalar("select pg_terminate_backend($1)", [pid], as: Bool.self) == true)
                let lost = try load(db, feed: "ledger", file: file)
                #expect(lost.status == .failed && lost.errorCode == .connectionLost && lost.stopsTheRun)
                #expect(lost.message?.hasPrefix("the database connection was lost: ") == true, "\(lost.message ?? "")")
                #expect(try other.scalar("select count(*) from core.spending", as: Int.self) == 0)
            }
        }
    }
}
