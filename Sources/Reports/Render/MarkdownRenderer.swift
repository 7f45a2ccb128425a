import Foundation

/// Markdown: a heading, the description and a pipe table.
enum MarkdownRenderer {
    static func render(_ context: ReportContext, _ table: ReportTable) -> String {
        "# \(context.title)\n\n\(context.tenant) · \(context.year)\n\n\(context.description)\n\n" + tableText(table) + "\n" + sources(context.sourceLines)
    }

    /// The page's last lines: the loads the figures stand on.
    static func sources(_ lines: [String]) -> String {
        lines.isEmpty ? "" : "Bronnen:\n\n" + lines.map { "- " + $0 }.joined(separator: "\n") + "\n"
    }

    static func tableText(_ table: ReportTable) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "| " + table.columns.map { cell($0.heading) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for (index, row) in table.rows.enumerated() {
            let total = table.isTotal(index)
            out +=
                "| "
                + zip(row, table.columns).map { v, c in
                    let text = cell(DisplayValue.text(v, c))
                    return total && !text.isEmpty ? "**\(text)**" : text
                }.joined(separator: " | ") + " |\n"
        }
        let explained = table.columns.filter { $0.explanation != nil }
        if !explained.isEmpty {
            out += "\n" + explained.map { "- **\(cell($0.heading))**: \($0.explanation ?? "")" }.joined(separator: "\n") + "\n"
        }
        return out
    }
}
