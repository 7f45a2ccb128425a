import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// Exact numbers as published: e-notation, rounding only when declared.
@Suite(.ownThread) struct NumberTests {
    @Test func scientificNotationIsExactInBothStyles() {
        let plain = ExactDecimal.Style.plain
        let dutch = ExactDecimal.Style.dutch
        #expect(ExactDecimal.parse("9.15237961440333e-05", style: plain)?.description == "0.0000915237961440333")
        #expect(ExactDecimal.parse("-6.2716917700698496E-2", style: plain)?.description == "-0.062716917700698496")
        #expect(ExactDecimal.parse("1.5E+3", style: plain)?.description == "1500")
        #expect(ExactDecimal.parse("1e5", style: dutch)?.description == "100000")
        #expect(ExactDecimal.parse("-1,25e-2", style: dutch)?.description == "-0.0125")
        #expect(ExactDecimal.parse("4.102573372827581", style: plain)?.description == "4.102573372827581")
        // More significant digits than 18 cannot be held exactly: refused, never rounded.
        #expect(ExactDecimal.parse("1.23456789012345678901e3", style: plain) == nil)
    }

    @Test func roundingHalfEvenAndHalfUp() throws {
        func round(_ s: String, _ scale: Int, _ mode: ExactDecimal.Rounding) -> String? {
            ExactDecimal.parse(s, style: .plain)?.rounded(to: scale, mode)?.description
        }
        #expect(round("4.102573372827581", 4, .halfEven) == "4.1026")
        #expect(round("0.125", 2, .halfEven) == "0.12")
        #expect(round("0.135", 2, .halfEven) == "0.14")
        #expect(round("0.125", 2, .halfUp) == "0.13")
        #expect(round("-0.125", 2, .halfUp) == "-0.13")
        #expect(round("0.1250001", 2, .halfEven) == "0.13")
        #expect(round("9.15237961440333e-05", 4, .halfEven) == "0.0001")
        #expect(round("1.5e-300", 4, .halfUp) == "0.0000")
        #expect(round("2.5", 4, .halfEven) == "2.5000")
        #expect(ExactDecimal.parse("4.102573372827581", style: .plain)?.rescaled(to: 4) == nil)
        #expect(ExactDecimal.parse("123456.78", style: .plain)?.integerDigits == 6)
        #expect(ExactDecimal.parse("0.5", style: .plain)?.integerDigits == 0)
    }
}

/// Settings take plain decimals only, in the client and in the database.
@Suite(.ownThread) struct SettingValueTests {
    @Test func plainDecimalsWithADotOrAComma() {
        #expect(ExactDecimal.settingNumber("-0.4") == "-0.4")
        #expect(ExactDecimal.settingNumber("-0,4") == "-0.4")
        #expect(ExactDecimal.settingNumber("+1") == "1")
        for bad in ["0x1p-1", "1e3", "NaN", "inf", "Infinity", "1.000,5", "", "-", "1,2,3"] {
            #expect(ExactDecimal.settingNumber(bad) == nil, "\(bad)")
        }
    }

    @Test func theDatabaseRefusesOtherValues() throws {
        try withMigratedDatabase { _, _, db throws in
            do {
                try db.execute("update core.setting set value = '0x1p-1' where key = 'inzet.plus_sd'")
                Issue.record("accepted")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23514")
            }
            try db.execute("update core.setting set value = '-0.4' where key = 'inzet.plus_sd'")
            #expect(try db.scalar("select value from core.setting where key = 'inzet.plus_sd'", as: String.self) == "-0.4")
        }
    }
}

/// Workbook cells: serial dates and cell names.
@Suite(.ownThread) struct WorkbookCellTests {
    @Test func serialDatesInBothSystems() {
        #expect(SheetXML.serialDate("43466", date1904: false) == "2019-01-01")
        #expect(SheetXML.serialDate("43830.75", date1904: false) == "2019-12-31")
        #expect(SheetXML.serialDate("42004", date1904: true) == "2019-01-01")
        #expect(SheetXML.serialDate("abc", date1904: false) == nil)
        #expect(SheetXML.isDateFormat("dd-mm-yyyy") && SheetXML.isDateFormat("[$-413]d mmmm yyyy"))
        #expect(!SheetXML.isDateFormat("#,##0.00") && !SheetXML.isDateFormat("\"dag\" 0"))
    }

    @Test func cellNamesAndColumns() {
        #expect(SheetXML.cellName("Blad1", 2, 12) == "Blad1!C12")
        #expect(SheetXML.cellName("Blad1", 27, 3) == "Blad1!AB3")
        #expect(SheetXML.column(of: "AB3") == 27)
        #expect(SheetXML.column(of: "C12") == 2)
        #expect(SheetXML.column(of: "XFD1") == 16_383)
        #expect(SheetXML.column(of: "XFE1") == nil && SheetXML.column(of: "ZZZZZZZZ1") == nil && SheetXML.column(of: "12") == nil)
    }

    /// Found by `make fuzz` (Fuzz/corpus/sheet/crash-oom-…): a cell reference far past XFD made the
    /// row reader allocate gigabytes. Now it is a clear error.
    @Test func aCellReferencePastTheLastColumnIsAnError() throws {
        let input = packageRoot().appendingPathComponent("Fuzz/corpus/sheet/crash-oom-eec49491dea47a67dd42332e56bf58583b302066").path
        let scanner = XMLScanner(handle: try openForReading(input), source: "fuzz")
        #expect(throws: WarehouseError.self) {
            while try SheetXML.nextRow(scanner, strings: [], dateStyles: [], date1904: false, file: "fuzz") != nil {}
        }
        let row = "<sheetData><row r=\"1\"><c r=\"ZZZZ1\"><v>1</v></c></row></sheetData>"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sheet-\(UUID().uuidString).xml").path
        try row.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SheetXML.nextRow(XMLScanner(handle: try openForReading(path), source: "t"), strings: [], dateStyles: [], date1904: false, file: "t.xlsx")
            Issue.record("no error")
        } catch let error as WarehouseError {
            #expect(error.message == "t.xlsx: row 1: cell reference 'ZZZZ1' is not a cell of a sheet (columns A to XFD)")
        }
    }
}

/// A JSON object with a key twice is ambiguous: a reject naming the key.
@Suite(.ownThread) struct DuplicateJSONKeyTests {
    @Test func duplicateKeysAreFoundAtAnyDepth() {
        func dup(_ s: String) -> String? { JSONKeys.duplicate(Array(s.utf8)) }
        #expect(dup(#"{"a":1,"a":2}"#) == "a")
        #expect(dup(#"{"dossier":{"nummer":"x","nummer":"y"},"b":1}"#) == "dossier.nummer")
        #expect(dup(#"{"l":[{"k":1},{"k":2}],"s":"a,\"a\":1"}"#) == nil)
        #expect(dup(#"{"a":{"b":1},"c":{"b":2}}"#) == nil)
        #expect(dup(#"{"x\"y":1,"x\"y":2}"#) == #"x\"y"#)
    }

    @Test func aLineWithAKeyTwiceIsARejectNamingIt() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "b.jsonl",
                    """
                    {"locatie":"Beleefhuis","datum":"2019-10-04","gemeente":"Assen","bezoekers":12}
                    {"locatie":"Beleefhuis","datum":"2019-10-05","gemeente":"Assen","bezoekers":3,"bezoekers":30}

                    """)
                let result = try load(db, feed: "visits", file: file) { $0.maxRejects = .count(1) }
                #expect(result.status == .loaded)
                #expect(result.rejectLines == ["2:bezoekers:the key bezoekers appears twice in one object"])
            }
        }
    }
}
