import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// Personal data in partner exports never reaches the warehouse in clear.
@Suite(.serialized, .ownThread) struct PrivacyTests {
    static let bsns = ["111222333", "123456782", "9999.99.990"]
    static let emails = ["jan.jansen@example.nl", "m.de.vries+buurt@voorbeeld.org"]
    static let phones = ["06-12345678", "0612345678", "+31 6 1234 5678", "0592-123456", "050 123 4567"]
    static let names = ["Jan Jansen", "Marieke de Vries"]

    @Test func elfproefAndScrubbing() {
        #expect(PrivacyGuard.passesElfproef("111222333"))
        #expect(PrivacyGuard.passesElfproef("123456782"))
        #expect(!PrivacyGuard.passesElfproef("123456789"))
        #expect(!PrivacyGuard.passesElfproef("000000000"))
        let guardian = PrivacyGuard(key: Data("k".utf8))
        let text = "Bel 06-12345678 of mail jan.jansen@example.nl, BSN 111222333; factuur 123456789 en bedrag 1.234,56"
        #expect(guardian.scrub(text) == "Bel [verwijderd] of mail [verwijderd], BSN [verwijderd]; factuur 123456789 en bedrag 1.234,56")
        #expect(guardian.counts == ["phone": 1, "email": 1, "bsn": 1])
        #expect(guardian.pseudonym("BB-1") == guardian.pseudonym("BB-1"))
        #expect(guardian.pseudonym("BB-1") != PrivacyGuard(key: Data("other".utf8)).pseudonym("BB-1"))
    }

    @Test func noClearPersonalDataAnywhereInCore() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                setenv("LEEFBAAR_HASH_KEY", "privacy-test-key", 1)
                try db.execute("insert into core.partner (partner_code, name) values ('buurtbemiddeling', 'Buurtbemiddeling'), ('cosis', 'Cosis')")
                var csv = "Partner;Dossier;Gemeente;Geopend;Gesloten;Soort;Uitkomst;Buurtcode;Naam melder;Telefoon;BSN;E-mail\n"
                for (i, bsn) in Self.bsns.enumerated() {
                    let phone = Self.phones[i % Self.phones.count]
                    let email = Self.emails[i % Self.emails.count]
                    let name = Self.names[i % Self.names.count]
                    csv +=
                        "buurtbemiddeling;BB-\(i);Assen;01-02-2019;;burenruzie;opgelost na gesprek, bel \(phone) of mail \(email) (bsn \(bsn));BU01060101;\(name);\(phone);\(bsn);\(email)\n"
                }
                let file = try writeFixture(dir, "casussen.csv", csv)
                let result = try load(db, feed: "cases", file: file)
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(Set(result.droppedColumns) == ["Naam melder", "Telefoon", "BSN", "E-mail"])
                #expect(result.personalData["bsn"] == 3 && result.personalData["email"] == 3 && result.personalData["phone"] == 3)
                // JSON Lines with the same dossiers, nested personal data, and one more for the phone formats.
                var jsonl = ""
                for (i, bsn) in Self.bsns.enumerated() {
                    jsonl +=
                        "{\"partner\":\"cosis\",\"dossier\":{\"nummer\":\"BB-\(i)\",\"melder\":{\"naam\":\"\(Self.names[i % 2])\",\"bsn\":\"\(bsn)\"}},\"gemeente\":\"GM0106\",\"geopend\":\"2019-03-01\",\"gesloten\":null,\"soort\":\"overlast\",\"uitkomst\":\"zie \(Self.phones[(i + 3) % 5]) en \(Self.emails[i % 2])\",\"buurt\":\"BU01060101\"}\n"
                }
                let jsonFile = try writeFixture(dir, "casussen.jsonl", jsonl)
                let second = try load(db, feed: "cases-jsonl", file: jsonFile)
                #expect(second.status == .loaded, "\(second.message ?? "")")
                #expect(second.droppedColumns == ["dossier.melder"])
                // The same dossier number gives the same pseudonym in both loads (different partners).
                let linked = try db.scalar(
                    """
                    select count(*) from core.care_case a join core.care_case b on a.case_id = b.case_id
                    where a.partner_code = 'buurtbemiddeling' and b.partner_code = 'cosis'
                    """, as: Int.self)
                #expect(linked == 3)
                #expect(try db.scalar("select count(*) from core.care_case where case_id like 'BB-%'", as: Int.self) == 0)
                // Search every text column of every core table for every original value.
                let columns = try db.execute(
                    """
                    select table_schema || '.' || table_name, column_name from information_schema.columns
                    where table_schema in ('core', 'etl') and data_type in ('text', 'character varying', 'jsonb')
                    """
                ).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
                #expect(columns.count > 30)
                let needles =
                    Self.bsns + Self.bsns.map { $0.replacingOccurrences(of: ".", with: "") } + Self.emails + Self.phones + Self.names + [
                        "BB-0", "BB-1", "BB-2",
                    ]
                for (table, column) in columns {
                    for needle in needles {
                        let hits = try db.scalar("select count(*) from \(table) where \(column)::text like '%' || $1 || '%'", [needle], as: Int.self)
                        #expect(hits == 0, "\(needle) found in \(table).\(column)")
                    }
                }
            }
        }
    }

    @Test func hashingWithoutAKeyRefusesTheFile() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                let spec = try String(contentsOf: packageRoot().appendingPathComponent("SQL/feeds/cases.yaml"), encoding: .utf8)
                let file = try writeFixture(dir, "c.csv", "Partner;Dossier;Gemeente;Geopend;Soort\nbuurtbemiddeling;BB-1;Assen;01-02-2019;overlast\n")
                unsetenv("LEEFBAAR_HASH_KEY")
                defer { setenv("LEEFBAAR_HASH_KEY", "privacy-test-key", 1) }
                let result = try load(db, specText: spec, file: file)
                #expect(result.status == .failed)
                #expect(result.message?.contains("column case_id is pseudonymised (personal: hash): set LEEFBAAR_HASH_KEY") == true)
                #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 0)
            }
        }
    }
}

