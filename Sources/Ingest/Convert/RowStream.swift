import Foundation

/// A file read into COPY text (DB-free): every record converted by the spec, rejected (line,
/// column, reason; personal data scrubbed) or skipped, and the valid rows' COPY lines handed out in
/// chunks. The loader sends the chunks to PostgreSQL; a dry run drops them.
package struct RowStream {
    package let probe: FileProbe
    package let spec: FeedSpec
    package let gemeenten: [String: String]
    package let privacy: PrivacyGuard
    package let limit: RejectLimit
    /// What the target's columns accept (numeric precision and scale, integer ranges, lengths).
    package let limits: [String: ColumnLimit]
    /// Called now and then with bytes read and rows read.
    package var progress: ((Int, Int) -> Void)?
    /// Asked now and then; when it returns true the read stops with `interrupted`.
    package var shouldStop: (() -> Bool)?
    /// Whether whole CSV records are written from their bytes where that gives the same line
    /// (`ByteRowWriter`); off, every record goes through `RowConverter.convert` (tests compare the two).
    package var byteRows = true

    package private(set) var rowsRead = 0
    package private(set) var rowsWritten = 0
    /// Of those, the rows `ByteRowWriter` wrote from the record's bytes.
    package private(set) var rowsFromBytes = 0
    package private(set) var rowsSkipped = 0
    package private(set) var rowsFiltered = 0
    /// The rejects so far; the loader adds those the database's rules find.
    package var rejects: [Reject] = []
    package private(set) var dropped: [String] = []
    package private(set) var warnings: [String] = []

    package init(
        probe: FileProbe, spec: FeedSpec, gemeenten: [String: String], privacy: PrivacyGuard, limit: RejectLimit,
        limits: [String: ColumnLimit]
    ) {
        self.probe = probe
        self.spec = spec
        self.gemeenten = gemeenten
        self.privacy = privacy
        self.limit = limit
        self.limits = limits
    }

    /// Reads the whole file, handing the valid rows' COPY text to `flush` in chunks of up to
    /// `chunkRows` rows (the first is an eighth of that, each next one twice the one before up to
    /// `chunkRows`, and the last may be smaller; a file of only rejects gives none). The small
    /// first chunks let the server start storing rows sooner: nothing is COPYed while the client
    /// converts the first chunk, and each chunk is converted while the one before is COPYed.
    package mutating func read(chunkRows: Int = 100_000, _ flush: ([UInt8], Int) throws -> Void) throws {
        var source = try openRecordSource(probe: probe, spec: spec)
        let converter = try RowConverter(
            spec: spec, header: spec.input.format == .csv && !source.headerFromFile ? nil : source.header,
            fieldCount: source.header.count, gemeenten: gemeenten, limits: limits,
            privacy: privacy, file: probe.name, headerLine: source.headerLine)
        dropped = source.headerFromFile ? converter.unusedFields : []
        let kept = spec.columns.indices.filter { spec.columns[$0].isWritten }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(chunkRows, 100_000) * 128)
        var chunkCount = 0
        var chunkLimit = max(1, chunkRows / 8)
        let writer = byteRows ? ByteRowWriter(converter) : nil
        func endLine(_ line: Int) throws {
            CopyText.digits(line, into: &chunk)
            chunk.append(0x0A)
            chunkCount += 1
            rowsWritten += 1
            if chunkCount >= chunkLimit {
                try flush(chunk, chunkCount)
                chunk.removeAll(keepingCapacity: true)
                chunkCount = 0
                chunkLimit = min(chunkLimit * 2, chunkRows)
            }
        }
        while let fetched = try source.next(writer: writer, into: &chunk) {
            rowsRead += 1
            let record: SourceRecord
            switch fetched {
            case .written(let line):
                rowsFromBytes += 1
                try endLine(line)
                try checkpoint(line, source)
                continue
            case .record(let r): record = r
            }
            if let problem = record.problem {
                try reject(
                    Reject(line: record.line, column: problem.column, rawValue: problem.value, rawRecord: shown(record, converter), reason: problem.reason))
                continue
            }
            switch converter.convert(record) {
            case .skip(.outsideWerkgebied):
                rowsSkipped += 1
            case .skip(.filtered):
                rowsFiltered += 1
            case .row(let values):
                for i in kept {
                    CopyText.escape(values[i], into: &chunk)
                    chunk.append(0x09)
                }
                try endLine(record.line)
            case .reject(let e):
                try reject(Reject(line: record.line, column: e.column, rawValue: e.raw.map(scrubbed), rawRecord: shown(record, converter), reason: e.reason))
            }
            try checkpoint(record.line, source)
        }
        progress?(probe.fileBytes(source.bytesRead), rowsRead)
        try probe.requireUnchanged()
        dropped += source.undeclared
        warnings = source.warnings
        if chunkCount > 0 { try flush(chunk, chunkCount) }
        if rowsRead == 0 {
            throw WarehouseError(.invalidInput, "\(probe.name): no data rows\(source.headerFromFile ? " after the header" : "")")
        }
        if limit.exceeded(rejected: rejects.count, read: rowsRead) {
            throw overThreshold()
        }
    }

    /// Now and then: reports progress, and stops when asked to.
    private func checkpoint(_ line: Int, _ source: any RecordSource) throws {
        guard rowsRead % 4096 == 0 else { return }
        if rowsRead % 65_536 == 0 { progress?(probe.fileBytes(source.bytesRead), rowsRead) }
        if shouldStop?() == true {
            throw WarehouseError(.interrupted, "\(probe.name): interrupted at line \(line); nothing of the file was loaded")
        }
    }

    /// Personal data never reaches etl.reject either: free text is scrubbed, and for a feed with
    /// personal columns only the fields the spec uses that are not personal are kept.
    private func shown(_ record: SourceRecord, _ converter: RowConverter) -> String {
        guard let safe = converter.shareableFields else { return privacy.scrub(record.raw) }
        guard record.problem == nil else { return "(not kept: the feed holds personal data and the record could not be read into fields)" }
        return privacy.scrub(safe.filter { $0 < record.fields.count }.map { "\(converter.fieldNames[$0])=\(record.fields[$0] ?? "")" }.joined(separator: "; "))
    }

    private func scrubbed(_ text: String) -> String {
        privacy.scrub(text)
    }

    private mutating func reject(_ r: Reject) throws {
        rejects.append(r)
        if case .count(let n) = limit, rejects.count > n { throw overThreshold() }
    }

    package func overThreshold() -> WarehouseError {
        let first = rejects.first.map { " First: line \($0.line)\($0.column.map { ", column \($0)" } ?? ""): \($0.reason)." } ?? ""
        return WarehouseError(
            .rejectsOverThreshold,
            "\(probe.name): \(rejects.count) rejected rows exceed --max-rejects \(limit); nothing loaded.\(first)")
    }
}
