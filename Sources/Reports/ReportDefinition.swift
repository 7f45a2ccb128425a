import Foundation
import Ingest
import Warehouse

/// One report of the catalog: `SQL/reports/<name>.sql`, its header comment and its query.
public struct ReportDefinition: Sendable {
    /// Who may receive a report.
    public enum Audience: String, Sendable, CaseIterable { case corporation, gemeente, partner }

    /// How to chart the result.
    public struct Chart: Sendable, Equatable {
        /// `bar`, `ranked` (sorted bars coloured by a column), `stacked` (y lists several columns) or `line`.
        public var kind: String
        public var x: String
        public var y: String
        public var color: String?
        /// `count`: chart the number of rows per x instead of a column's values; y then says what
        /// a row is, in the plural ("activiteiten": the caption reads "Aantal activiteiten per …").
        public var aggregate: String?
    }

    public var name: String
    public var title: String
    public var description: String
    public var parameters: [String]
    public var audiences: Set<Audience>
    /// Columns holding euro amounts.
    public var money: Set<String>
    public var chart: Chart?
    /// Dutch column labels for people (`-- label: afw_werkgebied = Afwijking van het werkgebied (sd) | uitleg`).
    public var labels: [String: ColumnLabel] = [:]
    /// The total row, declared (`-- total: gemeente=Totaal`): renderers style it, data formats mark it.
    public var total: (column: String, value: String)?
    /// The tables the figures come from (`-- data: core.spending, core.housing_unit`): the page
    /// ends with the loads of the feeds that fill them.
    public var data: [String] = []
    /// A composed chapter (`-- chapter: uitgaven, focus, …`): no query of its own; its text is
    /// written from these reports. Empty for a report with a query.
    public var chapter: [String] = []
    public var sql: String

    /// Whether this entry is a composed chapter rather than a query.
    public var isChapter: Bool { !chapter.isEmpty }

    /// The formats this entry comes in: a chapter is text (Markdown, HTML; `table` prints the
    /// Markdown), a query comes in every format.
    public var formats: [ReportFormat] { isChapter ? [.html, .md, .table] : ReportFormat.allCases }

    /// A column's label and, where useful, a one-line explanation (shown as a legend under the table).
    public struct ColumnLabel: Sendable, Equatable {
        public var label: String
        public var explanation: String?
    }

    /// Parses a report file: `-- key: value` lines at the top, then the query.
    public static func parse(name: String, text: String, path: String) throws -> ReportDefinition {
        var header: [String: String] = [:]
        var labels: [String: ColumnLabel] = [:]
        var body: [Substring] = []
        var inHeader = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if inHeader, line.hasPrefix("--") {
                let content = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                if let colon = content.firstIndex(of: ":") {
                    let key = content[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                    let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    if key == "label" {
                        guard let eq = value.firstIndex(of: "=") else {
                            throw WarehouseError(.invalidInput, "\(path): a label line is 'COLUMN = Label | explanation'")
                        }
                        let text = value[value.index(after: eq)...].split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                        labels[value[..<eq].trimmingCharacters(in: .whitespaces)] = ColumnLabel(
                            label: text.first ?? "", explanation: text.count > 1 ? text[1] : nil)
                    } else {
                        header[key] = value
                    }
                }
                continue
            }
            inHeader = false
            body.append(line)
        }
        func list(_ key: String) -> [String] {
            (header[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let title = header["title"] else { throw WarehouseError(.invalidInput, "\(path): report header lacks '-- title:'") }
        var audiences = Set<Audience>()
        for a in list("audience") {
            guard let audience = Audience(rawValue: a) else { throw WarehouseError(.invalidInput, "\(path): unknown audience \(a)") }
            audiences.insert(audience)
        }
        guard !audiences.isEmpty else { throw WarehouseError(.invalidInput, "\(path): report header lacks '-- audience:'") }
        // Only the year is bound; any other parameter would silently be NULL.
        for parameter in list("parameters") where parameter != "year" {
            throw WarehouseError(.invalidInput, "\(path): unknown report parameter '\(parameter)' (reports take year only)")
        }
        var chart: Chart?
        if let hint = header["chart"] {
            let parts = hint.split(separator: " ")
            var options: [String: String] = [:]
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { options[String(kv[0])] = String(kv[1]) }
            }
            guard let kind = parts.first.map(String.init), ["bar", "ranked", "line", "stacked"].contains(kind), let x = options["x"], let y = options["y"]
            else {
                throw WarehouseError(.invalidInput, "\(path): chart hint must be 'bar|ranked|line|stacked x=COLUMN y=COLUMN[,COLUMN...] [color=COLUMN]'")
            }
            chart = Chart(kind: kind, x: x, y: y, color: options["color"], aggregate: options["aggregate"])
        }
        var total: (column: String, value: String)?
        if let t = header["total"] {
            let kv = t.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { throw WarehouseError(.invalidInput, "\(path): a total line is 'COLUMN=VALUE', e.g. gemeente=Totaal") }
            total = (kv[0], kv[1])
        }
        let sql = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let chapter = list("chapter")
        guard chapter.isEmpty == !sql.isEmpty else {
            throw WarehouseError(
                .invalidInput,
                chapter.isEmpty
                    ? "\(path): no query after the header (a composed chapter declares '-- chapter: REPORT, …')"
                    : "\(path): a composed chapter ('-- chapter:') has no query of its own")
        }
        return ReportDefinition(
            name: name, title: title, description: header["description"] ?? "", parameters: list("parameters"),
            audiences: audiences, money: Set(list("money")), chart: chart, labels: labels, total: total,
            data: list("data"), chapter: chapter, sql: sql)
    }
}

/// The reports in `SQL/reports`: queries and composed chapters.
public struct ReportCatalog: Sendable {
    public let reports: [ReportDefinition]
    /// The feeds that fill each table (from the specs in `SQL/feeds`).
    public let feedsByTable: [String: [String]]

    /// Reads every `SQL/reports/*.sql`.
    public init(sql: SQLDirectory) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: sql.reports)) ?? []).filter { $0.hasSuffix(".sql") }.sorted()
        reports = try names.map { file in
            let path = sql.reports + "/" + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw WarehouseError(.missingFile, "cannot read \(path)")
            }
            return try ReportDefinition.parse(name: String(file.dropLast(4)), text: text, path: path)
        }
        var feeds: [String: [String]] = [:]
        for spec in try FeedSpec.all(in: sql) { feeds[spec.target, default: []].append(spec.name) }
        feedsByTable = feeds
        let queries = Set(reports.filter { !$0.isChapter }.map(\.name))
        for report in reports {
            for part in report.chapter where !queries.contains(part) {
                throw WarehouseError(.invalidInput, "\(sql.reports)/\(report.name).sql: the chapter names '\(part)', which is not a report with a query")
            }
        }
    }

    /// The feeds a report's figures stand on: those filling its `-- data:` tables (a chapter: its reports').
    public func feeds(of report: ReportDefinition) -> [String] {
        let tables = report.data + report.chapter.flatMap { name in reports.first { $0.name == name }?.data ?? [] }
        return Array(Set(tables.flatMap { feedsByTable[$0] ?? [] })).sorted()
    }

    /// The report called `name`, or an error listing the known ones.
    public func report(_ name: String) throws -> ReportDefinition {
        guard let r = reports.first(where: { $0.name == name }) else {
            let known = reports.map(\.name).sorted()
            throw WarehouseError(.unknownName, "no report '\(name)'.\(Suggestion.phrase(name, in: known)) Known: \(known.joined(separator: ", "))")
        }
        return r
    }
}
