import Foundation

/// One record of a delimited file: its fields' bytes, where it started, and what was wrong with it.
public struct RawRecord {
    /// Physical line number (1-based) where the record starts.
    public var line: Int
    /// The fields, as byte ranges into `bytes` (quotes removed, `""` unescaped).
    public var fields: [Range<Int>]
    /// The unescaped bytes of all fields.
    public var bytes: UnsafeBufferPointer<UInt8>
    /// A structural problem (unterminated quote, stray character after a quote, oversized field,
    /// NUL byte) and the 1-based field it was in; such a record is rejected whole.
    public var problem: (field: Int, reason: String)?
    /// The record as it stood in the file (up to 64 KiB).
    public var raw: [UInt8]

    /// The bytes of field `i`.
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[fields[i]])
    }
}

/// A streaming RFC 4180 reader: reads the file in 1 MiB chunks and hands out one record at a time,
/// tracking physical line numbers. Handles quoted delimiters, `""`, quoted CR/LF, CRLF/LF/CR line
/// ends. Never holds more than one chunk and one record in memory.
public final class CSVReader {
    public let delimiter: UInt8
    public let quote: UInt8
    public let maxFieldBytes: Int
    private let input: FileHandle
    private var chunk: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var line = 1
    private var pendingLF = false   // a CR ended the previous record; skip one LF
    /// Bytes read from the file so far.
    public private(set) var bytesRead = 0

    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var length = 0
    private var fields: [Range<Int>] = []
    private var raw: [UInt8] = []
    static let rawLimit = 64 * 1024
    static let chunkSize = 1 << 20

    /// Opens a reader on a file handle positioned at the first byte to parse (after any BOM).
    public init(handle: FileHandle, delimiter: UInt8, quote: UInt8 = UInt8(ascii: "\""), maxFieldBytes: Int = 1 << 20,
                initialBytes: [UInt8] = []) {
        self.input = handle
        self.delimiter = delimiter
        self.quote = quote
        self.maxFieldBytes = maxFieldBytes
        self.chunk = initialBytes
        buffer = .allocate(capacity: 64 * 1024)
    }

    deinit { buffer.deallocate() }

    private func refill() throws -> Bool {
        if atEOF { return false }
        let data = try input.read(upToCount: CSVReader.chunkSize) ?? Data()
        if data.isEmpty { atEOF = true; return false }
        bytesRead += data.count
        chunk = [UInt8](data)
        position = 0
        return true
    }

    @inline(__always)
    private func append(_ b: UInt8, fieldStart: Int) -> Bool {
        if length - fieldStart >= maxFieldBytes { return false }
        if length == buffer.count {
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = bigger.initialize(fromContentsOf: buffer)
            buffer.deallocate()
            buffer = bigger
        }
        buffer[length] = b
        length += 1
        return true
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterQuote }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    /// The returned record's buffers are valid until the next call.
    public func next() throws -> RawRecord? {
        length = 0
        fields.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        var state = State.fieldStart
        var fieldStart = 0
        var startLine = line
        var problem: (field: Int, reason: String)?
        var sawAnything = false

        func endField() { fields.append(fieldStart..<length); fieldStart = length }
        /// A line end outside quotes ends the record (CR LF counts as one).
        func endRecord(_ b: UInt8) -> RawRecord {
            raw.removeLast()
            line += 1
            if b == 0x0D { pendingLF = true }
            endField()
            return record(startLine, problem)
        }
        while true {
            if position >= chunk.count {
                guard try refill() else {
                    // End of file.
                    if !sawAnything { return nil }
                    if state == .quoted || state == .quoteInQuoted {
                        if state == .quoted {
                            problem = problem ?? (fields.count + 1, "unterminated quoted field (opened on line \(startLine)) at end of file")
                        }
                    }
                    endField()
                    return record(startLine, problem)
                }
            }
            let b = chunk[position]
            position += 1
            if pendingLF {
                pendingLF = false
                if b == 0x0A { continue }
            }
            if !sawAnything {
                if b == 0x0A || b == 0x0D {
                    // blank line
                    line += 1
                    if b == 0x0D { pendingLF = true }
                    startLine = line
                    continue
                }
                sawAnything = true
            }
            if raw.count < CSVReader.rawLimit { raw.append(b) }
            if b == 0 && problem == nil { problem = (fields.count + 1, "NUL byte in field") }
            switch state {
            case .fieldStart, .unquoted:
                if b == delimiter {
                    endField(); state = .fieldStart
                } else if b == 0x0A || b == 0x0D {
                    return endRecord(b)
                } else if b == quote && state == .fieldStart {
                    state = .quoted
                } else {
                    state = .unquoted
                    if !append(b, fieldStart: fieldStart), problem == nil {
                        problem = (fields.count + 1, "field longer than \(maxFieldBytes) bytes")
                    }
                }
            case .quoted:
                if b == quote {
                    state = .quoteInQuoted
                } else {
                    if b == 0x0A { line += 1 } else if b == 0x0D, position < chunk.count, chunk[position] != 0x0A { line += 1 }
                    if !append(b, fieldStart: fieldStart), problem == nil {
                        problem = (fields.count + 1, "field longer than \(maxFieldBytes) bytes")
                    }
                }
            case .quoteInQuoted:
                if b == quote {
                    _ = append(b, fieldStart: fieldStart)
                    state = .quoted
                } else if b == delimiter {
                    endField(); state = .fieldStart
                } else if b == 0x0A || b == 0x0D {
                    return endRecord(b)
                } else {
                    if problem == nil { problem = (fields.count + 1, "unexpected character after closing quote") }
                    state = .afterQuote
                }
            case .afterQuote:
                if b == delimiter {
                    endField(); state = .fieldStart
                } else if b == 0x0A || b == 0x0D {
                    return endRecord(b)
                }
            }
        }
    }

    private func record(_ line: Int, _ problem: (field: Int, reason: String)?) -> RawRecord {
        RawRecord(line: line, fields: fields, bytes: UnsafeBufferPointer(rebasing: buffer[0..<length]), problem: problem, raw: raw)
    }
}
