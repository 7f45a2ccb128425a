/// Keys of JSON text, read without decoding it (fuzzed by `make fuzz`).
package enum JSONKeys {
    /// The first key that occurs twice in one object (at any depth, as a dotted path), in one pass
    /// over the bytes; nil when there is none (or the text is no JSON: the decoder says so).
    package static func duplicate(_ bytes: [UInt8]) -> String? {
        var stack: [(isObject: Bool, keys: Set<[UInt8]>, path: String)] = []
        var i = 0
        var expectKey = false
        var lastKey = ""
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
                let text = Array(bytes[(i + 1)..<min(j, bytes.count)])
                if expectKey, var top = stack.popLast() {
                    let path = (top.path.isEmpty ? "" : top.path + ".") + String(decoding: text, as: UTF8.self)
                    if !top.keys.insert(text).inserted { return path }
                    stack.append(top)
                    lastKey = path
                    expectKey = false
                }
                i = j + 1
                continue
            case UInt8(ascii: "{"):
                stack.append((true, [], lastKey))
                expectKey = true
            case UInt8(ascii: "["):
                stack.append((false, [], lastKey))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                lastKey = stack.last?.path ?? ""
            case UInt8(ascii: ","):
                expectKey = stack.last?.isObject ?? false
                lastKey = stack.last?.path ?? ""
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
