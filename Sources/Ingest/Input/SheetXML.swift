import Foundation

/// The XML of a worksheet, read a row at a time: cells by column, shared and inline strings,
/// numbers as their exact text, dates from serials (for cells whose style is a date format),
/// booleans. No ZIP here: `XLSXSource` hands it the inflated part; fuzzing feeds it bytes.
package enum SheetXML {
    /// `Blad1!C12`.
    package static func cellName(_ sheet: String, _ column: Int, _ row: Int) -> String {
        var letters = ""
        var n = column + 1
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return "\(sheet)!\(letters)\(row)"
    }

    /// Excel's last column, XFD: a sheet has at most this many.
    package static let columnLimit = 16_384

    /// The 0-based column of a reference such as `C12`; nil past column XFD or without letters.
    package static func column(of reference: String) -> Int? {
        var n = 0
        var letters = 0
        for b in reference.utf8 {
            guard b >= 65 && b <= 90 else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            n = n * 26 + Int(b - 64)
        }
        return letters > 0 && n <= columnLimit ? n - 1 : nil
    }

    /// The next `<row>`: its number and its cells by column. A number cell's text is as stored
    /// (`1234.5`, `-6.27E-2`), its point written as `decimal` when that is not `.`: with
    /// `decimal: comma` a number cell and a cell of text typed as `1.234,56` read alike.
    package static func nextRow(
        _ scanner: XMLScanner, strings: [String], dateStyles: Set<Int>, date1904: Bool, file: String, decimal: UInt8 = UInt8(ascii: ".")
    ) throws -> (number: Int, cells: [String?])? {
        var number = 0
        var cells: [String?] = []
        var inRow = false
        var nextColumn = 0
        while let event = try scanner.next() {
            switch event {
            case .open("row", let a, let selfClosing):
                number = a["r"].flatMap { Int($0) } ?? number + 1
                if selfClosing { return (number, []) }
                inRow = true
            case .close("row") where inRow:
                return (number, cells)
            case .open("c", let a, let selfClosing) where inRow:
                let column: Int
                if let reference = a["r"] {
                    guard let c = SheetXML.column(of: reference) else {
                        throw WarehouseError(
                            .invalidInput, "\(file): row \(number): cell reference '\(reference.prefix(20))' is not a cell of a sheet (columns A to XFD)")
                    }
                    column = c
                } else {
                    guard nextColumn < columnLimit else {
                        throw WarehouseError(.invalidInput, "\(file): row \(number) has more cells than a sheet's \(columnLimit) columns")
                    }
                    column = nextColumn
                }
                nextColumn = column + 1
                guard !selfClosing else { continue }
                let value = try cellValue(
                    scanner, type: a["t"] ?? "n", style: a["s"].flatMap { Int($0) } ?? 0,
                    strings: strings, dateStyles: dateStyles, date1904: date1904, file: file, decimal: decimal)
                if column >= cells.count { cells += [String?](repeating: nil, count: column - cells.count + 1) }
                cells[column] = value
            default:
                continue
            }
        }
        return inRow ? (number, cells) : nil
    }

    /// A cell's value, read up to `</c>`.
    private static func cellValue(
        _ scanner: XMLScanner, type: String, style: Int, strings: [String], dateStyles: Set<Int>,
        date1904: Bool, file: String, decimal: UInt8
    ) throws -> String? {
        var value: String?
        while let event = try scanner.next() {
            switch event {
            case .open("v", _, false): value = try scanner.text(until: "v")
            case .open("is", _, false): value = try scanner.text(until: "is")
            case .close("c"):
                guard let v = value else { return nil }
                switch type {
                case "s":
                    guard let i = Int(v), i >= 0, i < strings.count else {
                        throw WarehouseError(.invalidInput, "\(file): a cell refers to shared string \(v), which does not exist")
                    }
                    return strings[i]
                case "b": return v == "1" ? "true" : "false"
                case "n" where dateStyles.contains(style): return serialDate(v, date1904: date1904) ?? v
                case "n" where decimal != UInt8(ascii: "."): return v.replacingOccurrences(of: ".", with: String(UnicodeScalar(decimal)))
                default: return v
                }
            default: continue
            }
        }
        return value
    }

    /// An Excel date serial (days since 1899-12-30, or 1904-01-01) as an ISO date; times dropped.
    package static func serialDate(_ text: String, date1904: Bool) -> String? {
        guard let serial = Double(text), serial >= 1, serial < 2_958_466 else { return nil }
        // Days from 1970-01-01.
        let days = Int(serial.rounded(.down)) + (date1904 ? -24107 : -25569)
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    /// The cell styles (indexes into cellXfs) whose number format is a date.
    package static func dateStyles(_ styles: [XMLScanner.Event]) -> Set<Int> {
        var custom: [Int: String] = [:]
        var inXfs = false
        var index = 0
        var result = Set<Int>()
        for event in styles {
            switch event {
            case .open("numFmt", let a, _):
                if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { custom[id] = code }
            case .open("cellXfs", _, let selfClosing): inXfs = !selfClosing
            case .close("cellXfs"): inXfs = false
            case .open("xf", let a, _) where inXfs:
                let id = a["numFmtId"].flatMap { Int($0) } ?? 0
                if (14...22).contains(id) || (45...47).contains(id) || custom[id].map(isDateFormat) == true { result.insert(index) }
                index += 1
            default: continue
            }
        }
        return result
    }

    /// Whether a custom number format shows a date (d, m, y outside quotes and brackets).
    package static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for c in code.lowercased() {
            if c == "\"" {
                quoted.toggle()
                continue
            }
            if c == "[" {
                bracket = true
                continue
            }
            if c == "]" {
                bracket = false
                continue
            }
            if !quoted && !bracket && (c == "d" || c == "y") { return true }
        }
        return false
    }

}
