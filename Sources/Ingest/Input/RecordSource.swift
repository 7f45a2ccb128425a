import Foundation

/// One input record, decoded: its fields by position (aligned with the source's header).
package struct SourceRecord {
    package var line: Int
    package var fields: [String?]
    /// A problem with the record as a whole (ragged, unterminated quote, bad encoding, malformed JSON).
    package var problem: (column: String?, value: String?, reason: String)?
    /// The record's bytes as they stood in the file; decoded only when a reject needs them.
    package var rawBytes: [UInt8]
    package var rawEncoding: TextEncoding
    /// For a row made by `unpivot`: the field holding the value, and the column it came from.
    package var valueLabel: (index: Int, name: String)?
    /// For a worksheet row: the sheet's name, so a field can be named by its cell (`Blad1!C12`).
    package var sheet: String?

    /// The record as text (for rejects).
    package var raw: String {
        rawBytes.withUnsafeBufferPointer { rawEncoding.decode($0) } ?? String(decoding: rawBytes, as: UTF8.self)
    }
}

/// A streaming source of records: CSV or JSON Lines.
package protocol RecordSource {
    /// Field names, in the order `SourceRecord.fields` uses.
    var header: [String] { get }
    /// Whether the header came from the file (CSV) rather than from the spec.
    var headerFromFile: Bool { get }
    /// The file's line that held the header, when it is not `header_row` (a CSV file whose first
    /// line is `sep=`); nil otherwise.
    var headerLine: Int? { get }
    /// Bytes consumed so far.
    var bytesRead: Int { get }
    /// Input keys seen that the spec does not declare (JSON Lines); they are never stored.
    var undeclared: [String] { get }
    mutating func next() throws -> SourceRecord?
    /// The next record, or `.written` when `writer` wrote its COPY values from the record's bytes
    /// (a CSV record that is whole); other sources give every record decoded.
    mutating func next(writer: ByteRowWriter?, into out: inout [UInt8]) throws -> Fetched?
    /// Things worth telling about the file that are no reject (suspected mojibake).
    var warnings: [String] { get }
}

/// A record read from a source: decoded, or already written as COPY values.
package enum Fetched {
    case record(SourceRecord)
    case written(line: Int)
}

extension RecordSource {
    package var warnings: [String] { [] }
    package var headerLine: Int? { nil }

    package mutating func next(writer: ByteRowWriter?, into out: inout [UInt8]) throws -> Fetched? {
        try next().map(Fetched.record)
    }
}

