import Foundation
import Ingest
import Postgres
import Warehouse

/// Runs reports as a tenant: in a READ ONLY transaction under the tenant's role, so row-level
/// security, not the report's WHERE, decides what the tenant sees.
public struct ReportRunner {
    let connection: Connection
    let catalog: ReportCatalog
    /// Set inside `snapshot`: reports run in that one transaction, switching roles per tenant.
    private var inSnapshot = false

    public init(connection: Connection, catalog: ReportCatalog) {
        self.connection = connection
        self.catalog = catalog
    }

    /// The tenant for `code` (`corporation`, a CBS code or a partner code); nil for the corporation.
    public func tenant(_ code: String?) throws -> Tenant? {
        guard let code, !code.isEmpty, code.lowercased() != "corporation", code.lowercased() != "corporatie" else { return nil }
        let registry = TenantRegistry(connection: connection)
        guard let tenant = try registry.find(code) else {
            let known = ["corporatie"] + (try registry.list()).map(\.code)
            throw WarehouseError(.unknownName, "no tenant '\(code)'.\(Suggestion.phrase(code, in: known)) See leefbaar-etl tenant list")
        }
        return tenant
    }

    /// The latest year with spending loaded (a ledger or another spending feed), nil when none.
    public func latestLoadedYear() throws -> Int? {
        try connection.scalar("select max(year) from rpt.spending_summary", as: Int.self)
    }

    /// Refuses a year without loaded spending (the report would speak of € 0), naming the latest
    /// loaded year, unless `allowEmpty`.
    public func requireLoaded(year: Int, allowEmpty: Bool) throws {
        guard !allowEmpty, try connection.scalar("select count(*) from rpt.spending_summary where year = $1", [year], as: Int.self) == 0 else { return }
        let latest = try latestLoadedYear()
        throw WarehouseError(
            .invalidInput,
            "no spending is loaded for \(year)\(latest.map { "; the latest year loaded is \($0)" } ?? "; nothing is loaded yet"). Pass --allow-empty to report on \(year) anyway"
        )
    }

    /// Whether a tenant may receive a report.
    public static func allowed(_ report: ReportDefinition, for tenant: Tenant?) -> Bool {
        switch tenant?.kind {
        case nil: return report.audiences.contains(.corporation)
        case .gemeente?: return report.audiences.contains(.gemeente)
        case .partner?: return report.audiences.contains(.partner)
        }
    }

    /// Refuses a report whose audience does not include the tenant's kind.
    static func requireAllowed(_ report: ReportDefinition, for tenant: Tenant?) throws {
        guard allowed(report, for: tenant) else {
            throw WarehouseError(
                .invalidInput,
                "report \(report.name) is for \(report.audiences.map(\.rawValue).sorted().joined(separator: ", ")), not for \(tenant.map { "\($0.kind.rawValue) \($0.code)" } ?? "the corporation")"
            )
        }
    }

    /// Runs one report (a query) for a tenant and year; the figures and the loads they stand on
    /// come from one snapshot.
    public func run(_ report: ReportDefinition, tenant: Tenant?, year: Int) throws -> (ReportContext, ReportTable) {
        guard inSnapshot else { return try snapshot { try $0.run(report, tenant: tenant, year: year) } }
        try ReportRunner.requireAllowed(report, for: tenant)
        let table = try asTenant(tenant) { try query(report, year: year) }
        var context = ReportContext(
            report: report.name, title: report.title, description: report.description,
            tenant: tenant?.name ?? "Corporatie", year: year, chart: report.chart, generatedAt: Date())
        context.sources = try sources(of: report, for: tenant)
        return (context, table)
    }

