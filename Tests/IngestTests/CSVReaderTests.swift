import Foundation
import Testing
@testable import Ingest

/// The record reader gives the same records and line numbers whatever the chunk size, so records,
/// quotes, CRLF pairs and multi-byte characters may straddle any chunk boundary.
@Suite struct CSVReaderTests {
    static let tricky = Array(
        ("a;b;c\r\n" + "1;\"x;y\";\"he said \"\"hi\"\"\"\r\n" + "\r\n"
            + "2;\"multi\r\nline\nfield\";é€\n" + "3;;\n" + "4;\"\";last\r" + "5;end;\"q\"").utf8)

    static func read(_ bytes: [UInt8], chunk: Int) throws -> [(Int, [String], String?)] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let reader = CSVReader(handle: handle, delimiter: UInt8(ascii: ";"), chunkSize: chunk)
        var out: [(Int, [String], String?)] = []
        while let r = try reader.next() {
            out.append((r.line, r.fields.indices.map { String(decoding: r.field($0), as: UTF8.self) }, r.problem?.reason))
        }
        return out
    }

    @Test func sameRecordsForEveryChunkSize() throws {
        let expected = try Self.read(Self.tricky, chunk: 1 << 20)
        #expect(expected.map(\.0) == [1, 2, 4, 7, 8, 9])
        #expect(
            expected.map(\.1) == [
                ["a", "b", "c"], ["1", "x;y", "he said \"hi\""], ["2", "multi\r\nline\nfield", "é€"],
                ["3", "", ""], ["4", "", "last"], ["5", "end", "q"],
            ])
        #expect(expected.allSatisfy { $0.2 == nil })
        for chunk in 1...23 {
            let got = try Self.read(Self.tricky, chunk: chunk)
            #expect(got.map(\.0) == expected.map(\.0), "lines differ with chunk \(chunk)")
            #expect(got.map(\.1) == expected.map(\.1), "fields differ with chunk \(chunk)")
        }
    }

    @Test func problemsAreFoundAcrossChunks() throws {
        let bytes = Array("x;\"open\n;never closed".utf8)
        for chunk in [1, 2, 3, 5, 1 << 20] {
            let got = try Self.read(bytes, chunk: chunk)
            #expect(got.count == 1)
            #expect(got.first?.2 == "unterminated quoted field (opened on line 1) at end of file")
        }
        let stray = try Self.read(Array("1;\"a\"b;c\n2;d;e\n".utf8), chunk: 2)
        #expect(stray.map(\.2) == ["unexpected character after closing quote", nil])
        #expect(stray.last?.1 == ["2", "d", "e"])
    }

    /// A ZIP archive given to a text spec is refused naming what it holds; the names are the
    /// archive's, so a control character in one (a newline that would fake a log line) shows as ?.
    @Test func aZIPArchiveIsRefusedNamingItsFilesSafely() throws {
        // A stored archive of empty files (CRC 0), written by hand; names flagged UTF-8 (bit 11).
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let names = ["scores\nERROR forged.csv", "scores-2019.csv", "toelichting.txt"]
        var local: [UInt8] = []
        var central: [UInt8] = []
        for name in names {
            let n = Array(name.utf8)
            let offset = local.count
            local +=
                le(0x0403_4b50, 4) + le(20, 2) + le(0x0800, 2) + le(0, 2) + le(0, 2) + le(0x21, 2) + le(0, 4) + le(0, 4) + le(0, 4) + le(n.count, 2) + le(0, 2)
                + n
            central += le(0x0201_4b50, 4) + le(20, 2) + le(20, 2) + le(0x0800, 2) + le(0, 2) + le(0, 2) + le(0x21, 2) + le(0, 4) + le(0, 4) + le(0, 4)
            central += le(n.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + n
        }
        let end = le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(names.count, 2) + le(names.count, 2) + le(central.count, 4) + le(local.count, 4) + le(0, 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("leefbaar-\(UUID().uuidString).zip").path
        try Data(local + central + end).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try FileProbe(path: path, input: InputFormat())
            Issue.record("the archive was not refused")
        } catch let error as WarehouseError {
            #expect(
                error.message.contains("a ZIP archive holding scores?ERROR forged.csv, scores-2019.csv, toelichting.txt, 2 of them a .csv file: unzip it"),
                "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
        // Its one CSV file is read from a temporary file that goes with the probe.
        let download = packageRoot().appendingPathComponent("Tests/Fixtures/real/leefbaarometer-download.zip").path
        var inflated = ""
        do {
            let probe = try FileProbe(path: download, input: InputFormat())
            #expect(probe.entry == "leefbaarometer-3.0-buurten.csv")
            #expect(probe.name == "\(download) (leefbaarometer-3.0-buurten.csv)")
            #expect(probe.delimiter == UInt8(ascii: ","))
            #expect(probe.dataSize == 4507 && probe.size > 0 && probe.size < 4507)
            inflated = probe.dataPath
            #expect(FileManager.default.fileExists(atPath: inflated))
        }
        #expect(!inflated.isEmpty && !FileManager.default.fileExists(atPath: inflated))
    }

    @Test func excelsSeparatorHint() {
        #expect(FileProbe.separatorHint(Array("sep=;\r\nA;B".utf8)) == UInt8(ascii: ";"))
        #expect(FileProbe.separatorHint(Array("SEP=|\n".utf8)) == UInt8(ascii: "|"))
        #expect(FileProbe.separatorHint(Array("sep=\t\n".utf8)) == 0x09)
        #expect(FileProbe.separatorHint(Array("sep=,".utf8)) == UInt8(ascii: ","))
        for no in ["sep=;;\n", "sep=\n", "sep=", "separator;x\n", "Sep;Dagboek\n", "sep=\"\n", " sep=;\n"] {
            #expect(FileProbe.separatorHint(Array(no.utf8)) == nil, "\(no)")
        }
    }

    @Test func dutchNumbersAndDates() {
        let dutch = ExactDecimal.Style.dutch
        #expect(ExactDecimal.parse("1.234.567,89", style: dutch)?.description == "1234567.89")
        #expect(ExactDecimal.parse("€ -1.000,10", style: dutch)?.description == "-1000.10")
        #expect(ExactDecimal.parse("-€ 5", style: dutch)?.description == "-5")
        #expect(ExactDecimal.parse("0,05", style: dutch)?.description == "0.05")
        for bad in ["12,34,5", "1.23.4", "1.2345", "", "€", "abc", "1,2,3", "--1", "1e", "1e5x", "e5", "1e1234"] {
            #expect(ExactDecimal.parse(bad, style: dutch) == nil, "\(bad) parsed")
        }
        var parentheses = dutch
        parentheses.parenthesesNegative = true
        #expect(ExactDecimal.parse("(12,50)", style: parentheses)?.description == "-12.50")
        #expect(ExactDecimal.parse("(12,50)", style: dutch) == nil)
        var trailing = dutch
        trailing.trailingMinus = true
        #expect(ExactDecimal.parse("1.234,56-", style: trailing)?.description == "-1234.56")
        #expect(ExactDecimal.parse(" 12,50 - ", style: trailing)?.description == "-12.50")
        #expect(ExactDecimal.parse("€ 800,00-", style: trailing)?.description == "-800.00")
        #expect(ExactDecimal.parse("12,50", style: trailing)?.description == "12.50")
        #expect(ExactDecimal.parse("1.234,56-", style: dutch) == nil)
        // One sign at most, in any style: no double negative becomes a positive amount.
        var both = trailing
        both.parenthesesNegative = true
        for bad in ["-12,50-", "+12,50-", "(12,50)-", "(-12,50)", "-€ -5", "€ -5-", "-", "--"] {
            #expect(ExactDecimal.parse(bad, style: both) == nil, "\(bad) parsed")
        }
        #expect(ExactDecimal.parse("-€ -5", style: dutch) == nil)
        #expect(ExactDecimal.parse("(-12,50)", style: parentheses) == nil)
        #expect(ExactDecimal.parse("1234.5", style: .plain)?.rescaled(to: 2)?.description == "1234.50")
        #expect(ExactDecimal.parse("1.005", style: .plain)?.rescaled(to: 2) == nil)
        let format = DateFormat("dd-mm-yyyy")
        #expect(format?.parse("1-3-2019")?.description == "2019-03-01")
        #expect(format?.parse("2019-10-01")?.description == "2019-10-01")
        #expect(format?.parse("2019-10-01T12:00:00")?.description == "2019-10-01")
        for bad in ["31-02-2019", "29-02-2019", "2019/03/01", "01-13-2019", "1-3-19", "01-03-2019x", ""] {
            #expect(format?.parse(bad) == nil, "\(bad) parsed")
        }
        #expect(format?.parse("29-02-2020")?.description == "2020-02-29")
        // A month by name (Dutch or English) in a day-first format, with a four-digit year.
        for (text, iso) in [
            ("1-mrt-2019", "2019-03-01"), ("01 MAART 2019", "2019-03-01"), ("15-okt.-2019", "2019-10-15"), ("3 May 2019", "2019-05-03"),
            ("31.dec.2019", "2019-12-31"), ("29 februari 2020", "2020-02-29"),
        ] {
            #expect(format?.parse(text)?.description == iso, "\(text)")
            #expect(DateFormat("dd/mm/yyyy")?.parse(text)?.description == iso, "\(text)")
        }
        for bad in ["31-feb-2019", "29 februari 2019", "1-mrt-19", "1-foo-2019", "mrt-1-2019", "1-mrt-2019-2", "1--2019", "123-mrt-2019", "1 maart"] {
            #expect(format?.parse(bad) == nil, "\(bad) parsed")
        }
        #expect(DateFormat("yyyy-mm-dd")?.parse("2019-mrt-01") == nil)
    }
}
