import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// The feed-spec language on small files: every rule names file, line (or cell) and column, and
/// no valid row is lost.
@Suite(.ownThread) struct SpecLanguageTests {
    static let scoreSpec = """
        feed: scores
        target: core.leefbaarometer_score
        input: {delimiter: ",", decimal: dot, thousands: none}
        key: [gemeente_code, area_code, edition_year]
        max_rejects: 10
        columns:
          - {name: area_code, source: bu_code, type: code, required: true}
          - {name: edition_year, source: jaar, type: int, required: true}
          - {name: level, transform: level_of, from: area_code}
          - {name: gemeente_code, transform: gemeente_of, from: area_code}
          - {name: lbm, source: lbm, type: decimal}
        """

    @Test func moreDecimalsThanTheTargetColumnIsARejectUnlessRoundingIsDeclared() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "s.csv", "bu_code,jaar,lbm\nBU01060000,2020,4.1025\nBU01060001,2020,4.102573372827581\nBU01060002,2020,4.1e0\n")
                let strict = try load(db, specText: Self.scoreSpec, file: file)
                #expect(strict.status == .loaded)
                #expect(strict.rowsLoaded == 2)
                let reject = try #require(strict.rejects.first)
                #expect(reject.line == 3)
                #expect(reject.column == "lbm")
                #expect(reject.reason.contains("more than 4 decimals (the column is numeric(8,4))"), "\(reject.reason)")
                #expect(reject.reason.contains("round: half-even"))
                #expect(
                    try db.scalar("select string_agg(lbm::text, ',' order by area_code) from core.leefbaarometer_score", as: String.self) == "4.1025,4.1000")
                let rounding = Self.scoreSpec.replacingOccurrences(
                    of: "{name: lbm, source: lbm, type: decimal}", with: "{name: lbm, source: lbm, type: decimal, round: half-up}")
                let rounded = try load(db, specText: rounding, file: file) { $0.force = true }
                #expect(rounded.status == .loaded && rounded.rowsRejected == 0)
                #expect(try db.scalar("select lbm::text from core.leefbaarometer_score where area_code = 'BU01060001'", as: String.self) == "4.1026")
            }
        }
    }

    @Test func checkConstraintRangesAndMinMaxAreRowRejects() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = Self.scoreSpec.replacingOccurrences(
                    of: "{name: edition_year, source: jaar, type: int, required: true}",
                    with: "{name: edition_year, source: jaar, type: int, required: true, min: \"2002\", max: \"2100\"}")
                let file = try writeFixture(
                    dir, "s.csv", "bu_code,jaar,lbm\nBU01060000,2020,4\nBU01060001,1999,4\nBU01060002,2.02e3,4\nBU01060003,99999999999,4\n")
                let result = try load(db, specText: spec, file: file)
                #expect(result.rowsLoaded == 2)
                #expect(
                    result.rejectLines == [
                        "3:jaar:1999 is below the minimum 2002",
                        "5:jaar:99999999999 is out of range for integer (-2147483648 to 2147483647)",
                    ])
                #expect(
                    try db.scalar("select string_agg(edition_year::text, ',' order by area_code) from core.leefbaarometer_score", as: String.self)
                        == "2020,2020")
            }
        }
    }

    @Test func aConstantGemeenteIsCheckedLikeAnyOther() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = ReplaceScopeTests.subsidySpec.replacingOccurrences(
                    of: "{name: gemeente_code, source: Gemeente, transform: gemeente_code, required: true}",
                    with: "{name: gemeente_code, transform: constant, default: GM0999}")
                let file = try writeFixture(dir, "s.csv", ReplaceScopeTests.subsidies([("15-05-2019", "S-1", "Assen", "10,00")]))
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .failed)
                #expect(result.errorCode == .rejectsOverThreshold)
                #expect(result.rejects.first?.reason == "unknown gemeente 'GM0999' (not in core.gemeente)")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
            }
        }
    }

    @Test func rowsOutsideTheWerkgebiedAreSkippedBeforeConversionAndLoadOnceTheGemeenteIsAdded() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "leefbaarometer-2020.csv",
                    """
                    bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won
                    BU03630000,2020,n.v.t.,0,0,0,0,0,0
                    BU03630001,2020,4.2,0.1,0,0,0,0,0

                    """)
                let first = try load(db, feed: "leefbaarometer", file: file)
                #expect(first.status == .loaded, "\(first.message ?? "")")
                #expect(first.rowsRejected == 0)
                #expect(first.rowsSkipped == 2)
                #expect(try load(db, feed: "leefbaarometer", file: file).status == .skipped)
                try db.execute("insert into core.gemeente values ('GM0363', 'Amsterdam')")
                let again = try load(db, feed: "leefbaarometer", file: file) { $0.maxRejects = .count(1) }
                #expect(again.status == .loaded, "\(again.message ?? "") \(again.rejects)")
                #expect(again.rowsLoaded == 1)
                #expect(again.rejects.map { "\($0.line):\($0.column ?? "-")" } == ["2:lbm"])
                #expect(try db.scalar("select status from etl.batch where batch_id = $1", [first.batchID], as: String.self) == "replaced")
            }
        }
    }

    /// A partner's JSON export lists an activity's partners as an array: `join: "|"` makes it the
    /// one value the feed's SQL splits, as the CSV's `a|b`. An item holding the join text (it would
    /// become two partners) or an object is a reject naming the key; `join` outside JSON is refused.
    @Test func aJSONArrayIsJoinedForTheSpecsSQL() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                try db.execute("insert into core.partner (partner_code, name) values ('vaart-welzijn', 'Vaart Welzijn'), ('stila', 'Stila')")
                let activities = try String(contentsOf: packageRoot().appendingPathComponent("SQL/feeds/activities.yaml"), encoding: .utf8)
                let columns = activities[try #require(activities.range(of: "after_merge:")).lowerBound...]
                let spec = """
                    feed: activities-json
                    target: core.activity
                    extra_targets: [core.activity_partner]
                    input: {format: jsonl, date_format: yyyy-mm-dd}
                    key: [gemeente_code, source, activity_id]
                    merge: {mode: upsert}
                    max_rejects: 2
                    columns:
                      - {name: source, transform: constant, default: vaart-welzijn}
                      - {name: activity_id, source: id, required: true}
                      - {name: activity_date, source: datum, type: date, required: true}
                      - {name: gemeente_code, source: gemeente, transform: gemeente_code, required: true}
                      - {name: title, source: titel, required: true}
                      - {name: partners, source: partners, join: "|", stage_only: true}

                    """ + columns
                let file = try writeFixture(
                    dir, "activiteiten.jsonl",
                    """
                    {"id": "A1", "datum": "2019-05-01", "gemeente": "Assen", "titel": "Burendag", "partners": ["vaart-welzijn", "stila"]}
                    {"id": "A2", "datum": "2019-06-01", "gemeente": "Assen", "titel": "Opschoonactie", "partners": []}
                    {"id": "A3", "datum": "2019-06-02", "gemeente": "Assen", "titel": "Feest", "partners": ["stila", null]}
                    {"id": "A4", "datum": "2019-06-03", "gemeente": "Assen", "titel": "Markt", "partners": ["stila|vaart-welzijn"]}
                    {"id": "A5", "datum": "2019-06-04", "gemeente": "Assen", "titel": "Kunst", "partners": [{"code": "stila"}]}
                    {"id": "A6", "datum": "2019-06-05", "gemeente": "Assen", "titel": "Opening", "partners": "vaart-welzijn"}

                    """)
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 4)
                #expect(
                    result.rejectLines == [
                        "4:partners:an item of the array at partners holds the join text '|'",
                        "5:partners:expected texts or numbers in the array at partners",
                    ])
                #expect(
                    try db.scalar(
                        "select string_agg(activity_id || '=' || partner_code, ',' order by activity_id, partner_code) from core.activity_partner",
                        as: String.self)
                        == "A1=stila,A1=vaart-welzijn,A3=stila,A6=vaart-welzijn")

                let csv = spec.replacingOccurrences(of: "input: {format: jsonl, date_format: yyyy-mm-dd}", with: "input: {delimiter: \";\"}")
                do {
                    _ = try FeedSpec.parse(csv, path: "acts.yaml", sql: projectSQL())
                    Issue.record("join was accepted for CSV input")
                } catch let error as WarehouseError {
                    #expect(error.message.contains("acts.yaml:"), "\(error.message)")
                    #expect(error.message.contains("join is for JSON input"), "\(error.message)")
                }
            }
        }
    }

    @Test func failedCheckCountsEveryFailingRow() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let rows = (1...346).map { "corporatie;A\($0);01-03-2019;Assen;;Activiteit \($0);burendag;onbekende-partner" }
                let file = try writeFixture(dir, "a.csv", (["Bron;Id;Datum;Gemeente;Wijkcode;Titel;Soort;Partners"] + rows).joined(separator: "\n") + "\n")
                let result = try load(db, feed: "activities", file: file)
                #expect(result.errorCode == .checkFailed)
                #expect(
                    result.message?.contains(
                        "data check partner_code_known failed (346 rows), e.g. 2 onbekende-partner; 3 onbekende-partner; 4 onbekende-partner") == true,
                    "\(result.message ?? "")")
            }
        }
    }

    @Test func filtersMapsNullTokensAndTrim() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = """
                    feed: acts
                    target: core.activity
                    input: {delimiter: ";", null: ["-"], trim: false}
                    key: [gemeente_code, source, activity_id]
                    max_rejects: 5
                    where:
                      - {field: Status, not_in: [geannuleerd]}
                    columns:
                      - {name: source, default: corporatie, transform: constant}
                      - {name: activity_id, source: Id, required: true, trim: true}
                      - {name: activity_date, source: Datum, type: date, required: true, trim: true}
                      - {name: gemeente_code, source: Gemeente, transform: gemeente_code, required: true, trim: true}
                      - {name: title, source: Titel, required: true}
                      - {name: kind, source: Soort, map: {BD: burendag, NL: nldoet}, null: ["n.b."], trim: true}
                    """
                let file = try writeFixture(
                    dir, "a.csv",
                    """
                    Id;Datum;Gemeente;Titel;Soort;Status
                    1;01-03-2019;Assen;" Burendag ";BD;gepland
                    2;02-03-2019;Assen;Opruimen;NL;geannuleerd
                    3;03-03-2019;Assen;Schoonmaak;XX;gepland
                    4;04-03-2019;Assen;Tuinen;n.b.;gepland
                    5;05-03-2019;Assen;-;NL;gepland

                    """)
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsFiltered == 1)
                #expect(result.rowsLoaded == 2)
                #expect(
                    result.rejectLines == [
                        "4:Soort:'XX' is not in the column's map (BD, NL)",
                        "6:Titel:required value title is empty",
                    ])
                #expect(
                    try db.scalar(
                        "select string_agg(activity_id || '|' || title || '|' || coalesce(kind, 'NULL'), ',' order by activity_id) from core.activity",
                        as: String.self)
                        == "1| Burendag |burendag,4|Tuinen|NULL")
            }
        }
    }

    @Test func wrongKindsOfFileAreRefusedAtTheProbe() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let xlsx = packageRoot().appendingPathComponent("Tests/Fixtures/real/leefbaarometer-2.0.xlsx").path
                let cases: [(feed: String?, spec: String?, bytes: [UInt8], message: String)] = [
                    (
                        "ledger", nil, Array((try? Data(contentsOf: URL(fileURLWithPath: xlsx))) ?? Data()),
                        "an Excel workbook (or another ZIP archive), not csv text: use format: xlsx"
                    ),
                    (
                        "visits", nil,
                        Array((try? Data(contentsOf: packageRoot().appendingPathComponent("Tests/Fixtures/real/leefbaarometer-download.zip"))) ?? Data()),
                        "a ZIP archive holding leefbaarometer-3.0-buurten.csv, toelichting.txt, none of them a .jsonl file: unzip it and load the file inside"
                    ),
                    ("visits", nil, Array("[{\"locatie\": \"Beleefhuis\"}]\n".utf8), "a JSON array ([ … ]), not JSON Lines: use format: json"),
                    ("ledger", nil, [0xFF, 0xFE] + Array(ledgerHeader.utf8).flatMap { [$0, 0] }, "UTF-16 text"),
                    ("ledger", nil, [UInt8](repeating: 0, count: 64) + [1, 2, 3], "binary data"),
                    (nil, try RealFilesTests.spec("klassen.yaml"), Array("{\"klasse\": 1}\n".utf8), "JSON objects, not a JSON array"),
                    (nil, try RealFilesTests.spec("leefbaarometer2-lang.yaml"), Array("GBD;JAAR\n".utf8), "not an Excel workbook"),
                ]
                for (i, c) in cases.enumerated() {
                    let file = try writeFixture(dir, "f\(i).dat", c.bytes)
                    let result = try load(db, feed: c.feed, specText: c.spec, file: file)
                    #expect(result.status == .failed)
                    #expect(result.message?.contains(c.message) == true, "\(result.message ?? "")")
                    #expect(result.message?.hasPrefix(file) == true)
                }
                #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 0)
            }
        }
    }

    @Test func workbookRejectsNameTheCell() throws {
        try withMigratedDatabase { _, _, db throws in
            let spec = try RealFilesTests.spec("leefbaarometer2-breed.yaml").replacingOccurrences(
                of: "{name: value, source: waarde, type: decimal, required: true}",
                with: "{name: value, source: waarde, type: decimal, required: true, max: \"4.0\"}")
            let result = try load(db, specText: spec, file: RealFilesTests.path("leefbaarometer-2.0.xlsx")) { $0.maxRejects = .percent(50) }
            #expect(result.status == .loaded, "\(result.message ?? "")")
            let reject = try #require(result.rejects.first)
            #expect(reject.column?.range(of: #"^RLBRMTR1[246] \(Breed![BHN][0-9]+\)$"#, options: .regularExpression) != nil, "\(reject.column ?? "")")
            #expect(reject.reason.hasPrefix("above the maximum 4"))
        }
    }

    @Test func jsonArrayProblemsAreRejectsWithTheirLine() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = try RealFilesTests.spec("klassen.yaml").replacingOccurrences(
                    of: "merge: {mode: upsert}", with: "merge: {mode: upsert}\nmax_rejects: 5")
                let file = try writeFixture(
                    dir, "k.json",
                    """
                    [
                      {"klasse": 1, "omschrijving": "zeer onvoldoende"},
                      {"klasse": "twee", "omschrijving": "ruim onvoldoende"},
                      42,
                      {"klasse": 3, "omschrijving": "on\\u0000voldoende"},
                      {"klasse": 4,
                       "omschrijving": "zwak"}
                    ]
                    """)
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 2)
                #expect(
                    result.rejectLines == [
                        "3:klasse:expected a whole number",
                        "4:-:expected a JSON object",
                        "5:omschrijving:NUL character (\\u0000) in omschrijving: text cannot hold it",
                    ])
                let cut = try writeFixture(dir, "cut.json", "[\n {\"klasse\": 1, \"omschrijving\": \"x\"},\n {\"klasse\": 2,\n")
                let refused = try load(db, specText: spec, file: cut)
                #expect(refused.status == .failed)
                #expect(refused.message == "\(cut):3: the object opened here is not closed: the file is cut short")
                #expect(try db.scalar("select count(*) from core.leefbaarometer_class", as: Int.self) == 2)
            }
        }
    }

    @Test func aGuessedEncodingThatTurnsOutWrongSaysWhatToSet() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                // 70 KiB of plain ASCII lines, then a Windows-1252 é: the first 64 KiB look like UTF-8.
                var text = ledgerHeader + "\n"
                for i in 1...1400 { text += "01-03-2019;MEM;D;\(i);;;Assen;;basis;;omschrijving nummer \(i) van de lange lijst;1,00\n" }
                var bytes = Array(text.utf8)
                bytes += Array("01-03-2019;MEM;D;1401;;;Assen;;basis;;caf".utf8) + [0xE9] + Array(";1,00\n".utf8)
                let file = try writeFixture(dir, "l.csv", bytes)
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .failed)
                #expect(result.rejects.first?.line == 1402)
                #expect(result.rejects.first?.reason.contains("set encoding: windows-1252 in the spec") == true, "\(result.rejects.first?.reason ?? "")")
            }
        }
    }
}

