import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// A replace removes rows of earlier batches of the same feed only, says what it removed, never
/// shrinks a scope silently, and the spending aggregate follows whatever feed changed the table.
@Suite(.ownThread) struct ReplaceScopeTests {
    /// A second feed into core.spending: a subsidy register with its own journal.
    static let subsidySpec = """
        feed: subsidies
        target: core.spending
        input: {delimiter: ";", decimal: comma}
        key: [gemeente_code, journal, document, line_no]
        merge: {mode: replace, scope: ["extract(year from booking_date)::integer"]}
        columns:
          - {name: booking_date, source: Datum, type: date, required: true}
          - {name: journal, default: SUB, transform: constant}
          - {name: document, source: Dossier, required: true}
          - {name: line_no, default: "1", transform: constant, type: int}
          - {name: gemeente_code, source: Gemeente, transform: gemeente_code, required: true}
          - {name: inzet_level, default: basis, transform: constant}
          - {name: category, default: subsidie, transform: constant}
          - {name: amount, source: Bedrag, type: decimal, scale: 2, required: true}
        """

    static func subsidies(_ rows: [(date: String, dossier: String, gemeente: String, amount: String)]) -> String {
        (["Datum;Dossier;Gemeente;Bedrag"] + rows.map { "\($0.date);\($0.dossier);\($0.gemeente);\($0.amount)" }).joined(separator: "\n") + "\n"
    }

    /// rpt.spending_summary equals the sums of core.spending, group by group.
    static func summaryMatches(_ db: Connection) throws -> Bool {
        let diff = try db.scalar(
            """
            select count(*) from (
              (select gemeente_code, year, inzet_level, category, project_code, sum(amount) as amount, count(*) as lines
               from core.spending group by 1, 2, 3, 4, 5
               except select gemeente_code, year, inzet_level, category, project_code, amount, lines from rpt.spending_summary)
              union all
              (select gemeente_code, year, inzet_level, category, project_code, amount, lines from rpt.spending_summary
               except select gemeente_code, year, inzet_level, category, project_code, sum(amount), count(*)
               from core.spending group by 1, 2, 3, 4, 5)) d
            """, as: Int.self)
        return diff == 0
    }

    @Test func twoFeedsIntoOneTableLeaveEachOthersRows() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let ledger = try writeFixture(
                    dir, "grootboek-2019.csv",
                    BatchTests.ledger([
                        ("01-03-2019", "D", 1, "Assen", "100,00"), ("02-03-2019", "D", 2, "Meppel", "50,00"),
                    ]))
                let ledgerFixed = try writeFixture(
                    dir, "grootboek-2019-v2.csv",
                    BatchTests.ledger([
                        ("01-03-2019", "E", 1, "Assen", "110,00"), ("02-03-2019", "E", 2, "Meppel", "55,00"),
                    ]))
                let register = try writeFixture(
                    dir, "subsidies.csv",
                    Self.subsidies([
                        ("15-05-2019", "S-1", "Assen", "1.000,00"), ("16-05-2019", "S-2", "Hoogeveen", "250,50"),
                        ("17-05-2019", "S-3", "Assen", "9,50"),
                    ]))
                let registerFixed = try writeFixture(
                    dir, "subsidies-v2.csv",
                    Self.subsidies([
                        ("15-05-2019", "S-1", "Assen", "1.000,00"), ("16-05-2019", "S-2", "Hoogeveen", "260,50"),
                        ("17-05-2019", "S-3", "Assen", "9,50"),
                    ]))
                /// Count and sum of the lines of a ledger document (D, E) or of the register (journal SUB).
                func total(_ document: String?) throws -> String? {
                    try db.scalar(
                        document == nil
                            ? "select count(*) || '/' || sum(amount) from core.spending"
                            : "select count(*) || '/' || coalesce(sum(amount), 0) from core.spending where $1 in (document, journal)",
                        document.map { [$0] } ?? [], as: String.self)
                }
                let l1 = try load(db, feed: "ledger", file: ledger)
                let s1 = try load(db, specText: Self.subsidySpec, file: register)
                #expect(l1.status == .loaded && s1.status == .loaded, "\(l1.message ?? "") \(s1.message ?? "")")
                #expect(try total("SUB") == "3/1260.00")
                #expect(try Self.summaryMatches(db))

                // A corrected ledger of 2019 replaces the ledger's 2019, not the register's.
                let l2 = try load(db, feed: "ledger", file: ledgerFixed)
                #expect(l2.status == .loaded, "\(l2.message ?? "")")
                #expect(try total("SUB") == "3/1260.00")
                #expect(try total("D") == "0/0")
                #expect(try total(nil) == "5/1425.00")
                #expect(l2.replaced == [Replacement(batchID: l1.batchID ?? -1, feed: "ledger", rows: 2, status: "replaced")])
                #expect(try Self.summaryMatches(db))
                #expect(try db.scalar("select sum(amount) from rpt.spending_summary where year = 2019", as: String.self) == "1425.00")

