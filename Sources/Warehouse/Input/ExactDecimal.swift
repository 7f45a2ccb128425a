/// An exact decimal number: `units × 10^-scale`, for amounts read from files. Never a `Double`.
public struct ExactDecimal: Equatable, Sendable, CustomStringConvertible {
    public var units: Int64
    public var scale: Int

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// How numbers are written in a file.
    public struct Style: Sendable, Equatable {
        /// The decimal separator, `,` (Dutch) or `.`.
        public var decimal: UInt8
        /// The thousands separator, if the file uses one (`.` in Dutch amounts), else nil.
        public var thousands: UInt8?
        /// Whether a `€` sign may precede the number.
        public var currency: Bool
        /// Whether `(12,50)` means −12,50.
        public var parenthesesNegative: Bool

        public init(decimal: UInt8, thousands: UInt8?, currency: Bool, parenthesesNegative: Bool) {
            self.decimal = decimal
            self.thousands = thousands
            self.currency = currency
            self.parenthesesNegative = parenthesesNegative
        }

        /// Dutch exports: `1.234,56`, `€ 800.000`, `-12,50`.
        public static let dutch = Style(decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."), currency: true, parenthesesNegative: false)
        /// Public data: `1234.56`.
        public static let plain = Style(decimal: UInt8(ascii: "."), thousands: nil, currency: false, parenthesesNegative: false)
    }

    /// Parses a number in the given style; nil when it is not one (`12,34,5`, `1.23.4`, `abc`).
    public static func parse(_ text: String, style: Style) -> ExactDecimal? {
        var bytes = Array(text.utf8)[...]
        func trim() {
            while let f = bytes.first, f == 0x20 || f == 0x09 || f == 0xA0 { bytes.removeFirst() }
            while let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast() }
            // NBSP in UTF-8 (C2 A0)
            while bytes.count >= 2, bytes[bytes.startIndex] == 0xC2, bytes[bytes.startIndex + 1] == 0xA0 { bytes.removeFirst(2) }
        }
        trim()
        var negative = false
        if style.parenthesesNegative, bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") {
            negative = true
            bytes = bytes.dropFirst().dropLast()
            trim()
        }
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = negative != (f == UInt8(ascii: "-"))
            bytes.removeFirst()
            trim()
        }
        if style.currency, bytes.starts(with: [0xE2, 0x82, 0xAC]) {   // €
            bytes.removeFirst(3)
            trim()
            if let f = bytes.first, f == UInt8(ascii: "-") {
                negative.toggle()
                bytes.removeFirst()
                trim()
            }
        }
        guard !bytes.isEmpty else { return nil }
        var units: Int64 = 0
        var scale = 0
        var digitsInGroup = 0
        var sawThousands = false
        var sawDecimal = false
        var sawDigit = false
        for b in bytes {
            if b >= 0x30 && b <= 0x39 {
                let (m, o1) = units.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b - 0x30))
                guard !o1, !o2 else { return nil }
                units = a
                sawDigit = true
                if sawDecimal { scale += 1 } else { digitsInGroup += 1 }
            } else if b == style.decimal && !sawDecimal {
                if sawThousands && digitsInGroup != 3 { return nil }
                sawDecimal = true
            } else if let t = style.thousands, b == t, !sawDecimal {
                // groups after the first must be exactly three digits
                if !sawDigit || (sawThousands && digitsInGroup != 3) || (!sawThousands && digitsInGroup > 3) { return nil }
                sawThousands = true
                digitsInGroup = 0
            } else {
                return nil
            }
        }
        guard sawDigit else { return nil }
        if sawThousands && !sawDecimal && digitsInGroup != 3 { return nil }
        return ExactDecimal(units: negative ? -units : units, scale: scale)
    }

    /// Rescales to `scale` digits; nil when digits would be lost or it overflows.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        if newScale == scale { return self }
        if newScale > scale {
            var u = units
            for _ in scale..<newScale {
                let (m, o) = u.multipliedReportingOverflow(by: 10)
                if o { return nil }
                u = m
            }
            return ExactDecimal(units: u, scale: newScale)
        }
        var u = units
        for _ in newScale..<scale {
            if u % 10 != 0 { return nil }
            u /= 10
        }
        return ExactDecimal(units: u, scale: newScale)
    }

    /// a − b, exact; nil on overflow.
    public static func subtract(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        let s = max(a.scale, b.scale)
        guard let x = a.rescaled(to: s), let y = b.rescaled(to: s) else { return nil }
        let (d, o) = x.units.subtractingReportingOverflow(y.units)
        return o ? nil : ExactDecimal(units: d, scale: s)
    }

    /// Plain text as PostgreSQL reads it: `-1234.56`.
    public var description: String {
        let negative = units < 0
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }
}
