import Foundation
import Testing

@testable import Ingest
import Samples

/// The byte path (`ByteRowWriter`) must give exactly the COPY lines, rejects, counts and warnings
/// that `RowConverter.convert` gives: every file here is read both ways and compared.
@Suite struct ByteRowWriterTests {
    /// Everything a read produces that a load could see.
    struct Outcome: Equatable {
        var copy: String
        var rejects: [String]
        var counts: [Int]
        var warnings: [String]
        var dropped: [String]
        var scrubbed: [String: Int]
    }

    static let gemeenten: [String: String] = {
        var map: [String: String] = [:]
        for (code, name) in [("GM0106", "Assen"), ("GM1690", "De Wolden"), ("GM0118", "Hoogeveen"), ("GM1731", "Midden-Drenthe")] {
            for key in [code, name, RowConverter.normalize(code), RowConverter.normalize(name)] { map[key] = code }
        }
        return map
    }()

    /// Reads `file` with the byte path on or off; the number of rows the byte path wrote.
    static func read(_ spec: FeedSpec, _ file: String, limits: [String: ColumnLimit], byteRows: Bool) throws -> (Outcome, Int) {
        let privacy = PrivacyGuard(key: Data(repeating: 7, count: 32))
        var stream = RowStream(
            probe: try FileProbe(path: file, input: spec.input), spec: spec, gemeenten: gemeenten, privacy: privacy,
            limit: .percent(100), limits: limits)
        stream.byteRows = byteRows
        var copy: [UInt8] = []
        try stream.read(chunkRows: 7) { bytes, _ in copy += bytes }
        let rejects = stream.rejects.map { "\($0.line)|\($0.column ?? "-")|\($0.rawValue ?? "-")|\($0.reason)|\($0.rawRecord)" }
        let outcome = Outcome(
            copy: String(decoding: copy, as: UTF8.self), rejects: rejects,
            counts: [stream.rowsRead, stream.rowsWritten, stream.rowsSkipped, stream.rowsFiltered], warnings: stream.warnings,
            dropped: stream.dropped, scrubbed: privacy.counts)
        return (outcome, stream.rowsFromBytes)
    }