/// Every value the database would refuse is a row reject with its line and column.
@Suite(.ownThread) struct DatabaseRuleTests {
    @Test func aNationalFileWithOneRowOfEachRefusedKindLoadsTheRest() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "leefbaarometer-landelijk.csv",
                    """
                    bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won
                    BU01060000,2020,4.1,0.1,0,0,0,0,0
                    BU01060001,1999,4.1,0.1,0,0,0,0,0
                    BU01060002,2020,12345.5,0.1,0,0,0,0,0
                    BU01060003,3000000000,4.1,0.1,0,0,0,0,0
                    BU01060004,2020,4.1,0.1,0,0,0,0,0
                    BU03630000,1999,x,0,0,0,0,0,0

                    """ + (1...300).map { "BU01180\(String(format: "%03d", $0)),2020,4,0,0,0,0,0,0" }.joined(separator: "\n") + "\n")
                let result = try load(db, feed: "leefbaarometer", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 302)
                #expect(result.rowsSkipped == 1)
                let stored = try db.execute(
                    "select line || ':' || coalesce(column_name, '-') || ':' || reason from etl.reject where batch_id = $1 order by line",
                    [result.batchID]
                ).map { try $0.decode(0, as: String.self) }
                #expect(
                    stored == [
                        "3:edition_year:violates the table's rule leefbaarometer_score_edition_year_check: CHECK (((edition_year >= 2002) AND (edition_year <= 2100)))",
                        "4:lbm:out of range for numeric(8,4): at most 4 digits before the decimal point",
                        "5:jaar:3000000000 is out of range for integer (-2147483648 to 2147483647)",
                    ])
                #expect(try db.scalar("select count(*) from core.leefbaarometer_score", as: Int.self) == 302)
            }
        }
    }

    @Test func checksOverOneOrTwoColumnsInJSON() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let visits = try writeFixture(
                    dir, "bezoekers.jsonl",
                    """
                    {"locatie":"Beleefhuis","datum":"2019-10-04","gemeente":"Assen","bezoekers":12}
                    {"locatie":"Beleefhuis","datum":"2019-10-05","gemeente":"Assen","bezoekers":-4}
                    {"locatie":"Beleefhuis","datum":"2019-10-06","gemeente":"Assen","bezoekers":7}

                    """)
                let result = try load(db, feed: "visits", file: visits) { $0.maxRejects = .count(1) }
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rejects.map { "\($0.line):\($0.column ?? "-"):\($0.rawValue ?? "-")" } == ["2:visitors:-4"])
                #expect(try db.scalar("select sum(visitors) from core.visit", as: Int.self) == 19)
                let strict = try load(db, feed: "visits", file: visits) {
                    $0.force = true
                    $0.maxRejects = .count(0)
                }
                #expect(strict.errorCode == .rejectsOverThreshold)
                #expect(try db.scalar("select sum(visitors) from core.visit", as: Int.self) == 19)
            }
        }
    }
}

