import Foundation
import Ingest

/// Writes a realistic, deterministic set of input files for every feed, in the formats partners
/// and the corporation export them. With the defaults it reproduces the annual report's figures
/// for 2019 (spending per gemeente, focus gemeenten, initiatives, Beleefhuis visitors, adaptations).
public struct SampleData {
    public var year = 2019
    public var scale = 1
    public var seed: UInt64 = 2019
    /// Only these feeds' files (all when empty).
    public var only: Set<String> = []

    public init(year: Int = 2019, scale: Int = 1, seed: UInt64 = 2019) {
        self.year = year
        self.scale = max(scale, 1)
        self.seed = seed
    }

    /// Writes the files into `directory` and returns their names in load order (with their feeds).
    @discardableResult
    public func write(to directory: String) throws -> [(feed: String, file: String)] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var rng = SampleRandom(seed: seed)
        var files: [(String, String)] = []
        func file(
            _ feed: String, _ name: String, encoding: SampleFile.Encoding = .utf8, bom: Bool = false,
            _ body: (SampleFile) throws -> Void
        ) throws {
            guard only.isEmpty || only.contains(feed) else { return }
            let out = try SampleFile(path: directory + "/" + name, encoding: encoding, bom: bom)
            try body(out)
            try out.close()
            files.append((feed, name))
        }
        try file("areas", "gebieden-\(year).csv") { try writeAreas($0) }
        try file("partners", "partners.csv") { try writePartners($0) }
        try file("projects", "projecten.csv") { try writeProjects($0) }
        try file("programmes", "programmas.csv") { out in
            try out.line("Programma;Partner")
            for partner in ["vaart-welzijn", "stila"] { try out.line("MBA;\(partner)") }
        }
        let units = unitsPerBuurt(&rng)
        try file("housing-stock", "bezit-\(year).csv") { try writeStock($0, units, &rng) }
        for edition in [2016, 2018, 2020] {
            try file("leefbaarometer", "leefbaarometer-\(edition).csv") { try writeScores($0, edition: edition, &rng) }
        }
        try file("ledger", "grootboek-\(year).csv", encoding: .windows1252) { try writeLedger($0, &rng) }
        try file("initiatives", "initiatieven-mba.csv", bom: true) { try writeInitiatives($0, &rng) }
        try file("activities", "activiteiten-\(year).csv") { try writeActivities($0, &rng) }
        try file("cases-jsonl", "casussen-\(year).jsonl") { try writeCases($0, &rng) }
        try file("visits", "bezoekers-beleefhuis.jsonl") { try writeVisits($0, &rng) }
        try file("adaptations", "aanpassingen-\(year).csv") { try writeAdaptations($0, &rng) }
        return files
    }

    private var buurten: [SampleGeography.Area] { SampleGeography.buurten }

    private func date(_ y: Int, _ m: Int, _ d: Int) -> String { "\(SampleGeography.two(d))-\(SampleGeography.two(m))-\(y)" }
    private func iso(_ y: Int, _ m: Int, _ d: Int) -> String { "\(y)-\(SampleGeography.two(m))-\(SampleGeography.two(d))" }

    /// 1234567 cents → "12.345,67" (with "€ " in front when asked).
    static func dutch(_ cents: Int64, euro: Bool = false) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        var whole = String(magnitude / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "." + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        let fraction = magnitude % 100
        let text = whole + grouped + "," + (fraction < 10 ? "0" : "") + String(fraction)
        return (euro ? "€ " : "") + (negative ? "-" : "") + text
    }

    private func writeAreas(_ out: SampleFile) throws {
        try out.line("Code;Naam;Jaar")
        for g in SampleGeography.gemeenten {
            try out.line("\(g.code);\(g.name);\(year)")
            for (w, wijk) in g.wijken.enumerated() {
                try out.line("\(SampleGeography.wijkCode(g, w));\(wijk.name);\(year)")
                for (b, name) in wijk.buurten.enumerated() { try out.line("\(SampleGeography.buurtCode(g, w, b));\(name);\(year)") }
            }
        }
    }

    private func writePartners(_ out: SampleFile) throws {
        try out.line("Code;Naam;Soort")
        for p in SampleGeography.partners { try out.line("\(p.code);\(p.name);\(p.kind)") }
    }

    private func writeProjects(_ out: SampleFile) throws {
        try out.line("Project;Naam;Gemeente;Partner")
        for p in SampleGeography.projects { try out.line("\(p.code);\(p.name);\(p.gemeente ?? "");\(p.partner ?? "")") }
    }

    private func unitsPerBuurt(_ rng: inout SampleRandom) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: buurten.map { ($0.code, rng.int(in: $0.gemeente.unitsPerBuurt)) })
    }

    private func writeStock(_ out: SampleFile, _ units: [String: Int], _ rng: inout SampleRandom) throws {
        try out.line("VHE;Complex;Buurtcode;Type;DAEB;Peildatum")
        var number = 100_000
        for area in buurten {
            // Stock grows slowly with --scale: a corporation has thousands of units, not millions.
            for i in 0..<(units[area.code] ?? 0) * min(scale, 4) {
                number += 1
                let type = rng.pick(["Eengezinswoning", "Appartement", "Appartement", "Seniorenwoning"])
                try out.line("\(number);C\(area.code.suffix(6))-\(i / 40);\(area.code);\(type);\(rng.int(10) < 9 ? "ja" : "nee");\(date(year, 12, 31))")
            }
        }
    }

    private func writeScores(_ out: SampleFile, edition: Int, _ rng: inout SampleRandom) throws {
        try out.line("bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won")
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        let drift = Double(edition - 2018) * 0.005
        for area in buurten {
            let g = area.gemeente
            let afw = g.afwBias + drift + (rng.unit() - 0.5) * 0.16
            let won = g.housingBias + drift + (rng.unit() - 0.5) * 0.03
            let fys = g.housingBias + drift + (rng.unit() - 0.5) * 0.03
            let (vrz, soc, onv) = ((rng.unit() - 0.5) * 0.1, (rng.unit() - 0.5) * 0.1, (rng.unit() - 0.5) * 0.1)
            try out.line("\(area.code),\(edition),\(f(4.05 + afw)),\(f(afw)),\(f(fys)),\(f(onv)),\(f(soc)),\(f(vrz)),\(f(won))")
        }
        // The national file holds the whole country: these rows lie outside the werkgebied.
        for code in ["BU03630000", "BU05990101", "BU00140000"] {
            try out.line("\(code),\(edition),4.1000,0.0500,0.0100,0.0100,0.0100,0.0100,0.0100")
        }
    }

    private func writeLedger(_ out: SampleFile, _ rng: inout SampleRandom) throws {
        try out.line("Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag", crlf: true)
        let baseLines: [String: Int] = ["GM0106": 160, "GM1731": 40, "GM0085": 45, "GM1690": 25, "GM1701": 25, "GM1699": 15, "GM0118": 10, "GM0119": 10]
        let growth = 1.0 + 0.03 * Double(year - 2019)
        var document = 0
        var lineInDocument = 0
        for g in SampleGeography.gemeenten {
            let total = Int64((Double(g.spending) * growth).rounded()) * 100
            let n = (baseLines[g.code] ?? 10) * scale
            var amounts = rng.split(total, into: n)
            // A correction: one line credited back, booked again on another line.
            amounts[0] += 25_000
            amounts.append(-25_000)
            let projects = SampleGeography.projects.filter { $0.gemeente == nil || $0.gemeente == g.code }.map(\.code)
            for (i, cents) in amounts.enumerated() {
                if lineInDocument == 0 || lineInDocument >= 10 {
                    document += 1
                    lineInDocument = 0
                }
                lineInDocument += 1
                let level: String
                switch g.code {
                case "GM0106": level = rng.pick(["plusplus", "plusplus", "plus", "basis"])
                case "GM1731", "GM0085": level = rng.pick(["plus", "plus", "basis"])
                default: level = rng.pick(["basis", "basis", "plus"])
                }
                let category = rng.pick(["projecten", "bijdragen", "schoon-heel-veilig", "personeel", "overig"])
                let gemeente = i % 7 == 3 ? g.code : g.name
                var description =
                    cents < 0
                    ? "Correctie boeking"
                    : rng.pick([
                        "Bijdrage buurtactiviteit", "Opschoonactie", "Inzet wijkbeheer",
                        "Buurtfeest", "Café-avond buurthuis", "Tuinonderhoud complex", "Bewonersavond",
                    ])
                if i % 11 == 5 { description = "\"\(description); factuur \(document)\"" }
                let amount = SampleData.dutch(cents, euro: i % 13 == 0)
                let day = rng.int(in: 1...28)
                let month = rng.int(in: 1...12)
                try out.line(
                    "\(date(year, month, day));\(cents < 0 ? "MEMC" : "MEM");\(year)-\(String(document));\(lineInDocument);\(4400 + rng.int(20));LB\(SampleGeography.two(rng.int(10)));\(gemeente);\(rng.pick(projects));\(level);\(category);\(description);\(amount)",
                    crlf: true)
            }
        }
    }

    private func writeInitiatives(_ out: SampleFile, _ rng: inout SampleRandom) throws {
        try out.line("Nummer;Ingediend;Gemeente;Wijkcode;Titel;Status;Toegekend;Aanvrager;Telefoon")
        let perYear = [2012: 28, 2013: 50, 2014: 52, 2015: 53, 2016: 51, 2017: 50, 2018: 52, 2019: 97]
        let assen = SampleGeography.gemeenten[0]
        let titles = [
            "Buurtfeest", "Speeltuin opknappen", "Moestuin", "Kerstmarkt", "Bankje bij de vijver", "Straatbarbecue", "Jeu de boules-baan", "Voetbaltoernooi",
        ]
        let names = ["J. de Vries", "A. Bakker", "M. Jansen", "P. Visser", "S. Smit", "L. Mulder"]
        var number = 0
        for y in 2012...max(2019, min(year, 2019)) {
            for _ in 0..<(perYear[y] ?? 50) * scale {
                number += 1
                let w = rng.int(assen.wijken.count)
                var title = "\(rng.pick(titles)) \(assen.wijken[w].name)"
                if number % 17 == 0 { title += " (contact: bewoner\(number)@voorbeeld.nl)" }
                let status = rng.pick(["toegekend", "toegekend", "uitgevoerd", "afgewezen"])
                let granted = status == "afgewezen" ? "" : SampleData.dutch(Int64(rng.int(in: 100...2_500)) * 100)
                try out.line(
                    "MBA-\(number);\(date(y, rng.int(in: 1...12), rng.int(in: 1...28)));Assen;\(SampleGeography.wijkCode(assen, w));\(title);\(status);\(granted);\(rng.pick(names));06-\(10_000_000 + rng.int(89_999_999))"
                )
            }
        }
        // Two rows as they sometimes arrive: an impossible date and a malformed amount.
        try out.line("MBA-X1;31-02-\(year);Assen;WK010601;Buurtfeest Centrum;toegekend;500,00;X;06-12345678")
        try out.line("MBA-X2;01-03-\(year);Assen;WK010601;Buurtfeest Centrum;toegekend;12,34,5;X;06-12345678")
    }

    private func writeActivities(_ out: SampleFile, _ rng: inout SampleRandom) throws {
        try out.line("Bron;Id;Datum;Gemeente;Wijkcode;Titel;Soort;Partners;Aangeleverd door")
        for copy in 0..<scale {
            for (i, a) in SampleGeography.activities.enumerated() {
                let g = SampleGeography.gemeenten.first { $0.code == a.gemeente }
                let wijk = g.map { SampleGeography.wijkCode($0, rng.int($0.wijken.count)) } ?? ""
                let title = a.title.contains(";") ? "\"\(a.title)\"" : a.title
                try out.line(
                    "corporatie;A\(year)-\(copy * 100 + i + 1);\(date(year, rng.int(in: 1...12), rng.int(in: 1...28)));\(g?.name ?? a.gemeente);\(wijk);\(title);\(a.kind);\(a.partners.joined(separator: "|"));"
                )
            }
        }
    }

    private func writeCases(_ out: SampleFile, _ rng: inout SampleRandom) throws {
        for i in 0..<60 * scale {
            let area = rng.pick(buurten)
            let partner = i % 4 == 3 ? "cosis" : "buurtbemiddeling"
            let kind = partner == "cosis" ? "verward gedrag" : rng.pick(["burenruzie", "burenruzie", "overlast"])
            let opened = (rng.int(in: 1...12), rng.int(in: 1...28))
            let closed = rng.int(3) == 0 ? "null" : "\"\(iso(year, min(12, opened.0 + 1), opened.1))\""
            let bsn = SampleData.bsn(&rng)
            let result = rng.pick(["opgelost", "opgelost", "doorverwezen", "geen contact"])
            try out.line(
                """
                {"partner":"\(partner)","dossier":{"nummer":"\(partner == "cosis" ? "OGGZ" : "BB")-\(year)-\(String(format: "%04d", i + 1))","melder":{"naam":"Melder \(i)","telefoon":"06-\(20_000_000 + i)","bsn":"\(bsn)"}},"gemeente":"\(area.gemeente.name)","buurt":"\(area.code)","geopend":"\(iso(year, opened.0, opened.1))","gesloten":\(closed),"soort":"\(kind)","uitkomst":"\(result)"}
                """)
        }
    }

    private func writeVisits(_ out: SampleFile, _ rng: inout SampleRandom) throws {
        // The Beleefhuis opened in October: open Tuesday to Thursday, October to February.
        var days: [(Int, Int, Int)] = []
        for (y, m) in [(year, 10), (year, 11), (year, 12), (year + 1, 1), (year + 1, 2)] {
            for d in 1...CalendarDays.inMonth(m, y) where [3, 4, 5].contains(CalendarDays.weekday(y, m, d)) { days.append((y, m, d)) }
        }
        let visitors = rng.split(214 * Int64(scale), into: days.count)
        for (day, count) in zip(days, visitors) {
            try out.line(
                "{\"locatie\":\"Beleefhuis\",\"datum\":\"\(iso(day.0, day.1, day.2))\",\"gemeente\":\"GM0106\",\"partner\":\"wijkverpleging\",\"bezoekers\":\(count)}"
            )
        }
    }

    private func writeAdaptations(_ out: SampleFile, _ rng: inout SampleRandom) throws {
        try out.line("Id;Datum;Gemeente;Complex;Voorziening;Kosten;Huurder;BSN")
        let n = 620 * scale
        let costs = rng.split(15_587_035, into: n)
        let items = ["Beugel", "Douchezitje", "Drempelhulp", "Verhoogd toilet", "Extra trapleuning", "Antislipvloer", "Deurdranger"]
        for (i, cents) in costs.enumerated() {
            let area = rng.pick(buurten)
            try out.line(
                "LZT-\(i + 1);\(date(year, rng.int(in: 1...12), rng.int(in: 1...28)));\(area.gemeente.name);C\(area.code.suffix(6))-0;\(rng.pick(items));\(SampleData.dutch(cents));Huurder \(i);\(SampleData.bsn(&rng))"
            )
        }
    }

    /// A random 9-digit number that passes the elfproef, as a BSN would.
    static func bsn(_ rng: inout SampleRandom) -> String {
        while true {
            let digits = (0..<8).map { _ in rng.int(10) }
            var sum = 0
            for (i, d) in digits.enumerated() { sum += (9 - i) * d }
            let last = sum % 11
            if last < 10, digits[0] != 0 { return digits.map(String.init).joined() + String(last) }
        }
    }
}

