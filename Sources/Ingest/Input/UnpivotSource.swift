import Foundation

/// Wide → long: every header column whose name matches the spec's `unpivot.match` becomes a record
/// of its own, holding the other (identifying) columns, the pattern's named groups (`jaar`, `dimensie`)
/// and the value (`unpivot.value`). `RLBRMTR12,RLBWON12,…` per area becomes one row per area, year
/// and dimension. Rejects name the original column.
package struct UnpivotSource: RecordSource {
    private var inner: any RecordSource
    package let header: [String]
    private let ids: [Int]
    private let matched: [(index: Int, name: String, captures: [String])]
    private let keepEmpty: Bool
    private var pending: [SourceRecord] = []
    package var headerFromFile: Bool { inner.headerFromFile }
    package var headerLine: Int? { inner.headerLine }
    package var bytesRead: Int { inner.bytesRead }
    package var undeclared: [String] { inner.undeclared }

    package init(inner: any RecordSource, unpivot: Unpivot, file: String) throws {
        self.inner = inner
        keepEmpty = unpivot.keepEmpty
        guard let regex = try? NSRegularExpression(pattern: "^(?:" + unpivot.match + ")$") else {
            throw WarehouseError(.invalidInput, "unpivot.match is not a valid regular expression")
        }
        let groups = UnpivotSource.groupNames(unpivot.match)
        var ids: [Int] = []
        var matched: [(Int, String, [String])] = []
        for (i, name) in inner.header.enumerated() {
            if let m = regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) {
                let captures = groups.map { g in Range(m.range(withName: g), in: name).map { String(name[$0]) } ?? "" }
                matched.append((i, name, captures))
            } else {
                ids.append(i)
            }
        }
        guard !matched.isEmpty else {
            throw WarehouseError(
                .invalidInput,
                "\(file): no header column matches unpivot.match '\(unpivot.match)' (header: \(inner.header.joined(separator: "|"))); the file is refused, nothing loaded"
            )
        }
        self.ids = ids
        self.matched = matched
        header = ids.map { inner.header[$0] } + groups + [unpivot.value]
    }

    /// The named groups of a pattern, in order: `(?<jaar>…)`.
    package static func groupNames(_ pattern: String) -> [String] {
        guard let named = try? NSRegularExpression(pattern: #"\(\?<([A-Za-z][A-Za-z0-9_]*)>"#) else { return [] }
        return named.matches(in: pattern, range: NSRange(pattern.startIndex..., in: pattern)).compactMap {
            Range($0.range(at: 1), in: pattern).map { String(pattern[$0]) }
        }
    }

    package mutating func next() throws -> SourceRecord? {
        while pending.isEmpty {
            guard let record = try inner.next() else { return nil }
            if record.problem != nil { return record }
            let idValues = ids.map { $0 < record.fields.count ? record.fields[$0] : nil }
            for m in matched.reversed() {
                let value = m.index < record.fields.count ? record.fields[m.index] : nil
                if !keepEmpty && (value?.trimmedSpaces().isEmpty ?? true) { continue }
                var out = record
                out.fields = idValues + m.captures.map { Optional($0) } + [value]
                out.valueLabel = (header.count - 1, record.sheet.map { "\(m.name) (\(SheetXML.cellName($0, m.index, record.line)))" } ?? m.name)
                out.sheet = nil  // the fields no longer stand in their sheet columns
                pending.append(out)
            }
        }
        return pending.removeLast()
    }
}

/// The record source for a file in a spec's format (with `unpivot` applied when the spec has one).
package func openRecordSource(probe: FileProbe, spec: FeedSpec) throws -> any RecordSource {
    var source: any RecordSource =
        switch spec.input.format {
        case .csv: try CSVSource(file: probe.name, probe: probe, input: spec.input)
        case .jsonl: try JSONLinesSource(file: probe.dataPath, spec: spec)
        case .json: try JSONArraySource(file: probe.dataPath, spec: spec, skip: probe.bomLength, name: probe.name)
        case .xlsx: try XLSXSource(file: probe.path, input: spec.input)
        }
    if let unpivot = spec.unpivot {
        guard source.headerFromFile else {
            throw WarehouseError(.invalidInput, "\(spec.path): unpivot needs a header (CSV or xlsx with header: true)")
        }
        source = try UnpivotSource(inner: source, unpivot: unpivot, file: probe.name)
    }
    return source
}