/// Checks only read: a check that writes fails the load and changes nothing.
@Suite(.ownThread) struct ReadOnlyCheckTests {
    @Test func aCheckThatWritesFailsTheLoadAndChangesNothing() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "l.csv", BatchTests.ledger([("01-03-2019", "D", 1, "Assen", "2,00")]))
                for sql in [
                    "with x as (update core.setting set value = '9' where key = 'inzet.plus_sd' returning key) select key from x",
                    "select source_line from core.spending where batch_id = $1 and nextval('etl.batch_batch_id_seq') < 0",
                    "select 1 from (select set_config('default_transaction_read_only', 'off', true)) s where false union all select 1 from core.spending where batch_id = $1 and false; update core.setting set value = '9'",
                ] {
                    let spec = try ledgerSpec(replacing: [
                        (
                            "# No data check: the converter accepts only gemeente codes of core.gemeente (a name or a code), so",
                            """
                            checks:
                              - name: writes
                                sql: "\(sql.replacingOccurrences(of: "\"", with: "\\\""))"
                            """
                        )
                    ])
                    let result = try load(db, specText: spec, file: file)
                    #expect(result.status == .failed, "\(sql)")
                    // A second statement is no query at all (a syntax error); the others are told they write.
                    // Refused when the spec's SQL is checked (a data-modifying WITH, two statements), or when the check runs.
                    #expect(
                        result.message?.contains("test.yaml:") == true || result.message?.contains("data check writes tried to change data") == true,
                        "\(result.message ?? "")")
                    #expect(try db.scalar("select value from core.setting where key = 'inzet.plus_sd'", as: String.self) == "-0.5")
                    #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                }
                #expect(try load(db, feed: "ledger", file: file).status == .loaded)
            }
        }
    }
}

