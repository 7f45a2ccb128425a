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
        th{background:#eef2f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:600;border-top:2px solid #1d2733}
        svg{max-width:100%;height:auto}.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
        footer{color:#5b6675;font-size:.8rem;margin-top:2rem}.scroll{overflow-x:auto}
        @page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}table{page-break-inside:auto}tr{page-break-inside:avoid}h2{page-break-after:avoid}}
        """

    static func page(title: String, subtitle: String, body: String) -> String {
        """
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
        <footer>Leefbaar · gegenereerd \(escape(ISO8601DateFormatter().string(from: Date()).prefix(10).description))</footer>
        </body>
        </html>

        """
    }

    /// The description, the chart (when hinted) and the table of one report.
    static func section(_ context: ReportContext, _ table: ReportTable) -> String {
        var out = context.description.isEmpty ? "" : "<p>\(escape(context.description))</p>\n"
        if let chart = context.chart, let svg = SVGChart.render(chart, table) { out += svg + "\n" }
        if table.rows.isEmpty {
            return out + "<p class=\"empty\">Geen gegevens voor \(escape(context.tenant)) in \(context.year).</p>\n" + tableHTML(table)
        }
        out += tableHTML(table)
        return out
    }

    static func tableHTML(_ table: ReportTable) -> String {
        var out = "<div class=\"scroll\"><table>\n<thead><tr>"
        for c in table.columns { out += "<th\(c.isNumeric ? " class=\"n\"" : "")>\(escape(c.name))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            let total = row.first.flatMap { $0 } == "Totaal"
            out += total ? "<tr class=\"total\">" : "<tr>"
            for (value, column) in zip(row, table.columns) {
                out += "<td\(column.isNumeric ? " class=\"n\"" : "")>\(escape(DisplayValue.text(value, column)))</td>"
            }
            out += "</tr>\n"
        }
        if table.rows.isEmpty { out += "<tr><td colspan=\"\(table.columns.count)\">Geen gegevens</td></tr>\n" }
        return out + "</tbody>\n</table></div>"
    }
}

/// Inline SVG charts from a report's chart hint.
enum SVGChart {
    static let inzetColors = ["basis": "#9aa5b1", "plus": "#f2c200", "plusplus": "#f07c00"]

    static func render(_ chart: ReportDefinition.Chart, _ table: ReportTable) -> String? {
        let labels = table.values(chart.x).map { $0 ?? "" }
        if chart.kind == "stacked" { return stacked(labels, series: chart.y.split(separator: ",").map(String.init), table) }
        var points: [(label: String, value: Double, color: String?)]
        if chart.aggregate == "count" {
            var counts: [(String, Double)] = []
            for l in labels {
                if let i = counts.firstIndex(where: { $0.0 == l }) { counts[i].1 += 1 } else { counts.append((l, 1)) }
            }
            points = counts.map { ($0.0, $0.1, nil) }
        } else {
            let values = table.values(chart.y)
            let colors = chart.color.map { table.values($0) } ?? []
            points = labels.indices.compactMap { i in
                guard labels[i] != "Totaal", let v = values[i].flatMap(Double.init) else { return nil }
                return (labels[i], v, colors.indices.contains(i) ? colors[i].flatMap { inzetColors[$0] } : nil)
            }
        }
        guard !points.isEmpty else { return nil }
        switch chart.kind {
        case "line": return line(points, title: chart.y)
        default: return bars(points, title: chart.y, legend: chart.color != nil)
        }
    }

    static func number(_ v: Double) -> String {
        if abs(v) >= 1000 || v == v.rounded() { return DutchNumber.format(String(Int64(v.rounded()))) }
        return DutchNumber.format(String(format: "%.2f", v))
    }

    /// Horizontal bars, one per label; negative values extend left of the zero line.
    static func bars(_ points: [(label: String, value: Double, color: String?)], title: String, legend: Bool) -> String {
        let rowHeight = 22.0, labelWidth = 190.0, width = 720.0, valueWidth = 90.0
        let plot = width - labelWidth - valueWidth
        let minV = min(0, points.map(\.value).min() ?? 0), maxV = max(0, points.map(\.value).max() ?? 0)
        let span = max(maxV - minV, 1e-9)
        func x(_ v: Double) -> Double { labelWidth + (v - minV) / span * plot }
        let height = Double(points.count) * rowHeight + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(title))\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(HTMLRenderer.escape(title))</title>\n"
        for (i, p) in points.enumerated() {
            let y = Double(i) * rowHeight + 4
            let x0 = x(min(0, p.value)), x1 = x(max(0, p.value))
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 14))\" text-anchor=\"end\">\(HTMLRenderer.escape(String(p.label.prefix(30))))</text>"
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(y + 2))\" width=\"\(f(max(x1 - x0, 0.5)))\" height=\"\(f(rowHeight - 6))\" fill=\"\(p.color ?? "#2f6f9f")\"/>"
            svg += "<text x=\"\(f(x(maxV) + 6))\" y=\"\(Int(y + 14))\">\(number(p.value))</text>\n"
        }
        svg += "<line x1=\"\(f(x(0)))\" x2=\"\(f(x(0)))\" y1=\"0\" y2=\"\(f(height - 26))\" stroke=\"#1d2733\" stroke-width=\"1\"/>\n"
        if legend {
            var lx = labelWidth
            for (name, color) in [("basis", inzetColors["basis"] ?? ""), ("plus (geel)", inzetColors["plus"] ?? ""), ("plusplus (oranje)", inzetColors["plusplus"] ?? "")] {
                svg += "<rect x=\"\(f(lx))\" y=\"\(f(height - 18))\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(f(lx + 14))\" y=\"\(f(height - 9))\">\(name)</text>"
                lx += 140
            }
            svg += "\n"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars split into segments, one per series column (inzet levels get their colours).
    static func stacked(_ labels: [String], series: [String], _ table: ReportTable) -> String? {
        let palette = ["#2f6f9f", "#7fb2d5", "#c44e52", "#55a868"]
        let columns = series.map { table.values($0) }
        let rows = labels.indices.filter { labels[$0] != "Totaal" }.map { i in
            (labels[i], columns.map { $0.indices.contains(i) ? Double($0[i] ?? "") ?? 0 : 0 })
        }
        guard !rows.isEmpty, !series.isEmpty else { return nil }
        let rowHeight = 22.0, labelWidth = 190.0, width = 720.0, valueWidth = 90.0
        let plot = width - labelWidth - valueWidth
        let maxTotal = max(rows.map { $0.1.map { max($0, 0) }.reduce(0, +) }.max() ?? 0, 1e-9)
        let height = Double(rows.count) * rowHeight + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(series.joined(separator: ", ")))\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(HTMLRenderer.escape(series.joined(separator: " + ")))</title>\n"
        func color(_ k: Int) -> String { inzetColors[series[k]] ?? palette[k % palette.count] }
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 4
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 14))\" text-anchor=\"end\">\(HTMLRenderer.escape(String(row.0.prefix(30))))</text>"
            var x = labelWidth
            for (k, v) in row.1.enumerated() where v > 0 {
                let w = v / maxTotal * plot
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y + 2))\" width=\"\(f(w))\" height=\"\(f(rowHeight - 6))\" fill=\"\(color(k))\"><title>\(HTMLRenderer.escape(series[k])): \(number(v))</title></rect>"
                x += w
            }
            svg += "<text x=\"\(f(x + 6))\" y=\"\(Int(y + 14))\">\(number(row.1.reduce(0, +)))</text>\n"
        }
        var lx = labelWidth
        for k in series.indices {
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(height - 18))\" width=\"10\" height=\"10\" fill=\"\(color(k))\"/><text x=\"\(f(lx + 14))\" y=\"\(f(height - 9))\">\(HTMLRenderer.escape(series[k]))</text>"
            lx += 120
        }
        return svg + "\n</svg>"
    }

    /// A line through the points, labels on the x axis.
    static func line(_ points: [(label: String, value: Double, color: String?)], title: String) -> String {
        let width = 720.0, height = 260.0, left = 50.0, bottom = 30.0, top = 20.0
        let maxV = max(points.map(\.value).max() ?? 1, 1)
        let step = points.count > 1 ? (width - left - 20) / Double(points.count - 1) : 0
        func pt(_ i: Int) -> (Double, Double) { (left + Double(i) * step, top + (1 - points[i].value / maxV) * (height - top - bottom)) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(title))\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(HTMLRenderer.escape(title))</title>\n"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - 10))\" y1=\"\(f(height - bottom))\" y2=\"\(f(height - bottom))\" stroke=\"#1d2733\"/>\n"
        svg += "<polyline fill=\"none\" stroke=\"#2f6f9f\" stroke-width=\"2\" points=\"" + points.indices.map { let p = pt($0); return "\(f(p.0)),\(f(p.1))" }.joined(separator: " ") + "\"/>\n"
        for i in points.indices {
            let p = pt(i)
            svg += "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"3\" fill=\"#2f6f9f\"/>"
            svg += "<text x=\"\(f(p.0))\" y=\"\(f(p.1 - 7))\" text-anchor=\"middle\">\(number(points[i].value))</text>"
            svg += "<text x=\"\(f(p.0))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(HTMLRenderer.escape(points[i].label))</text>\n"
        }
        return svg + "</svg>"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
