import Foundation

/// A JSON array of objects (`[{...}, {...}]`), streamed: the file is read 1 MiB at a time and one
/// object is held in memory. A record's line is the line its object opens on.
package struct JSONArraySource: RecordSource {
    private let handle: FileHandle
    private let maxBytes: Int
    private var fields: JSONObjectFields
    private var chunk: [UInt8] = []
    private var position = 0
    private var line = 1
    private var started = false
    private var finished = false
    package let file: String
    package var header: [String] { fields.header }
    package let headerFromFile = false
    package private(set) var bytesRead = 0
    package var undeclared: [String] { fields.undeclared }

    /// Reads `file`; `name` is what messages call it (default: `file`).
    package init(file: String, spec: FeedSpec, skip: Int, name: String? = nil) throws {
        handle = try openForReading(file)
        if skip > 0 { _ = try handle.read(upToCount: skip) }
        self.file = name ?? file
        maxBytes = spec.input.maxFieldBytes
        fields = JSONObjectFields(spec: spec)
    }

    private mutating func byte() throws -> UInt8? {
        if position >= chunk.count {
            guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { return nil }
            chunk = [UInt8](data)
            bytesRead += data.count
            position = 0
        }
        defer { position += 1 }
        return chunk[position]
    }

    /// The next byte that is not white space (lines counted).
    private mutating func significant() throws -> UInt8? {
        while let b = try byte() {
            if b == 0x0A { line += 1 }
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
            return b
        }
        return nil
    }

    package mutating func next() throws -> SourceRecord? {
        if finished { return nil }
        if !started {
            started = true
            guard let first = try significant() else {
                throw WarehouseError(.invalidInput, "\(file): the file is empty (expected a JSON array)")
            }
            guard first == UInt8(ascii: "[") else {
                throw WarehouseError(
                    .invalidInput,
                    "\(file):\(line): expected a JSON array ([ ... ]) for format: json\(first == UInt8(ascii: "{") ? "; one object per line is format: jsonl" : "")"
                )
            }
        }
        var b = try significant()
        if b == UInt8(ascii: ",") { b = try significant() }
        guard let open = b else {
            throw WarehouseError(.invalidInput, "\(file):\(line): the JSON array is not closed (no ]): the file is cut short")
        }
        if open == UInt8(ascii: "]") {
            finished = true
            if let extra = try significant() {
                throw WarehouseError(.invalidInput, "\(file):\(line): text after the end of the JSON array ('\(Character(Unicode.Scalar(extra)))')")
            }
            return nil
        }
        // One element: collect its bytes up to the matching close (strings and escapes respected).
        let startLine = line
        var bytes: [UInt8] = [open]
        var depth = open == UInt8(ascii: "{") || open == UInt8(ascii: "[") ? 1 : 0
        var inString = open == UInt8(ascii: "\"")
        var escaped = false
        var tooLong = false
        while depth > 0 || inString {
            guard let c = try byte() else {
                throw WarehouseError(.invalidInput, "\(file):\(startLine): the object opened here is not closed: the file is cut short")
            }
            if c == 0x0A { line += 1 }
            if bytes.count < maxBytes { bytes.append(c) } else { tooLong = true }
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
            }
        }
        if depth == 0 && open != UInt8(ascii: "{") && open != UInt8(ascii: "[") {
            // A scalar element: read to the next comma or the array's end.
            while true {
                if position >= chunk.count { guard try peekRefill() else { break } }
                let c = chunk[position]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == 0x0A || c == 0x20 { break }
                bytes.append(c)
                position += 1
            }
        }
        var out = SourceRecord(line: startLine, fields: [], problem: nil, rawBytes: Array(bytes.prefix(64 * 1024)), rawEncoding: .utf8, valueLabel: nil)
        if tooLong {
            out.problem = (nil, nil, "object longer than \(maxBytes) bytes")
            return out
        }
        fields.fill(&out, bytes, expected: "an object as each element of the array")
        return out
    }

    private mutating func peekRefill() throws -> Bool {
        guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { return false }
        chunk = [UInt8](data)
        bytesRead += data.count
        position = 0
        return true
    }
}
