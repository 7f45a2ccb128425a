import Foundation
import Warehouse

/// Writes every report each tenant may see, in every file format, one folder per tenant, with index pages.
public struct Exporter {
    public static let formats: [ReportFormat] = [.html, .csv, .csvNL, .json, .md]
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
    public func export(tenants: [Tenant?], year: Int, to directory: String) throws -> [String: [String]] {
        var folders: [String: String] = [:]
        for tenant in tenants {
            let folder = Exporter.folder(tenant)
            if let other = folders[folder] {
                throw WarehouseError(.invalidInput, "tenants \(other) and \(tenant?.code ?? "corporatie") would share the export folder \(folder): rename one (tenant codes must differ in more than case and punctuation)")
            }
            folders[folder] = tenant?.code ?? "corporatie"
        }
        let staging = try ExportFolder(replacing: directory)
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
        for tenant in tenants {
            let folder = Exporter.folder(tenant)
            let path = directory + "/" + folder
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            var files: [String] = []
            var links: [String] = []
            for report in catalog.reports where ReportRunner.allowed(report, for: tenant) {
                let (context, table) = try runner.run(report, tenant: tenant, year: year)
                var row = "<tr><td>\(HTMLRenderer.escape(report.title))\(table.rows.isEmpty ? " <em>(geen gegevens voor \(HTMLRenderer.escape(tenant?.name ?? "de corporatie")) in \(year))</em>" : "")</td>"
                for format in Exporter.formats {
                    let file = "\(report.name).\(format.fileExtension)"
                    try format.render(context, table).write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
                    files.append(file)
                    row += "<td><a href=\"\(file)\">\(format.rawValue)</a></td>"
                }
                links.append(row + "</tr>")
            }
            if tenant == nil {
                try Jaarverslag.markdown(runner, catalog: catalog, year: year).write(toFile: path + "/jaarverslag.md", atomically: true, encoding: .utf8)
                try Jaarverslag.html(runner, catalog: catalog, year: year).write(toFile: path + "/jaarverslag.html", atomically: true, encoding: .utf8)
                files += ["jaarverslag.md", "jaarverslag.html"]
                links.append("<tr><td>Jaarverslag: \(Jaarverslag.title)</td><td><a href=\"jaarverslag.html\">html</a></td><td></td><td></td><td></td><td><a href=\"jaarverslag.md\">md</a></td></tr>")
            }
            let name = tenant?.name ?? "Corporatie"
            let table = "<table><thead><tr><th>Rapport</th>" + Exporter.formats.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr></thead><tbody>\n" + links.joined(separator: "\n") + "\n</tbody></table>"
            try HTMLRenderer.page(title: "Rapportages \(year)", subtitle: name, body: table).write(toFile: path + "/index.html", atomically: true, encoding: .utf8)
            files.append("index.html")
            written[folder] = files
            indexRows.append("<tr><td><a href=\"\(folder)/index.html\">\(HTMLRenderer.escape(name))</a></td><td>\(tenant?.kind.rawValue ?? "corporatie")</td><td>\(links.count)</td></tr>")
        }
        let index = "<table><thead><tr><th>Ontvanger</th><th>Soort</th><th>Rapporten</th></tr></thead><tbody>\n" + indexRows.joined(separator: "\n") + "\n</tbody></table>"
        try HTMLRenderer.page(title: "Leefbaar rapportages \(year)", subtitle: "Per gemeente en partner", body: index).write(toFile: directory + "/index.html", atomically: true, encoding: .utf8)
        return written
    }
}
