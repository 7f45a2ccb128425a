import Foundation
import Postgres

/// The state of one file's load: reading, converting, counting, rejecting, merging.
struct LoadSession {
    let loader: Loader
    let probe: FileProbe
    let options: LoadOptions
    let batchID: Int64
    var spec: FeedSpec { loader.spec }
    var connection: Connection { loader.connection }
    let gemeenten: [String: String]
    let privacy: PrivacyGuard?
    let limit: RejectLimit

    var rowsRead = 0
    var rowsWritten = 0
    var rowsLoaded = 0
    var rowsSkipped = 0
    var allRejects: [Reject] = []
    var dropped: [String] = []

    init(loader: Loader, probe: FileProbe, options: LoadOptions, batchID: Int64) throws {
        self.loader = loader
        self.probe = probe
        self.options = options
        self.batchID = batchID
        var map: [String: String] = [:]
        for row in try loader.connection.execute("select gemeente_code, name from core.gemeente") {
            let code: String = try row.decode(0), name: String = try row.decode(1)
            map[RowConverter.normalize(code)] = code
            map[RowConverter.normalize(name)] = code
        }
        gemeenten = map
        privacy = try PrivacyGuard.fromEnvironment()
        limit = options.maxRejects ?? loader.spec.maxRejects
    }

    /// Reads the whole file, handing each valid row's COPY line to `emit`.
    mutating func read(_ emit: (String) throws -> Void) throws {
        var source: any RecordSource = switch spec.input.format {
        case .csv: try CSVSource(file: probe.path, probe: probe, input: spec.input)
        case .jsonl: try JSONLinesSource(file: probe.path, spec: spec)
        }
        let converter = try RowConverter(spec: spec, header: source.headerFromFile ? source.header : (spec.input.format == .jsonl ? source.header : nil),
                                         fieldCount: source.header.count, encoding: probe.encoding, gemeenten: gemeenten,
                                         privacy: privacy, file: probe.path)
        dropped = converter.unusedFields
        let kept = spec.columns.indices.filter { spec.columns[$0].personal != .drop }
        let gemeenteColumn = spec.onlyWerkgebied ? spec.columns.firstIndex { $0.name == "gemeente_code" } : nil
        let known = Set(gemeenten.values)
        var line = ""
        line.reserveCapacity(512)
        while let record = try source.next() {
            rowsRead += 1
            if let problem = record.problem {
                try reject(Reject(line: record.line, column: problem.column, rawValue: problem.value, rawRecord: scrubbed(record.raw), reason: problem.reason))
                continue
            }
            switch converter.convert(record.fields) {
            case .success(let values):
                if let g = gemeenteColumn, !known.contains(values[g] ?? "") {
                    rowsSkipped += 1
                    continue
                }
                line.removeAll(keepingCapacity: true)
                for i in kept {
                    CopyText.escape(values[i], into: &line)
                    line += "\t"
                }
                line += String(record.line)
                line += "\n"
                try emit(line)
                rowsWritten += 1
            case .failure(let e):
                try reject(Reject(line: record.line, column: e.column, rawValue: e.raw.map(scrubbed), rawRecord: scrubbed(record.raw), reason: e.reason))
            }
            if rowsRead % 65_536 == 0 { options.progress?(source.bytesRead, rowsRead) }
        }
        options.progress?(source.bytesRead, rowsRead)
        if rowsRead == 0 {
            throw WarehouseError(.invalidInput, "\(probe.path): no data rows\(source.headerFromFile ? " after the header" : "")")
        }
        if limit.exceeded(rejected: allRejects.count, read: rowsRead) {
            throw overThreshold()
        }
    }

    /// Personal data never reaches etl.reject either.
    private func scrubbed(_ text: String) -> String {
        privacy?.scrub(text) ?? text
    }

    private mutating func reject(_ r: Reject) throws {
        allRejects.append(r)
        if case .count(let n) = limit, allRejects.count > n { throw overThreshold() }
    }

