import Foundation
import Ingest

/// libFuzzer target: the duplicate-key scan run over every JSON object before it is decoded. Any
/// bytes: no crash, no hang; a key it reports occurs in the input.
func fuzzJSONKeys(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let key = JSONKeys.duplicate(bytes), let last = key.split(separator: ".").last {
        precondition(String(decoding: bytes, as: UTF8.self).contains(String(last)) || !String(last).utf8.allSatisfy { $0 < 0x80 }, "reported key not in input")
    }
    return 0
}
