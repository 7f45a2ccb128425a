import Foundation

/// The formats a report comes in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, csv
    case csvNL = "csv-nl"
    case json, md, html

    /// The file extension in exports.
    public var fileExtension: String {
        switch self {
        case .table: return "txt"
        case .csv: return "csv"
        case .csvNL: return "nl.csv"
        case .json: return "json"
        case .md: return "md"
        case .html: return "html"
        }
    }

    /// Renders a report result.
    public func render(_ context: ReportContext, _ table: ReportTable) -> String {
        switch self {
        case .table: return TextRenderer.render(context, table)
        case .csv: return CSVRenderer.render(table, dutch: false)
        case .csvNL: return CSVRenderer.render(table, dutch: true)
        case .json: return JSONRenderer.render(context, table)
        case .md: return MarkdownRenderer.render(context, table)
        case .html:
            return HTMLRenderer.page(
                title: context.title, subtitle: HTMLRenderer.subtitle(context), body: HTMLRenderer.section(context, table),
                generated: context.generatedAt, sources: context.sourceLines)
        }
    }
}
