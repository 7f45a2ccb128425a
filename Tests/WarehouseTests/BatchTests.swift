import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// Batches are atomic and idempotent.
@Suite(.ownThread) struct BatchTests {
    static func ledger(_ rows: [(date: String, doc: String, line: Int, gemeente: String, amount: String)]) -> String {
        ([ledgerHeader] + rows.map { "\($0.date);MEM;\($0.doc);\($0.line);;;\($0.gemeente);;basis;;;\($0.amount)" }).joined(separator: "\n") + "\n"
    }

    @Test func failingCheckAfterTheMergeLeavesNothingAndTheRerunLoadsAll() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "l.csv", Self.ledger((1...500).map { ("01-03-2019", "D", $0, $0 % 2 == 0 ? "Assen" : "Meppel", "2,00") }))
                // A check that finds fault with the merged rows: the merge already inserted them.
                let strict = try ledgerSpec(replacing: [
                    (
                        "# No data check: the converter accepts only gemeente codes of core.gemeente (a name or a code), so",
                        """
                        checks:
                          - known: {column: gemeente_code, in: core.gemeente}
                          - name: no_meppel_lines
                            sql: select source_line from core.spending where batch_id = $1 and gemeente_code = 'GM0119'
                        """
                    )
                ])
                let failed = try load(db, specText: strict, file: file)
                #expect(failed.status == .failed)
                #expect(failed.errorCode == .checkFailed)
                #expect(failed.message?.contains("data check no_meppel_lines failed (250 rows)") == true, "\(failed.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending where batch_id = $1", [failed.batchID], as: Int.self) == 0)
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                #expect(try db.scalar("select status from etl.batch where batch_id = $1", [failed.batchID], as: String.self) == "failed")
                #expect(
                    try db.scalar("select error from etl.batch where batch_id = $1", [failed.batchID], as: String.self)?.contains("no_meppel_lines") == true)
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
                // Fixed (the check dropped): the rerun loads all 500 lines.
                let ok = try load(db, feed: "ledger", file: file)
                #expect(ok.status == .loaded)
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "500/1000.00")
            }
        }
    }

    @Test func sameFileTwiceIsSkippedAndForceKeepsOneCopy() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "l.csv", Self.ledger([("01-03-2019", "D", 1, "Assen", "800.000"), ("01-03-2019", "D", 2, "Meppel", "16.000")]))
                let first = try load(db, feed: "ledger", file: file)
                let second = try load(db, feed: "ledger", file: file)
                #expect(second.status == .skipped)
                #expect(second.message == "already loaded as batch \(first.batchID ?? -1)")
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "2/816000.00")
                let forced = try load(db, feed: "ledger", file: file) { $0.force = true }
                #expect(forced.status == .loaded)
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "2/816000.00")
                #expect(try db.scalar("select count(distinct batch_id) from core.spending", as: Int.self) == 1)
                #expect(try db.scalar("select batch_id from core.spending limit 1", as: Int64.self) == forced.batchID)
                #expect(
                    try db.scalar("select status || ':' || replaced_by from etl.batch where batch_id = $1", [first.batchID], as: String.self)
                        == "replaced:\(forced.batchID ?? -1)")
            }
        }
    }

    /// "Already loaded" needs an equal SHA-256, and that an equal size. A file the size of no loaded
    /// batch of the feed is hashed beside the load: while it runs its batch has no checksum (a data
    /// check, which runs inside the load, sees that), and once loaded the file's. A file the size of
    /// a loaded batch is hashed before the load: the same bytes are skipped, other bytes load.
    @Test func aFileOfANewSizeIsHashedBesideTheLoad() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = try ledgerSpec(replacing: [
                    (
                        "# No data check: the converter accepts only gemeente codes of core.gemeente (a name or a code), so",
                        """
                        checks:
                          - name: checksum_known_while_loading
                            sql: select batch_id from etl.batch where batch_id = $1 and file_sha256 is not null
                        """
                    )
                ])
                let rows = (1...300).map { ("01-03-2019", "D", $0, $0 % 2 == 0 ? "Assen" : "Meppel", "2,00") }
                let file = try writeFixture(dir, "l.csv", Self.ledger(rows))
                let sha256 = try FileProbe(path: file, input: InputFormat()).checksum()
                let first = try load(db, specText: spec, file: file)
                #expect(first.status == .loaded, "\(first.message ?? "")")
                #expect(try db.scalar("select file_sha256 from etl.batch where batch_id = $1", [first.batchID], as: String.self) == sha256)
                let again = try load(db, specText: spec, file: file)
                #expect(again.status == .skipped)
                #expect(again.message == "already loaded as batch \(first.batchID ?? -1)")
                // The same size, other bytes (an amount of 3,00): hashed first, so the check sees the checksum.
                let other = try writeFixture(dir, "l2.csv", Self.ledger(rows.map { r in r.2 == 7 ? (r.0, r.1, r.2, r.3, "3,00") : r }))
                let otherSHA256 = try FileProbe(path: other, input: InputFormat()).checksum()
                #expect(otherSHA256 != sha256)
                let failed = try load(db, specText: spec, file: other)
                #expect(failed.errorCode == .checkFailed)
                #expect(failed.message?.contains("data check checksum_known_while_loading failed (1 rows)") == true, "\(failed.message ?? "")")
                #expect(try db.scalar("select file_sha256 from etl.batch where batch_id = $1", [failed.batchID], as: String.self) == otherSHA256)
                let loaded = try load(db, feed: "ledger", file: other)
                #expect(loaded.status == .loaded)
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "300/601.00")
                #expect(try db.scalar("select file_sha256 from etl.batch where batch_id = $1", [loaded.batchID], as: String.self) == otherSHA256)
            }
        }
    }

    @Test func correctedFileReplacesItsYearOnly() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let y2018 = try writeFixture(dir, "2018.csv", Self.ledger([("01-03-2018", "A", 1, "Assen", "5,00")]))
                let y2019 = try writeFixture(
                    dir, "2019.csv", Self.ledger([("01-03-2019", "B", 1, "Assen", "10,00"), ("02-03-2019", "B", 2, "Assen", "20,00")]))
                let fixed = try writeFixture(dir, "2019-fixed.csv", Self.ledger([("01-03-2019", "C", 1, "Assen", "11,00")]))
                for f in [y2018, y2019] { #expect(try load(db, feed: "ledger", file: f).status == .loaded) }
                let replaced = try load(db, feed: "ledger", file: fixed)
                #expect(replaced.status == .loaded)
                #expect(
                    try db.scalar("select string_agg(year || ':' || amount, ',' order by year) from core.spending", as: String.self) == "2018:5.00,2019:11.00")
                #expect(try db.scalar("select string_agg(status, ',' order by batch_id) from etl.batch", as: String.self) == "loaded,replaced,loaded")
            }
        }
    }

    @Test func dryRunWritesNothing() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "l.csv", Self.ledger([("01-03-2019", "D", 1, "Assen", "1,00"), ("31-02-2019", "D", 2, "Assen", "1,00")]))
                let result = try load(db, feed: "ledger", file: file) {
                    $0.dryRun = true
                    $0.maxRejects = .count(10)
                }
                #expect(result.status == .dryRun)
                #expect(result.rowsRead == 2 && result.rowsLoaded == 1 && result.rowsRejected == 1)
                #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 0)
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
            }
        }
    }
}

