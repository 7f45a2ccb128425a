/// The werkgebied of the sample: the eight gemeenten with wijken and buurten (plausible CBS codes
/// and the names the annual report mentions), and how each scores on the Leefbaarometer.
struct SampleGemeente {
    let code: String
    let name: String
    /// Wijk names; buurten get the wijk's number and a two-digit suffix.
    let wijken: [(name: String, buurten: [String])]
    /// Deviation of the housing-related dimensions (won, fys) in this gemeente's buurten.
    let housingBias: Double
    /// Deviation of the total score.
    let afwBias: Double
    /// Rental units per buurt (before --scale).
    let unitsPerBuurt: ClosedRange<Int>
    /// Livability spending in the base year, in whole euros (the seed's table).
    let spending: Int64
}

enum SampleGeography {
    static let gemeenten: [SampleGemeente] = [
        SampleGemeente(
            code: "GM0106", name: "Assen",
            wijken: [
                ("Centrum", ["Binnenstad", "Hofstukken"]),
                ("Assen-Oost", ["Lariks", "Oude Molenbuurt", "Schilderswijk", "Molukse wijk"]),
                ("Noorderpark", ["Noorderpark", "Diepstroeten"]),
                ("Pittelo", ["Pittelo-Noord", "Pittelo-Zuid"]),
                ("Marsdijk", ["Marsdijk-Noord", "Marsdijk-Zuid"]),
                ("Kloosterveen", ["Kloosterveen-Oost", "Kloosterveen-West"]),
                ("Baggelhuizen", ["Baggelhuizen"]),
            ], housingBias: -0.060, afwBias: -0.080, unitsPerBuurt: 120...260, spending: 800_000),
        SampleGemeente(
            code: "GM1690", name: "De Wolden", wijken: [("Ruinerwold", ["Ruinerwold"]), ("Zuidwolde", ["Zuidwolde"])],
            housingBias: 0.050, afwBias: 0.060, unitsPerBuurt: 60...120, spending: 58_000),
        SampleGemeente(
            code: "GM0118", name: "Hoogeveen", wijken: [("Centrum", ["Alteveerstraat", "Centrum"]), ("Krakeel", ["Krakeel"])],
            housingBias: 0.030, afwBias: 0.020, unitsPerBuurt: 40...90, spending: 16_000),
        SampleGemeente(
            code: "GM0119", name: "Meppel", wijken: [("Centrum", ["Centrum"]), ("Haveltermade", ["Haveltermade"])],
            housingBias: 0.040, afwBias: 0.030, unitsPerBuurt: 40...90, spending: 16_000),
        SampleGemeente(
            code: "GM1731", name: "Midden-Drenthe",
            wijken: [("Smilde", ["Smilde", "Hoogersmilde"]), ("Beilen", ["Beilen-Centrum", "Beilen-Oost"]), ("Westerbork", ["Westerbork"])],
            housingBias: -0.050, afwBias: -0.040, unitsPerBuurt: 70...150, spending: 104_000),
        SampleGemeente(
            code: "GM1699", name: "Noordenveld", wijken: [("Roden", ["Roden-Centrum", "Roden-Noord"]), ("Peize", ["Peize"])],
            housingBias: 0.045, afwBias: 0.050, unitsPerBuurt: 50...100, spending: 19_000),
        SampleGemeente(
            code: "GM0085", name: "Ooststellingwerf",
            wijken: [("Oosterwolde", ["Haerenkwartier", "Oosterwolde-Centrum"]), ("Appelscha", ["Riemsoord", "Appelscha"]), ("Ravenswoud", ["Ravenswoud"])],
            housingBias: -0.070, afwBias: -0.060, unitsPerBuurt: 70...140, spending: 135_000),
        SampleGemeente(
            code: "GM1701", name: "Westerveld", wijken: [("Diever", ["Diever"]), ("Havelte", ["Havelte", "Uffelte"])],
            housingBias: 0.035, afwBias: 0.040, unitsPerBuurt: 50...100, spending: 51_000),
    ]

    /// Every area with its code, in file order.
    struct Area {
        let code: String
        let name: String
        let gemeente: SampleGemeente
        let wijkCode: String?
    }

    static func wijkCode(_ g: SampleGemeente, _ w: Int) -> String { "WK" + g.code.dropFirst(2) + two(w + 1) }
    static func buurtCode(_ g: SampleGemeente, _ w: Int, _ b: Int) -> String { "BU" + g.code.dropFirst(2) + two(w + 1) + two(b + 1) }
    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    static var buurten: [Area] {
        gemeenten.flatMap { g in
            g.wijken.enumerated().flatMap { w, wijk in
                wijk.buurten.enumerated().map { b, name in Area(code: buurtCode(g, w, b), name: name, gemeente: g, wijkCode: wijkCode(g, w)) }
            }
        }
    }

