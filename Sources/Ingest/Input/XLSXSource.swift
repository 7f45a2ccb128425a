import Foundation
import ZIPFoundation

/// Rows of one worksheet of an Excel workbook (`.xlsx`), streamed. The sheet's XML is inflated to
/// a temporary file (never held in memory) and scanned one row at a time; shared strings are
/// the only part kept in memory. Numbers come as their exact text (`-6.2716917700698496E-2`),
/// cells with a date format as ISO dates, booleans as `true`/`false`. A record's line is its row
/// number; rejects name the cell (`Blad1!C12`).
package struct XLSXSource: RecordSource {
    package let header: [String]
    package let headerFromFile: Bool
    package let sheetName: String
    private let scanner: XMLScanner
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let date1904: Bool
    /// The spec's decimal separator, which number cells are written with (`SheetXML.nextRow`).
    private let decimal: UInt8
    private let temporary: TemporaryFile
    private let file: String
    private let width: Int
    package var bytesRead: Int { 0 }
    package var undeclared: [String] { [] }

    /// Deletes the inflated sheet when the source goes away.
    package final class TemporaryFile: Sendable {
        package let path: String
        package init(path: String) { self.path = path }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    package init(file: String, input: InputFormat) throws {
        self.file = file
        let archive: Archive
        do {
            archive = try openArchive(file)
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
        decimal = input.numbers.decimal
        dateStyles = SheetXML.dateStyles((try? XLSXSource.part(archive, "xl/styles.xml", file: file)) ?? [])
        sharedStrings = try XLSXSource.sharedStrings(archive, file: file)
        temporary = TemporaryFile(path: try XLSXSource.inflate(archive, target, file: file))
        scanner = XMLScanner(handle: try openForReading(temporary.path), source: "\(file) (\(target))")
        headerFromFile = input.header
        // Rows above the header row are titles; the header row names the columns.
        var header: [String] = []
        if input.header {
            while let row = try SheetXML.nextRow(scanner, strings: sharedStrings, dateStyles: dateStyles, date1904: date1904, file: file, decimal: decimal) {
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

    package mutating func next() throws -> SourceRecord? {
        while let row = try SheetXML.nextRow(scanner, strings: sharedStrings, dateStyles: dateStyles, date1904: date1904, file: file, decimal: decimal) {
            if !headerFromFile && row.number < 1 { continue }
            if row.cells.allSatisfy({ ($0 ?? "").isEmpty }) { continue }
            let raw = Array(row.cells.map { $0 ?? "" }.joined(separator: "\t").utf8.prefix(64 * 1024))
            var out = SourceRecord(line: row.number, fields: [], problem: nil, rawBytes: raw, rawEncoding: .utf8, valueLabel: nil)
            out.sheet = sheetName
            if headerFromFile, let extra = row.cells.indices.dropFirst(width).first(where: { !(row.cells[$0] ?? "").isEmpty }) {
                out.problem = (SheetXML.cellName(sheetName, extra, row.number), row.cells[extra], "a value beyond the header's \(width) columns")
                return out
            }
            out.fields = headerFromFile ? (0..<width).map { $0 < row.cells.count ? row.cells[$0] : nil } : row.cells
            return out
        }
        return nil
    }

    /// The shared strings, in order (rich text runs joined; phonetic runs left out).
    package static func sharedStrings(_ archive: Archive, file: String) throws -> [String] {
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
    package static func part(_ archive: Archive, _ path: String, file: String) throws -> [XMLScanner.Event] {
        let temp = try inflate(archive, path, file: file)
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let scanner = XMLScanner(handle: try openForReading(temp), source: "\(file) (\(path))")
        var events: [XMLScanner.Event] = []
        while let e = try scanner.next() { events.append(e) }
        return events
    }

    /// Inflates one entry to a temporary file, streaming; returns its path.
    package static func inflate(_ archive: Archive, _ path: String, file: String) throws -> String {
        guard let entry = archive[path] else {
            throw WarehouseError(.invalidInput, "\(file): not an Excel workbook: it has no \(path)")
        }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("leefbaar-xlsx-\(UUID().uuidString).xml").path
        guard FileManager.default.createFile(atPath: temp, contents: nil, attributes: [.posixPermissions: 0o600]),
            let out = FileHandle(forWritingAtPath: temp)
        else {
            throw WarehouseError(.missingFile, "\(file): cannot write a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? out.close() }
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 18) { data in try out.write(contentsOf: data) }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw WarehouseError(.invalidInput, "\(file): cannot read \(path) from the archive: \(error)")
        }
        return temp
    }
}
