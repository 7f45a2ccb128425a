import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Postgres
import Testing
import TestSupport

@Suite(.ownThread) struct ReportCommandTests {
    static let gemeenten = [
        "GM0106": "Assen", "GM1690": "De Wolden", "GM0118": "Hoogeveen", "GM0119": "Meppel",
        "GM1731": "Midden-Drenthe", "GM1699": "Noordenveld", "GM0085": "Ooststellingwerf", "GM1701": "Westerveld",
    ]
    static let partners = [
        "Vaart Welzijn", "Stichting Stila", "Cosis", "Werkplein Drentsche Aa", "Gemeentelijke Kredietbank",
        "Buurtbemiddeling", "Wijkverpleging (zorgorganisaties)", "Platform 31", "Mijnbuurtje.nl",
    ]

    func report(_ args: [String]) throws -> ToolResult {
        try runTool("leefbaar-report", args, environment: try SampleWarehouse.shared().env)
    }

    @Test func uitgavenCSVReproducesTheSeedTable() throws {
        let r = try report(["run", "uitgaven", "--year", "2019", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.map(String.init) == ["gemeente", "basis", "plus", "plusplus", "uitgaven", "is_totaal"])
        // The total row is marked, so analysts summing a column do not count it twice.
        #expect(rows.dropFirst().filter { $0.last == "true" }.map { String($0[0]) } == ["Totaal"])
        #expect(rows.dropFirst().filter { $0.last == "false" }.compactMap { Decimal(string: String($0[4])) }.reduce(0, +) == 1_199_000)
        let totals = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { (String($0[0]), String($0[4])) })
        #expect(
            totals == [
                "Assen": "800000.00", "De Wolden": "58000.00", "Hoogeveen": "16000.00", "Meppel": "16000.00",
                "Midden-Drenthe": "104000.00", "Noordenveld": "19000.00", "Ooststellingwerf": "135000.00",
                "Westerveld": "51000.00", "Totaal": "1199000.00",
            ])
        #expect(rows.last?.first == "Totaal")
        let table = try report(["run", "uitgaven", "--year", "2019"])
        #expect(table.stdout.contains("€ 1.199.000"))
        #expect(table.stdout.contains("€ 800.000"))
    }

    @Test func focusListsTheThreeSeedGemeenten() throws {
        let r = try report(["run", "focus", "--year", "2019", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let rows = json?["rows"] as? [[String: Any]] ?? []
        let focus = rows.filter { $0["focus"] as? String == "ja" }.compactMap { $0["gemeente"] as? String }.sorted()
        #expect(focus == ["Assen", "Midden-Drenthe", "Ooststellingwerf"])
        #expect(rows.count == 8)
    }

    @Test func jaarverslagHoldsTheSeedFigures() throws {
        let md = try report(["run", "jaarverslag", "--year", "2019", "--format", "md"])
        #expect(md.status == 0, "\(md.stderr)")
        for phrase in [
            "€ 1.199.000", "Assen, Midden-Drenthe en Ooststellingwerf", "ruim 400 initiatieven", "bijna 100 initiatieven",
            "ruim 200 bezoekers", "ruim € 155.000", "Burendag in de Lariks", "Aanleg pleintje atrium Alteveerstraat",
        ] {
            #expect(md.stdout.contains(phrase), "jaarverslag lacks '\(phrase)'")
        }
        let html = try report(["run", "jaarverslag", "--year", "2019", "--format", "html"])
        #expect(try Self.wellFormed(html.stdout))
        #expect(html.stdout.contains("<svg"))
    }

    @Test func formatsParseAndRoundTrip() throws {
        let env = try SampleWarehouse.shared()
        let db = try env.cluster.connect(database: env.database)
        let csv = try report(["run", "langer-thuis", "--year", "2019", "--format", "csv"]).stdout
        let parsed = Self.parseCSV(csv, separator: ",")
        let expected = try db.execute("select count(*)::text, sum(cost)::text from core.adaptation where extract(year from adaptation_date) = 2019")[0]
        let total = parsed.first { $0.count == 5 && $0[1] == "Totaal" }
        #expect(total == ["Aanpassingen", "Totaal", try expected.decode(0, as: String.self), try expected.decode(1, as: String.self), "true"])
        let nl = try report(["run", "langer-thuis", "--year", "2019", "--format", "csv-nl"]).stdout
        #expect(nl.hasPrefix("\u{FEFF}"))
        #expect(nl.contains("Aanpassingen;Totaal;620;155870,35;ja"))
        let activities = try report(["run", "activiteiten", "--year", "2019", "--format", "csv"]).stdout
        let rows = Self.parseCSV(activities, separator: ",")
        #expect(rows.count == 28)
        #expect(rows.contains { $0.contains("Opening van het Beleefhuis voor ouderen") && $0.last == "Vaart Welzijn, Wijkverpleging (zorgorganisaties)" })
        for name in ["uitgaven", "leefbaarometer", "initiatieven", "per-vhe", "langer-thuis", "activiteiten"] {
            let json = try report(["run", name, "--year", "2019", "--format", "json"])
            #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "\(name) json does not parse")
            let html = try report(["run", name, "--year", "2019", "--format", "html"])
            #expect(try Self.wellFormed(html.stdout), "\(name) html is not well-formed")
            #expect(html.stdout.contains("<svg"), "\(name) html has no chart")
            let md = try report(["run", name, "--year", "2019", "--format", "md"])
            #expect(md.stdout.contains("|---"))
        }
    }

    @Test func exportKeepsEveryTenantToItsOwnRows() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try report(["export", "--year", "2019", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: out.appendingPathComponent("index.html").path))
        for (code, name) in Self.gemeenten {
            let folder = out.appendingPathComponent(code.lowercased())
            let files = try fm.contentsOfDirectory(atPath: folder.path)
            #expect(files.contains("uitgaven.html") && files.contains("leefbaarometer.nl.csv") && !files.contains("focus.html"))
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for (otherCode, otherName) in Self.gemeenten where otherCode != code {
                    #expect(!text.contains(otherCode), "\(code)/\(file) holds \(otherCode)")
                    #expect(!text.contains(otherName), "\(code)/\(file) holds \(otherName)")
                }
            }
            let uitgaven = try String(contentsOf: folder.appendingPathComponent("uitgaven.csv"), encoding: .utf8)
            #expect(uitgaven.contains(name))
        }
        for partner in try fm.contentsOfDirectory(atPath: out.path) where partner.hasPrefix("partner-") {
            let folder = out.appendingPathComponent(partner)
            let own = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
            for file in try fm.contentsOfDirectory(atPath: folder.path) where file != "index.html" {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for other in Self.partners where !own.contains(HTMLEscape.escape(other)) {
                    #expect(!text.contains(other), "\(partner)/\(file) holds \(other)")
                }
            }
        }
        // Stila is a partner of the MBA programme: it sees the programme's initiatives.
        let stilaInitiatives = Self.parseCSV(
            try String(contentsOf: out.appendingPathComponent("partner-stila/initiatieven.csv"), encoding: .utf8), separator: ",")
        #expect(stilaInitiatives.first { $0.first == "2019" }?[1] == "97")
        #expect(!(try fm.contentsOfDirectory(atPath: out.appendingPathComponent("partner-cosis").path)).isEmpty)
        let cosisInitiatives = Self.parseCSV(
            try String(contentsOf: out.appendingPathComponent("partner-cosis/initiatieven.csv"), encoding: .utf8), separator: ",")
        #expect(cosisInitiatives.count == 1)  // header only
        // A partner that worked in one gemeente sees no other gemeente's rows.
        let stila = try String(contentsOf: out.appendingPathComponent("partner-buurtbemiddeling/activiteiten.csv"), encoding: .utf8)
        #expect(Self.parseCSV(stila, separator: ",").dropFirst().allSatisfy { $0.first == "Westerveld" })
    }

    @Test func injectionShapedArgumentsGetClearErrors() throws {
        let tenant = try report(["run", "uitgaven", "--year", "2019", "--tenant", "GM0106'; set role postgres; --"])
        #expect(tenant.status == 2)  // an unknown name on the command line is a usage error
        #expect(tenant.stderr.contains("no tenant 'GM0106'; set role postgres; --'"))
        let year = try report(["run", "uitgaven", "--year", "2019 or 1=1"])
        #expect(year.status == 2)
        #expect(year.stderr.contains("invalid for '--year <year>'"))
        let audience = try report(["run", "focus", "--year", "2019", "--tenant", "GM0106"])
        #expect(audience.status == 1)
        #expect(audience.stderr.contains("report focus is for corporation, not for gemeente GM0106"))
        let unknown = try report(["run", "nope", "--year", "2019"])
        #expect(unknown.stderr.contains("no report 'nope'"))
    }

    static func parseCSV(_ text: String, separator: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == separator {
                row.append(field)
                field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    static func wellFormed(_ html: String) throws -> Bool {
        let parser = XMLParser(data: Data(html.utf8))
        return parser.parse()
    }
}

enum HTMLEscape {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

extension ReportCommandTests {
    @Test func aKilledExportLeavesThePreviousOneByteIdentical() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("export-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try report(["export", "--year", "2019", "--out", out.path]).status == 0)
        func contents() throws -> [String: Data] {
            var files: [String: Data] = [:]
            let base = out.path
            for case let path as String in FileManager.default.enumerator(atPath: base) ?? FileManager.DirectoryEnumerator() {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files[path] = try Data(contentsOf: URL(fileURLWithPath: base + "/" + path))
                }
            }
            return files
        }
        let before = try contents()
        #expect(before.count > 80)
        var killedMidway = 0
        for delay in [0.05, 0.15, 0.3, 0.45] {
            let run = try RunningTool("leefbaar-report", ["export", "--year", "2019", "--out", out.path], environment: try SampleWarehouse.shared().env)
            Thread.sleep(forTimeInterval: delay)
            run.signal(SIGKILL)
            guard run.wait().status != 0 else { continue }  // it finished first: a new export stands
            killedMidway += 1
            #expect(try contents() == before, "the export killed after \(delay) s changed the previous one")
        }
        #expect(killedMidway > 0)
        // The next export replaces it and removes what the killed ones left beside it.
        #expect(try report(["export", "--year", "2019", "--out", out.path]).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path).filter {
            $0.hasPrefix(".\(out.lastPathComponent).")
        }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(try contents().count == before.count)
    }

    @Test func aYearWithoutSpendingIsRefusedNamingTheLatestYear() throws {
        let r = try report(["run", "jaarverslag", "--year", "2030", "--format", "md"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no spending is loaded for 2030; the latest year loaded is 2019"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try report(["run", "uitgaven", "--year", "2030"]).status == 1)
        let allowed = try report(["run", "uitgaven", "--year", "2030", "--allow-empty", "--format", "html"])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("Geen gegevens voor Corporatie in 2030."))
    }

    @Test func csvForExcelNeutralisesFormulas() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("activiteiten-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try
                "Bron;Id;Datum;Gemeente;Titel;Soort\ncorporatie;A1;01-03-2019;Assen;\"=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\";burendag\ncorporatie;A2;02-03-2019;Assen;-1+2;burendag\ncorporatie;A3;03-03-2019;Assen;@SUM(1);burendag\n"
                .write(to: file, atomically: true, encoding: .utf8)
            #expect(try runTool("leefbaar-etl", ["load", "--feed", "activities", file.path], environment: env).status == 0)
            let nl = try runTool("leefbaar-report", ["run", "activiteiten", "--year", "2019", "--format", "csv-nl", "--allow-empty"], environment: env)
            #expect(nl.status == 0, "\(nl.stderr)")
            #expect(nl.stdout.contains("\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\""), "\(nl.stdout)")
            #expect(nl.stdout.contains("'-1+2") && nl.stdout.contains("'@SUM(1)"))
            // Plain CSV stays raw, for programs.
            let plain = try runTool("leefbaar-report", ["run", "activiteiten", "--year", "2019", "--format", "csv", "--allow-empty"], environment: env)
            #expect(plain.stdout.contains("=HYPERLINK(") && !plain.stdout.contains("'=HYPERLINK("))
        }
    }

    @Test func aLaterYearsChapterTellsThatYearOnly() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name), "LEEFBAAR_HASH_KEY": "jaarverslag-test-key"]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("years-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            for year in ["2019", "2020"] {
                let files = try runTool("leefbaar-etl", ["sample", "--out", dir.path + "/" + year, "--year", year], environment: env)
                    .stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
                for f in files where f.count == 2 {
                    let r = try runTool("leefbaar-etl", ["load", "--feed", f[0], f[1], "--max-rejects", "100%"], environment: env)
                    #expect(r.status == 0, "\(f) \(r.stderr)")
                }
            }
            let chapter = try runTool("leefbaar-report", ["run", "jaarverslag", "--year", "2020", "--format", "md"], environment: env)
            #expect(chapter.status == 0, "\(chapter.stderr)")
            #expect(!chapter.stdout.contains("openden we het Beleefhuis"), "\(chapter.stdout)")
            #expect(chapter.stdout.contains("Het Beleefhuis ontving van oktober 2020 tot en met februari 2021"), "\(chapter.stdout)")
            #expect(!chapter.stdout.contains("ongeveer ruim"))
        }
    }

    @Test func anExportForOneTenantKeepsTheOthersAndTheIndexReadsForPeople() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("export-one-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try report(["export", "--year", "2019", "--out", out.path]).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        let stila = try Data(contentsOf: out.appendingPathComponent("partner-stila/index.html"))
        #expect(try report(["export", "--year", "2019", "--out", out.path, "--tenant", "GM0106"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("partner-stila/index.html")) == stila)
        let page = try String(contentsOf: out.appendingPathComponent("gm0106/index.html"), encoding: .utf8)
        for word in ["Bekijken", "Excel", "Data (CSV)", "Data (JSON)", "Uitgaven aan leefbaarheid per gemeente in het jaar"] {
            #expect(page.contains(word), "\(word)")
        }
    }

    @Test func theJaarverslagIsACatalogEntryAndCleanRemovesFoldersOfFormerTenants() throws {
        let list = try report(["list"])
        #expect(list.stdout.contains("jaarverslag") && list.stdout.contains("Leefbaarheid, hoofdstuk jaarverslag"))
        let json = try JSONSerialization.jsonObject(with: Data(try report(["list", "--format", "json"]).stdout.utf8)) as? [[String: String]] ?? []
        #expect(json.first { $0["name"] == "jaarverslag" }?["audience"] == "corporation" && json.count == 9, "\(json)")
        let csv = try report(["run", "jaarverslag", "--year", "2019", "--format", "csv"])
        #expect(csv.status != 0 && csv.stderr.contains("report jaarverslag comes as html, md, table, not csv"), "\(csv.stderr)")
        let asGemeente = try report(["run", "jaarverslag", "--year", "2019", "--tenant", "GM0106"])
        #expect(asGemeente.status != 0 && asGemeente.stderr.contains("report jaarverslag is for corporation"), "\(asGemeente.stderr)")

        let out = FileManager.default.temporaryDirectory.appendingPathComponent("export-clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try report(["export", "--year", "2019", "--out", out.path, "--tenant", "corporation"]).status == 0)
        let corporation = try String(contentsOf: out.appendingPathComponent("corporatie/index.html"), encoding: .utf8)
        #expect(
            corporation.contains("Leefbaarheid, hoofdstuk jaarverslag") && corporation.contains("href=\"jaarverslag.html\"")
                && corporation.contains("href=\"jaarverslag.md\""))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("corporatie/jaarverslag.csv").path))
        // A folder of a tenant removed since an earlier export.
        let former = out.appendingPathComponent("partner-opgeheven")
        try FileManager.default.createDirectory(at: former, withIntermediateDirectories: true)
        try Data("oud".utf8).write(to: former.appendingPathComponent("uitgaven.csv"))
        #expect(try report(["export", "--year", "2019", "--out", out.path, "--tenant", "GM0106"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: former.path))
        // The index lists every current tenant with a folder, not only the one just exported.
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("gm0106/index.html") && index.contains("corporatie/index.html") && !index.contains("partner-opgeheven"))
        #expect(try report(["export", "--year", "2019", "--out", out.path, "--tenant", "GM0106", "--clean"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: former.path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("corporatie/jaarverslag.html").path))
    }

    /// Every page ends with the loads its figures stand on and the data's as-of moment; file
    /// names and counts only for the corporation.
    @Test func pagesEndWithTheirSources() throws {
        let corporation = try report(["run", "uitgaven", "--year", "2019", "--format", "md"])
        #expect(corporation.stdout.contains("Bronnen:"))
        #expect(corporation.stdout.contains("- ledger: 1 bestand (grootboek-2019.csv), 338 regels, laatst geladen "), "\(corporation.stdout)")
        #expect(corporation.stdout.contains("- Stand van de gegevens: "))
        #expect(!corporation.stdout.contains("partners:"))
        let gemeente = try report(["run", "uitgaven", "--year", "2019", "--tenant", "GM0106", "--format", "html"])
        #expect(gemeente.stdout.contains("ledger: laatst geladen ") && !gemeente.stdout.contains("grootboek-2019.csv"), "\(gemeente.stdout)")
        let partner = try report(["run", "partner", "--year", "2019", "--tenant", "vaart-welzijn", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(partner.stdout.utf8)) as? [String: Any]
        let sources = json?["bronnen"] as? [[String: Any]] ?? []
        #expect(Set(sources.compactMap { $0["feed"] as? String }).isSuperset(of: ["activities", "ledger", "visits"]))
        #expect(sources.allSatisfy { $0["files"] == nil && $0["rows"] == nil && $0["last_loaded"] is String })
        let chapter = try report(["run", "jaarverslag", "--year", "2019", "--format", "md"])
        #expect(chapter.stdout.contains("- adaptations: 1 bestand (aanpassingen-2019.csv)"), "\(chapter.stdout.suffix(800))")
    }
}