    /// Partner organisations: code, name, kind.
    static let partners: [(code: String, name: String, kind: String)] = [
        ("vaart-welzijn", "Vaart Welzijn", "welzijn"), ("stila", "Stichting Stila", "welzijn"), ("cosis", "Cosis", "zorg"),
        ("werkplein-drentsche-aa", "Werkplein Drentsche Aa", "werk en inkomen"), ("gkb", "Gemeentelijke Kredietbank", "schuldhulp"),
        ("buurtbemiddeling", "Buurtbemiddeling", "bemiddeling"), ("wijkverpleging", "Wijkverpleging (zorgorganisaties)", "zorg"),
        ("platform31", "Platform 31", "programma"), ("mijnbuurtje", "Mijnbuurtje.nl", "platform"),
    ]

    /// Projects the ledger books on: code, name, gemeente, partner.
    static let projects: [(code: String, name: String, gemeente: String?, partner: String?)] = [
        ("P-MBA", "Mijn Buurt Assen", "GM0106", "vaart-welzijn"), ("P-BIC", "Buurt Informatie Centra", "GM0106", "vaart-welzijn"),
        ("P-STILA", "Buurtinitiatieven Stila", "GM0106", "stila"), ("P-BBM", "Buurtbemiddeling", nil, "buurtbemiddeling"),
        ("P-VZW", "Pilot De Voorzieningenwijzer", nil, "werkplein-drentsche-aa"), ("P-BEL", "Beleefhuis", "GM0106", "wijkverpleging"),
        ("P-SHV", "Schoon, heel en veilig", nil, nil), ("P-WIJK", "Wijkvisies en uitvoeringsprogramma", nil, nil),
    ]

    /// The activities of the base year per gemeente, as the annual report lists them, with partners.
    static let activities: [(gemeente: String, title: String, kind: String, partners: [String])] = [
        ("GM0106", "Jubileumfeest Ekke Faberflat", "feest", []),
        ("GM0106", "Opening van het Beleefhuis voor ouderen", "opening", ["vaart-welzijn", "wijkverpleging"]),
        ("GM0106", "Burendag in de Lariks", "burendag", ["vaart-welzijn", "mijnbuurtje"]),
        ("GM0106", "Straatschildering Schilderswijk", "kunst", []),
        ("GM0106", "Opschoonactie Bremstraat", "opschoonactie", ["vaart-welzijn"]),
        ("GM0106", "Kennismakings-BBQ Diepstroeten", "ontmoeting", ["vaart-welzijn"]),
        ("GM0106", "Muurschildering van Tokkel in het centrum als onderdeel van een kunstroute", "kunst", []),
        ("GM0106", "Doe- en spelweek in de Molukse wijk", "ontmoeting", ["vaart-welzijn", "stila"]),
        ("GM0106", "Opschoondagen in de Oude Molenbuurt", "opschoonactie", []),
        ("GM0106", "Aanpassen en herinrichting voortuinen aan de Hofstukken", "fysiek", []),
        ("GM0106", "Opening buurt informatie centrum in Marsdijk", "opening", ["vaart-welzijn"]),
        ("GM0106", "Verschillende tentsessies met als doel kennismaking en informatie delen", "tentsessie", ["vaart-welzijn"]),
        ("GM1731", "Opening huiskamer in 't Beurtschip in Smilde", "opening", ["cosis"]),
        ("GM1731", "NLdoet: klussen en opknappen tuinen", "nldoet", []),
        ("GM1731", "Tentsessies voor ontmoeting en kennismaking", "tentsessie", []),
        ("GM0085", "Opruimdagen Haerenkwartier", "opschoonactie", []),
        ("GM0085", "Aanpassen tuin zorgcomplex Riemsoord Appelscha", "fysiek", ["cosis"]),
        ("GM0085", "Bijdrage opknappen buurthuis Ravenswoud", "bijdrage", []),
        ("GM0085", "NLdoet: hulp bij inschrijven woningzoekenden", "nldoet", []),
        ("GM1690", "Plaatsen bloembakken Ruinerwold", "fysiek", []),
        ("GM1690", "Pilot De Voorzieningenwijzer", "pilot", ["werkplein-drentsche-aa", "gkb"]),
        ("GM1701", "Bijdrage buurtbemiddeling", "bijdrage", ["buurtbemiddeling"]),
        ("GM1701", "Pilot De Voorzieningenwijzer", "pilot", ["werkplein-drentsche-aa", "gkb"]),
        ("GM1701", "Pilot gezamenlijk huisbezoek met Welzijnsorganisatie bij incassobezoeken", "pilot", ["vaart-welzijn"]),
        ("GM1699", "Pilot De Voorzieningenwijzer", "pilot", ["werkplein-drentsche-aa", "gkb"]),
        ("GM1699", "Aanpak diverse tuinen", "fysiek", []),
        ("GM0118", "Aanleg pleintje atrium Alteveerstraat", "fysiek", []),
    ]
}
