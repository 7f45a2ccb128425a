import Foundation

/// Inline SVG charts from a report's chart hint.
enum SVGChart {
    static let inzetColors = ["basis": "#9aa5b1", "plus": "#f2c200", "plusplus": "#f07c00"]

    /// What the chart plots and against what, from the columns' labels: "Uitgaven per gemeente, in euro".
    static func caption(_ chart: ReportDefinition.Chart, _ table: ReportTable) -> String {
        func heading(_ name: String) -> String { table.columns.first { $0.name == name }?.heading ?? name }
        let ys = chart.y.split(separator: ",").map { heading(String($0)) }
        let what =
            chart.aggregate == "count"
            ? "Aantal \(chart.y)" : (ys.count > 1 ? ys.dropLast().joined(separator: ", ") + " en " + (ys.last ?? "") : ys.first ?? "")
        var text = "\(what) per \(heading(chart.x).lowercased())"
        if chart.y.split(separator: ",").contains(where: { y in table.columns.contains { $0.name == String(y) && $0.money } }) { text += ", in euro" }
        if chart.kind == "ranked" { text += "; 0 is het gemiddelde van het werkgebied" }
        if let color = chart.color { text += "; kleur: \(heading(color).lowercased())" }
        return text
    }

    static func render(_ chart: ReportDefinition.Chart, _ table: ReportTable) -> String? {
        var labels = table.values(chart.x).map { $0 ?? "" }
        // Buurt names repeat across gemeenten ("Centrum"): a chart over several gemeenten names both.
        if chart.x != "gemeente", let gemeenten = table.columns.firstIndex(where: { $0.name == "gemeente" }),
            Set(table.rows.map { $0[gemeenten] }).count > 1
        {
            labels = labels.indices.map { "\(labels[$0]) (\(table.rows[$0][gemeenten] ?? ""))" }
        }
        let money = table.columns.contains { $0.name == chart.y && $0.money }
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
                guard !table.isTotal(i), let v = values[i].flatMap(Double.init) else { return nil }
                return (labels[i], v, colors.indices.contains(i) ? colors[i].flatMap { inzetColors[$0] } : nil)
            }
        }
        guard !points.isEmpty else { return nil }
        switch chart.kind {
        case "line": return line(points, title: caption(chart, table))
        default: return bars(points, title: caption(chart, table), legend: chart.color != nil, money: money)
        }
    }

    static func number(_ v: Double) -> String {
        if abs(v) >= 1000 || v == v.rounded() { return DutchNumber.format(String(Int64(v.rounded()))) }
        return DutchNumber.format(String(format: "%.2f", v))
    }

    /// Horizontal bars, one per label; negative values extend left of the zero line.
    static func bars(_ points: [(label: String, value: Double, color: String?)], title: String, legend: Bool, money: Bool = false) -> String {
        let rowHeight = 22.0
        let labelWidth = 260.0
        let width = 760.0
        let valueWidth = 90.0
        let plot = width - labelWidth - valueWidth
        let minV = min(0, points.map(\.value).min() ?? 0)
        let maxV = max(0, points.map(\.value).max() ?? 0)
        let span = max(maxV - minV, 1e-9)
        func x(_ v: Double) -> Double { labelWidth + (v - minV) / span * plot }
        let height = Double(points.count) * rowHeight + 30
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(title))\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(HTMLRenderer.escape(title))</title>\n"
        for (i, p) in points.enumerated() {
            let y = Double(i) * rowHeight + 4
            let x0 = x(min(0, p.value))
            let x1 = x(max(0, p.value))
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 14))\" text-anchor=\"end\">\(HTMLRenderer.escape(String(p.label.prefix(42))))</text>"
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(y + 2))\" width=\"\(f(max(x1 - x0, 0.5)))\" height=\"\(f(rowHeight - 6))\" fill=\"\(p.color ?? "#2f6f9f")\"/>"
            svg += "<text x=\"\(f(x(maxV) + 6))\" y=\"\(Int(y + 14))\">\(money ? "€ " : "")\(number(p.value))</text>\n"
        }
        svg += "<line x1=\"\(f(x(0)))\" x2=\"\(f(x(0)))\" y1=\"0\" y2=\"\(f(height - 26))\" stroke=\"#1d2733\" stroke-width=\"1\"/>\n"
        if legend {
            var lx = labelWidth
            for (name, color) in [
                ("basis", inzetColors["basis"] ?? ""), ("plus (geel)", inzetColors["plus"] ?? ""), ("plusplus (oranje)", inzetColors["plusplus"] ?? ""),
            ] {
                svg +=
                    "<rect x=\"\(f(lx))\" y=\"\(f(height - 18))\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(f(lx + 14))\" y=\"\(f(height - 9))\">\(name)</text>"
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
        let euro = series.allSatisfy { s in table.columns.contains { $0.name == s && $0.money } } ? "€ " : ""
        let rows = labels.indices.filter { !table.isTotal($0) }.map { i in
            (labels[i], columns.map { $0.indices.contains(i) ? Double($0[i] ?? "") ?? 0 : 0 })
        }
        guard !rows.isEmpty, !series.isEmpty else { return nil }
        let rowHeight = 22.0
        let labelWidth = 260.0
        let width = 760.0
        let valueWidth = 90.0
        let plot = width - labelWidth - valueWidth
        let maxTotal = max(rows.map { $0.1.map { max($0, 0) }.reduce(0, +) }.max() ?? 0, 1e-9)
        let height = Double(rows.count) * rowHeight + 30
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(series.joined(separator: ", ")))\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(HTMLRenderer.escape(series.joined(separator: " + ")))</title>\n"
        func color(_ k: Int) -> String { inzetColors[series[k]] ?? palette[k % palette.count] }
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 4
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + 14))\" text-anchor=\"end\">\(HTMLRenderer.escape(String(row.0.prefix(42))))</text>"
            var x = labelWidth
            for (k, v) in row.1.enumerated() where v > 0 {
                let w = v / maxTotal * plot
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(y + 2))\" width=\"\(f(w))\" height=\"\(f(rowHeight - 6))\" fill=\"\(color(k))\"><title>\(HTMLRenderer.escape(series[k])): \(number(v))</title></rect>"
                x += w
            }
            svg += "<text x=\"\(f(x + 6))\" y=\"\(Int(y + 14))\">\(euro)\(number(row.1.reduce(0, +)))</text>\n"
        }
        var lx = labelWidth
        for k in series.indices {
            svg +=
                "<rect x=\"\(f(lx))\" y=\"\(f(height - 18))\" width=\"10\" height=\"10\" fill=\"\(color(k))\"/><text x=\"\(f(lx + 14))\" y=\"\(f(height - 9))\">\(HTMLRenderer.escape(series[k]))</text>"
            lx += 120
        }
        return svg + "\n</svg>"
    }

    /// A line through the points, labels on the x axis.
    static func line(_ points: [(label: String, value: Double, color: String?)], title: String) -> String {
        let width = 720.0
        let height = 260.0
        let left = 50.0
        let bottom = 30.0
        let top = 20.0
        let maxV = max(points.map(\.value).max() ?? 1, 1)
        let step = points.count > 1 ? (width - left - 20) / Double(points.count - 1) : 0
        func pt(_ i: Int) -> (Double, Double) { (left + Double(i) * step, top + (1 - points[i].value / maxV) * (height - top - bottom)) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(title))\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(HTMLRenderer.escape(title))</title>\n"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - 10))\" y1=\"\(f(height - bottom))\" y2=\"\(f(height - bottom))\" stroke=\"#1d2733\"/>\n"
        svg +=
            "<polyline fill=\"none\" stroke=\"#2f6f9f\" stroke-width=\"2\" points=\""
            + points.indices.map {
                let p = pt($0)
                return "\(f(p.0)),\(f(p.1))"
            }.joined(separator: " ") + "\"/>\n"
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
