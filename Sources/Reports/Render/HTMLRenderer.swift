import Foundation

/// Self-contained HTML pages: inline CSS (with A4 print rules) and inline SVG charts, no scripts.
enum HTMLRenderer {
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func subtitle(_ context: ReportContext) -> String { "\(context.tenant) · \(context.year)" }

    static let style = """
        body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;color:#1d2733;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.45}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}.sub{color:#5b6675;margin-top:0}
        table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.92rem}th,td{padding:.3rem .6rem;border-bottom:1px solid #d9dee5;text-align:left}
        th{background:#eef2f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n,td.d{white-space:nowrap}tr.total td{font-weight:600;border-top:2px solid #1d2733}
        svg{max-width:100%;height:auto}.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
        footer{color:#5b6675;font-size:.8rem;margin-top:2rem}.scroll{overflow-x:auto}.sources{margin:0 0 .6rem}
        .wide table{font-size:.84rem}.wide th,.wide td{padding:.3rem .45rem}
        @media screen and (min-width:64rem){.scroll.wide{width:calc(100vw - 3rem);max-width:110rem;position:relative;left:50%;transform:translateX(-50%)}}
        figure.chart{margin:1rem 0}figcaption{font-weight:600;color:#1d2733;margin-bottom:.3rem}
        dl.legend-columns{font-size:.82rem;color:#3d4754;display:grid;grid-template-columns:max-content auto;gap:.1rem .8rem}dl.legend-columns dt{font-weight:600}dl.legend-columns dd{margin:0}
        @page{size:A4;margin:12mm}@page wide{size:A4 landscape;margin:10mm}.wide{page:wide}
        @media print{body{margin:0;max-width:none;font-size:10pt}.scroll{overflow:visible}table{page-break-inside:auto;font-size:8.5pt}th,td{padding:.15rem .3rem}
        thead{display:table-header-group}tr{page-break-inside:avoid}h1,h2,h3,figcaption{page-break-after:avoid}figure{page-break-inside:avoid}}
        """

    static func page(title: String, subtitle: String, body: String, generated: Date = Date(), sources: [String] = []) -> String {
        let provenance = sources.isEmpty ? "" : "<p class=\"sources\">Bronnen:<br/>" + sources.map(escape).joined(separator: "<br/>") + "</p>"
        return """
            <!DOCTYPE html>
            <html lang="nl">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(escape(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <h1>\(escape(title))</h1>
            <p class="sub">\(escape(subtitle))</p>
            \(body)
            <footer>\(provenance)Leefbaar · gegenereerd \(escape(ISO8601DateFormatter().string(from: generated).prefix(10).description))</footer>
            </body>
            </html>

            """
    }

    /// The description, the chart (when hinted) and the table of one report.
    static func section(_ context: ReportContext, _ table: ReportTable) -> String {
        var out = context.description.isEmpty ? "" : "<p>\(escape(context.description))</p>\n"
        if let chart = context.chart, let svg = SVGChart.render(chart, table) {
            out += "<figure class=\"chart\"><figcaption>\(escape(SVGChart.caption(chart, table)))</figcaption>\n" + svg + "\n</figure>\n"
        }
        if table.rows.isEmpty {
            return out + "<p class=\"empty\">Geen gegevens voor \(escape(context.tenant)) in \(context.year).</p>\n" + tableHTML(table)
        }
        out += tableHTML(table)
        return out
    }

    static func tableHTML(_ table: ReportTable) -> String {
        // Wide tables print on landscape pages, so no key column falls off A4.
        var out = "<div class=\"scroll\(table.columns.count > 6 ? " wide" : "")\"><table>\n<thead><tr>"
        for c in table.columns { out += "<th\(c.isNumeric ? " class=\"n\"" : "")>\(escape(c.heading))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (index, row) in table.rows.enumerated() {
            let total = table.isTotal(index)
            out += total ? "<tr class=\"total\">" : "<tr>"
            for (value, column) in zip(row, table.columns) {
                out += "<td\(column.isNumeric ? " class=\"n\"" : column.kind == .date ? " class=\"d\"" : "")>\(escape(DisplayValue.text(value, column)))</td>"
            }
            out += "</tr>\n"
        }
        if table.rows.isEmpty { out += "<tr><td colspan=\"\(table.columns.count)\">Geen gegevens</td></tr>\n" }
        out += "</tbody>\n</table></div>"
        let explained = table.columns.filter { $0.explanation != nil }
        if !explained.isEmpty {
            out +=
                "\n<dl class=\"legend-columns\">" + explained.map { "<dt>\(escape($0.heading))</dt><dd>\(escape($0.explanation ?? ""))</dd>" }.joined()
                + "</dl>"
        }
        return out
    }
}
