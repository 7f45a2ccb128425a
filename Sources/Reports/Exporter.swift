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
    /// export leaves the previous one as it was. `keepOthers` keeps the previous export's folders
    /// of other tenants (the index lists every current tenant with a folder); with `clean` it
    /// keeps only those of tenants that still exist. Without `keepOthers` the export holds exactly
    /// the given tenants.
    @discardableResult
    public func export(tenants: [Tenant?], year: Int, to directory: String, keepOthers: Bool = false, clean: Bool = false) throws -> [String: [String]] {
        var folders: [String: String] = [:]
        for tenant in tenants {
            let folder = Exporter.folder(tenant)
            if let other = folders[folder] {
                throw WarehouseError(
                    .invalidInput,
                    "tenants \(other) and \(tenant?.code ?? "corporatie") would share the export folder \(folder): rename one (tenant codes must differ in more than case and punctuation)"
                )
            }
            folders[folder] = tenant?.code ?? "corporatie"
        }
        let staging = try ExportFolder(replacing: directory)
        var listed = tenants
        if keepOthers {
            // An export for some tenants keeps the other tenants' folders of the previous export.
            let current: [Tenant?] = [nil] + (try TenantRegistry(connection: runner.connection).list()).map { $0 }
            let currentFolders = Set(current.map(Exporter.folder))
            try staging.keep { folders[$0] == nil && $0 != "index.html" && (!clean || currentFolders.contains($0)) }
            let present = Set((try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? [])
            listed = current.filter { folders[Exporter.folder($0)] != nil || present.contains(Exporter.folder($0)) }
        }
        let written = try runner.snapshot { runner in
            try Exporter(runner: runner, catalog: catalog).write(tenants: tenants, listed: listed, year: year, to: staging.path)
        }
        try staging.commit()
        return written
    }

    /// Recipients by name, the corporation first.
    static func byName(_ tenants: [Tenant?]) -> [Tenant?] {
        tenants.sorted { a, b in
            guard let a else { return b != nil }
            guard let b else { return false }
            return a.name.localizedCaseInsensitiveCompare(b.name) == .orderedAscending
        }
    }

    private func write(tenants: [Tenant?], listed: [Tenant?], year: Int, to directory: String) throws -> [String: [String]] {
        let fm = FileManager.default
        var written: [String: [String]] = [:]
        for tenant in Exporter.byName(tenants) {
            let folder = Exporter.folder(tenant)
            let path = directory + "/" + folder
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            var files: [String] = []
            var links: [String] = []
            for report in catalog.reports where ReportRunner.allowed(report, for: tenant) {
                var cells = ""
                var empty = false
                for format in Exporter.formats {
                    guard report.formats.contains(format) else {
                        cells += "<td></td>"
                        continue
                    }
                    let file = "\(report.name).\(format.fileExtension)"
                    let rendered = try runner.render(report, tenant: tenant, year: year, format: format)
                    try rendered.text.write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
                    empty = rendered.isEmpty
                    files.append(file)
                    cells += "<td><a href=\"\(file)\">\(Exporter.label(format))</a></td>"
                }
                links.append(
                    "<tr><td><strong>\(HTMLRenderer.escape(report.title))</strong>\(empty ? " <em>(geen gegevens voor \(HTMLRenderer.escape(tenant?.name ?? "de corporatie")) in \(year))</em>" : "")<br/><small>\(HTMLRenderer.escape(report.description))</small></td>"
                        + cells + "</tr>")
            }
            let name = tenant?.name ?? "Corporatie"
            let table =
                "<table><thead><tr><th>Rapport</th><th colspan=\"\(Exporter.formats.count)\">Openen als</th></tr></thead><tbody>\n"
                + links.joined(separator: "\n") + "\n</tbody></table>"
            try HTMLRenderer.page(title: "Rapportages \(year)", subtitle: name, body: table).write(
                toFile: path + "/index.html", atomically: true, encoding: .utf8)
            files.append("index.html")
            written[folder] = files
        }
        let indexRows = Exporter.byName(listed).map { tenant in
            let kind = tenant.map { $0.kind == .gemeente ? "gemeente" : "partner" } ?? "corporatie"
            let count = catalog.reports.filter { ReportRunner.allowed($0, for: tenant) }.count
            return
                "<tr><td><a href=\"\(Exporter.folder(tenant))/index.html\">\(HTMLRenderer.escape(tenant?.name ?? "Corporatie"))</a></td><td>\(kind)</td><td>\(count)</td></tr>"
        }
        let index =
            "<table><thead><tr><th>Ontvanger</th><th>Soort</th><th>Rapporten</th></tr></thead><tbody>\n" + indexRows.joined(separator: "\n")
            + "\n</tbody></table>"
            + "<p><small>Bekijken: de pagina met grafiek, om te lezen en te printen. Excel: een CSV-bestand dat Nederlandse Excel goed opent (puntkomma, decimale komma). Data: CSV en JSON voor programma's, met de kolomnamen uit de database.</small></p>"
        try HTMLRenderer.page(title: "Leefbaar rapportages \(year)", subtitle: "Per gemeente en partner", body: index).write(
            toFile: directory + "/index.html", atomically: true, encoding: .utf8)
        return written
    }
}
