import Foundation

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
        /// Whether a minus sign after the number means it is negative: `1.234,56-` is −1234,56
        /// (SAP's and some bank exports' way of writing a credit).
        public var trailingMinus: Bool

        public init(decimal: UInt8, thousands: UInt8?, currency: Bool, parenthesesNegative: Bool, trailingMinus: Bool = false) {
            self.decimal = decimal
            self.thousands = thousands
            self.currency = currency
            self.parenthesesNegative = parenthesesNegative
            self.trailingMinus = trailingMinus
        }

        /// Dutch exports: `1.234,56`, `€ 800.000`, `-12,50`.
        public static let dutch = Style(decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."), currency: true, parenthesesNegative: false)
        /// Public data: `1234.56`.
        public static let plain = Style(decimal: UInt8(ascii: "."), thousands: nil, currency: false, parenthesesNegative: false)
    }

    /// Parses a number in the given style; nil when it is not one (`12,34,5`, `1.23.4`, `abc`).
    public static func parse(_ text: String, style: Style) -> ExactDecimal? {
        var text = text
        return text.withUTF8 { parse(bytes: $0, style: style) }
    }

    /// Parses a number from its UTF-8 bytes (the loader's rows, without making a String).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, style: Style) -> ExactDecimal? {
        var lower = 0
        var upper = bytes.count
        func trim() {
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 || bytes[lower] == 0xA0 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
            // NBSP in UTF-8 (C2 A0)
            while upper - lower >= 2, bytes[lower] == 0xC2, bytes[lower + 1] == 0xA0 { lower += 2 }
        }
        trim()
        // At most one sign of any kind: `-12,50-`, `(-12,50)` and `-€ -5` are no numbers.
        var negative = false
        var signs = 0
        if style.trailingMinus, upper - lower >= 2, bytes[upper - 1] == UInt8(ascii: "-") {
            negative = true
            signs += 1
            upper -= 1
            trim()
        }
        if style.parenthesesNegative, upper - lower >= 2, bytes[lower] == UInt8(ascii: "("), bytes[upper - 1] == UInt8(ascii: ")") {
            negative = true
            signs += 1
            lower += 1
            upper -= 1
            trim()
        }
        if lower < upper, bytes[lower] == UInt8(ascii: "-") || bytes[lower] == UInt8(ascii: "+") {
            negative = negative || bytes[lower] == UInt8(ascii: "-")
            signs += 1
            lower += 1
            trim()
        }
        if style.currency, upper - lower >= 3, bytes[lower] == 0xE2, bytes[lower + 1] == 0x82, bytes[lower + 2] == 0xAC {  // €
            lower += 3
            trim()
            if lower < upper, bytes[lower] == UInt8(ascii: "-") {
                negative = true
                signs += 1
                lower += 1
                trim()
            }
        }
        guard signs <= 1 else { return nil }
        guard lower < upper else { return nil }
        var units: Int64 = 0
        var scale = 0
        var digitsInGroup = 0
        var sawThousands = false
        var sawDecimal = false
        var sawDigit = false
        var exponent = 0
        var offset = lower
        while offset < upper {
            let b = bytes[offset]
            if (b == UInt8(ascii: "e") || b == UInt8(ascii: "E")) && sawDigit {
                // Scientific notation (9.15237961440333e-05, -6.2716917700698496E-2): exact.
                guard let e = parseExponent(UnsafeBufferPointer(rebasing: bytes[(offset + 1)..<upper])) else { return nil }
                exponent = e
                break
            }
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
            offset += 1
        }
        guard sawDigit else { return nil }
        if sawThousands && !sawDecimal && digitsInGroup != 3 { return nil }
        if exponent > 0 {
            let shift = min(exponent, scale)
            scale -= shift
            for _ in 0..<(exponent - shift) {
                let (m, o) = units.multipliedReportingOverflow(by: 10)
                guard !o else { return nil }
                units = m
            }
        } else {
            scale -= exponent
        }
        return ExactDecimal(units: negative ? -units : units, scale: scale)
    }

    /// The exponent after `e`: an optional sign and 1–3 digits.
    private static func parseExponent(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var rest = bytes[...]
        var negative = false
        if let f = rest.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.count <= 3 else { return nil }
        var value = 0
        for b in rest {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return negative ? -value : value
    }

    /// How a value with more decimals than its column keeps is rounded, when a spec says so.
    public enum Rounding: String, Sendable, CaseIterable {
        /// 0.5 → 0, 1.5 → 2 (banker's rounding, what PostgreSQL's float rounding does).
        case halfEven = "half-even"
        /// 0.5 → 1, −0.5 → −1 (away from zero, PostgreSQL's numeric rounding).
        case halfUp = "half-up"
    }

    /// Rounds to `newScale` decimals (or pads, when it has fewer); nil on overflow.
    public func rounded(to newScale: Int, _ mode: Rounding) -> ExactDecimal? {
        if newScale >= scale { return rescaled(to: newScale) }
        var magnitude = units.magnitude
        var sticky = false
        for _ in 0..<(scale - newScale - 1) {
            if magnitude % 10 != 0 { sticky = true }
            magnitude /= 10
        }
        let last = magnitude % 10
        magnitude /= 10
        let up = last > 5 || (last == 5 && (sticky || mode == .halfUp || magnitude % 2 == 1))
        if up { magnitude += 1 }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return ExactDecimal(units: units < 0 ? -Int64(magnitude) : Int64(magnitude), scale: newScale)
    }

    /// Digits before the decimal point (0 for 0.5).
    public var integerDigits: Int {
        var m = units.magnitude
        var digits = 0
        while m > 0 {
            m /= 10
            digits += 1
        }
        return max(0, digits - scale)
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

    /// A setting's number as written by a person (`-0.5`, `-0,5`, `+1`), in dot notation; nil for
    /// anything else (`0x1p-1`, `1e3`, `NaN`, `inf`, `1.000,5`).
    public static func settingNumber(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let style = t.contains(",") ? Style(decimal: UInt8(ascii: ","), thousands: nil, currency: false, parenthesesNegative: false) : Style.plain
        guard t.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2B || $0 == 0x2E || $0 == 0x2C }),
            let value = parse(t, style: style)
        else { return nil }
        return value.description
    }

    /// Plain text as PostgreSQL reads it: `-1234.56`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24 + max(scale, 0))
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the plain text's ASCII bytes (`-1234.56`): this runs once per amount of a load.
    public func append(to out: inout [UInt8]) {
        // Digits written right to left, then put in order.
        let start = out.count
        var magnitude = units.magnitude
        var written = 0
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
            written += 1
            if written == scale { out.append(UInt8(ascii: ".")) }
        } while magnitude > 0 || written <= scale
        if units < 0 { out.append(UInt8(ascii: "-")) }
        out[start...].reverse()
    }
}