/// Loads merged in several chunks behave as one.
@Suite(.ownThread) struct ChunkedLoadTests {
    @Test func manyChunksLoadExactlyAndReplaceAcrossChunks() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let rows = (1...53).map { ("0\($0 % 9 + 1)-03-2019", "D\($0 / 10)", $0, $0 % 3 == 0 ? "Assen" : "Meppel", "\($0),01") }
                let file = try writeFixture(dir, "l.csv", BatchTests.ledger(rows))
                let result = try load(db, feed: "ledger", file: file) { $0.chunkRows = 7 }
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 53)
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "53/1431.53")
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
                // A corrected file for the same year replaces all of it, chunk by chunk.
                let fixed = try writeFixture(dir, "fixed.csv", BatchTests.ledger(rows.map { ($0.0, $0.1, $0.2, $0.3, "1,00") }))
                let second = try load(db, feed: "ledger", file: fixed) { $0.chunkRows = 5 }
                #expect(second.status == .loaded, "\(second.message ?? "")")
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "53/53.00")
                #expect(try db.scalar("select status from etl.batch where batch_id = $1", [result.batchID], as: String.self) == "replaced")
            }
        }
    }

    @Test func duplicateKeyInDifferentChunksIsFound() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                var rows = (1...20).map { ("01-03-2019", "D", $0, "Assen", "1,00") }
                rows.append(("01-03-2019", "D", 3, "Assen", "9,00"))  // line 22 repeats line 4's key
                let file = try writeFixture(dir, "dup.csv", BatchTests.ledger(rows))
                let result = try load(db, feed: "ledger", file: file) { $0.chunkRows = 6 }
                #expect(result.status == .failed)
                #expect(result.message?.contains("key GM0106 / MEM / D / 3 on lines 4, 22") == true, "\(result.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                // Upsert feeds too (leefbaarometer): the second row would silently win without the guard.
                let scores = try writeFixture(
                    dir, "lbm.csv",
                    "bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
                        + (1...9).map { "BU010600\(10 + $0),2018,4,0,0,0,0,0,0" }.joined(separator: "\n") + "\nBU01060011,2018,5,0,0,0,0,0,0\n")
                let upsert = try load(db, feed: "leefbaarometer", file: scores) { $0.chunkRows = 4 }
                #expect(upsert.status == .failed)
                #expect(upsert.message?.contains("on lines 2, 11") == true, "\(upsert.message ?? "")")
            }
        }
    }

    @Test func rejectsOverThresholdMidStreamWithAMergeInFlight() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                var rows = (1...30).map { ("01-03-2019", "D", $0, "Assen", "1,00") }
                rows.append(("01-03-2019", "D", 31, "Nergenshuizen", "1,00"))
                let file = try writeFixture(dir, "late.csv", BatchTests.ledger(rows))
                let result = try load(db, feed: "ledger", file: file) { $0.chunkRows = 4 }
                #expect(result.errorCode == .rejectsOverThreshold)
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                #expect(try db.scalar("select 1", as: Int.self) == 1)
            }
        }
    }
}
