import Foundation
import Ingest

/// libFuzzer target: the streaming CSV reader. Every input is read through a pipe in tiny chunks
/// (crossing every boundary) with `;` and `"`; records must be well-formed: fields within the
/// record's bytes, line numbers increasing, and no record when the input is empty.
func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let handle = FuzzPipe.handle(bytes)
    // A few chunk boundaries per input (1 to 64 bytes for small inputs, about a third of a large one).
    let reader = CSVReader(handle: handle, delimiter: UInt8(ascii: ";"), maxFieldBytes: 64, chunkSize: max(1 + size % 64, size / 3))
    var lastLine = 0
    while let record = try? reader.next() {
        precondition(record.line > lastLine || (record.line == lastLine && lastLine == 0), "line numbers go back")
        lastLine = record.line
        for range in record.fields { precondition(range.lowerBound >= 0 && range.upperBound <= record.bytes.count) }
        for i in record.fields.indices {
            _ = TextEncoding.utf8.decode(record.field(i))
            _ = TextEncoding.windows1252.decode(record.field(i))
        }
    }
    if size == 0 { precondition(lastLine == 0) }
    return 0
}
