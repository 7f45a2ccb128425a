import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// Every quirk of real Dutch exports loads, with sums exact to the cent.
@Suite(.ownThread) struct CSVQuirkTests {
    func spending(_ db: Connection, batch: Int64?) throws -> (count: Int, sum: String) {
        let row = try db.execute("select count(*), coalesce(sum(amount), 0)::text from core.spending where batch_id = $1", [batch])[0]
        return (try row.decode(0), try row.decode(1))
    }

    /// Writes `text` as `name` and loads it with the shipped ledger feed, expecting it loaded.
    func loadedLedger(_ db: Connection, _ dir: URL, _ name: String, _ text: String) throws -> LoadResult {
        let result = try load(db, feed: "ledger", file: try writeFixture(dir, name, text))
        #expect(result.status == .loaded, "\(result.message ?? "")")
        return result
    }

    @Test func windows1252WithEuroAndAccents() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                var bytes = Array((ledgerHeader + "\r\n").utf8)
                // "Café de Buurt" with é = 0xE9 and "€ 800.000" with € = 0x80, as Windows-1252.
                bytes += Array("01-03-2019;MEM;D1;1;4410;LB01;Assen;P1;plus;projecten;Caf".utf8) + [0xE9] + Array(" de Buurt;".utf8)
                bytes += [0x80] + Array(" 800.000\r\n".utf8)
                bytes +=
                    Array("02-03-2019;MEM;D1;2;4410;LB01;Midden-Drenthe;;basis;;Re".utf8) + [0xEB] + Array("el;".utf8) + [0x80] + Array(" 104.000,00\r\n".utf8)
                let file = try writeFixture(dir, "cp1252.csv", bytes)
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(try spending(db, batch: result.batchID) == (2, "904000.00"))
                #expect(try db.scalar("select description from core.spending where line_no = 1", as: String.self) == "Café de Buurt")
                #expect(try db.scalar("select description from core.spending where line_no = 2", as: String.self) == "Reëel")
            }
        }
    }

    @Test func bomAndCRLF() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let text = ledgerHeader + "\r\n01-03-2019;MEM;D1;1;;;GM0106;;basis;;é;10,01\r\n01-03-2019;MEM;D1;2;;;GM0106;;basis;;;-0,01\r\n"
                let file = try writeFixture(dir, "bom.csv", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(try spending(db, batch: result.batchID) == (2, "10.00"))
                #expect(try db.scalar("select string_agg(source_line::text, ',' order by line_no) from core.spending", as: String.self) == "2,3")
            }
        }
    }

    /// Excel's delimiter hint: a first line `sep=;` (or `sep=,`) names the delimiter and is no
    /// header; line numbers stay the file's own. A spec whose delimiter differs refuses the file.
    @Test func excelsSepLineNamesTheDelimiterAndIsNoHeader() throws {
        try withMigratedDatabaseAndFolder { db, dir throws in
            let semicolons = try writeFixture(
                dir, "sep-semicolon.csv",
                "sep=;\r\n" + ledgerHeader + "\r\n01-03-2019;MEM;D1;1;;;Assen;;basis;;;10,50\r\n01-03-2019;MEM;D1;2;;;Assen;;basis;;;1.000,00\r\n")
            let first = try load(db, feed: "ledger", file: semicolons)
            #expect(first.status == .loaded, "\(first.message ?? "")")
            #expect(try spending(db, batch: first.batchID) == (2, "1010.50"))
            #expect(try db.scalar("select string_agg(source_line::text, ',' order by line_no) from core.spending", as: String.self) == "3,4")

            // Comma-separated, Dutch amounts quoted, the hint in capitals: the same year replaced.
            let header = ledgerHeader.replacingOccurrences(of: ";", with: ",")
            let commas = try writeFixture(
                dir, "sep-comma.csv", "SEP=,\n" + header + "\n01-03-2019,MEM,D1,1,,,Assen,,basis,,\"a; b\",\"2.000,25\"\n")
            let second = try load(db, feed: "ledger", file: commas)
            #expect(second.status == .loaded, "\(second.message ?? "")")
            #expect(try spending(db, batch: second.batchID) == (1, "2000.25"))
            #expect(try db.scalar("select description from core.spending", as: String.self) == "a; b")

            // A bad row is named by its line in the file, the hint's line counted.
            let bad = try writeFixture(
                dir, "sep-bad.csv", "sep=;\n" + ledgerHeader + "\n01-03-2019;MEM;D1;1;;;Assen;;basis;;;1,00\n01-03-2019;MEM;D1;2;;;Assen;;basis;;;x\n")
            let refused = try load(db, feed: "ledger", file: bad)
            #expect(refused.status == .failed)
            #expect(refused.rejects.map(\.line) == [4])

            // A header without a required column names line 2, where the header is.
            let short = try writeFixture(dir, "sep-short.csv", "sep=;\nBoekdatum;Dagboek\n01-03-2019;MEM\n")
            let missing = try load(db, feed: "ledger", file: short)
            #expect(missing.status == .failed)
            #expect(missing.message?.contains("sep-short.csv:2: header lacks required column") == true, "\(missing.message ?? "")")

            // The spec's delimiter is not the file's.
            let fixed = try ledgerSpec(replacing: [("delimiter: auto", "delimiter: \";\"")])
            let conflict = try load(db, specText: fixed, file: commas)
            #expect(conflict.status == .failed)
            #expect(
                conflict.message?.contains("sep-comma.csv:1: the file says its delimiter is ',' (sep=), the spec says ';'") == true,
                "\(conflict.message ?? "")")
            #expect(try spending(db, batch: second.batchID) == (1, "2000.25"))
        }
    }

    /// Excel saves a sheet's empty rows as delimiters only: no data, skipped like blank lines.
    @Test func rowsOfDelimitersOnlyAreSkippedLikeBlankLines() throws {
        try withMigratedDatabaseAndFolder { db, dir throws in
            let empty = String(repeating: ";", count: 11)
            let text =
                ledgerHeader + "\r\n01-03-2019;MEM;D1;1;;;Assen;;basis;;;10,50\r\n" + empty + "\r\n\r\n"
                + "\"\";\"\";\"\";;;;;;;;;\r\n01-03-2019;MEM;D1;2;;;Assen;;basis;;;1,25\r\n" + empty + "\r\n" + empty + "\r\n"
            let file = try writeFixture(dir, "excel-empty-rows.csv", text)
            let result = try load(db, feed: "ledger", file: file)
            #expect(result.status == .loaded, "\(result.message ?? "")")
            #expect(result.rowsRead == 2)
            #expect(result.rowsRejected == 0)
            #expect(try spending(db, batch: result.batchID) == (2, "11.75"))
            #expect(try db.scalar("select string_agg(source_line::text, ',' order by line_no) from core.spending", as: String.self) == "2,6")
            // A row with one value is data: a reject naming what it lacks.
            let partial = try writeFixture(dir, "partial.csv", ledgerHeader + "\n;;;;;;;;;;;7,00\n")
            let refused = try load(db, feed: "ledger", file: partial)
            #expect(refused.status == .failed)
            #expect(refused.rejects.map(\.line) == [2])
        }
    }

    /// Dates with a month name, as a sheet formatted `d-mmm-jjjj` or `d mmmm jjjj` saves them.
    @Test func datesWithAMonthByName() throws {
        try withMigratedDatabaseAndFolder { db, dir throws in
            let text =
                ledgerHeader + "\n01-mrt-2019;MEM;D1;1;;;Assen;;basis;;;1,00\n15 oktober 2019;MEM;D1;2;;;Assen;;basis;;;2,00\n"
                + "1-Dec-2019;MEM;D1;3;;;Assen;;basis;;;3,00\n"
            _ = try loadedLedger(db, dir, "maanden.csv", text)
            #expect(
                try db.scalar("select string_agg(booking_date::text, ',' order by line_no) from core.spending", as: String.self)
                    == "2019-03-01,2019-10-15,2019-12-01")
            let bad = try writeFixture(dir, "maanden-kort.csv", ledgerHeader + "\n01-mrt-19;MEM;D1;1;;;Assen;;basis;;;1,00\n")
            #expect(try load(db, feed: "ledger", file: bad).rejectLines == ["2:Boekdatum:expected a date dd-mm-yyyy"])
        }
    }

    @Test func quotedDelimiterQuotesAndNewlines() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let text =
                    ledgerHeader + "\n"
                    + "01-03-2019;MEM;D1;1;;;Assen;;basis;;\"Bijdrage; buurthuis \"\"De Schuur\"\"\nregel twee\r\nregel drie\";\"1.000,00\"\n"
                    + "01-03-2019;MEM;D1;2;;;Assen;;basis;;\"\";\"0,50\"\n"
                let result = try loadedLedger(db, dir, "quoted.csv", text)
                #expect(try spending(db, batch: result.batchID) == (2, "1000.50"))
                #expect(
                    try db.scalar("select description from core.spending where line_no = 1", as: String.self)
                        == "Bijdrage; buurthuis \"De Schuur\"\nregel twee\r\nregel drie")
                // The second record starts on physical line 5 (the first spans lines 2–4).
                #expect(try db.scalar("select source_line from core.spending where line_no = 2", as: Int.self) == 5)
                #expect(try db.scalar("select description is null from core.spending where line_no = 2", as: Bool.self) == true)
            }
        }
    }

    @Test func thousandsSeparatorsAndSigns() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let amounts = ["1.234.567,89", "-12,50", "€ 800.000", "€ -1.000,10", "0,05", "+3", "999"]
                var text = ledgerHeader + "\n"
                for (i, a) in amounts.enumerated() { text += "01-03-2019;MEM;D1;\(i + 1);;;Assen;;basis;;;\(a)\n" }
                let file = try writeFixture(dir, "thousands.csv", text)
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(try spending(db, batch: result.batchID) == (7, "2034557.34"))
            }
        }
    }

    @Test func debitCreditLayoutByASpecAlone() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = try ledgerSpec(
                    feed: "ledger-debet-credit", amount: "    transform: debit_minus_credit\n    debit: [Debet]\n    credit: [Credit]")
                let text =
                    "Boekdatum;Dagboek;Boekstuk;Regel;Gemeente;Inzet;Debet;Credit\n"
                    + "01-03-2019;MEM;D1;1;Assen;basis;1.500,00;\n"
                    + "01-03-2019;MEM;D1;2;Assen;basis;;250,25\n"
                    + "01-03-2019;MEM;D1;3;Assen;basis;100,00;0,10\n"
                let file = try writeFixture(dir, "debet-credit.csv", text)
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(try spending(db, batch: result.batchID) == (3, "1349.65"))
                #expect(try db.scalar("select amount::text from core.spending where line_no = 2", as: String.self) == "-250.25")
            }
        }
    }

    /// An unsigned amount with a debit/credit column beside it (`D`/`C`): `transform: sign_from`.
    /// A sign value the spec does not list, or an amount with a sign of its own, is a reject.
    @Test func anUnsignedAmountSignedByADebitCreditColumn() throws {
        try withMigratedDatabaseAndFolder { db, dir throws in
            let spec = try ledgerSpec(
                feed: "ledger-dc",
                amount: "    source: [Bedrag]\n    transform: sign_from\n    indicator: [D/C]\n    negative: [C, Credit]\n    positive: [D, Debet]")
            let header = "Boekdatum;Dagboek;Boekstuk;Regel;Gemeente;Inzet;Bedrag;D/C\n"
            let text =
                header + "01-03-2019;MEM;D1;1;Assen;basis;1.500,00;D\n" + "01-03-2019;MEM;D1;2;Assen;basis;250,25;C\n"
                + "01-03-2019;MEM;D1;3;Assen;basis;100,00;credit\n" + "01-03-2019;MEM;D1;4;Assen;basis;;\n"
            let file = try writeFixture(dir, "dc.csv", text)
            let result = try load(db, specText: spec, file: file)
            // An empty amount is no value: the row is a reject for the required amount.
            #expect(result.rejectLines == ["5:Bedrag/D/C:required value amount is empty"])
            let clean = try writeFixture(dir, "dc-clean.csv", String(text.split(separator: "\n").dropLast().joined(separator: "\n")) + "\n")
            let loaded = try load(db, specText: spec, file: clean)
            #expect(loaded.status == .loaded, "\(loaded.message ?? "")")
            #expect(try spending(db, batch: loaded.batchID) == (3, "1149.75"))
            #expect(try db.scalar("select amount::text from core.spending where line_no = 2", as: String.self) == "-250.25")

            let bad = try writeFixture(
                dir, "dc-bad.csv", header + "01-03-2019;MEM;D9;1;Assen;basis;10,00;X\n" + "01-03-2019;MEM;D9;2;Assen;basis;-10,00;C\n")
            let refused = try load(db, specText: spec, file: bad) { $0.maxRejects = .count(5) }
            #expect(
                refused.rejectLines == [
                    "2:D/C:expected D, Debet, C, Credit (the sign of Bedrag)",
                    "3:Bedrag:the amount has a sign of its own and D/C gives one too",
                ])
            #expect(throws: WarehouseError.self) {
                try FeedSpec.parse(spec.replacingOccurrences(of: "positive: [D, Debet]", with: "positive: [D, C]"), path: "dc.yaml", sql: projectSQL())
            }
        }
    }

    @Test func headerNamesInOtherCaseSpacingAndOrder() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let text =
                    "  BEDRAG ;inzet;GEMEENTE;regel; Boek Stuk ;dagboek;BOEKDATUM;Extra kolom\n"
                    + "12,00;Plus;assen;1;D9;mem;15-7-2019;x\n" + "8,00;PLUSPLUS;GM0085;2;D9;mem;2019-07-16;y\n"
                let file = try writeFixture(dir, "order.csv", text)
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(try spending(db, batch: result.batchID) == (2, "20.00"))
                #expect(
                    try db.scalar("select string_agg(inzet_level || '@' || gemeente_code, ',' order by line_no) from core.spending", as: String.self)
                        == "plus@GM0106,plusplus@GM0085")
                #expect(result.droppedColumns == ["Extra kolom"])
            }
        }
    }

    @Test func commaSeparatedPublicFileWithAutoDelimiter() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let text =
                    "bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won\n"
                    + "BU01060710,2018,3.9512,-0.1234,-0.05,0.01,-0.02,0.03,-0.0712\n"
                    + "BU03630000,2018,4.2,0.1,0,0,0,0,0\n"  // Amsterdam: outside the werkgebied, skipped
                    + "BU17310001,2018,4.0100,0.0200,0,0,0,0,0.001\n"
                let file = try writeFixture(dir, "leefbaarometer.csv", text)
                let result = try load(db, feed: "leefbaarometer", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 2)
                #expect(result.rowsSkipped == 1)
                #expect(try db.scalar("select sum(afw)::text from core.leefbaarometer_score", as: String.self) == "-0.1034")
                #expect(
                    try db.scalar("select string_agg(gemeente_code || ':' || level, ',' order by area_code) from core.leefbaarometer_score", as: String.self)
                        == "GM0106:buurt,GM1731:buurt")
            }
        }
    }

    @Test func areasAndHousingStockDeriveCodes() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let areas = try writeFixture(dir, "gebieden.csv", "Code;Naam;Jaar\nGM0106;Assen;2019\nWK010607;Pittelo;2019\nBU01060710;Pittelo-Noord;2019\n")
                #expect(try load(db, feed: "areas", file: areas).status == .loaded)
                #expect(
                    try db.scalar(
                        "select string_agg(area_code || '>' || coalesce(parent_code, '-') || '@' || gemeente_code || ':' || level, ',' order by area_code) from core.area",
                        as: String.self)
                        == "BU01060710>WK010607@GM0106:buurt,GM0106>-@GM0106:gemeente,WK010607>GM0106@GM0106:wijk")
                let stock = try writeFixture(
                    dir, "bezit.csv",
                    "VHE;Complex;Buurtcode;Type;DAEB;Peildatum\n100;C1;BU01060710;Appartement;ja;31-12-2019\n101;C1;bu01060710;Appartement;nee;31-12-2019\n")
                let result = try load(db, feed: "housing-stock", file: stock)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(
                    try db.scalar(
                        "select count(*) filter (where daeb) || '/' || count(*) from core.housing_unit where gemeente_code = 'GM0106'", as: String.self)
                        == "1/2")
            }
        }
    }
}