                // And the register's correction leaves the ledger alone.
                let s2 = try load(db, specText: Self.subsidySpec, file: registerFixed)
                #expect(s2.status == .loaded)
                #expect(try total("E") == "2/165.00")
                #expect(try total("SUB") == "3/1270.00")
                #expect(s2.replaced.map(\.batchID) == [s1.batchID ?? -1])
                #expect(
                    try db.scalar(
                        """
                        select status || ':' || rows_replaced || ':' || replaced_by from etl.batch where batch_id = $1
                        """, [s1.batchID], as: String.self) == "replaced:3:\(s2.batchID ?? -1)")
                #expect(try db.scalar("select scope || ':' || rows from etl.replacement where batch_id = $1", [s1.batchID], as: String.self) == "2019:3")
                #expect(try Self.summaryMatches(db))
            }
        }
    }

    @Test func aBatchThatLosesOneOfItsYearsIsPartlyReplaced() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let both = try writeFixture(
                    dir, "a.csv",
                    BatchTests.ledger([
                        ("01-03-2018", "A", 1, "Assen", "5,00"), ("02-03-2018", "A", 2, "Assen", "6,00"), ("01-03-2019", "A", 3, "Assen", "7,00"),
                    ]))
                let only2019 = try writeFixture(dir, "b.csv", BatchTests.ledger([("01-04-2019", "B", 1, "Assen", "8,00")]))
                let a = try load(db, feed: "ledger", file: both)
                let b = try load(db, feed: "ledger", file: only2019)
                #expect(b.status == .loaded)
                #expect(b.replaced == [Replacement(batchID: a.batchID ?? -1, feed: "ledger", rows: 1, status: "partly replaced")])
                #expect(
                    try db.scalar("select status || ':' || rows_replaced from etl.batch where batch_id = $1", [a.batchID], as: String.self)
                        == "partly replaced:1")
                #expect(
                    try db.scalar("select string_agg(year || ':' || amount, ',' order by year, amount) from core.spending", as: String.self)
                        == "2018:5.00,2018:6.00,2019:8.00")
                #expect(try Self.summaryMatches(db))
            }
        }
    }

    @Test func aReplaceThatWouldShrinkAScopeIsRefusedUnlessAllowed() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let gemeenten = ["Assen", "Meppel", "Hoogeveen", "Westerveld"]
                let full2018 = try writeFixture(dir, "2018.csv", BatchTests.ledger((1...40).map { ("01-03-2018", "A", $0, gemeenten[$0 % 4], "10,00") }))
                let full2019 = try writeFixture(dir, "2019.csv", BatchTests.ledger((1...40).map { ("01-03-2019", "B", $0, gemeenten[$0 % 4], "20,00") }))
                // A 2019 file with three late 2018 lines; an Assen-only 2019 file.
                let stray = try writeFixture(
                    dir, "2019-stray.csv",
                    BatchTests.ledger(
                        (1...40).map { ("02-03-2019", "C", $0, gemeenten[$0 % 4], "20,00") } + [
                            ("31-12-2018", "C", 41, "Assen", "10,00"),
                            ("31-12-2018", "C", 42, "Assen", "10,00"), ("31-12-2018", "C", 43, "Assen", "10,00"),
                        ]))
                let assenOnly = try writeFixture(dir, "2019-assen.csv", BatchTests.ledger((1...10).map { ("03-03-2019", "D", $0, "Assen", "20,00") }))
                #expect(try load(db, feed: "ledger", file: full2018).status == .loaded)
                #expect(try load(db, feed: "ledger", file: full2019).status == .loaded)
                let before = try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self)

                let refused = try load(db, feed: "ledger", file: stray)
                #expect(refused.status == .failed)
                #expect(refused.errorCode == .shrinkRefused)
                #expect(refused.message?.contains("2018: 40 rows would be replaced by 3") == true, "\(refused.message ?? "")")
                #expect(refused.message?.contains("--allow-shrink") == true)
                let assen = try load(db, feed: "ledger", file: assenOnly)
                #expect(assen.errorCode == .shrinkRefused)
                #expect(assen.message?.contains("2019: 40 rows would be replaced by 10") == true, "\(assen.message ?? "")")
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == before)
                #expect(try Self.summaryMatches(db))

                // With the operator's word it loads as asked.
                let allowed = try load(db, feed: "ledger", file: assenOnly) { $0.allowShrink = true }
                #expect(allowed.status == .loaded)
                #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending where year = 2019", as: String.self) == "10/200.00")
                #expect(try db.scalar("select count(*) from core.spending where year = 2018", as: Int.self) == 40)
                #expect(try Self.summaryMatches(db))
            }
        }
    }
}
