import Foundation
import Dates
import Ingest

/// libFuzzer target: the value parsers a file's text reaches: Dutch and plain numbers (with
/// e-notation), rounding, dates in every format, setting numbers, encoding sniffing. A number
/// that parses must print as text that parses back to the same value.
func fuzzValues(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    _ = TextEncoding.sniff(bytes)
    let text = String(decoding: bytes, as: UTF8.self)
    let signs = ExactDecimal.Style(
        decimal: UInt8(ascii: ","), thousands: UInt8(ascii: "."), currency: true, parenthesesNegative: true, trailingMinus: true)
    for style in [ExactDecimal.Style.dutch, .plain, signs] {
        if let d = ExactDecimal.parse(text, style: style) {
            precondition(ExactDecimal.parse(d.description, style: .plain) == d, "\(d) does not round-trip")
            for scale in [0, 2, 4] {
                if let r = d.rounded(to: scale, .halfEven) { precondition(r.scale == scale) }
                _ = d.rounded(to: scale, .halfUp)
                _ = d.rescaled(to: scale)
            }
            _ = d.integerDigits
        }
    }
    _ = ExactDecimal.settingNumber(text)
    for format in ["dd-mm-yyyy", "dd/mm/yyyy", "dd.mm.yyyy", "yyyy-mm-dd"] {
        if let date = DateFormat(format)?.parse(text) {
            precondition(CalendarDate(iso: date.description) == date, "\(date) does not round-trip")
        }
    }
    return 0
}
