/// COPY text format.
package enum CopyText {
    /// Appends a value in COPY text format (`\N` for NULL; backslash, tab, newline and carriage
    /// return escaped) to a line's bytes.
    package static func escape(_ value: String?, into out: inout [UInt8]) {
        guard var value else {
            out.append(0x5C)
            out.append(0x4E)
            return
        }
        value.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b == 0x5C || b == 0x09 || b == 0x0A || b == 0x0D else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                out.append(0x5C)
                out.append(b == 0x5C ? 0x5C : b == 0x09 ? 0x74 : b == 0x0A ? 0x6E : 0x72)
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// Appends a non-negative integer's decimal digits (a line number) without making a String.
    package static func digits(_ n: Int, into out: inout [UInt8]) {
        guard n > 0 else {
            out.append(0x30)
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits
        withUnsafeMutableBytes(of: &scratch) { room in
            var i = room.count
            var rest = n.magnitude
            while rest > 0 {
                i -= 1
                room[i] = 0x30 + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: room[i...]))
        }
    }

    /// One COPY line of values.
    package static func line(_ values: [String?]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(0x09) }
            escape(v, into: &out)
        }
        out.append(0x0A)
        return out
    }
}