/// Pseudonymisation keys that cannot drift, and rejects that keep no personal data (in the same
/// serialized suite: these tests set the key in the process environment).
extension PrivacyTests {
    static let cases = "Partner;Dossier;Gemeente;Geopend;Soort;Naam melder\n"

    @Test func shortKeysAreRefusedAndAKeyFilesNewlineIsNotPartOfIt() throws {
        try withTemporaryDirectory { dir throws in
            setenv("LEEFBAAR_HASH_KEY", "kort", 1)
            defer { setenv("LEEFBAAR_HASH_KEY", "privacy-test-key", 1) }
            #expect(throws: WarehouseError.self) { try PrivacyGuard.fromEnvironment() }
            unsetenv("LEEFBAAR_HASH_KEY")
            let file = try writeFixture(dir, "key", "een-sleutel-van-32-tekens-lang!!\r\n")
            setenv("LEEFBAAR_HASH_KEY_FILE", file, 1)
            defer { unsetenv("LEEFBAAR_HASH_KEY_FILE") }
            let fromFile = try PrivacyGuard.fromEnvironment()
            #expect(fromFile.pseudonym("BB-1") == PrivacyGuard(key: Data("een-sleutel-van-32-tekens-lang!!".utf8)).pseudonym("BB-1"))
        }
    }

    @Test func aLoadUnderAnotherKeyIsRefused() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                defer { setenv("LEEFBAAR_HASH_KEY", "privacy-test-key", 1) }
                try db.execute("insert into core.partner (partner_code, name) values ('buurtbemiddeling', 'Buurtbemiddeling')")
                setenv("LEEFBAAR_HASH_KEY", "de-eerste-sleutel-123", 1)
                let first = try writeFixture(dir, "a.csv", Self.cases + "buurtbemiddeling;BB-1;Assen;01-02-2019;overlast;\n")
                #expect(try load(db, feed: "cases", file: first).status == .loaded)
                setenv("LEEFBAAR_HASH_KEY", "een-andere-sleutel-456", 1)
                let second = try writeFixture(dir, "b.csv", Self.cases + "buurtbemiddeling;BB-1;Assen;01-03-2019;overlast;\n")
                let refused = try load(db, feed: "cases", file: second)
                #expect(refused.status == .failed)
                #expect(refused.message?.contains("is not the one earlier loads used") == true, "\(refused.message ?? "")")
                #expect(refused.message?.contains("een-andere") == false)
                #expect(try db.scalar("select count(*) from core.care_case", as: Int.self) == 1)
                setenv("LEEFBAAR_HASH_KEY", "de-eerste-sleutel-123", 1)
                #expect(try load(db, feed: "cases", file: second).status == .loaded)
                #expect(try db.scalar("select count(*) from core.care_case", as: Int.self) == 1)
            }
        }
    }

    @Test func aRejectedCaseKeepsNoDossierNumberOrName() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                setenv("LEEFBAAR_HASH_KEY", "privacy-test-key", 1)
                try db.execute("insert into core.partner (partner_code, name) values ('buurtbemiddeling', 'Buurtbemiddeling')")
                let file = try writeFixture(
                    dir, "c.csv",
                    Self.cases
                        + "buurtbemiddeling;BB-77;Assen;31-02-2019;overlast;Jan Jansen\n"
                        + "buurtbemiddeling;BB-78;Assen;01-02-2019;overlast;Marieke de Vries;extra veld\n"
                        + "buurtbemiddeling;BB-79;Assen;01-02-2019;overlast;Piet Puk\n")
                let result = try load(db, feed: "cases", file: file) { $0.maxRejects = .count(5) }
                #expect(result.status == .loaded)
                #expect(result.rowsRejected == 2)
                let stored = try db.execute("select coalesce(raw_record, '') || ' ' || coalesce(raw_value, '') from etl.reject").map {
                    try $0.decode(0, as: String.self)
                }
                #expect(stored.count == 2)
                for text in stored {
                    for secret in ["BB-77", "BB-78", "Jan Jansen", "Marieke"] { #expect(!text.contains(secret), "\(text)") }
                }
                #expect(stored.contains { $0.contains("Geopend=31-02-2019") })
            }
        }
    }
}

