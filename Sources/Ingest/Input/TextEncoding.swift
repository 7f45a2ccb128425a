/// The character encodings input files come in. Fields are decoded one at a time; the record
/// structure (delimiters, quotes, line ends) is ASCII in all of them.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"

    /// Decodes one field's bytes, or returns nil when they are not valid in this encoding.
    @inline(__always)
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch self {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .windows1252, .iso88591:
            var ascii = true
            for b in bytes where b >= 0x80 {
                ascii = false
                break
            }
            if ascii { return String(decoding: bytes, as: UTF8.self) }
            var utf8: [UInt8] = []
            utf8.reserveCapacity(bytes.count + 8)
            for b in bytes {
                let code: UInt32 = b < 0x80 || self == .iso88591 || b >= 0xA0 ? UInt32(b) : TextEncoding.cp1252High[Int(b) - 0x80]
                if code < 0x80 {
                    utf8.append(UInt8(code))
                } else if code < 0x800 {
                    utf8.append(UInt8(0xC0 | (code >> 6)))
                    utf8.append(UInt8(0x80 | (code & 0x3F)))
                } else {
                    utf8.append(UInt8(0xE0 | (code >> 12)))
                    utf8.append(UInt8(0x80 | ((code >> 6) & 0x3F)))
                    utf8.append(UInt8(0x80 | (code & 0x3F)))
                }
            }
            return String(decoding: utf8, as: UTF8.self)
        }
    }

    /// Windows-1252 0x80–0x9F (0x80 is €); undefined bytes map to their C1 control code point.
    package static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Guesses the encoding of a file's first bytes: UTF-8 when they are valid UTF-8 (a sequence
    /// cut off at the end of the sample is allowed), else Windows-1252.
    public static func sniff(_ sample: UnsafeBufferPointer<UInt8>) -> TextEncoding {
        var i = 0
        let n = sample.count
        while i < n {
            let b = sample[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            if b & 0xE0 == 0xC0 && b >= 0xC2 {
                length = 2
            } else if b & 0xF0 == 0xE0 {
                length = 3
            } else if b & 0xF8 == 0xF0 && b <= 0xF4 {
                length = 4
            } else {
                return .windows1252
            }
            if i + length > n { return .utf8 }
            for k in 1..<length where sample[i + k] & 0xC0 != 0x80 { return .windows1252 }
            i += length
        }
        return .utf8
    }
}