/// core.spending's journal lines are unique within a year (its partitions' primary key): numbers
/// that restart each year load; a key another feed's row holds in the same year is named with both lines.
@Suite(.ownThread) struct KeyCollisionTests {
    @Test func documentNumbersRestartEachYearAndACollisionWithinAYearIsNamed() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let y2018 = try writeFixture(
                    dir, "2018.csv", BatchTests.ledger([("01-03-2018", "D1", 1, "Assen", "5,00"), ("02-03-2018", "D1", 2, "Assen", "6,00")]))
                let y2019 = try writeFixture(
                    dir, "2019.csv", BatchTests.ledger([("01-03-2019", "D1", 7, "Assen", "7,00"), ("02-03-2019", "D1", 2, "Assen", "8,00")]))
                #expect(try load(db, feed: "ledger", file: y2018).status == .loaded)
                let first = try load(db, feed: "ledger", file: y2019)
                #expect(first.status == .loaded, "\(first.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 4)
                // A second ledger feed (another ERP) with a line of 2019 the first feed holds.
                let other = try ledgerSpec(replacing: [("feed: ledger\n", "feed: ledger-erp\n")])
                let clash = try writeFixture(
                    dir, "erp-2019.csv", BatchTests.ledger([("05-06-2019", "D9", 1, "Assen", "1,00"), ("06-06-2019", "D1", 2, "Assen", "2,00")]))
                let second = try load(db, specText: other, file: clash)
                #expect(second.status == .failed)
                #expect(
                    second.message?.contains("key GM0106 / MEM / D1 / 2 on line 3 is held by batch \(first.batchID ?? -1) (feed ledger, line 3)") == true,
                    "\(second.message ?? "")")
                #expect(second.message?.contains("(gemeente_code, journal, document, line_no) must be unique in core.spending within a year") == true)
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 4)
                #expect(try ReplaceScopeTests.summaryMatches(db))
            }
        }
    }
}

