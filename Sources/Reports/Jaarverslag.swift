import Foundation
import Ingest
import Warehouse

/// The livability chapter of the annual report for a year, written from the warehouse's figures:
/// the writer of the catalog's composed chapters (`-- chapter:` in `SQL/reports/jaarverslag.sql`).
enum Jaarverslag {
    /// The chapter's heading, as in the annual report.
    static let title = "Leefbaarheid"
    /// The reports the text is written from; a chapter entry must name them all.
    static let needs = ["uitgaven", "focus", "initiatieven", "activiteiten", "langer-thuis"]

    /// A paragraph of text or a report's table.
    enum Block {
        case heading(String)
        case text(String)
        case list([String])
        case table(ReportContext, ReportTable)
    }

    /// Builds the chapter (corporation only: it covers every gemeente).
    static func build(_ runner: ReportRunner, chapter: ReportDefinition, year: Int) throws -> [Block] {
        if let missing = needs.first(where: { !chapter.chapter.contains($0) }) {
            throw WarehouseError(
                .invalidInput, "report \(chapter.name): the chapter is written from \(needs.joined(separator: ", ")); its '-- chapter:' line lacks \(missing)")
        }
        func run(_ name: String) throws -> (ReportContext, ReportTable) { try runner.run(try runner.catalog.report(name), tenant: nil, year: year) }
        var blocks: [Block] = [.heading("\(year): leefbaarheidsprogramma")]
        let spending = try run("uitgaven")
        let total = spending.1.rows.last.flatMap { $0.last ?? nil } ?? "0"
        blocks.append(
            .text(
                "Wij zetten in op leefbaarheid daar waar dat het meest nodig is. De basis zijn de scores uit de Leefbaarometer, die wij koppelen aan onze eigen woningvoorraad; ons eigen werkgebied is de maatstaf. In \(year) gaven we in totaal \(DutchNumber.euro(total, cents: DutchNumber.hasCents([total]))) uit aan leefbaarheid."
            ))
        blocks.append(.table(spending.0, spending.1))
        let focus = try run("focus").1
        let focusNames = focus.rows.filter { $0.last == "ja" }.compactMap { $0.first ?? nil }
        if !focusNames.isEmpty {
            blocks.append(
                .text(
                    "In \(year) richtten we ons vooral op de gemeenten waar we beneden-gemiddeld scoorden op aan ons woningbezit gerelateerde dimensies: \(sentence(focusNames))."
                ))
        }
        let initiatives = try run("initiatieven").1
        let perYear = initiatives.rows.compactMap { r -> (Int, Int)? in
            guard let y = r[0].flatMap({ Int($0) }), let n = r[1].flatMap({ Int($0) }) else { return nil }
            return (y, n)
        }
        if let first = perYear.first?.0, let thisYear = perYear.first(where: { $0.0 == year })?.1 {
            let totalInitiatives = perYear.map(\.1).reduce(0, +)
            let average = totalInitiatives / max(perYear.count, 1)
            blocks.append(.heading("Buurtinitiatieven"))
            blocks.append(
                .text(
                    "Sinds \(first) dienden bewoners \(DutchNumber.roughly(totalInitiatives)) initiatieven in, gemiddeld \(DutchNumber.roughly(average, unit: 10)) per jaar. In \(year) werden \(DutchNumber.roughly(thisYear)) initiatieven ingediend."
                ))
        }
        let activities = try run("activiteiten").1
        if !activities.rows.isEmpty {
            blocks.append(.heading("Activiteiten leefbaarheid"))
            var byGemeente: [(String, [String])] = []
            for r in activities.rows {
                let g = r[0] ?? ""
                let title = r[3] ?? ""
                if let i = byGemeente.firstIndex(where: { $0.0 == g }) { byGemeente[i].1.append(title) } else { byGemeente.append((g, [title])) }
            }
            for (g, titles) in byGemeente {
                blocks.append(.text("**\(g)**"))
                blocks.append(.list(titles))
            }
        }
        let (thuisContext, thuis) = try run("langer-thuis")
        blocks.append(.heading("Langer zelfstandig thuis"))
        for sentence in try visitorSentences(runner, year: year) { blocks.append(.text(sentence)) }
        if let cost = thuis.rows.first(where: { $0[1] == "Totaal" }).flatMap({ $0[3] }), let euros = Double(cost) {
            let rounded = Int(euros) / 1000 * 1000
            blocks.append(
                .text(
                    "In \(year) gaven we ruim \(DutchNumber.euro(String(rounded), cents: false)) uit aan kleine aanpassingen in woningen (Langer Zelfstandig Thuis-pakket)."
                ))
        }
        blocks.append(.table(thuisContext.with(title: "Aanpassingen en bezoekers"), thuis))
        return blocks
    }

    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]

    /// Sentences about visitor locations from the data: a location whose first visit falls in the
    /// year opened that year ("In oktober 2019 openden we het Beleefhuis"); otherwise only its
    /// visitors of the season (October of the year to February of the next) are told.
    static func visitorSentences(_ runner: ReportRunner, year: Int) throws -> [String] {
        let rows = try runner.asTenant(nil) {
            try runner.connection.execute(
                """
                select location, min(visit_date)::text, max(visit_date) filter (where in_season)::text, sum(visitors) filter (where in_season)
                from (select *, visit_date >= make_date($1::int, 10, 1) and visit_date < make_date($1::int + 1, 3, 1) as in_season
                      from core.visit) v
                group by location having bool_or(in_season) order by location
                """, [year])
        }
        return try rows.compactMap { row in
            let location: String = try row.decode(0)
            let first: String = try row.decode(1)
            let last: String = try row.decode(2)
            let visitors: Int = try row.decode(3)
            func month(_ iso: String) -> String { months[(Int(iso.dropFirst(5).prefix(2)) ?? 1) - 1] }
            let lastMonth = month(last) + (last.hasPrefix(String(year)) ? "" : " \(year + 1)")
            if first.hasPrefix(String(year)) {
                return "In \(month(first)) \(year) openden we het \(location). Tot en met \(lastMonth) kwamen er \(DutchNumber.roughly(visitors)) bezoekers."
            }
            return "Het \(location) ontving van oktober \(year) tot en met \(lastMonth) \(DutchNumber.roughly(visitors)) bezoekers."
        }
    }

    static func sentence(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " en " + (items.last ?? "")
    }

    /// Markdown.
    static func markdown(_ runner: ReportRunner, chapter: ReportDefinition, year: Int) throws -> String {
        var out = "# \(title) \(year)\n\n"
        for block in try build(runner, chapter: chapter, year: year) {
            switch block {
            case .heading(let h): out += "## \(h)\n\n"
            case .text(let t): out += t + "\n\n"
            case .list(let items): out += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            case .table(let c, let t): out += "### \(c.title)\n\n" + MarkdownRenderer.tableText(t) + "\n"
            }
        }
        return out + MarkdownRenderer.sources(try chapterSources(runner, chapter: chapter))
    }

    /// A self-contained HTML page.
    static func html(_ runner: ReportRunner, chapter: ReportDefinition, year: Int) throws -> String {
        var body = ""
        for block in try build(runner, chapter: chapter, year: year) {
            switch block {
            case .heading(let h): body += "<h2>\(HTMLRenderer.escape(h))</h2>\n"
            case .text(let t):
                let escaped = HTMLRenderer.escape(t)
                body += t.hasPrefix("**") ? "<h3>\(escaped.replacingOccurrences(of: "**", with: ""))</h3>\n" : "<p>\(escaped)</p>\n"
            case .list(let items): body += "<ul>" + items.map { "<li>\(HTMLRenderer.escape($0))</li>" }.joined() + "</ul>\n"
            case .table(let c, let t): body += "<h3>\(HTMLRenderer.escape(c.title))</h3>\n" + HTMLRenderer.section(c.with(description: ""), t) + "\n"
            }
        }
        let sources = try chapterSources(runner, chapter: chapter)
        return HTMLRenderer.page(title: "\(title) \(year)", subtitle: "Hoofdstuk jaarverslag · Corporatie", body: body, sources: sources)
    }

    /// The loads the chapter's figures stand on, as the page's last lines.
    static func chapterSources(_ runner: ReportRunner, chapter: ReportDefinition) throws -> [String] {
        var context = ReportContext(report: chapter.name, title: chapter.title, description: "", tenant: "Corporatie", year: 0, chart: nil, generatedAt: Date())
        context.sources = try runner.sources(of: chapter, for: nil)
        return context.sourceLines
    }
}

extension ReportContext {
    func with(title: String? = nil, description: String? = nil) -> ReportContext {
        var c = self
        if let title { c.title = title }
        if let description { c.description = description }
        return c
    }
}
