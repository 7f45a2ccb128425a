import Foundation
import Testing

@testable import Ingest

/// The file-to-COPY path without a database: what the loader sends is decided here.
@Suite struct RowStreamTests {
    /// Reads `text` as a ledger file with the shipped spec (in a directory removed afterwards).
    private static func withLedger(
        _ text: String, gemeenten: [String: String], limit: RejectLimit, _ body: (inout RowStream) throws -> Void
    ) throws {
        let root = packageRoot()
        let spec = try FeedSpec.load(
            path: root.appendingPathComponent("SQL/feeds/ledger.yaml").path, sql: SQLDirectory(path: root.appendingPathComponent("SQL").path))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rowstream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("grootboek-2019.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        var stream = RowStream(
            probe: try FileProbe(path: file, input: spec.input), spec: spec, gemeenten: gemeenten,
            privacy: PrivacyGuard(key: Data(repeating: 7, count: 32)), limit: limit, limits: [:])
        try body(&stream)
    }

    @Test func aDutchLedgerBecomesCopyLinesRejectsAndCounts() throws {
        let text = """
            Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag
            01-03-2019;MEM;D1;1;4100;;Assen;;basis;;"tab\there";€ 1.234,56
            02-03-2019;MEM;D1;2;4100;;Assen;;basis;;;twaalf
            03-03-2019;MEM;D1;3;4100;;GM0106;;plus;Projecten;;-5

            """
        try Self.withLedger(text, gemeenten: ["GM0106": "GM0106", "assen": "GM0106"], limit: .count(5)) { stream in
            var chunks: [(String, Int)] = []
            try stream.read(chunkRows: 1) { bytes, rows in chunks.append((String(decoding: bytes, as: UTF8.self), rows)) }
            #expect(stream.rowsRead == 3 && stream.rowsWritten == 2 && stream.rejects.count == 1)
            #expect(stream.rejects.first?.line == 3 && stream.rejects.first?.column == "Bedrag")
            #expect(chunks.map(\.1) == [1, 1])
            // Spec column order, tab-separated, \N for NULL, the tab in the text escaped, the source line last.
            #expect(chunks.first?.0 == "2019-03-01\tMEM\tD1\t1\t4100\t\\N\tGM0106\t\\N\tbasis\toverig\ttab\\there\t1234.56\t2\n")
            #expect(chunks.last?.0 == "2019-03-03\tMEM\tD1\t3\t4100\t\\N\tGM0106\t\\N\tplus\tprojecten\t\\N\t-5.00\t4\n")
        }
    }

    /// The first chunk is an eighth of `chunkRows` and each next one twice the one before, so
    /// the server starts storing rows while the client converts the next; every row comes once.
    @Test func chunksGrowFromAnEighthToChunkRows() throws {
        var text = "Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag\n"
        for n in 1...100 { text += "01-03-2019;MEM;D1;\(n);4100;;Assen;;basis;;;\(n),00\n" }
        try Self.withLedger(text, gemeenten: ["assen": "GM0106"], limit: .count(0)) { stream in
            var sizes: [Int] = []
            var lines = 0
            try stream.read(chunkRows: 16) { bytes, rows in
                sizes.append(rows)
                lines += bytes.filter { $0 == 0x0A }.count
            }
            #expect(sizes == [2, 4, 8, 16, 16, 16, 16, 16, 6])
            #expect(lines == 100 && stream.rowsWritten == 100)
        }
    }
}

@Suite struct CopyTextTests {
    @Test(arguments: [0, 1, 9, 10, 99, 100, 12_345, 1_000_000, Int.max])
    func lineNumbersAreWrittenAsDecimalDigits(n: Int) {
        var out: [UInt8] = [0x41]
        CopyText.digits(n, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "A\(n)")
    }
}
