import Foundation

/// The libFuzzer entry point. One binary holds every target; LEEFBAAR_FUZZ_TARGET picks one
/// (Fuzz/run.sh sets it): csv, values, sheet, json, jsonl, jsonarray, yaml, bytes.
nonisolated(unsafe) let selected: (UnsafePointer<UInt8>, Int) -> CInt = {
    switch ProcessInfo.processInfo.environment["LEEFBAAR_FUZZ_TARGET"] ?? "" {
    case "csv": fuzzCSV
    case "values": fuzzValues
    case "sheet": fuzzSheet
    case "json": fuzzJSONKeys
    case "jsonl": fuzzJSONLines
    case "jsonarray": fuzzJSONArray
    case "yaml": fuzzSpec
    case "bytes": fuzzBytes
    case let other: fatalError("LEEFBAAR_FUZZ_TARGET=\(other): not a target (csv values sheet json jsonl jsonarray yaml bytes)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selected(data, size)
}

/// libFuzzer's driver (in the runtime -sanitize=fuzzer links): parses libFuzzer's options and runs.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The executable's entry (SwiftPM links `main` to `<module>_main`): hands over to libFuzzer.
@_cdecl("LeefbaarFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        return fuzzOne(data, size)
    }
}