    /// One catalog entry for a tenant and year in a format: a query's table rendered, or a
    /// composed chapter's text. `isEmpty` when a query found no rows.
    public func render(_ report: ReportDefinition, tenant: Tenant?, year: Int, format: ReportFormat) throws -> (text: String, isEmpty: Bool) {
        guard report.formats.contains(format) else {
            throw WarehouseError(
                .invalidInput, "report \(report.name) comes as \(report.formats.map(\.rawValue).joined(separator: ", ")), not \(format.rawValue)")
        }
        guard report.isChapter else {
            let (context, table) = try run(report, tenant: tenant, year: year)
            return (format.render(context, table), table.rows.isEmpty)
        }
        try ReportRunner.requireAllowed(report, for: tenant)
        let text = format == .html ? try Jaarverslag.html(self, chapter: report, year: year) : try Jaarverslag.markdown(self, chapter: report, year: year)
        return (text, false)
    }

    /// The loads a report stands on, per feed: batches whose rows are (partly) in the warehouse.
    /// Read as the connecting user (tenant roles cannot read `etl`); counts and file names only
    /// for the corporation.
    public func sources(of report: ReportDefinition, for tenant: Tenant?) throws -> [ReportContext.Source] {
        let feeds = catalog.feeds(of: report)
        guard !feeds.isEmpty else { return [] }
        let rows = try asTenant(nil) {
            try connection.execute(
                """
                select feed, count(*)::int, sum(rows_loaded - rows_replaced)::int8, max(finished_at),
                       array_to_string(array_agg(file_name order by batch_id), chr(10))
                from etl.batch
                where feed = any ($1::text[]) and status in ('loaded', 'partly replaced')
                group by feed order by feed
                """, ["{" + feeds.joined(separator: ",") + "}"])
        }
        return try rows.map { row in
            let files: String = try row.decode(4)
            let names = files.split(separator: "\n").map { String($0.split(separator: "/").last ?? $0) }
            return ReportContext.Source(
                feed: try row.decode(0), lastLoaded: try row.decode(3),
                detail: tenant == nil ? (try row.decode(1), Int(try row.decode(2, as: Int64.self)), names) : nil)
        }
    }

    /// Runs `body` in a READ ONLY transaction as the tenant's role (as the connecting user for the corporation).
    public func asTenant<T>(_ tenant: Tenant?, _ body: () throws -> T) throws -> T {
        if inSnapshot {
            try connection.execute(tenant.map { "set local role \(try connection.escapeIdentifier($0.roleName))" } ?? "set local role none")
            return try body()
        }
        return try connection.withTransaction(readOnly: true) {
            if let tenant { try connection.execute("set local role \(try connection.escapeIdentifier(tenant.roleName))") }
            return try body()
        }
    }

    /// Runs `body` (many reports, for many tenants) in one REPEATABLE READ, READ ONLY transaction:
    /// every report sees the same data, even while a load commits.
    public func snapshot<T>(_ body: (ReportRunner) throws -> T) throws -> T {
        var inner = self
        inner.inSnapshot = true
        return try connection.withTransaction(readOnly: true, repeatableRead: true) { try body(inner) }
    }

    func query(_ report: ReportDefinition, year: Int) throws -> ReportTable {
        let parameters: [(any PostgresEncodable)?] = report.parameters.map { p in p == "year" ? year : nil }
        let result = try connection.execute(report.sql, parameters)
        let types = result.columnTypes
        let columns = result.columnNames.enumerated().map { i, name in
            ReportTable.Column(
                name: name, kind: ReportTable.kind(oid: types[i]), money: report.money.contains(name),
                label: report.labels[name]?.label, explanation: report.labels[name]?.explanation)
        }
        let rows = result.map { row in (0..<columns.count).map { row[$0] } }
        var table = ReportTable(columns: columns, rows: rows)
        if let total = report.total, let i = columns.firstIndex(where: { $0.name == total.column }) { table.total = (i, total.value) }
        // One way for the whole report: cents everywhere when any amount has them, else whole euros.
        let cents = table.columns.contains { $0.money && DutchNumber.hasCents(table.values($0.name)) }
        for i in table.columns.indices where table.columns[i].money { table.columns[i].cents = cents }
        return table
    }
}
