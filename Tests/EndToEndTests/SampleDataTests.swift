import Foundation
import Postgres
import Testing
import TestSupport

/// The sample data set, loaded through the CLI, reproduces the annual report's figures.
@Suite(.ownThread) struct SampleDataTests {
    static let seedSpending: [String: String] = [
        "Assen": "800000.00", "De Wolden": "58000.00", "Hoogeveen": "16000.00", "Meppel": "16000.00",
        "Midden-Drenthe": "104000.00", "Noordenveld": "19000.00", "Ooststellingwerf": "135000.00", "Westerveld": "51000.00",
    ]

    @Test func sampleLoadsAndReproducesTheSeedFigures() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name), "LEEFBAAR_HASH_KEY": "sample-data-test-key"]
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sample-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let sample = try runTool("leefbaar-etl", ["sample", "--out", dir.path], environment: env)
            #expect(sample.status == 0)
            let files = sample.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(files.count == 14)
            for run in 1...2 {
                for f in files {
                    let r = try runTool("leefbaar-etl", ["load", "--feed", f[0], f[1]], environment: env)
                    if f[0] == "initiatives" && run == 1 {
                        // Two bad rows, within the feed's 2%: rejected, the rest loaded.
                        #expect(r.stderr.contains(":436: column Toegekend: expected a number like 1.234,56"), "\(r.stderr)")
                    }
                    #expect(r.status == 0, "\(f[1]): \(r.stderr)")
                    if run == 2 { #expect(r.stdout.contains("skipped, already loaded as batch")) }
                }
            }
            let db = try cluster.connect(database: name)
            let spending = try db.execute("select gemeente, sum(amount)::text from rpt.spending_per_gemeente where year = 2019 group by gemeente")
            var byName: [String: String] = [:]
            for row in spending { byName[try row.decode(0)] = try row.decode(1) }
            #expect(byName == Self.seedSpending)
            #expect(try db.scalar("select sum(amount)::text from core.spending where year = 2019", as: String.self) == "1199000.00")
            #expect(try db.scalar("select count(*) from core.spending", as: Int.self) ?? 0 > 300)
            let focus = try db.scalar(
                """
                select string_agg(gemeente, ', ' order by gemeente) from rpt.gemeente_score
                where focus and edition_year = (select max(edition_year) from rpt.gemeente_score where edition_year <= 2019)
                """, as: String.self)
            #expect(focus == "Assen, Midden-Drenthe, Ooststellingwerf")
            let in2019 =
                try db.scalar("select count(*) from core.initiative where programme = 'MBA' and extract(year from submitted_on) = 2019", as: Int.self) ?? 0
            #expect((90...99).contains(in2019))
            #expect(try db.scalar("select count(*) from core.initiative where programme = 'MBA' and submitted_on < '2020-01-01'", as: Int.self) ?? 0 > 400)
            #expect(try db.scalar("select min(extract(year from submitted_on))::int from core.initiative", as: Int.self) == 2012)
            let visitors =
                try db.scalar(
                    "select sum(visitors) from core.visit where location = 'Beleefhuis' and visit_date between '2019-10-01' and '2020-02-29'", as: Int.self)
                ?? 0
            #expect(visitors > 200)
            #expect(try db.scalar("select min(visit_date)::text from core.visit", as: String.self)?.hasPrefix("2019-10") == true)
            let adaptations = try db.scalar("select sum(cost) from core.adaptation where extract(year from adaptation_date) = 2019", as: Decimal.self) ?? 0
            #expect(adaptations > 155_000)
            let activities = try db.execute(
                "select g.name, count(a.activity_id) from core.gemeente g left join core.activity a using (gemeente_code) group by g.name")
            var perGemeente: [String: Int] = [:]
            for row in activities { perGemeente[try row.decode(0)] = try row.decode(1) }
            #expect(
                perGemeente == [
                    "Assen": 12, "Midden-Drenthe": 3, "Ooststellingwerf": 4, "De Wolden": 2, "Westerveld": 3,
                    "Noordenveld": 2, "Hoogeveen": 1, "Meppel": 0,
                ])
            // Every fact row traces to a loaded batch and a line.
            for table in [
                "spending", "leefbaarometer_score", "initiative", "activity", "activity_partner", "care_case", "visit", "adaptation", "housing_unit", "area",
            ] {
                let untraced = try db.scalar(
                    """
                    select count(*) from core.\(table) t where t.source_line is null or t.source_line < 1
                      or not exists (select 1 from etl.batch b where b.batch_id = t.batch_id and b.status = 'loaded')
                    """, as: Int.self)
                #expect(untraced == 0, "core.\(table) has rows without lineage")
            }
            #expect(try db.scalar("select count(*) from etl.reject", as: Int.self) == 2)
        }
    }
}
