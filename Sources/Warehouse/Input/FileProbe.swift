import Crypto
import Foundation

/// What is known about an input file before it is parsed: size, SHA-256, BOM, encoding, delimiter.
/// Reads the file once, streaming, for the checksum.
struct FileProbe {
    let path: String
    let size: Int
    let sha256: String
    let bomLength: Int
    let encoding: TextEncoding
    let delimiter: UInt8

    init(path: String, input: InputFormat) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WarehouseError(.missingFile, "\(path): cannot open the file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var first: [UInt8] = []
        var size = 0
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            hasher.update(data: data)
            if first.count < 1 << 16 { first.append(contentsOf: data.prefix((1 << 16) - first.count)) }
            size += data.count
        }
        self.size = size
        sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        bomLength = first.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let sample = first.dropFirst(bomLength)
        switch input.encoding {
        case .fixed(let e): encoding = e
        case .auto: encoding = bomLength > 0 ? .utf8 : sample.withUnsafeBufferPointer { TextEncoding.sniff($0) }
        }
        switch input.delimiter {
        case .byte(let b): delimiter = b
        case .auto: delimiter = FileProbe.detectDelimiter(Array(sample), quote: input.quote)
        }
    }

    /// The most frequent of `;`, `,`, tab and `|` outside quotes on the first line (`;` on a tie).
    static func detectDelimiter(_ bytes: [UInt8], quote: UInt8) -> UInt8 {
        let candidates: [UInt8] = [0x3B, 0x2C, 0x09, 0x7C]
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in bytes {
            if b == quote { quoted.toggle(); continue }
            if !quoted && (b == 0x0A || b == 0x0D) { break }
            if !quoted, let i = candidates.firstIndex(of: b) { counts[i] += 1 }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }), counts[best] > 0 else {
            return 0x3B
        }
        return candidates[best]
    }
}
