import Foundation
import Dates

/// The fields a spec reads from JSON objects: keys or dotted paths, in a fixed order; keys it does
/// not declare are noted (never stored). Shared by JSON Lines and JSON array input.
package struct JSONObjectFields {
    package let header: [String]
    /// Per header field, the text its array's items are joined with (`join:`), else nil.
    private let joins: [String?]
    private let declared: Set<String>
    private var seenUndeclared = Set<String>()
    package var undeclared: [String] { seenUndeclared.sorted() }

    package init(spec: FeedSpec) {
        var names: [String] = []
        for column in spec.columns {
            names += column.sources + (column.template?.fields.filter { spec.input.fileFields[$0] == nil } ?? [])
            if case .debitMinusCredit(let d, let c) = column.transform { names += d + c }
            if case .signFrom(let indicator, _, _) = column.transform { names += indicator }
        }
        names += spec.filters.map(\.field)
        var seen = Set<String>()
        header = names.filter { seen.insert($0).inserted }
        declared = seen
        joins = header.map { key in spec.columns.first { $0.join != nil && $0.sources.contains(key) }?.join }
    }

    /// Decodes one object's bytes into `out.fields`, or sets `out.problem`.
    package mutating func fill(_ out: inout SourceRecord, _ bytes: [UInt8], expected: String) {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            out.problem = (nil, nil, "not valid UTF-8")
            return
        }
        if let twice = JSONKeys.duplicate(bytes) {
            // A decoder keeps one of the two silently; which one the partner meant is unknown.
            out.problem = (twice, nil, "the key \(twice) appears twice in one object")
            return
        }
        let object: JSONValue
        do {
            object = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            out.problem = (nil, String(out.raw.prefix(200)), "malformed JSON: expected \(expected)")
            return
        }
        guard case .object(let top) = object else {
            out.problem = (nil, String(out.raw.prefix(200)), "expected a JSON object")
            return
        }
        if seenUndeclared.count < 100 { noteUndeclared(top, prefix: "") }
        for (index, key) in header.enumerated() {
            var value: JSONValue? = object
            for part in key.split(separator: ".") {
                if case .object(let d) = value { value = d[String(part)] } else { value = nil }
            }
            switch value {
            case nil, .null?: out.fields.append(nil)
            case .string(let s)?:
                if s.utf8.contains(0) {
                    out.problem = (key, nil, "NUL character (\\u0000) in \(key): text cannot hold it")
                    return
                }
                out.fields.append(s)
            case .number(let n)?: out.fields.append(n)
            case .bool(let b)?: out.fields.append(b ? "true" : "false")
            case .array(let items)? where joins[index] != nil:
                let joined = JSONObjectFields.joined(items, by: joins[index] ?? "", key: key, into: &out)
                if out.problem != nil { return }
                out.fields.append(joined)
            case .object?, .array?:
                out.problem = (key, nil, "expected a text, number or boolean value at \(key)")
                return
            }
        }
    }

    /// An array's texts and numbers joined by `separator` (nulls left out; none left: no value),
    /// or `out.problem` set when an item is an object or an array, or holds the separator (it
    /// would be split in two later).
    private static func joined(_ items: [JSONValue], by separator: String, key: String, into out: inout SourceRecord) -> String? {
        var parts: [String] = []
        for item in items {
            let text: String
            switch item {
            case .null: continue
            case .string(let s): text = s
            case .number(let n): text = n
            case .bool(let b): text = b ? "true" : "false"
            case .object, .array:
                out.problem = (key, nil, "expected texts or numbers in the array at \(key)")
                return nil
            }
            if text.contains(separator) || text.utf8.contains(0) {
                out.problem = (key, text, "an item of the array at \(key) holds \(text.utf8.contains(0) ? "a NUL character" : "the join text '\(separator)'")")
                return nil
            }
            parts.append(text)
        }
        return parts.isEmpty ? nil : parts.joined(separator: separator)
    }

    /// Records the leaf keys (dotted paths) the spec does not declare.
    private mutating func noteUndeclared(_ object: [String: JSONValue], prefix: String) {
        for (key, value) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if declared.contains(path) { continue }
            if case .object(let inner) = value, declared.contains(where: { $0.hasPrefix(path + ".") }) {
                noteUndeclared(inner, prefix: path)
            } else {
                seenUndeclared.insert(path)
            }
        }
    }
}

/// JSON Lines records: one object per line; a spec column's source is a key or a dotted path.
package struct JSONLinesSource: RecordSource {
    package let reader: CSVReader
    package var fields: JSONObjectFields
    package var header: [String] { fields.header }
    package let headerFromFile = false
    package var bytesRead: Int { reader.bytesRead }
    package var undeclared: [String] { fields.undeclared }

    package init(file: String, spec: FeedSpec) throws {
        let handle = try openForReading(file)
        // Lines are split by the CSV reader with a delimiter and quote that never occur (NUL):
        // a JSON string cannot hold a raw newline, so one physical line is one record.
        reader = CSVReader(handle: handle, delimiter: 0x00, quote: 0x00, maxFieldBytes: spec.input.maxFieldBytes)
        fields = JSONObjectFields(spec: spec)
    }

    package mutating func next() throws -> SourceRecord? {
        guard let record = try reader.next() else { return nil }
        var out = SourceRecord(line: record.line, fields: [], problem: nil, rawBytes: record.raw, rawEncoding: .utf8, valueLabel: nil)
        if let problem = record.problem, problem.reason.hasPrefix("field longer") {
            out.problem = (nil, nil, "line longer than the limit")
            return out
        }
        fields.fill(&out, record.raw, expected: "one object per line")
        return out
    }
}

/// A JSON value; numbers keep their decimal text (never through Double).
package enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .number(String(i))
        } else if let d = try? c.decode(Decimal.self) {
            self = .number(NSDecimalNumber(decimal: d).description(withLocale: Locale(identifier: "en_US_POSIX")))
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }
}
