import Foundation
import Ingest
import Postgres
import TestSupport
import Testing
@testable import Warehouse

/// Files shaped like what gemeenten, BZK, CBS and partners publish (Tests/Fixtures/real, made by
/// scripts/make-real-fixtures.py), each loaded with a spec written from docs/feeds.md. Expected
/// figures are computed here from the files themselves, independently of the loader.
@Suite(.ownThread) struct RealFilesTests {
    static let dir = packageRoot().appendingPathComponent("Tests/Fixtures/real")
    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    static func spec(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
    static func lines(_ name: String, encoding: String.Encoding = .utf8) throws -> [[String]] {
        try String(contentsOfFile: path(name), encoding: encoding).split(whereSeparator: \.isNewline).map {
            $0.split(separator: name.hasSuffix(".csv") && !name.contains("leefbaarometer") ? ";" : ",", omittingEmptySubsequences: false).map(String.init)
        }
    }
    /// Loads a fixture with a shipped feed, expecting it loaded; a `.zip` fixture is read through
    /// its `entry`, which the result names.
    static func loadPublished(_ db: Connection, feed: String, file: String, entry: String) throws -> LoadResult {
        let result = try load(db, feed: feed, file: path(file))
        #expect(result.status == .loaded, "\(result.message ?? "")")
        #expect(result.source == path(file) + (file.hasSuffix(".zip") ? " (\(entry))" : ""))
        return result
    }
    static func decimal(_ text: String) -> Decimal? { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }
    static func text(_ d: Decimal) -> String { NSDecimalNumber(decimal: d).stringValue }

    @Test func subsidyRegisterWithNullsTimestampsAndAYearColumn() throws {
        try withMigratedDatabase { _, _, db throws in
            let result = try load(db, specText: try Self.spec("subsidies.yaml"), file: Self.path("subsidieregister-assen.csv"))
            #expect(result.status == .loaded, "\(result.message ?? "")")
            #expect(result.rowsRejected == 0)
            // Independent: granted, non-NULL amounts per SUBSIDIEJAAR.
            let rows = try Self.lines("subsidieregister-assen.csv").dropFirst()
            var expected: [String: Decimal] = [:]
            var kept = 0
            for r in rows where r[8] == "Verleend" && r[7] != "NULL" {
                expected[r[1], default: 0] += Self.decimal(r[7]) ?? 0
                kept += 1
            }
            #expect(result.rowsLoaded == kept)
            #expect(result.rowsFiltered == rows.count - kept)
            for (year, sum) in expected {
                let loaded = try db.scalar("select sum(amount)::text from core.spending where year = $1::int and journal = 'SUB'", [year], as: String.self)
                #expect(loaded.flatMap(Self.decimal) == sum, "\(year): \(loaded ?? "-") vs \(sum)")
                #expect(
                    try db.scalar(
                        "select count(*) from core.spending where year = $1::int and booking_date <> make_date($1::int, 12, 31)", [year], as: Int.self) == 0)
            }
            #expect(
                try db.scalar(
                    "select string_agg(distinct inzet_level || '/' || category, ',' order by inzet_level || '/' || category) from core.spending",
                    as: String.self)
                    == "basis/bijdragen,basis/initiatieven,plus/projecten")
            // A spec with no hooks: the report aggregate has its rows right away.
            #expect(try ReplaceScopeTests.summaryMatches(db))
            #expect(try db.scalar("select sum(amount)::text from rpt.spending_summary", as: String.self).flatMap(Self.decimal) == expected.values.reduce(0, +))
        }
    }

    /// The CSV as published, and the same CSV in a ZIP download (with an explanation beside it):
    /// the archive's one CSV file is read, with the same outcome.
    @Test(arguments: ["leefbaarometer-3.0-buurten.csv", "leefbaarometer-download.zip"])
    func leefbaarometer30ExportAsPublishedLoadsWithTheShippedFeed(file: String) throws {
        try withMigratedDatabase { _, _, db throws in
            let result = try Self.loadPublished(db, feed: "leefbaarometer", file: file, entry: "leefbaarometer-3.0-buurten.csv")
            #expect(result.rowsRejected == 0)
            let rows = try Self.lines("leefbaarometer-3.0-buurten.csv").dropFirst()
            let werkgebied = ["0106", "1731", "0085", "1690", "1701", "0118", "0119", "1699"]
            let inside = rows.filter { werkgebied.contains(String($0[1].dropFirst(2).prefix(4))) }
            #expect(result.rowsLoaded == inside.count)
            #expect(result.rowsSkipped == rows.count - inside.count)
            // Declared rounding (round: half-even) to the column's 4 decimals, computed here with Foundation.
            for (column, index) in [("lbm", 5), ("afw", 6), ("onv", 8), ("won", 11)] {
                var sum = Decimal(0)
                for r in inside {
                    var value = Self.decimal(r[index]) ?? 0
                    var rounded = Decimal()
                    NSDecimalRound(&rounded, &value, 4, .bankers)
                    sum += rounded
                }
                let loaded = try db.scalar("select sum(\(column))::text from core.leefbaarometer_score", as: String.self)
                #expect(loaded.flatMap(Self.decimal) == sum, "\(column): \(loaded ?? "-") vs \(sum)")
            }
            #expect(inside.contains { $0[8].contains("e-") })
        }
    }

    @Test func leefbaarometer20WorkbookLongAndWideSheets() throws {
        try withMigratedDatabase { _, _, db throws in
            let lang = try load(db, specText: try Self.spec("leefbaarometer2-lang.yaml"), file: Self.path("leefbaarometer-2.0.xlsx"))
            let breed = try load(db, specText: try Self.spec("leefbaarometer2-breed.yaml"), file: Self.path("leefbaarometer-2.0.xlsx"))
            #expect(lang.status == .loaded && breed.status == .loaded, "\(lang.message ?? "") \(breed.message ?? "")")
            #expect(lang.rowsRejected == 0 && breed.rowsRejected == 0)
            let twin = try Self.lines("leefbaarometer-2.0-twin.csv").dropFirst()
            let outside = ["BU0363", "BU0599", "BU0014"]
            for sheet in ["Lang", "Breed"] {
                let values = twin.filter { $0[0] == sheet && !outside.contains(String($0[1].prefix(6))) }
                let sum = values.reduce(Decimal(0)) { $0 + (Self.decimal($1[4]) ?? 0) }
                let years = sheet == "Lang" ? "(2002, 2008)" : "(2012, 2014, 2016)"
                let loaded = try db.execute("select count(*), sum(value)::text from core.leefbaarometer2_score where edition_year in \(years)").first
                #expect(try loaded?.decode(0, as: Int.self) == values.count, "\(sheet)")
                #expect(Self.decimal(try loaded?.decode(1, as: String.self) ?? "") == sum, "\(sheet)")
            }
            // Values kept exactly as published (17 significant digits).
            let first = try #require(twin.first { $0[0] == "Lang" })
            #expect(
                try db.scalar(
                    "select value::text from core.leefbaarometer2_score where area_code = $1 and edition_year = $2::int and dimension = lower($3)",
                    [first[1], first[2], first[3]], as: String.self) == Self.decimal(first[4]).map(Self.text))
            #expect(try db.scalar("select count(distinct dimension) from core.leefbaarometer2_score", as: Int.self) == 6)
        }
    }

    @Test func jsonArrayOfClasses() throws {
        try withMigratedDatabase { _, _, db throws in
            let result = try load(db, specText: try Self.spec("klassen.yaml"), file: Self.path("leefbaarometer-klassen.json"))
            #expect(result.status == .loaded, "\(result.message ?? "")")
            #expect(result.rowsLoaded == 9)
            #expect(result.droppedColumns == ["kleur"])
            #expect(
                try db.scalar(
                    "select string_agg(class || ':' || name || ':' || coalesce(lower_bound::text, '-'), ',' order by class) from core.leefbaarometer_class where class in (1, 2, 9)",
                    as: String.self)
                    == "1:zeer onvoldoende:-,2:ruim onvoldoende:-0.3,9:uitstekend:0.2")
            // Each object's line is where it opens (7 lines an object, the array's [ on line 1).
            #expect(
                try db.scalar("select string_agg(source_line::text, ',' order by class) from core.leefbaarometer_class", as: String.self)
                    == "2,9,16,23,30,37,44,51,58")
        }
    }

    @Test func cbsKerncijfersWithTitleLinesAndTheYearInTheFileName() throws {
        try withMigratedDatabase { _, _, db throws in
            let result = try load(db, specText: try Self.spec("kwb.yaml"), file: Self.path("kwb-2019.csv"))
            #expect(result.status == .loaded, "\(result.message ?? "")")
            #expect(result.rowsRejected == 0)
            let rows = try Self.lines("kwb-2019.csv", encoding: .windowsCP1252).dropFirst(4).map {
                $0.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            }
            let kept = rows.filter { ["Gemeente", "Wijk", "Buurt"].contains($0[2]) && ["0106", "1731"].contains(String($0[3].dropFirst(2).prefix(4))) }
            #expect(result.rowsLoaded == kept.count)
            #expect(result.rowsFiltered == 1)  // Nederland
            #expect(try db.scalar("select count(*) || '/' || min(year) || '/' || max(year) from core.area", as: String.self) == "\(kept.count)/2019/2019")
            #expect(
                try db.scalar("select level || ':' || coalesce(parent_code, '-') || ':' || name from core.area where area_code = 'BU17310101'", as: String.self)
                    == "buurt:WK173101:Buurt 11")
        }
    }

    /// An SAP line-item export: credits carry their minus after the amount (`12.000,00-`), which
    /// the spec declares (`negative_trailing: true`); without it a credit line is a reject naming
    /// its value, and nothing loads.
    @Test func sapLineItemsWithTheMinusAfterTheAmount() throws {
        try withMigratedDatabase { _, _, db throws in
            let rows = try Self.lines("sap-fbl3n-2019.csv", encoding: .windowsCP1252).dropFirst()
            // Independent: 1.234,56- is -1234.56, per gemeente (by cost centre).
            let gemeente = ["4100ASSEN": "GM0106", "4200HOOG": "GM0118", "4300MIDD": "GM1731", "4400MEPP": "GM0119"]
            var expected: [String: Decimal] = [:]
            var credits = 0
            for r in rows {
                var amount = r[9].replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
                if amount.hasSuffix("-") {
                    amount = "-" + amount.dropLast()
                    credits += 1
                }
                expected[gemeente[r[7]] ?? "?", default: 0] += Self.decimal(amount) ?? 0
            }
            #expect(credits == 8)
            let spec = try Self.spec("sap-fbl3n.yaml")
            let unsigned = try load(db, specText: spec.replacingOccurrences(of: "  negative_trailing: true\n", with: ""), file: Self.path("sap-fbl3n-2019.csv"))
            // max_rejects is 0: the first credit line stops the load, named with its value.
            let first = try #require(rows.firstIndex { $0[9].hasSuffix("-") })
            #expect(unsigned.status == .failed)
            #expect(unsigned.rejects.map(\.line) == [first + 1])
            #expect(unsigned.rejects.first?.column == "Bedrag in lokale valuta")
            #expect(unsigned.rejects.first?.rawValue == rows[first][9])
            #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)

            let result = try load(db, specText: spec, file: Self.path("sap-fbl3n-2019.csv"))
            #expect(result.status == .loaded, "\(result.message ?? "")")
            #expect(result.rowsRejected == 0)
            #expect(result.rowsLoaded == rows.count)
            for (code, sum) in expected {
                let loaded = try db.scalar("select sum(amount)::text from core.spending where gemeente_code = $1", [code], as: String.self)
                #expect(loaded.flatMap(Self.decimal) == sum, "\(code): \(loaded ?? "-") vs \(sum)")
            }
            #expect(try db.scalar("select count(*) from core.spending where amount < 0", as: Int.self) == credits)
            #expect(try db.scalar("select amount::text from core.spending where document = '1900000201'", as: String.self) == "-12000.00")
            #expect(try db.scalar("select count(*) from core.spending where description like '%café%'", as: Int.self) ?? 0 > 0)
            #expect(try ReplaceScopeTests.summaryMatches(db))
        }
    }

    /// A partner's workbook whose amounts are number cells and, here and there, text typed as
    /// `1.234,56`: with `decimal: comma` a number cell's point reads as the comma, so both load;
    /// with the default (dot) the text cells are rejects naming their cell (a dry run).
    @Test func aWorkbookOfNumberCellsAndDutchTextAmounts() throws {
        try withMigratedDatabase { _, _, db throws in
            // Independent: each amount as it stands in the sheet (the twin), Dutch text or a number's text.
            let rows = try Self.lines("uitgaven-partner-2019-twin.csv").dropFirst()
            var expected: [String: Decimal] = [:]
            var texts = 0
            for r in rows {
                var amount = r[2]
                if amount.contains(",") {
                    texts += 1
                    amount = amount.replacingOccurrences(of: "€ ", with: "").replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
                }
                // The spec rounds to cents, half-even (a number cell may hold 590.3200000000001).
                var exact = Self.decimal(amount) ?? 0
                var cents = Decimal()
                NSDecimalRound(&cents, &exact, 2, .bankers)
                expected[r[1], default: 0] += cents
            }
            #expect(texts == 5)
            let spec = try Self.spec("uitgaven-partner.yaml")
            let file = Self.path("uitgaven-partner-2019.xlsx")
            let dotted = try load(db, specText: spec.replacingOccurrences(of: "  decimal: comma\n  thousands: \".\"\n", with: ""), file: file) {
                $0.maxRejects = .percent(100)
                $0.dryRun = true
            }
            #expect(dotted.rowsRejected == texts, "\(dotted.rejects.map { "\($0.line) \($0.column ?? "-") \($0.rawValue ?? "-") \($0.reason)" })")
            #expect(dotted.rejects.allSatisfy { $0.column?.hasPrefix("Bedrag (Uitgaven 2019!H") == true }, "\(dotted.rejects.map { $0.column ?? "-" })")

            let result = try load(db, specText: spec, file: file)
            #expect(result.status == .loaded, "\(result.message ?? "")")
            #expect(result.rowsRejected == 0)
            #expect(result.rowsLoaded == rows.count)
            for (name, sum) in expected {
                let loaded = try db.scalar(
                    "select sum(s.amount)::text from core.spending s join core.gemeente g using (gemeente_code) where g.name = $1", [name], as: String.self)
                #expect(loaded.flatMap(Self.decimal) == sum, "\(name): \(loaded ?? "-") vs \(sum)")
            }
            #expect(try db.scalar("select count(distinct year) || '/' || min(year) from core.spending", as: String.self) == "1/2019")
        }
    }

    /// JSON Lines as published, and in a ZIP archive with a note: the archive's one .jsonl file is read.
    @Test(arguments: ["bezoekers-2019.jsonl", "bezoekers-download.zip"])
    func visitorCountsAsJSONLinesAndInAZIPArchive(file: String) throws {
        try withMigratedDatabase { _, _, db throws in
            let result = try Self.loadPublished(db, feed: "visits", file: file, entry: "bezoekers-2019.jsonl")
            // Independent: the plain file's counts.
            let text = try String(contentsOfFile: Self.path("bezoekers-2019.jsonl"), encoding: .utf8)
            let counts = try text.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["bezoekers"] as? Int ?? -1
            }
            #expect(result.rowsLoaded == counts.count)
            #expect(try db.scalar("select sum(visitors)::int from core.visit", as: Int.self) == counts.reduce(0, +))
        }
    }
}
