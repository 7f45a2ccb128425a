import Foundation
import Ingest

/// libFuzzer targets: the JSON readers from file bytes to converted rows. JSON Lines splits on
/// physical lines; a JSON array is split into objects by a streaming scanner. Every record ends
/// in values or a reject naming its line; lines never go back; no record is invented from an
/// empty file.
enum RecordTargets {
    /// Every other column joins an array's items (`join: "|"`), so arrays reach that path too.
    static let lines: FeedSpec = {
        var spec = FuzzPipe.spec("SQL/feeds/cases-jsonl.yaml")
        for i in spec.columns.indices where i % 2 == 0 && !spec.columns[i].sources.isEmpty { spec.columns[i].join = "|" }
        return spec
    }()
    static let array = FuzzPipe.spec("Tests/Fixtures/real/klassen.yaml")

    /// The converter of the last header seen: the JSON readers take their header from the spec,
    /// so one converter serves every input (building it per input was a tenth of the time).
    nonisolated(unsafe) private static var converters: (header: [String], converter: RowConverter?)?

    static func drain(_ source: inout some RecordSource, spec: FeedSpec, size: Int) {
        if converters?.header != source.header {
            converters = (
                source.header,
                try? RowConverter(
                    spec: spec, header: source.header, fieldCount: source.header.count,
                    gemeenten: ["assen": "GM0106"], privacy: PrivacyGuard(key: Data(repeating: 7, count: 32)), file: "fuzz")
            )
        }
        guard let converter = converters?.converter else { return }
        var lastLine = 0
        var count = 0
        while count < 100_000, let record = try? source.next() {
            count += 1
            precondition(record.line >= lastLine, "line numbers go back")
            precondition(record.line >= 1)
            lastLine = record.line
            _ = converter.convert(record)
        }
        if size == 0 { precondition(count == 0, "a record from an empty file") }
    }
}

func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzPipe.path(Array(UnsafeBufferPointer(start: data, count: size)))
    guard var source = try? JSONLinesSource(file: path, spec: RecordTargets.lines) else { return 0 }
    RecordTargets.drain(&source, spec: RecordTargets.lines, size: size)
    return 0
}

func fuzzJSONArray(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzPipe.path(Array(UnsafeBufferPointer(start: data, count: size)))
    guard var source = try? JSONArraySource(file: path, spec: RecordTargets.array, skip: 0) else { return 0 }
    RecordTargets.drain(&source, spec: RecordTargets.array, size: size)
    return 0
}