    /// A CSV file of `rows` records, each field drawn from `values[column]` (four times in five
    /// from its first three values, the common ones), quoted when it must be.
    static func file(header: [String], values: [[String]], rows: Int, seed: UInt64, encoding: String.Encoding, in dir: URL) throws -> String {
        var rng = SampleRandom(seed: seed)
        var text = header.joined(separator: ";") + "\r\n"
        for _ in 0..<rows {
            let fields = values.map { choices -> String in
                let v = rng.unit() < 0.8 ? rng.pick(Array(choices.prefix(3))) : rng.pick(choices)
                return v.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\t" || $0 == "\r" })
                    ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
            }
            text += fields.joined(separator: ";") + "\r\n"
        }
        let url = dir.appendingPathComponent("grootboek-\(seed).csv")
        guard let data = text.data(using: encoding, allowLossyConversion: false) else { throw CocoaError(.fileWriteInapplicableStringEncoding) }
        try data.write(to: url)
        return url.path
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let ledgerValues: [[String]] = [
        [
            "01-03-2019", "1-3-2019", "31-12-2019", "31-02-2019", "2019-03-01", "2019-03-01T10:00", "2019-03-01t10:00", " 01-03-2019", "01-03-2019 ", "",
            "01/03/2019", "01-03-1899", "01-03-19", "29-02-2020", "01-03-2019 rommel",
        ],
        ["MEM", "mem", "Mem\\x", "MEM ", "", "IN;K", "MEMORIAAL"],
        ["D1", "2019-000001", "D 2", "", "d\"q\""],
        ["1", "-5", "+1", "-0", "007", "1.234", "12,0", "99999999999999999999", "2147483648", "", " 3", "3 ", "x", "1e3", "123456789012345678"],
        ["4100", "", "44 00", "4400\t1"],
        ["LB01", "", "lb 02", "Kostenplaats é"],
        ["Assen", "GM0106", "De Wolden", "assen", "ASSEN", "gm0106", "Groningen", "", " Assen", "Midden-Drenthe", "Hoogeveen "],
        ["P001", "p001", "", "P 001", "wk010601", "BU01060101", "WK", "ÄB", "bu", "GM0106"],
        ["basis", "plus", "Basis", "BASIS", "plusplus", "x", "", " plus", "plus plus"],
        ["projecten", "Projecten", "", "OVERIG", "Éénmalig", "schoon-heel-veilig"],
        [
            "Opschoonactie 12", "Café-avond", "Straatschildering; regel 8", "tab\\there", "a\tb", "mail jan@example.nl", "bsn 123456782", "06-12345678",
            " lead", "trail ", "", "regel\nnieuw", "€ 12 voor €", "0612345678 en 123456782",
        ],
        [
            "1.234,56", "-12,5", "€ 12,50", "12,345", "(12,50)", "1,2,3", "0,005", "12", "1e3", "-0,00", "€-5", "1.23", "123.456.789,01",
            "99999999999,99", "", "€ 800.000", " 5,00", "5,00 ", "+7",
        ],
    ]

    static let ledgerHeader = "Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag"
        .split(separator: ";").map(String.init)

    static func limits() -> [String: ColumnLimit] {
        ["amount": .numeric(12, 2), "line_no": .integer, "journal": .varchar(8)]
    }

    @Test(arguments: [(String.Encoding.utf8, UInt64(1)), (.windowsCP1252, 2), (.utf8, 3), (.windowsCP1252, 4)])
    func theLedgerReadsTheSameThroughBytesAsThroughTheConverter(encoding: String.Encoding, seed: UInt64) throws {
        let root = packageRoot()
        var spec = try FeedSpec.load(
            path: root.appendingPathComponent("SQL/feeds/ledger.yaml").path, sql: SQLDirectory(path: root.appendingPathComponent("SQL").path))
        spec.input.encoding = encoding == .utf8 ? .fixed(.utf8) : .fixed(.windows1252)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.file(header: Self.ledgerHeader, values: Self.ledgerValues, rows: 3000, seed: seed, encoding: encoding, in: dir)
        let (fast, fromBytes) = try Self.read(spec, file, limits: Self.limits(), byteRows: true)
        let (slow, none) = try Self.read(spec, file, limits: Self.limits(), byteRows: false)
        #expect(none == 0)
        // Both ways are taken: a file of only odd values would compare nothing.
        #expect(fromBytes > 1000 && fromBytes < fast.counts[1], "rows written from bytes: \(fromBytes) of \(fast.counts[1])")
        #expect(fast.rejects.count > 100)
        #expect(fast.copy == slow.copy)
        #expect(fast.rejects == slow.rejects)
        #expect(fast.counts == slow.counts && fast.warnings == slow.warnings && fast.scrubbed == slow.scrubbed)
    }

    static let mixedValues: [[String]] = [
        ["1", "-10", "+5", "-11", "1000", "1001", "05", "", "NULL", "-", "x", "1.5", "1e2", " 7"],
        ["1.005", "-5", "12", "1.004", "-5.01", "99999", "99999.001", "", "abc", "1e-2", "0.125", "-0", "1,5"],
        ["2019-01-01", "2019-12-31", "2019-6-5", "2020-01-01", "2018-12-31", "2019-02-29", "2019-06-15 10:00", "", "15-06-2019"],
        ["ab", "AB", "c d", "E F", "ef", "e f", "XY", "", "wk0106", "-"],
        ["abc", "ABC", "aBc dE", "", "éa"],
        ["ABC", "n.v.t.", "Mixed Case", "", "NULL", "Ü"],
        ["ja", "nee", "", "Ja", "JA", "Nee", "misschien", "-"],
        ["plain", "tab\\x", "", " spaced ", "jan@example.nl", "123456782", "nine 1 2 3 4 5 6 7 8 9"],
        ["een", "twee", "drie", "", "Een"],
        ["AB12", "CD3", "", "ab12", "A1"],
        ["x", "y", "NULL", ""],
        ["secret", "", "Naam"],
        ["ja", "nee", "", "x"],
        ["GM0106", "GM1690", "gm0106", "Assen", "Groningen", "", "GM9999"],
        ["WK010601", "", "XY1", "WK169001", "BU01180101", "wk0106"],
    ]

    @Test(arguments: [UInt64(11), 12, 13])
    func everyRuleReadsTheSameThroughBytesAsThroughTheConverter(seed: UInt64) throws {
        let spec = try FeedSpec.load(path: packageRoot().appendingPathComponent("Tests/Fixtures/specs/byte-rows.yaml").path, sql: nil)
        let header = ["N", "D", "Day", "C", "Up", "Low", "Word", "T", "M", "P", "Gone", "H", "F", "G", "W"]
        let values = Self.mixedValues
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.file(header: header, values: values, rows: 4000, seed: seed, encoding: .utf8, in: dir)
        let limits: [String: ColumnLimit] = ["up": .varchar(5), "c": .varchar(5)]
        let (fast, fromBytes) = try Self.read(spec, file, limits: limits, byteRows: true)
        let (slow, _) = try Self.read(spec, file, limits: limits, byteRows: false)
        #expect(fromBytes > 200 && fromBytes < fast.counts[1], "rows written from bytes: \(fromBytes) of \(fast.counts[1])")
        #expect(fast.counts[2] > 0, "rows outside the werkgebied")
        #expect(fast.copy == slow.copy)
        #expect(fast.rejects == slow.rejects)
        #expect(fast.counts == slow.counts && fast.warnings == slow.warnings && fast.scrubbed == slow.scrubbed && fast.dropped == slow.dropped)
    }

    /// A field no column reads, with bytes the file's encoding cannot hold: the converter's reader
    /// rejects the record, and so must the byte path (found by `make fuzz`, target bytes).
    @Test func aBadlyEncodedFieldNoColumnReadsIsARejectBothWays() throws {
        var spec = try FeedSpec.load(path: packageRoot().appendingPathComponent("SQL/feeds/ledger.yaml").path, sql: nil)
        spec.input.encoding = .fixed(.utf8)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let header = "Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag;Extra\n"
        var bytes = Array((header + "01-03-2019;MEM;D1;1;4100;LB01;GM0106;P1;basis;x;y;1,00;caf\u{E9}\n").utf8)
        bytes += Array("01-03-2019;MEM;D1;2;4100;LB01;GM0106;P1;basis;x;y;2,00;pr".utf8) + [0x8F]
        bytes += Array("ject\n01-03-2019;MEM;D1;3;4100;LB01;GM0106;P1;basis;x;y;3,00;\n".utf8)
        let file = dir.appendingPathComponent("extra.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let (fast, fromBytes) = try Self.read(spec, file, limits: Self.limits(), byteRows: true)
        let (slow, _) = try Self.read(spec, file, limits: Self.limits(), byteRows: false)
        #expect(fast == slow)
        #expect(fromBytes == 2)
        #expect(fast.rejects.map { $0.split(separator: "|").prefix(2).joined(separator: "|") } == ["3|Extra"])
        #expect(fast.counts[1] == 2)
    }

    @Test func aFeedWithAWhereFilterOrDerivedColumnsHasNoBytePath() throws {
        let filtered = try FeedSpec.parse(
            """
            feed: f
            target: core.f
            where:
              - {field: Soort, in: [a]}
            columns:
              - {name: a, source: A}
            """, path: "f.yaml", sql: nil)
        let converter = try RowConverter(
            spec: filtered, header: ["A", "Soort"], fieldCount: 2, gemeenten: [:], privacy: PrivacyGuard(key: nil), file: "f.csv")
        #expect(ByteRowWriter(converter) == nil)
        let derived = try FeedSpec.parse(
            """
            feed: g
            target: core.g
            columns:
              - {name: area_code, source: Code, type: code}
              - {name: gemeente_code, transform: gemeente_of, from: area_code}
            """, path: "g.yaml", sql: nil)
        let second = try RowConverter(
            spec: derived, header: ["Code"], fieldCount: 1, gemeenten: Self.gemeenten, privacy: PrivacyGuard(key: nil), file: "g.csv")
        #expect(ByteRowWriter(second) == nil)
    }

    @Test(arguments: ["0", "1", "+1", "-1", "-0", "007", "+", "-", "", "1 ", "1.0", "123456789012345678", "1234567890123456789", "x1", "--1"])
    func wholeNumbersAreReadAsInt64ReadsThem(text: String) {
        var text = text
        let fast = text.withUTF8 { ByteRowWriter.wholeNumber($0) }
        // Longer numbers are left to the converter (nil), which reads them as Int64 does.
        if text.utf8.count - (text.first == "-" || text.first == "+" ? 1 : 0) > 18 {
            #expect(fast == nil)
        } else {
            #expect(fast == Int64(text))
        }
    }
}