/// Ambiguous headers are refused naming both columns.
@Suite(.ownThread) struct AmbiguousHeaderTests {
    @Test func twoColumnsOfTheSameNameThatTheSpecReads() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "l.csv", ledgerHeader + ";bedrag\n01-03-2019;MEM;D;1;;;Assen;;basis;;;1,00;2,00\n")
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .failed)
                #expect(
                    result.message
                        == "\(file):1: the header names column 12 (Bedrag) and column 13 (bedrag) alike and the spec reads that name: rename one; the file is refused, nothing loaded"
                )
                // A repeated name the spec does not read is no problem.
                let other = try writeFixture(dir, "m.csv", ledgerHeader + ";Notitie;Notitie\n01-03-2019;MEM;D;1;;;Assen;;basis;;;1,00;a;b\n")
                #expect(try load(db, feed: "ledger", file: other).status == .loaded)
            }
        }
    }
}

/// An area code of another gemeente than the row's is a reject.
@Suite(.ownThread) struct AreaOfAnotherGemeenteTests {
    @Test func anAssenInitiativeWithAHoogeveenWijk() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(
                    dir, "a.csv",
                    """
                    Bron;Id;Datum;Gemeente;Wijkcode;Titel;Soort
                    corporatie;A1;01-03-2019;Assen;WK010607;Buurtfeest;burendag
                    corporatie;A2;02-03-2019;Assen;WK011801;Opruimen;burendag

                    """)
                let result = try load(db, feed: "activities", file: file) { $0.maxRejects = .count(1) }
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 1)
                #expect(
                    result.rejectLines == [
                        "3:Wijkcode:WK011801 lies in gemeente GM0118, not in the row's gemeente GM0106"
                    ])
            }
        }
    }
}

