import Postgres

/// How dates are written in a file: `dd-mm-yyyy` (also `d-m-yyyy`), `dd/mm/yyyy`, `yyyy-mm-dd`.
/// ISO `yyyy-mm-dd` is always accepted as well.
public struct DateFormat: Sendable, Equatable {
    public enum Order: Sendable { case dayMonthYear, yearMonthDay }
    public let order: Order
    public let separator: Character
    public let text: String

    /// Parses a format string; nil for an unknown one.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "dd-mm-yyyy", "d-m-yyyy": order = .dayMonthYear; separator = "-"
        case "dd/mm/yyyy", "d/m/yyyy": order = .dayMonthYear; separator = "/"
        case "dd.mm.yyyy": order = .dayMonthYear; separator = "."
        case "yyyy-mm-dd", "iso": order = .yearMonthDay; separator = "-"
        default: return nil
        }
        self.text = text
    }

    /// Parses a date; nil when it is not a real date in this format (31-02-2019).
    public func parse(_ value: String) -> CalendarDate? {
        let trimmed = value.trimmedSpaces()
        // ISO first 10 characters, e.g. 2019-10-01 or 2019-10-01T00:00:00
        if trimmed.count >= 10, let iso = CalendarDate(iso: trimmed.prefix(10)), trimmed.count == 10 || trimmed.dropFirst(10).first == "T" || trimmed.dropFirst(10).first == " " {
            return iso
        }
        let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }) else { return nil }
        switch order {
        case .dayMonthYear:
            guard parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2,
                  let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        case .yearMonthDay:
            guard parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and no-break spaces.
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{A0}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{A0}" { s.removeLast() }
        return s.count == count ? self : String(s)
    }
}
