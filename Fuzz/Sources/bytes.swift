import Foundation
import Ingest

/// libFuzzer target: the byte path. Every input is a CSV file (its first byte picks the spec and
/// the encoding), read once with `ByteRowWriter` and once through `RowConverter` alone; the COPY
/// text, rejects, counts, warnings and scrub counts must be the same, or both reads must fail alike.
enum ByteTargets {
    static let specs = [FuzzPipe.spec("SQL/feeds/ledger.yaml"), FuzzPipe.spec("Tests/Fixtures/specs/byte-rows.yaml")]
    static let encodings: [InputFormat.Encoding] = [.auto, .fixed(.utf8), .fixed(.windows1252)]
    static let gemeenten = [
        "GM0106": "GM0106", "Assen": "GM0106", "assen": "GM0106", "GM1690": "GM1690", "De Wolden": "GM1690", "dewolden": "GM1690",
        "gm0106": "GM0106", "gm1690": "GM1690",
    ]
    static let limits: [String: ColumnLimit] = [
        "amount": .numeric(12, 2), "line_no": .integer, "journal": .varchar(5), "up": .varchar(5), "c": .varchar(5),
    ]

    /// What a read gives, as text: lines, rejects, counts, warnings, scrub counts; or its error.
    static func read(_ spec: FeedSpec, _ path: String, byteRows: Bool) -> String {
        do {
            let privacy = PrivacyGuard(key: Data(repeating: 7, count: 32))
            var stream = RowStream(
                probe: try FileProbe(path: path, input: spec.input), spec: spec, gemeenten: gemeenten, privacy: privacy, limit: .percent(100),
                limits: limits)
            stream.byteRows = byteRows
            var copy: [UInt8] = []
            try stream.read(chunkRows: 3) { bytes, _ in copy += bytes }
            let rejects = stream.rejects.map { "\($0.line)|\($0.column ?? "-")|\($0.rawValue ?? "-")|\($0.reason)|\($0.rawRecord)" }
            return String(decoding: copy, as: UTF8.self) + "\n" + rejects.joined(separator: "\n")
                + "\n\([stream.rowsRead, stream.rowsWritten, stream.rowsSkipped, stream.rowsFiltered]) \(stream.warnings) \(privacy.counts.sorted { $0.key < $1.key })"
        } catch {
            return "error: \(error)"
        }
    }
}

func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    var spec = ByteTargets.specs[Int(data[0] & 1)]
    spec.input.encoding = ByteTargets.encodings[Int(data[0] >> 1) % ByteTargets.encodings.count]
    let path = FuzzPipe.path(Array(UnsafeBufferPointer(start: data + 1, count: size - 1)))
    let fast = ByteTargets.read(spec, path, byteRows: true)
    let slow = ByteTargets.read(spec, path, byteRows: false)
    precondition(fast == slow, "the byte path differs:\n\(fast)\n--- the converter:\n\(slow)")
    return 0
}
