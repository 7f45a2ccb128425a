import Dates
import Foundation

/// A Swift value that can be sent to PostgreSQL as a bound parameter in text format.
public protocol PostgresEncodable: Sendable {
    /// The value's PostgreSQL text representation; `nil` sends SQL NULL.
    var postgresText: String? { get }
}

/// A Swift value that can be read from a PostgreSQL result in text format.
public protocol PostgresDecodable {
    /// Decodes the text form of a non-NULL value.
    init?(postgresText text: String)
    /// Decodes a SQL NULL; types that cannot hold NULL return nil.
    static func fromNull() -> Self?
}

extension PostgresDecodable {
    public static func fromNull() -> Self? { nil }
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public init?(postgresText text: String) { self = text }
}

extension Substring: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init?(postgresText text: String) { self.init(text) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init?(postgresText text: String) { self.init(text) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init?(postgresText text: String) { self.init(text) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
    public init?(postgresText text: String) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(text)
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "t" : "f" }
    public init?(postgresText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

/// Exact decimals for `numeric`: parsed from and printed as text, never through `Double`.
extension Decimal: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
    public init?(postgresText text: String) {
        // Decimal(string:) accepts trailing junk; insist on a plain numeric literal.
        var sawDigit = false
        for (i, c) in text.enumerated() {
            if c.isASCII && c.isNumber {
                sawDigit = true
                continue
            }
            if c == "." { continue }
            if (c == "-" || c == "+") && i == 0 { continue }
            return nil
        }
        guard sawDigit, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }
}

extension CalendarDate: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { description }
    public init?(postgresText text: String) { self.init(iso: text) }
}

/// `timestamptz` values as `Date`; sent in ISO 8601 with an explicit UTC offset.
extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: self)
    }

    /// Parses PostgreSQL's ISO output: `2019-10-01 12:30:00.123456+02` (offset optional minutes).
    public init?(postgresText text: String) {
        var s = Substring(text)
        guard let space = s.firstIndex(of: " ") ?? s.firstIndex(of: "T"),
            let day = CalendarDate(iso: s[s.startIndex..<space])
        else { return nil }
        s = s[s.index(after: space)...]
        var offsetSeconds = 0
        if let signIndex = s.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let sign = s[signIndex] == "-" ? -1 : 1
            let parts = s[s.index(after: signIndex)...].split(separator: ":").compactMap { Int($0) }
            guard !parts.isEmpty else { return nil }
            offsetSeconds = sign * (parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0))
            s = s[..<signIndex]
        } else if s.hasSuffix("Z") {
            s = s.dropLast()
        }
        let hms = s.split(separator: ":")
        guard hms.count == 3, let h = Int(hms[0]), let m = Int(hms[1]), let sec = Double(hms[2]) else { return nil }
        var components = DateComponents()
        components.year = day.year
        components.month = day.month
        components.day = day.day
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let midnight = calendar.date(from: components) else { return nil }
        self = midnight.addingTimeInterval(Double(h * 3600 + m * 60) + sec - Double(offsetSeconds))
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? {
        switch self {
        case .none: return nil
        case .some(let value): return value.postgresText
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let value = Wrapped(postgresText: text) else { return nil }
        self = .some(value)
    }
    public static func fromNull() -> Self? { .some(.none) }
}
