import Dates

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
        case "dd-mm-yyyy", "d-m-yyyy":
            order = .dayMonthYear
            separator = "-"
        case "dd/mm/yyyy", "d/m/yyyy":
            order = .dayMonthYear
            separator = "/"
        case "dd.mm.yyyy":
            order = .dayMonthYear
            separator = "."
        case "yyyy-mm-dd", "iso":
            order = .yearMonthDay
            separator = "-"
        default: return nil
        }
        self.text = text
    }

    /// Parses a date; nil when it is not a real date in this format (31-02-2019).
    public func parse(_ value: String) -> CalendarDate? {
        var value = value
        return value.withUTF8 { parse(bytes: $0) }
    }

    /// Parses a date from its UTF-8 bytes: up to three digit groups, their separators, and an
    /// optional ISO time part.
    public func parse(bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        var groups = (0, 0, 0)
        var widths = (0, 0, 0)
        var separators: (UInt8, UInt8) = (0, 0)
        var index = 0
        var timeStart: Int?
        let sep = separator.asciiValue ?? 0x2D
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                let d = Int(b - 0x30)
                switch index {
                case 0:
                    groups.0 = groups.0 * 10 + d
                    widths.0 += 1
                case 1:
                    groups.1 = groups.1 * 10 + d
                    widths.1 += 1
                default:
                    groups.2 = groups.2 * 10 + d
                    widths.2 += 1
                }
                if widths.0 > 4 || widths.1 > 4 || widths.2 > 4 { return nil }
            } else if (b == 0x2D || b == sep) && index < 2 {
                if index == 0 { separators.0 = b } else { separators.1 = b }
                index += 1
            } else if index == 2 && (b == 0x54 || b == 0x20) && widths.2 > 0 {
                timeStart = i + 1  // ISO date followed by a time: ignore the time
                break
            } else if b == 0x20 && index == 0 && widths.0 == 0 {
                continue  // leading space
            } else {
                // `1-mrt-2019`, `1 maart 2019`: a month by name, in a day-first format only.
                return order == .dayMonthYear ? DateFormat.namedMonth(bytes) : nil
            }
        }
        guard index == 2, widths.0 > 0, widths.1 > 0, widths.2 > 0 else { return nil }
        // `07-04-2021 rommel` is no date
        if let timeStart, !DateFormat.isTime(UnsafeBufferPointer(rebasing: bytes[timeStart...])) { return nil }
        if widths.0 == 4 && separators == (0x2D, 0x2D) && widths.1 <= 2 && widths.2 <= 2 {
            return CalendarDate(year: groups.0, month: groups.1, day: groups.2)  // ISO is always accepted
        }
        guard separators == (sep, sep) else { return nil }
        switch order {
        case .dayMonthYear:
            guard widths.2 == 4, widths.0 <= 2, widths.1 <= 2 else { return nil }
            return CalendarDate(year: groups.2, month: groups.1, day: groups.0)
        case .yearMonthDay:
            guard widths.0 == 4, widths.1 <= 2, widths.2 <= 2 else { return nil }
            return CalendarDate(year: groups.0, month: groups.1, day: groups.2)
        }
    }
}

extension DateFormat {
    /// Month names and abbreviations, Dutch and English (none means another month in the other).
    static let months: [String: Int] = {
        var months: [String: Int] = [:]
        let names = [
            ["jan", "januari", "january"], ["feb", "febr", "februari", "february"], ["mrt", "maa", "mar", "maart", "march"],
            ["apr", "april"], ["mei", "may"], ["jun", "juni", "june"], ["jul", "juli", "july"], ["aug", "augustus", "august"],
            ["sep", "sept", "september"], ["okt", "oct", "oktober", "october"], ["nov", "november"], ["dec", "december"],
        ]
        for (i, list) in names.enumerated() { for name in list { months[name] = i + 1 } }
        return months
    }()

    /// A date written day, month name, four-digit year (`1-mrt-2019`, `01 MAART 2019`, `15-okt.-2019`),
    /// parted by spaces, `-`, `.` or `/`; nil for anything else.
    static func namedMonth(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard bytes.count <= 40 else { return nil }
        var parts: [[UInt8]] = [[]]
        for b in bytes {
            if b == 0x20 || b == 0x2D || b == 0x2E || b == 0x2F {
                if !(parts.last?.isEmpty ?? true) { parts.append([]) }
            } else {
                parts[parts.count - 1].append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            }
        }
        if parts.last?.isEmpty == true { parts.removeLast() }
        guard parts.count == 3, (1...2).contains(parts[0].count), parts[2].count == 4,
            parts[0].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), parts[2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let month = months[String(decoding: parts[1], as: UTF8.self)]
        else { return nil }
        func number(_ digits: [UInt8]) -> Int { digits.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        return CalendarDate(year: number(parts[2]), month: month, day: number(parts[0]))
    }

    /// A time of day after a date, which is ignored: `14:53`, `14:53:00.000`, `00:00:00Z`, `10:00:00+01:00`.
    package static func isTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var b = bytes[...]
        while b.last == 0x20 { b.removeLast() }
        guard let first = b.first, first >= 0x30 && first <= 0x39, b.contains(0x3A) else { return false }
        if b.last == UInt8(ascii: "Z") { b.removeLast() }
        return b.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x3A || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and no-break spaces.
    package func trimmedSpaces() -> String {
        // Fast path: nothing to trim (checked on the UTF-8 bytes, no Character work).
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first != 0x20 && first != 0x09 && first != 0xC2 && last != 0x20 && last != 0x09 && last != 0xA0 { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{A0}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{A0}" { s.removeLast() }
        return String(s)
    }
}