/// A file that changes while it loads is refused: the SHA-256 recorded is of the bytes loaded.
@Suite(.ownThread) struct ChangingFileTests {
    @Test func aFileAppendedToDuringTheLoadIsRefused() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "l.csv", BatchTests.ledger((1...10).map { ("01-03-2019", "D", $0, "Assen", "1,00") }))
                let result = try load(db, feed: "ledger", file: file) { options in
                    options.progress = { _, _ in
                        // Another process appends a line while the loader reads.
                        if let handle = FileHandle(forWritingAtPath: file) {
                            handle.seekToEndOfFile()
                            handle.write(Data("01-03-2019;MEM;E;1;;;Assen;;basis;;;1,00\n".utf8))
                            try? handle.close()
                        }
                    }
                }
                #expect(result.status == .failed)
                #expect(result.errorCode == .fileChanged)
                #expect(result.message?.contains("the file changed while it was loaded") == true, "\(result.message ?? "")")
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
                #expect(try load(db, feed: "ledger", file: file).status == .loaded)
                #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 11)
            }
        }
    }
}

/// UTF-8 read as Windows-1252 is told, not silently loaded as Ã©.
@Suite(.ownThread) struct MojibakeTests {
    @Test func aFileMixingUTF8AndWindows1252IsWarnedAbout() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                var bytes = Array((ledgerHeader + "\n01-03-2019;MEM;D;1;;;Assen;;basis;;caf").utf8) + [0xE9] + Array(";1,00\n".utf8)
                bytes += Array("01-03-2019;MEM;D;2;;;Assen;;basis;;café;1,00\n".utf8)
                let file = try writeFixture(dir, "l.csv", bytes)
                let result = try load(db, feed: "ledger", file: file)
                #expect(result.status == .loaded)
                #expect(result.warnings.first?.hasPrefix("1 field of this windows-1252 file holds bytes that read as UTF-8") == true, "\(result.warnings)")
                #expect(try db.scalar("select details->>'warnings' from etl.batch", as: String.self)?.contains("set encoding: utf-8") == true)
            }
        }
    }
}