    private func overThreshold() -> WarehouseError {
        let first = allRejects.first.map { " First: line \($0.line)\($0.column.map { ", column \($0)" } ?? ""): \($0.reason)." } ?? ""
        return WarehouseError(.rejectsOverThreshold,
                              "\(probe.path): \(allRejects.count) rejected rows exceed --max-rejects \(limit); nothing loaded.\(first)")
    }

    /// Stages, merges and checks the file inside the caller's transaction.
    mutating func loadInTransaction(replacing previous: Int64?) throws {
        var sql = try MergeSQL(spec: spec, connection: connection)
        try sql.loadPrimaryKey(connection)
        try connection.executeScript(sql.createStaging)
        let db = connection
        let copied = try db.copyIn(sql.copyStaging) { writer in
            try self.read { try writer.write($0) }
        }
        guard copied == rowsWritten else {
            throw WarehouseError(.invalidInput, "staging received \(copied) rows, expected \(rowsWritten)")
        }
        if let duplicates = sql.duplicateKeys {
            let rows = try connection.execute(duplicates)
            if let first = rows.first {
                let list = try rows.map { "key \(try $0.decode(0, as: String.self)) on lines \(try $0.decode(1, as: String.self))" }
                _ = first
                throw WarehouseError(.invalidInput, "\(probe.path): the same key occurs more than once: \(list.joined(separator: "; "))")
            }
        }
        if let previous {
            try connection.execute("delete from \(sql.target) where batch_id = $1", [previous])
            try connection.execute("update etl.batch set status = 'replaced', replaced_by = $2 where batch_id = $1", [previous, batchID])
        }
        if let delete = sql.deleteScopes { try connection.execute(delete) }
        rowsLoaded = try connection.execute(sql.insert, [batchID]).affectedRows
        if case .replace = spec.merge {
            try connection.execute("""
                update etl.batch b set status = 'replaced', replaced_by = $1
                where b.feed = $2 and b.status = 'loaded' and b.batch_id <> $1
                  and not exists (select 1 from \(sql.target) t where t.batch_id = b.batch_id)
                """, [batchID, spec.name])
        }
        try Loader.storeRejects(allRejects, batchID: batchID, connection)
        for check in spec.checks {
            let failures = try connection.execute(check.sql, [batchID])
            if failures.count > 0 {
                let sample = failures.prefix(3).map { row in (0..<failures.columnCount).map { row[$0] ?? "NULL" }.joined(separator: " ") }
                throw WarehouseError(.checkFailed, "\(probe.path): data check \(check.name) failed (\(failures.count) rows), e.g. \(sample.joined(separator: "; ")); nothing loaded")
            }
        }
        try connection.execute("drop table \(sql.staging)")
        var details: [String: String] = [:]
        if !dropped.isEmpty { details["dropped_columns"] = dropped.joined(separator: ",") }
        if rowsSkipped > 0 { details["skipped_outside_werkgebied"] = String(rowsSkipped) }
        for (k, v) in privacy?.counts ?? [:] { details["personal_\(k)"] = String(v) }
        try connection.execute("""
            update etl.batch set status = 'loaded', finished_at = clock_timestamp(), rows_read = $2, rows_loaded = $3,
                rows_rejected = $4, details = $5::jsonb where batch_id = $1
            """, [batchID, rowsRead, rowsLoaded, allRejects.count, LoadSession.json(details)])
    }

    static func json(_ dict: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    func fill(_ result: inout LoadResult) {
        result.rowsRead = rowsRead
        result.rowsLoaded = rowsLoaded
        result.rowsRejected = allRejects.count
        result.rejects = Array(allRejects.prefix(options.keepRejects))
        result.droppedColumns = dropped
        result.rowsSkipped = rowsSkipped
        result.personalData = privacy?.counts ?? [:]
        if result.status == .dryRun { result.rowsLoaded = rowsWritten }
    }
}