/// JSON Lines: bad lines are rejects with their line numbers.
@Suite(.ownThread) struct JSONLinesTests {
    @Test func malformedWrongTypeAndMissingKey() throws {
        try withMigratedDatabase { _, _, db throws in
            try withTemporaryDirectory { dir throws in
                try db.execute("insert into core.partner (partner_code, name) values ('vaart-welzijn', 'Vaart Welzijn')")
                let lines = [
                    #"{"locatie":"Beleefhuis","datum":"2019-10-02","gemeente":"Assen","partner":"vaart-welzijn","bezoekers":12}"#,
                    #"{"locatie":"Beleefhuis","datum":"2019-10-03","gemeente":"Assen","bezoekers":"veel"}"#,
                    #"{"locatie":"Beleefhuis","datum":"2019-10-04","gemeente":"Assen""#,
                    #"{"locatie":"Beleefhuis","gemeente":"Assen","bezoekers":3}"#,
                    #"{"locatie":{"naam":"Beleefhuis"},"datum":"2019-10-05","gemeente":"Assen","bezoekers":3}"#,
                    #"["niet","een","object"]"#,
                    "",
                    #"{"locatie":"Beleefhuis","datum":"2019-10-09","gemeente":"GM0106","partner":"vaart-welzijn","bezoekers":7, "notitie": "x"}"#,
                ]
                let file = try writeFixture(dir, "bezoekers.jsonl", lines.joined(separator: "\n") + "\n")
                let result = try load(db, feed: "visits", file: file) { $0.maxRejects = .count(10) }
                #expect(result.status == .loaded, "\(result.message ?? "")")
                #expect(result.rowsLoaded == 2)
                #expect(try db.scalar("select sum(visitors) from core.visit", as: Int.self) == 19)
                let rejects = result.rejectLines
                #expect(
                    rejects == [
                        "2:bezoekers:expected a whole number",
                        "3:-:malformed JSON: expected one object per line",
                        "4:datum:required value visit_date is empty",
                        "5:locatie:expected a text, number or boolean value at locatie",
                        "6:-:expected a JSON object",
                    ])
                #expect(result.droppedColumns == ["notitie"])
            }
        }
    }
}

/// Pseudonyms and key fingerprints are hex text that other systems compare: they are what
/// PostgreSQL computes with pgcrypto's `hmac` (lowercase, two digits a byte, the chain applied key
/// after key), not only what this code computed before.
@Suite(.ownThread) struct DigestTextTests {
    @Test func pseudonymsAndFingerprintsAreWhatPostgreSQLComputes() throws {
        try withTestConnection { db in
            try db.execute("create extension pgcrypto")
            let first = "a first key of thirty-two bytes!"
            let second = "the second key, also long enough"
            let one = PrivacyGuard(key: Data(first.utf8))
            let two = PrivacyGuard(chain: [Data(first.utf8), Data(second.utf8)])
            let step = "'h:' || encode(substring(hmac(%@, %@, 'sha256') from 1 for 16), 'hex')"
            for value in ["D-2019-0001", "", "Ĳsselmonde € 12"] {
                let once = String(format: step, "$1::text", "$2::text")
                let twice = String(format: step, "(\(once))", "$3::text")
                let row = try db.execute("select \(once), \(twice)", [value, first, second])[0]
                #expect(one.pseudonym(value) == (try row.decode(0, as: String.self)))
                #expect(two.pseudonym(value) == (try row.decode(1, as: String.self)))
            }
            #expect(
                PrivacyGuard.fingerprint(of: [Data(first.utf8)])
                    == (try db.scalar(
                        "select encode(substring(hmac('leefbaar key fingerprint', $1::text, 'sha256') from 1 for 8), 'hex')", [first], as: String.self)))
        }
    }
}
