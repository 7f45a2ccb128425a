import Foundation
import Ingest
import Warehouse

/// Writes every report each tenant may see, in every file format, one folder per tenant, with index pages.
public struct Exporter {
    public static let formats: [ReportFormat] = [.html, .csvNL, .csv, .json, .md]

    /// How a recipient's index names each format.
    static func label(_ format: ReportFormat) -> String {
        switch format {
        case .html: return "Bekijken"
        case .csvNL: return "Excel"
        case .csv: return "Data (CSV)"
        case .json: return "Data (JSON)"
        case .md: return "Tekst (Markdown)"
        case .table: return "Tekst"
        }
    }
    let runner: ReportRunner
    let catalog: ReportCatalog

    public init(runner: ReportRunner, catalog: ReportCatalog) {
        self.runner = runner
        self.catalog = catalog
    }

    /// A folder name for a tenant code: lowercase letters, digits, - and _ only.
    public static func folder(_ tenant: Tenant?) -> String {
        guard let tenant else { return "corporatie" }
        let safe = String(tenant.code.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" ? $0 : "-" })
        return (tenant.kind == .gemeente ? "" : "partner-") + safe
    }

    /// Exports for the given tenants (nil = the corporation). Returns the files written per folder.
    /// All reports come from one snapshot of the data; the files are written into a new folder
    /// beside `directory` that replaces it only when everything is written, so a failed or killed
    /// export leaves the previous one as it was.
    @discardableResult
    public func export(tenants: [Tenant?], year: Int, to directory: String, keepOthers: Bool = false) throws -> [String: [String]] {
        var folders: [String: String] = [:]
        for tenant in tenants {
            let folder = Exporter.folder(tenant)
            if let other = folders[folder] {
                throw WarehouseError(.invalidInput, "tenants \(other) and \(tenant?.code ?? "corporatie") would share the export folder \(folder): rename one (tenant codes must differ in more than case and punctuation)")
            }
            folders[folder] = tenant?.code ?? "corporatie"
        }
        let staging = try ExportFolder(replacing: directory)
        if keepOthers {
            // An export for some tenants keeps the other tenants' folders of the previous export.
            try staging.keep(except: Set(folders.keys).union(["index.html"]))
        }
        let written = try runner.snapshot { runner in
            try Exporter(runner: runner, catalog: catalog).write(tenants: tenants, year: year, to: staging.path)
        }
        try staging.commit()
        return written
    }

    private func write(tenants: [Tenant?], year: Int, to directory: String) throws -> [String: [String]] {
        let fm = FileManager.default
        var written: [String: [String]] = [:]
        var indexRows: [String] = []
        // Recipients by name, the corporation first.
        let ordered = tenants.sorted { a, b in
            guard let a else { return b != nil }
            guard let b else { return false }
            return a.name.localizedCaseInsensitiveCompare(b.name) == .orderedAscending
        }
        for tenant in ordered {
            let folder = Exporter.folder(tenant)
            let path = directory + "/" + folder
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            var files: [String] = []
            var links: [String] = []
            for report in catalog.reports where ReportRunner.allowed(report, for: tenant) {
                let (context, table) = try runner.run(report, tenant: tenant, year: year)
                var row = "<tr><td><strong>\(HTMLRenderer.escape(report.title))</strong>\(table.rows.isEmpty ? " <em>(geen gegevens voor \(HTMLRenderer.escape(tenant?.name ?? "de corporatie")) in \(year))</em>" : "")<br/><small>\(HTMLRenderer.escape(report.description))</small></td>"
                for format in Exporter.formats {
                    let file = "\(report.name).\(format.fileExtension)"
                    try format.render(context, table).write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
                    files.append(file)
                    row += "<td><a href=\"\(file)\">\(Exporter.label(format))</a></td>"
                }
                links.append(row + "</tr>")
            }
            if tenant == nil {
                try Jaarverslag.markdown(runner, catalog: catalog, year: year).write(toFile: path + "/jaarverslag.md", atomically: true, encoding: .utf8)
                try Jaarverslag.html(runner, catalog: catalog, year: year).write(toFile: path + "/jaarverslag.html", atomically: true, encoding: .utf8)
                files += ["jaarverslag.md", "jaarverslag.html"]
                links.append("<tr><td><strong>Jaarverslag: \(Jaarverslag.title)</strong><br/><small>Het hoofdstuk leefbaarheid van het jaarverslag, geschreven uit de cijfers</small></td><td><a href=\"jaarverslag.html\">Bekijken</a></td><td></td><td></td><td></td><td><a href=\"jaarverslag.md\">Tekst (Markdown)</a></td></tr>")
            }
            let name = tenant?.name ?? "Corporatie"
            let table = "<table><thead><tr><th>Rapport</th><th colspan=\"\(Exporter.formats.count)\">Openen als</th></tr></thead><tbody>\n" + links.joined(separator: "\n") + "\n</tbody></table>"
            try HTMLRenderer.page(title: "Rapportages \(year)", subtitle: name, body: table).write(toFile: path + "/index.html", atomically: true, encoding: .utf8)
            files.append("index.html")
            written[folder] = files
            let kind = tenant.map { $0.kind == .gemeente ? "gemeente" : "partner" } ?? "corporatie"
            indexRows.append("<tr><td><a href=\"\(folder)/index.html\">\(HTMLRenderer.escape(name))</a></td><td>\(kind)</td><td>\(links.count)</td></tr>")
        }
        let index = "<table><thead><tr><th>Ontvanger</th><th>Soort</th><th>Rapporten</th></tr></thead><tbody>\n" + indexRows.joined(separator: "\n") + "\n</tbody></table>"
            + "<p><small>Bekijken: de pagina met grafiek, om te lezen en te printen. Excel: een CSV-bestand dat Nederlandse Excel goed opent (puntkomma, decimale komma). Data: CSV en JSON voor programma's, met de kolomnamen uit de database.</small></p>"
        try HTMLRenderer.page(title: "Leefbaar rapportages \(year)", subtitle: "Per gemeente en partner", body: index).write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
        return written
    }
}
