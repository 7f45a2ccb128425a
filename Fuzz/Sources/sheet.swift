import Foundation
import Ingest

/// libFuzzer target: a worksheet's XML (and shared strings, styles) as the xlsx reader scans it:
/// any bytes must end in rows or a clear error, never a crash or a hang.
func fuzzSheet(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let scanner = XMLScanner(handle: FuzzPipe.handle(bytes), source: "fuzz")
    let strings = ["a", "b", "c"]
    var rows = 0
    while rows < 10_000,
        let row = try? SheetXML.nextRow(
            scanner, strings: strings, dateStyles: [1], date1904: size % 2 == 0, file: "fuzz", decimal: size % 3 == 0 ? UInt8(ascii: ",") : UInt8(ascii: "."))
    {
        rows += 1
        precondition(row.cells.count <= 16_384 * 4 || row.cells.isEmpty == false)
    }
    var events: [XMLScanner.Event] = []
    let again = XMLScanner(handle: FuzzPipe.handle(bytes), source: "fuzz")
    while events.count < 10_000, let e = try? again.next() { events.append(e) }
    _ = SheetXML.dateStyles(events)
    return 0
}
