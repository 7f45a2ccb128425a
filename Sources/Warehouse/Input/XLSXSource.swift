import Foundation
import ZIPFoundation

/// Rows of one worksheet of an Excel workbook (`.xlsx`), streamed. The sheet's XML is inflated to
/// a temporary file (never held in memory) and scanned one row at a time; shared strings are
/// the only part kept in memory. Numbers come as their exact text (`-6.2716917700698496E-2`),
/// cells with a date format as ISO dates, booleans as `true`/`false`. A record's line is its row
/// number; rejects name the cell (`Blad1!C12`).
struct XLSXSource: RecordSource {
    let header: [String]
    let headerFromFile: Bool
    let sheetName: String
    private let scanner: XMLScanner
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let date1904: Bool
    private let temporary: TemporaryFile
    private let file: String
    private let width: Int
    var bytesRead: Int { 0 }
    var undeclared: [String] { [] }

    /// Deletes the inflated sheet when the source goes away.
    final class TemporaryFile {
        let path: String
        init(path: String) { self.path = path }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    init(file: String, input: InputFormat) throws {
        self.file = file
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        } catch {
            throw WarehouseError(.invalidInput, "\(file): not a readable Excel workbook (.xlsx is a ZIP archive): \(error)")
        }
        let workbook = try XLSXSource.part(archive, "xl/workbook.xml", file: file)
        let relations = (try? XLSXSource.part(archive, "xl/_rels/workbook.xml.rels", file: file)) ?? []
        var sheets: [(name: String, rid: String)] = []
        var date1904 = false
        for case .open(let name, let a, _) in workbook {
            if name.hasSuffix("sheet"), let n = a["name"], let rid = a["r:id"] ?? a.first(where: { $0.key.hasSuffix(":id") })?.value { sheets.append((n, rid)) }
            if name.hasSuffix("workbookPr"), let d = a["date1904"] { date1904 = d == "1" || d == "true" }
        }
        var targets: [String: String] = [:]
        for case .open(let name, let a, _) in relations where name.hasSuffix("Relationship") {
            if let id = a["Id"], let target = a["Target"] { targets[id] = target }
        }
        let wanted = input.sheet ?? "1"
        guard let chosen = sheets.first(where: { $0.name == wanted }) ?? Int(wanted).flatMap({ $0 >= 1 && $0 <= sheets.count ? sheets[$0 - 1] : nil }) else {
            throw WarehouseError(.invalidInput, "\(file): no sheet '\(wanted)' (sheets: \(sheets.map(\.name).joined(separator: ", ")))")
        }
        sheetName = chosen.name
        var target = targets[chosen.rid] ?? "worksheets/sheet\((sheets.firstIndex { $0.name == chosen.name } ?? 0) + 1).xml"
        if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
        self.date1904 = date1904
        dateStyles = XLSXSource.dateStyles((try? XLSXSource.part(archive, "xl/styles.xml", file: file)) ?? [])
        sharedStrings = try XLSXSource.sharedStrings(archive, file: file)
        temporary = TemporaryFile(path: try XLSXSource.inflate(archive, target, file: file))
        scanner = XMLScanner(handle: try openForReading(temporary.path), source: "\(file) (\(target))")
        headerFromFile = input.header
        // Rows above the header row are titles; the header row names the columns.
        var header: [String] = []
        if input.header {
            while let row = try XLSXSource.nextRow(scanner, strings: sharedStrings, dateStyles: dateStyles, date1904: date1904, file: file) {
                if row.number < input.headerRow { continue }
                header = row.cells.map { ($0 ?? "").trimmedSpaces() }
                while header.last?.isEmpty == true { header.removeLast() }
                break
            }
            guard !header.isEmpty else { throw WarehouseError(.invalidInput, "\(file): sheet \(sheetName) has no header row \(input.headerRow)") }
        }
        self.header = header
        width = header.count
    }

    mutating func next() throws -> SourceRecord? {
        while let row = try XLSXSource.nextRow(scanner, strings: sharedStrings, dateStyles: dateStyles, date1904: date1904, file: file) {
            if !headerFromFile && row.number < 1 { continue }
            if row.cells.allSatisfy({ ($0 ?? "").isEmpty }) { continue }
            let raw = Array(row.cells.map { $0 ?? "" }.joined(separator: "\t").utf8.prefix(64 * 1024))
            var out = SourceRecord(line: row.number, fields: [], problem: nil, rawBytes: raw, rawEncoding: .utf8, valueLabel: nil)
            out.sheet = sheetName
            if headerFromFile, let extra = row.cells.indices.dropFirst(width).first(where: { !(row.cells[$0] ?? "").isEmpty }) {
                out.problem = (XLSXSource.cellName(sheetName, extra, row.number), row.cells[extra], "a value beyond the header's \(width) columns")
                return out
            }
            out.fields = headerFromFile ? (0..<width).map { $0 < row.cells.count ? row.cells[$0] : nil } : row.cells
            return out
        }
        return nil
    }