/// Calendar helpers for the sample.
enum CalendarDays {
    static func inMonth(_ m: Int, _ y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO weekday, Monday = 1 (Zeller's congruence).
    static func weekday(_ y: Int, _ m: Int, _ d: Int) -> Int {
        var year = y
        var month = m
        if month < 3 {
            month += 12
            year -= 1
        }
        let k = year % 100
        let j = year / 100
        let h = (d + 13 * (month + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7  // 0 = Saturday
        return (h + 5) % 7 + 1
    }
}

/// A buffered output file in UTF-8 (optionally with BOM) or Windows-1252.
final class SampleFile {
    enum Encoding { case utf8, windows1252 }
    private let handle: FileHandle
    private let encoding: Encoding
    private var buffer: [UInt8] = []

    init(path: String, encoding: Encoding, bom: Bool) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw WarehouseError(.missingFile, "cannot write \(path)")
        }
        self.handle = handle
        self.encoding = encoding
        if bom { buffer = [0xEF, 0xBB, 0xBF] }
    }

    func line(_ text: String, crlf: Bool = false) throws {
        switch encoding {
        case .utf8: buffer.append(contentsOf: text.utf8)
        case .windows1252:
            for scalar in text.unicodeScalars {
                if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) {
                    buffer.append(UInt8(scalar.value))
                } else if scalar == "€" {
                    buffer.append(0x80)
                } else {
                    buffer.append(UInt8(ascii: "?"))
                }
            }
        }
        if crlf { buffer.append(0x0D) }
        buffer.append(0x0A)
        if buffer.count > 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}
