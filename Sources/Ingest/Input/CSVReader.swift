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
    /// The physical line the next record starts on (1-based).
    public private(set) var line = 1
    private var pendingLF = false  // a CR ended the previous record; skip one LF
    /// Bytes read from the file so far.
    public private(set) var bytesRead = 0

    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var length = 0
    private var fields: [Range<Int>] = []
    private var raw: [UInt8] = []
    package static let rawLimit = 64 * 1024
    /// Bytes read from the file at a time (1 MiB; tests use tiny chunks to cross every boundary).
    package let chunkSize: Int

    /// Opens a reader on a file handle positioned at the first byte to parse (after any BOM).
    public init(
        handle: FileHandle, delimiter: UInt8, quote: UInt8 = UInt8(ascii: "\""), maxFieldBytes: Int = 1 << 20,
        chunkSize: Int = 1 << 20
    ) {
        self.chunkSize = max(chunkSize, 1)
        self.input = handle
        self.delimiter = delimiter
        self.quote = quote
        self.maxFieldBytes = maxFieldBytes
        buffer = .allocate(capacity: 64 * 1024)
    }

    deinit { buffer.deallocate() }

    private func refill() throws -> Bool {
        if atEOF { return false }
        let data = try input.read(upToCount: chunkSize) ?? Data()
        if data.isEmpty {
            atEOF = true
            return false
        }
        bytesRead += data.count
        chunk = [UInt8](data)
        position = 0
        return true
    }

    /// Skips one physical line as it stands (quotes are not interpreted: title lines above a header
    /// may hold anything). False at the end of the file.
    public func skipLine() throws -> Bool {
        while true {
            if position >= chunk.count {
                guard try refill() else { return false }
            }
            let b = chunk[position]
            position += 1
            if pendingLF {
                pendingLF = false
                if b == 0x0A { continue }
            }
            if b == 0x0A || b == 0x0D {
                pendingLF = b == 0x0D
                line += 1
                return true
            }
        }
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterQuote }

    /// Where the scan of the current record stands; survives chunk boundaries.
    private struct Scan {
        var state = State.fieldStart
        var fieldStart = 0
        var startLine: Int
        var problem: (field: Int, reason: String)?
        var sawAnything = false
        var lastWasCR = false
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    /// The returned record's buffers are valid until the next call.
    public func next() throws -> RawRecord? {
        length = 0
        fields.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        var scan = Scan(startLine: line)
        while true {
            if position >= chunk.count {
                guard try refill() else {
                    guard scan.sawAnything else { return nil }
                    if scan.state == .quoted, scan.problem == nil {
                        scan.problem = (fields.count + 1, "unterminated quoted field (opened on line \(scan.startLine)) at end of file")
                    }
                    fields.append(scan.fieldStart..<length)
                    return record(scan.startLine, scan.problem)
                }
            }
            let ended = chunk.withUnsafeBufferPointer { self.scan($0, &scan) }
            if ended { return record(scan.startLine, scan.problem) }
        }
    }

    /// Scans the current chunk from `position` until the record ends (true) or the chunk does (false).
    /// Runs of ordinary bytes are found with a tight loop and copied in one go.
    private func scan(_ p: UnsafeBufferPointer<UInt8>, _ s: inout Scan) -> Bool {
        let n = p.count
        let delim = delimiter
        let q = quote
        var i = position
        var rawStart = i
        var line = self.line
        // The reader's state in locals for the scan (moved out, not copied, and put back at the
        // end): a stored property of a class is checked for exclusive access at run time on every
        // use, which cost a tenth of the client's time at one access per byte run.
        var length = self.length
        var buffer = self.buffer
        var fields = self.fields
        var raw = self.raw
        var pendingLF = self.pendingLF
        self.fields = []
        self.raw = []
        defer {
            self.length = length
            self.buffer = buffer
            self.fields = fields
            self.raw = raw
            self.pendingLF = pendingLF
        }

        func keepRaw(_ end: Int) {
            let room = CSVReader.rawLimit - raw.count
            if room > 0, end > rawStart { raw.append(contentsOf: p[rawStart..<min(end, rawStart + room)]) }
        }
        func append(_ from: Int, _ to: Int) {
            var count = to - from
            let fieldLength = length - s.fieldStart
            if fieldLength + count > maxFieldBytes {
                if s.problem == nil { s.problem = (fields.count + 1, "field longer than \(maxFieldBytes) bytes") }
                count = max(0, maxFieldBytes - fieldLength)
            }
            guard count > 0 else { return }
            if length + count > buffer.count {
                var capacity = buffer.count
                while capacity < length + count { capacity *= 2 }
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
                _ = bigger.initialize(fromContentsOf: buffer)
                buffer.deallocate()
                buffer = bigger
            }
            guard let base = p.baseAddress, let dest = buffer.baseAddress else { return }
            (dest + length).update(from: base + from, count: count)
            length += count
        }
        /// Where the run of ordinary bytes from `i` ends: at `special` (the delimiter outside
        /// quotes, the quote inside them), a line break, a NUL byte or `n`. It is copied in one go.
        @inline(__always) func ordinaryRun(until special: UInt8) -> Int {
            var j = i
            while j < n {
                let c = p[j]
                if c == special || c == 0x0A || c == 0x0D || c == 0 { break }
                j += 1
            }
            return j
        }
        func endField() {
            fields.append(s.fieldStart..<length)
            s.fieldStart = length
        }
        /// At a delimiter: the field ends and the next one starts after it.
        func nextField() {
            endField()
            s.state = .fieldStart
            i += 1
        }
        func finish(_ b: UInt8) -> Bool {
            keepRaw(i)
            i += 1
            line += 1
            pendingLF = b == 0x0D
            endField()
            position = i
            self.line = line
            return true
        }

        while i < n {
            let b = p[i]
            if pendingLF {
                pendingLF = false
                if b == 0x0A {
                    i += 1
                    rawStart = i
                    continue
                }
            }
            if !s.sawAnything {
                if b == 0x0A || b == 0x0D {  // a blank line
                    line += 1
                    pendingLF = b == 0x0D
                    i += 1
                    rawStart = i
                    s.startLine = line
                    continue
                }
                s.sawAnything = true
            }
            switch s.state {
            case .fieldStart, .unquoted:
                if s.state == .fieldStart && b == q {
                    s.state = .quoted
                    i += 1
                    continue
                }
                let j = ordinaryRun(until: delim)
                if j > i {
                    append(i, j)
                    s.state = .unquoted
                    i = j
                    continue
                }
                if b == 0 {
                    if s.problem == nil { s.problem = (fields.count + 1, "NUL byte in field") }
                    append(i, i + 1)
                    s.state = .unquoted
                    i += 1
                } else if b == delim {
                    nextField()
                } else {
                    return finish(b)
                }
            case .quoted:
                let j = ordinaryRun(until: q)
                if j > i {
                    append(i, j)
                    s.lastWasCR = false
                    i = j
                    continue
                }
                if b == q {
                    s.state = .quoteInQuoted
                } else {
                    if b == 0, s.problem == nil { s.problem = (fields.count + 1, "NUL byte in field") }
                    if b == 0x0D || (b == 0x0A && !s.lastWasCR) { line += 1 }
                    s.lastWasCR = b == 0x0D
                    append(i, i + 1)
                }
                i += 1
            case .quoteInQuoted:
                if b == q {
                    append(i, i + 1)
                    s.state = .quoted
                    i += 1
                } else if b == delim {
                    nextField()
                } else if b == 0x0A || b == 0x0D {
                    return finish(b)
                } else {
                    if s.problem == nil { s.problem = (fields.count + 1, "unexpected character after closing quote") }
                    s.state = .afterQuote
                    i += 1
                }
            case .afterQuote:
                if b == delim {
                    nextField()
                } else if b == 0x0A || b == 0x0D {
                    return finish(b)
                } else {
                    i += 1
                }
            }
        }
        keepRaw(n)
        position = n
        self.line = line
        return false
    }

    private func record(_ line: Int, _ problem: (field: Int, reason: String)?) -> RawRecord {
        RawRecord(line: line, fields: fields, bytes: UnsafeBufferPointer(rebasing: buffer[0..<length]), problem: problem, raw: raw)
    }
}
