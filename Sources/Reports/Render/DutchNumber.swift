import Foundation
import Ingest
import Warehouse

/// Dutch number formatting for people: `1.199.000`, `1.234,56`, `€ 1.199.000`.
enum DutchNumber {
    /// Formats a plain decimal text (`-1234.5`) with a decimal comma and thousands dots.
    /// `decimals`: nil keeps the digits as they are; a number pads or cuts (no rounding) to that many.
    static func format(_ text: String, decimals: Int? = nil, grouping: Bool = true) -> String {
        var s = Substring(text)
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = String(parts.first ?? "0")
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if let decimals {
            if fraction.count < decimals { fraction += String(repeating: "0", count: decimals - fraction.count) }
            if fraction.count > decimals { fraction = String(fraction.prefix(decimals)) }
        }
        if grouping {
            var grouped = ""
            while whole.count > 3 {
                grouped = "." + whole.suffix(3) + grouped
                whole.removeLast(3)
            }
            whole += grouped
        }
        return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "," + fraction)
    }

    /// Euro amount: with cents (`€ 182.395,18`) or in whole euros (`€ 800.000`), rounded half up,
    /// never cut. A report shows a money column one way throughout (`ReportTable.Column.cents`).
    static func euro(_ text: String, cents: Bool) -> String {
        let rounded = ExactDecimal.parse(text, style: .plain)?.rounded(to: cents ? 2 : 0, .halfUp)?.description ?? text
        return "€ " + format(rounded, decimals: cents ? 2 : nil)
    }

    /// A whole number with thousands dots: `1.234.567`.
    static func integer(_ n: Int) -> String { format(String(n)) }

    /// A moment as people in the Netherlands read it: `30-11-2026 13:05` (Dutch time).
    static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String {
            let v = n ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        return "\(two(c.day))-\(two(c.month))-\(c.year ?? 0) \(two(c.hour)):\(two(c.minute))"
    }

    /// Whether any of a money column's values has cents.
    static func hasCents(_ values: [String?]) -> Bool {
        values.contains { v in v?.split(separator: ".").dropFirst().first.map { $0.contains { $0 != "0" } } ?? false }
    }

    /// "ruim 400", "bijna 100", as the annual report writes round figures.
    static func roughly(_ n: Int, unit: Int = 100) -> String {
        if n >= unit, n % unit == 0 { return format(String(n)) }
        let down = n / unit * unit
        let up = down + unit
        if n >= unit && n - down <= up - n { return "ruim " + format(String(down)) }
        if up - n <= unit / 10 { return "bijna " + format(String(up)) }
        return format(String(n))
    }
}
