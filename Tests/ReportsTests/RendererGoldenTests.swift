import Foundation
import Ingest
@testable import Reports
import TestSupport
import Testing

/// The renderers' output for a fixed report, compared with committed files: a change in what
/// readers get is a reviewed diff. `UPDATE_GOLDEN=1 swift test --filter RendererGoldenTests`
/// writes them anew.
@Suite(.ownThread) struct RendererGoldenTests {
    static let folder = packageRoot().appendingPathComponent("Tests/ReportsTests/Golden")

    /// A spending table with cents, a total row, labels and explanations, a formula-shaped text.
    static func report() -> (ReportContext, ReportTable) {
        var table = ReportTable(
            columns: [
                .init(name: "gemeente", kind: .text, money: false, label: "Gemeente"),
                .init(name: "basis", kind: .decimal, money: true, label: "Basis", explanation: "Inzet basis: schoon, heel en veilig"),
                .init(name: "plus", kind: .decimal, money: true, label: "Plus"),
                .init(name: "uitgaven", kind: .decimal, money: true, label: "Uitgaven"),
                .init(name: "notitie", kind: .text, money: false, label: "Notitie"),
            ],
            rows: [
                ["Assen", "182395.18", "617604.82", "800000.00", "=HYPERLINK(\"http://x\";\"klik\")"],
                ["De Wolden", "53882.725", "4117.28", "58000.005", "-"],
                ["Totaal", "236277.905", "621722.10", "858000.005", nil],
            ])
        table.total = (0, "Totaal")
        for i in table.columns.indices where table.columns[i].money { table.columns[i].cents = true }
        var context = ReportContext(
            report: "uitgaven", title: "Uitgaven leefbaarheid per gemeente", description: "Uitgaven per gemeente in het jaar.",
            tenant: "Corporatie", year: 2019,
            chart: ReportDefinition.Chart(kind: "stacked", x: "gemeente", y: "basis,plus", color: nil, aggregate: nil),
            generatedAt: Date(timeIntervalSince1970: 1_575_158_400))
        context.sources = [
            .init(
                feed: "ledger", lastLoaded: Date(timeIntervalSince1970: 1_575_100_800),
                detail: (2, 1338, ["grootboek-2019.csv", "grootboek-2019-correctie.csv"])),
            .init(feed: "subsidies", lastLoaded: Date(timeIntervalSince1970: 1_575_110_000), detail: nil),
        ]
        return (context, table)
    }

    @Test(arguments: [ReportFormat.html, .csvNL, .md, .csv, .json])
    func rendererOutputIsAsCommitted(_ format: ReportFormat) throws {
        let (context, table) = Self.report()
        let output = format.render(context, table)
        let file = Self.folder.appendingPathComponent("uitgaven.\(format.fileExtension)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try output.write(to: file, atomically: true, encoding: .utf8)
        }
        // Bytes, not text: reading text would drop csv-nl's BOM.
        let golden = try Data(contentsOf: file)
        #expect(Data(output.utf8) == golden, "\(format.rawValue) differs from \(file.lastPathComponent): review, then UPDATE_GOLDEN=1")
    }

    /// A count chart says what it counts, not "rows"; a date keeps its hyphens on one line.
    @Test func aCountChartNamesWhatItCountsAndDatesDoNotWrap() {
        let table = ReportTable(
            columns: [.init(name: "gemeente", kind: .text, money: false, label: "Gemeente"), .init(name: "datum", kind: .date, money: false, label: "Datum")],
            rows: [["Assen", "2019-03-28"], ["Assen", "2019-05-14"], ["Westerveld", "2019-12-02"]])
        let chart = ReportDefinition.Chart(kind: "bar", x: "gemeente", y: "activiteiten", color: nil, aggregate: "count")
        #expect(SVGChart.caption(chart, table) == "Aantal activiteiten per gemeente")
        let context = ReportContext(
            report: "activiteiten", title: "Activiteiten", description: "", tenant: "Corporatie", year: 2019, chart: chart,
            generatedAt: Date(timeIntervalSince1970: 1_575_158_400))
        let html = ReportFormat.html.render(context, table)
        #expect(html.contains("<td class=\"d\">28-03-2019</td>"), "\(html)")
        #expect(html.contains("td.n,td.d{white-space:nowrap}"))
    }
}

/// The catalog's composed chapters: declared in a report file, checked when the catalog is read.
@Suite(.ownThread) struct ChapterCatalogTests {
    func catalog(_ files: [String: String]) throws -> ReportCatalog {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent("reports/\(name).sql")) }
        return try ReportCatalog(sql: SQLDirectory(path: dir.path))
    }

    static let query = "-- title: T\n-- audience: corporation\n-- parameters: year\nselect $1::integer as jaar\n"

    @Test func aChapterNamesReportsWithQueriesAndHasNoQueryOfItsOwn() throws {
        let good = try catalog(["a": Self.query, "h": "-- title: H\n-- audience: corporation\n-- chapter: a\n"])
        #expect(try good.report("h").isChapter && good.report("h").chapter == ["a"])
        #expect(try good.report("h").formats == [.html, .md, .table])
        #expect(throws: WarehouseError.self) { try catalog(["a": Self.query, "h": "-- title: H\n-- audience: corporation\n-- chapter: b\n"]) }
        do {
            _ = try catalog(["a": Self.query, "h": "-- title: H\n-- audience: corporation\n-- chapter: a\nselect 1\n"])
            Issue.record("a chapter with a query was accepted")
        } catch let error as WarehouseError {
            #expect(error.message.contains("h.sql: a composed chapter ('-- chapter:') has no query of its own"))
        }
        do {
            _ = try catalog(["a": Self.query, "h": "-- title: H\n-- audience: corporation\n-- chapter: a, h\n"])
            Issue.record("a chapter naming a chapter was accepted")
        } catch let error as WarehouseError {
            #expect(error.message.contains("the chapter names 'h', which is not a report with a query"))
        }
        #expect(throws: WarehouseError.self) { try catalog(["e": "-- title: E\n-- audience: corporation\n"]) }
    }

    /// Every table a report declares under `-- data:` is filled by a feed (so its page can name
    /// the loads), and every report with a query declares some.
    @Test func everyReportNamesTablesThatFeedsFill() throws {
        let catalog = try ReportCatalog(sql: SQLDirectory(path: packageRoot().appendingPathComponent("SQL").path))
        for report in catalog.reports where !report.isChapter {
            #expect(!report.data.isEmpty, "\(report.name) declares no -- data:")
            for table in report.data { #expect(catalog.feedsByTable[table] != nil, "\(report.name): no feed fills \(table)") }
        }
        #expect(try catalog.feeds(of: catalog.report("jaarverslag")).contains("ledger"))
    }
}