    /// `Blad1!C12`.
    static func cellName(_ sheet: String, _ column: Int, _ row: Int) -> String {
        var letters = ""
        var n = column + 1
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return "\(sheet)!\(letters)\(row)"
    }

    /// The 0-based column of a reference such as `C12`.
    static func column(of reference: String) -> Int? {
        var n = 0
        var any = false
        for b in reference.utf8 {
            guard b >= 65 && b <= 90 else { break }
            n = n * 26 + Int(b - 64)
            any = true
        }
        return any ? n - 1 : nil
    }

    /// The next `<row>`: its number and its cells by column.
    static func nextRow(_ scanner: XMLScanner, strings: [String], dateStyles: Set<Int>, date1904: Bool, file: String)
        throws -> (number: Int, cells: [String?])? {
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
                let column = a["r"].flatMap(column(of:)) ?? nextColumn
                nextColumn = column + 1
                guard !selfClosing else { continue }
                let value = try cellValue(scanner, type: a["t"] ?? "n", style: a["s"].flatMap { Int($0) } ?? 0,
                                          strings: strings, dateStyles: dateStyles, date1904: date1904, file: file)
                if column >= cells.count { cells += [String?](repeating: nil, count: column - cells.count + 1) }
                cells[column] = value
            default:
                continue
            }
        }
        return inRow ? (number, cells) : nil
    }

    /// A cell's value, read up to `</c>`.
    private static func cellValue(_ scanner: XMLScanner, type: String, style: Int, strings: [String], dateStyles: Set<Int>,
                                  date1904: Bool, file: String) throws -> String? {
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
                default: return v
                }
            default: continue
            }
        }
        return value
    }

    /// An Excel date serial (days since 1899-12-30, or 1904-01-01) as an ISO date; times dropped.
    static func serialDate(_ text: String, date1904: Bool) -> String? {
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
    static func dateStyles(_ styles: [XMLScanner.Event]) -> Set<Int> {
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
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false
        for c in code.lowercased() {
            if c == "\"" { quoted.toggle(); continue }
            if c == "[" { bracket = true; continue }
            if c == "]" { bracket = false; continue }
            if !quoted && !bracket && (c == "d" || c == "y") { return true }
        }
        return false
    }

    /// The shared strings, in order (rich text runs joined; phonetic runs left out).
    static func sharedStrings(_ archive: Archive, file: String) throws -> [String] {
        guard archive["xl/sharedStrings.xml"] != nil else { return [] }
        let path = try inflate(archive, "xl/sharedStrings.xml", file: file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scanner = XMLScanner(handle: try openForReading(path), source: "\(file) (sharedStrings.xml)")
        var strings: [String] = []
        var current: String?
        while let event = try scanner.next() {
            switch event {
            case .open("si", _, let selfClosing):
                if selfClosing { strings.append("") } else { current = "" }
            case .open("t", _, false): current? += try scanner.text(until: "t")
            case .open("rPh", _, false): _ = try scanner.text(until: "rPh")
            case .close("si"):
                strings.append(current ?? "")
                current = nil
            default: continue
            }
        }
        return strings
    }

    /// A small part's events (workbook, relations, styles).
    static func part(_ archive: Archive, _ path: String, file: String) throws -> [XMLScanner.Event] {
        let temp = try inflate(archive, path, file: file)
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let scanner = XMLScanner(handle: try openForReading(temp), source: "\(file) (\(path))")
        var events: [XMLScanner.Event] = []
        while let e = try scanner.next() { events.append(e) }
        return events
    }

    /// Inflates one entry to a temporary file, streaming; returns its path.
    static func inflate(_ archive: Archive, _ path: String, file: String) throws -> String {
        guard let entry = archive[path] else {
            throw WarehouseError(.invalidInput, "\(file): not an Excel workbook: it has no \(path)")
        }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("leefbaar-xlsx-\(UUID().uuidString).xml").path
        guard FileManager.default.createFile(atPath: temp, contents: nil, attributes: [.posixPermissions: 0o600]),
              let out = FileHandle(forWritingAtPath: temp) else {
            throw WarehouseError(.missingFile, "\(file): cannot write a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? out.close() }
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 18) { data in try out.write(contentsOf: data) }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw WarehouseError(.invalidInput, "\(file): cannot read \(path) from the workbook: \(error)")
        }
        return temp
    }
}
