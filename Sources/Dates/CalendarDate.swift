/// A calendar date without time or time zone, as PostgreSQL's `date`.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, e.g. 2019.
    public var year: Int
    /// The month, 1...12.
    public var month: Int
    /// The day of the month, 1...31.
    public var day: Int

    /// Makes a date when the parts form a real date (31-02-2019 does not).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses ISO `yyyy-mm-dd`, as PostgreSQL prints dates with `DateStyle=ISO`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The number of days in a month of a year (Gregorian).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO form `yyyy-mm-dd`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the ISO form's ten ASCII bytes (years are 1...9999): this runs once per date of a load.
    public func appendISO(to out: inout [UInt8]) {
        func digit(_ v: Int) -> UInt8 { UInt8(ascii: "0") + UInt8(v % 10) }
        out.append(digit(year / 1000))
        out.append(digit(year / 100))
        out.append(digit(year / 10))
        out.append(digit(year))
        out.append(UInt8(ascii: "-"))
        out.append(digit(month / 10))
        out.append(digit(month))
        out.append(UInt8(ascii: "-"))
        out.append(digit(day / 10))
        out.append(digit(day))
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