/// CSV records decoded from the file's encoding.
package struct CSVSource: RecordSource {
    package let reader: CSVReader
    package let encoding: TextEncoding
    /// Whether the encoding was guessed from the file's start (encoding: auto, no BOM).
    package let guessedEncoding: Bool
    package let header: [String]
    package let headerFromFile: Bool
    package private(set) var headerLine: Int?
    package let file: String
    package var bytesRead: Int { reader.bytesRead }
    package var undeclared: [String] { [] }

    /// Reads the records of `probe.dataPath`; `file` is the name messages give it.
    package init(file: String, probe: FileProbe, input: InputFormat) throws {
        let handle = try openForReading(probe.dataPath)
        if probe.bomLength > 0 { _ = try handle.read(upToCount: probe.bomLength) }
        self.file = file
        reader = CSVReader(handle: handle, delimiter: probe.delimiter, quote: input.quote, maxFieldBytes: input.maxFieldBytes)
        encoding = probe.encoding
        if case .auto = input.encoding { guessedEncoding = probe.bomLength == 0 } else { guessedEncoding = false }
        headerFromFile = input.header
        // Excel's `sep=;` line is skipped: header_row and skip_lines count the lines after it,
        // as Excel shows the file. Title lines above the header are skipped, whatever they hold.
        let before = probe.separatorLine ? 1 : 0
        if before > 0 { _ = try reader.skipLine() }
        while reader.line < input.headerRow + before {
            guard try reader.skipLine() else { break }
        }
        if input.header {
            guard let first = try reader.next() else {
                throw WarehouseError(.invalidInput, "\(file): the file is empty (no header line)")
            }
            if before > 0 { headerLine = first.line }
            if let problem = first.problem {
                throw WarehouseError(.invalidInput, "\(file):\(first.line): header: \(problem.reason)")
            }
            var names: [String] = []
            for i in first.fields.indices {
                guard let name = probe.encoding.decode(first.field(i)) else {
                    throw WarehouseError(.invalidInput, "\(file):\(first.line): header column \(i + 1) is not valid \(probe.encoding.rawValue)")
                }
                names.append(name.trimmedSpaces())
            }
            header = names
        } else {
            header = []
        }
    }

    /// Fields of a Windows-1252 file holding a UTF-8 sequence (é written as C3 A9 reads as Ã©).
    package private(set) var suspectedUTF8 = 0

    package var warnings: [String] {
        suspectedUTF8 == 0
            ? []
            : [
                "\(suspectedUTF8) field\(suspectedUTF8 == 1 ? "" : "s") of this \(encoding.rawValue) file hold\(suspectedUTF8 == 1 ? "s" : "") bytes that read as UTF-8 (é as Ã©): if (part of) the file is UTF-8, save it as UTF-8 and set encoding: utf-8"
            ]
    }

    /// Whether bytes hold a two-byte UTF-8 sequence for a Latin letter (C3 80–BF), the mark of
    /// UTF-8 text read as Windows-1252.
    package static func looksLikeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0xC3, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0xBF { return true }
            i += 1
        }
        return false
    }

    package mutating func next() throws -> SourceRecord? {
        var unused: [UInt8] = []
        guard case .record(let record) = try next(writer: nil, into: &unused) else { return nil }
        return record
    }

    /// The next record that holds anything. A record of delimiters only (`;;;;`, or `"";""`: Excel
    /// saves the empty rows of a sheet's used range so) holds no data: it is skipped like a blank
    /// line, as a workbook's empty rows are.
    private func nextRecord() throws -> RawRecord? {
        while let record = try reader.next() {
            if record.problem != nil || !record.bytes.isEmpty { return record }
        }
        return nil
    }

    package mutating func next(writer: ByteRowWriter?, into out: inout [UInt8]) throws -> Fetched? {
        guard let record = try nextRecord() else { return nil }
        func name(_ i: Int) -> String { i < header.count ? header[i] : "column \(i + 1)" }
        if let problem = record.problem {
            return .record(
                SourceRecord(
                    line: record.line, fields: [], problem: (name(problem.field - 1), nil, problem.reason), rawBytes: record.raw, rawEncoding: encoding))
        }
        if headerFromFile && record.fields.count != header.count {
            return .record(
                SourceRecord(
                    line: record.line, fields: [], problem: (nil, nil, "expected \(header.count) fields, found \(record.fields.count)"), rawBytes: record.raw,
                    rawEncoding: encoding))
        }
        if encoding != .utf8 {
            for i in record.fields.indices where CSVSource.looksLikeUTF8(record.field(i)) { suspectedUTF8 += 1 }
        }
        if let writer, writer.write(record, encoding: encoding, into: &out) { return .written(line: record.line) }
        var decoded = SourceRecord(line: record.line, fields: [], problem: nil, rawBytes: record.raw, rawEncoding: encoding)
        decoded.fields.reserveCapacity(record.fields.count)
        for i in record.fields.indices {
            let bytes = record.field(i)
            guard let value = encoding.decode(bytes) else {
                decoded.problem = (
                    name(i), String(decoding: bytes, as: UTF8.self),
                    "not valid \(encoding.rawValue)"
                        + (guessedEncoding
                            ? " (encoding: auto took the file for \(encoding.rawValue) from its start; if it is Windows-1252, set encoding: windows-1252 in the spec)"
                            : "")
                )
                return .record(decoded)
            }
            decoded.fields.append(value)
        }
        return .record(decoded)
    }
}
