import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// Bad rows are rejected with file, line and column while every valid row loads;
/// bad files are refused whole, with nothing loaded.
@Suite(.ownThread) struct BadInputTests {
    static let good1 = "01-03-2019;MEM;G1;1;;;Assen;;basis;;;100,00"
    static let good2 = "02-03-2019;MEM;G1;2;;;Assen;;basis;;;0,01"

    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let row: String
        let column: String?
        let reason: String
        var description: String { name }
    }

    static let rowCases: [Case] = [
        Case(name: "impossible date", row: "31-02-2019;MEM;X;1;;;Assen;;basis;;;1,00", column: "Boekdatum", reason: "expected a date dd-mm-yyyy"),
        Case(name: "date in another format", row: "2019/03/01;MEM;X;1;;;Assen;;basis;;;1,00", column: "Boekdatum", reason: "expected a date"),
        Case(name: "two decimal commas", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;12,34,5", column: "Bedrag", reason: "expected a number like 1.234,56"),
        Case(name: "misplaced thousands dots", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;1.23.4", column: "Bedrag", reason: "expected a number"),
        Case(name: "more than two decimals", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;12,345", column: "Bedrag", reason: "more than 2 decimals"),
        Case(name: "text as amount", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;n.v.t.", column: "Bedrag", reason: "expected a number"),
        Case(name: "empty required field", row: "01-03-2019;;X;1;;;Assen;;basis;;;1,00", column: "Dagboek", reason: "required value journal is empty"),
        Case(name: "empty required amount", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;", column: "Bedrag", reason: "required value amount is empty"),
        Case(name: "unknown gemeente", row: "01-03-2019;MEM;X;1;;;Amsterdam;;basis;;;1,00", column: "Gemeente", reason: "unknown gemeente 'Amsterdam'"),
        Case(name: "unknown inzet level", row: "01-03-2019;MEM;X;1;;;Assen;;extra;;;1,00", column: "Inzet", reason: "expected one of basis, plus, plusplus"),
        Case(name: "line number not a number", row: "01-03-2019;MEM;X;1a;;;Assen;;basis;;;1,00", column: "Regel", reason: "expected a whole number"),
        Case(name: "too few fields", row: "01-03-2019;MEM;X;1;;;Assen", column: nil, reason: "expected 12 fields, found 7"),
        Case(name: "too many fields", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;1,00;extra", column: nil, reason: "expected 12 fields, found 13"),
        Case(
            name: "stray character after a closing quote", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;\"tekst\"x;1,00", column: "Omschrijving",
            reason: "unexpected character after closing quote"),
        Case(
            name: "implausible date", row: "31-12-9999;MEM;X;1;;;Assen;;basis;;;1,00", column: "Boekdatum",
            reason: "9999-12-31 is after 2100-12-31, not a plausible date"),
        Case(name: "date in year 1", row: "01-01-0001;MEM;X;1;;;Assen;;basis;;;1,00", column: "Boekdatum", reason: "is before 1900-01-01"),
        Case(name: "text after a date", row: "07-04-2021 rommel;MEM;X;1;;;Assen;;basis;;;1,00", column: "Boekdatum", reason: "expected a date"),
        Case(
            name: "amount beyond numeric(14,2)", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;;1.000.000.000.000,00", column: "Bedrag",
            reason: "out of range for numeric(14,2): at most 12 digits"),
        Case(
            name: "line number beyond integer", row: "01-03-2019;MEM;X;3000000000;;;Assen;;basis;;;1,00", column: "Regel",
            reason: "3000000000 is out of range for integer"),
        Case(name: "NUL byte", row: "01-03-2019;MEM;X;1;;;Assen;;basis;;te\u{0}kst;1,00", column: "Omschrijving", reason: "NUL byte"),
    ]

    @Test(arguments: rowCases)
    func badRowIsRejectedAndTheRestLoads(_ c: Case) throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "bad.csv", [ledgerHeader, Self.good1, c.row, Self.good2].joined(separator: "\n") + "\n")
                let result = try load(db, feed: "ledger", file: file) { $0.maxRejects = .count(5) }
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 2)
                #expect(result.rowsRejected == 1)
                #expect(try db.scalar("select sum(amount)::text from core.spending", as: String.self) == "100.01")
                let reject = try #require(result.rejects.first)
                #expect(reject.line == 3)
                #expect(reject.column == c.column)
                #expect(reject.reason.contains(c.reason), "\(reject.reason)")
                // Stored with the batch, with the original record.
                let stored = try db.execute("select line, column_name, reason, raw_record from etl.reject where batch_id = $1", [result.batchID])
                #expect(stored.count == 1)
                #expect(try stored[0].decode(0, as: Int.self) == 3)
                #expect(try stored[0].decode(3, as: String.self).hasPrefix(String(c.row.prefix(10))))
            }
        }
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "open.csv",
                    [ledgerHeader, Self.good1, Self.good2, "01-03-2019;MEM;X;9;;;Assen;;basis;;\"nooit dicht;1,00\nnog iets"].joined(separator: "\n"))
                let result = try load(db, feed: "ledger", file: file) { $0.maxRejects = .count(1) }
                #expect(result.rowsLoaded == 2)
                #expect(result.rejects.first?.line == 4)
                #expect(result.rejects.first?.column == "Omschrijving")
                #expect(result.rejects.first?.reason.contains("unterminated quoted field") == true)
            }
        }
    }

    @Test func invalidUTF8InAUTF8File() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = try ledgerSpec(replacing: [("encoding: auto ", "encoding: utf-8 ")])
                var bytes = Array((ledgerHeader + "\n" + Self.good1 + "\n").utf8)
                bytes += Array("01-03-2019;MEM;X;3;;;Assen;;basis;;caf".utf8) + [0xE9, 0xFF] + Array(";1,00\n".utf8)
                bytes += Array((Self.good2 + "\n").utf8)
                let file = try writeFixture(dir, "utf8.csv", bytes)
                let result = try load(db, specText: spec, file: file) { $0.maxRejects = .count(1) }
                #expect(result.rowsLoaded == 2)
                #expect(result.rejects.first?.line == 3)
                #expect(result.rejects.first?.column == "Omschrijving")
                #expect(result.rejects.first?.reason == "not valid utf-8")
            }
        }
    }

    @Test func tenMegabyteFieldIsRejectedNotLoaded() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let huge = String(repeating: "x", count: 10 * 1024 * 1024)
                let file = try writeFixture(
                    dir, "huge.csv", [ledgerHeader, Self.good1, "01-03-2019;MEM;X;3;;;Assen;;basis;;\(huge);1,00", Self.good2].joined(separator: "\n") + "\n")
                let result = try load(db, feed: "ledger", file: file) { $0.maxRejects = .count(1) }
                #expect(result.status == .loaded)
                #expect(result.rowsLoaded == 2)
                #expect(result.rejects.first?.line == 3)
                #expect(result.rejects.first?.column == "Omschrijving")
                #expect(result.rejects.first?.reason == "field longer than 1048576 bytes")
                #expect((result.rejects.first?.rawRecord.utf8.count ?? 0) <= 64 * 1024)
            }
        }
    }

    @Test func missingRequiredHeaderColumnRefusesTheFile() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "noamount.csv", "Boekdatum;Dagboek;Boekstuk;Regel;Gemeente;Inzet\n01-03-2019;MEM;X;1;Assen;basis\n")
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .failed)
                #expect(result.message?.contains("\(file):1: header lacks required column Bedrag or Amount") == true)
                #expect(try db.scalar("select status from etl.batch where batch_id = $1", [result.batchID], as: String.self) == "failed")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
            }
        }
    }

    @Test func emptyAndHeaderOnlyFilesAreRefused() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let empty = try writeFixture(dir, "empty.csv", "")
                let e = try load(db, feed: "ledger", file: empty)
                #expect(e.status == .failed)
                #expect(e.message == "\(empty): the file is empty (no header line)")
                let headerOnly = try writeFixture(dir, "header.csv", ledgerHeader + "\r\n")
                let h = try load(db, feed: "ledger", file: headerOnly)
                #expect(h.status == .failed)
                #expect(h.message == "\(headerOnly): no data rows after the header")
                let missing = try load(db, feed: "ledger", file: dir.appendingPathComponent("nope.csv").path)
                #expect(missing.status == .failed)
                #expect(missing.message?.contains("cannot open the file") == true)
            }
        }
    }

    @Test func duplicateKeyInOneFileNamesBothLines() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "dup.csv", [ledgerHeader, Self.good1, Self.good2, Self.good1].joined(separator: "\n") + "\n")
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .failed)
                #expect(
                    result.message?.contains("the same key occurs more than once: key GM0106 / MEM / G1 / 1 on lines 2, 4") == true, "\(result.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
            }
        }
    }

    @Test func rejectsOverTheThresholdLoadNothing() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "over.csv", [ledgerHeader, Self.good1, Self.rowCases[0].row, Self.good2].joined(separator: "\n") + "\n")
                let result = try load(db, feed: "ledger", file: file)  // ledger allows 0
                #expect(result.status == .failed)
                #expect(result.errorCode == .rejectsOverThreshold)
                #expect(
                    result.message?.contains("1 rejected rows exceed --max-rejects 0; nothing loaded. First: line 3, column Boekdatum") == true,
                    "\(result.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                #expect(try db.scalar("select count(*) from etl.reject where batch_id = $1", [result.batchID], as: Int.self) == 1)
                // A percentage: 1 of 3 rows is 33%.
                let pct = try load(db, feed: "ledger", file: file) { $0.maxRejects = .percent(50) }
                #expect(pct.status == .loaded)
                #expect(pct.rowsLoaded == 2)
            }
        }
    }

    @Test func specErrorsNameTheLine() throws {
        let base = try ledgerSpec(replacing: [])
        let unknownKey = base.replacingOccurrences(of: "    scrub: true\n", with: "    scrub: true\n    scrubb: true\n")
        do {
            _ = try FeedSpec.parse(unknownKey, path: "my.yaml", sql: projectSQL())
            Issue.record("unknown key accepted")
        } catch let error as WarehouseError {
            let line = unknownKey.components(separatedBy: "\n").firstIndex { $0.contains("scrubb:") }.map { $0 + 1 } ?? -1
            #expect(error.message == "my.yaml:\(line): unknown key 'scrubb' in column")
        }
        #expect(throws: WarehouseError.self) {
            try FeedSpec.parse(base.replacingOccurrences(of: "decimal: comma", with: "decimal: komma"), path: "x", sql: nil)
        }
        #expect(throws: WarehouseError.self) {
            try FeedSpec.parse(base.replacingOccurrences(of: "    type: date\n", with: "    type: datum\n"), path: "x", sql: nil)
        }
        #expect(throws: WarehouseError.self) { try FeedSpec.parse("feed: x\ntarget: core.spending\ncolumns: []\n", path: "x", sql: nil) }
    }
}