/// The SQL a spec carries is checked before anything is written, naming the spec line.
@Suite(.ownThread) struct SpecSQLTests {
    @Test func aBrokenCheckOrScopeIsNamedWithItsLineAndNothingIsWritten() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let file = try writeFixture(dir, "l.csv", BatchTests.ledger([("01-03-2019", "D", 1, "Assen", "2,00")]))
                let badCheck = try ledgerSpec(replacing: [
                    (
                        "# No data check: the converter accepts only gemeente codes of core.gemeente (a name or a code), so",
                        """
                        checks:
                          - name: typo
                            sql: select source_line form core.spending where batch_id = $1
                        """
                    )
                ])
                let line = (badCheck.components(separatedBy: "\n").firstIndex { $0.contains("- name: typo") } ?? 0) + 1
                let first = try load(db, specText: badCheck, file: file)
                #expect(first.status == .failed)
                #expect(
                    first.message?.hasPrefix("test.yaml:\(line): this SQL of the spec does not run against core.spending") == true, "\(first.message ?? "")")
                let badScope = try ledgerSpec(replacing: [("extract(year from booking_date)::integer", "extract(year from boekdatum)::integer")])
                let second = try load(db, specText: badScope, file: file)
                #expect(second.message?.contains("column \"boekdatum\" does not exist") == true, "\(second.message ?? "")")
                #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 0)
            }
        }
    }
}
