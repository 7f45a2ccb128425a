import Foundation

/// A feed: how one kind of file is read, checked and merged into the warehouse.
/// Written in `SQL/feeds/<feed>.yaml`; see docs/feeds.md.
public struct FeedSpec: Sendable {
    /// The feed's name (batches are recorded under it).
    public var name: String
    /// What the feed is.
    public var description: String
    /// The `core` table rows are merged into, e.g. `core.spending`.
    public var target: String
    /// How the file is written.
    public var input: InputFormat
    /// The columns the feed keeps.
    public var columns: [ColumnSpec]
    /// The natural key (target columns).
    public var key: [String]
    /// How rows are merged.
    public var merge: MergeMode
    /// Where the spec gives its replace scope (`spec.yaml:17`), for errors.
    public var scopeOrigin = ""
    /// The target's own columns holding the replace scope (`target_scope: [year]`), one per scope
    /// expression: the delete of earlier rows then compares indexed columns instead of computing
    /// the expression over every row of the target. Empty: the expressions on both sides.
    public var targetScope: [String] = []
    /// How far (percent) a replace may shrink one scope before the load is refused (unless
    /// `--allow-shrink`): 50 refuses a file that would leave a year with under half its rows.
    public var maxShrinkPercent: Double = 50
    /// How many rejected rows a load tolerates.
    public var maxRejects: RejectLimit
    /// Data checks run after the merge (names in SQL/checks, plus inline ones).
    public var checks: [CheckSpec]
    /// Inbox file names this feed takes (globs, e.g. `grootboek*.csv`; `file_pattern` is one or a
    /// list, so a feed can take a download's `.zip` too).
    public var filePatterns: [String]
    /// Load order among feeds in one run (lower first: areas and stock before facts).
    public var order: Int
    /// Skip (not reject) rows whose gemeente_code is outside core.gemeente: for national files
    /// such as the Leefbaarometer, of which only the werkgebied is kept.
    public var onlyWerkgebied = false
    /// Statements run after each chunk's merge, with `{staging}` for the staging table and `$1`
    /// for the batch: for rows one record also puts in another table (activity partners).
    public var afterMerge: [String] = []
    /// Rows kept only when every filter passes; the others are counted as skipped.
    public var filters: [RowFilter] = []
    /// Wide → long, applied to each record before the columns are bound.
    public var unpivot: Unpivot?
    /// Other tables holding this feed's rows (by batch_id), cleared when a batch is reloaded.
    public var extraTargets: [String] = []
    /// The spec file, for messages.
    public var path: String

    /// The target columns, in order.
    public var targetColumns: [String] { columns.map(\.name) }
}

/// How a file is written.
public struct InputFormat: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl, json, xlsx }
    public enum Delimiter: Sendable, Equatable {
        case auto
        case byte(UInt8)
    }
    public enum Encoding: Sendable, Equatable {
        case auto
        case fixed(TextEncoding)
    }

    public var format: Format = .csv
    public var delimiter: Delimiter = .auto
    public var quote: UInt8 = UInt8(ascii: "\"")
    public var encoding: Encoding = .auto
    public var header = true
    public var numbers: ExactDecimal.Style = .dutch
    public var dateFormat = DateFormat("dd-mm-yyyy")!  // swiftlint:disable:this force_unwrapping
    public var maxFieldBytes = 1 << 20
    /// Values that mean "no value" in every column (`NULL`, `.`, `-`); compared after trimming.
    public var nullTokens: [String] = []
    /// Whether leading and trailing spaces are removed from values (also inside quotes).
    public var trim = true
    /// The line (CSV) or row (xlsx) the header is on; lines above it are titles and are skipped.
    public var headerRow = 1
    /// The worksheet of an xlsx file: its name, or its number (1 = first).
    public var sheet: String?
    /// Values captured from the file's name: placeholder name → regular expression with one group.
    public var fileFields: [String: String] = [:]

    public init() {}
}

/// The value types a column can have.
public enum ColumnType: String, Sendable, CaseIterable {
    case text, int, decimal, date, bool, code

    /// The PostgreSQL type of the staging column.
    public var sqlType: String {
        switch self {
        case .text, .code: return "text"
        case .int: return "bigint"
        case .decimal: return "numeric"
        case .date: return "date"
        case .bool: return "boolean"
        }
    }
}

/// One target column and where its value comes from.
public struct ColumnSpec: Sendable {
    /// Target column name.
    public var name: String
    public var type: ColumnType = .text
    /// Source header names (matched ignoring case and spaces) or JSON keys (dotted paths).
    public var sources: [String] = []
    public var required = false
    /// Regular expression the value must match (after trimming).
    public var pattern: String?
    /// Allowed values (compared case-insensitively; stored as written here).
    public var allowed: [String]?
    /// Decimal places to keep for `decimal` (more is a reject, fewer are padded).
    public var scale: Int?
    public var transform: Transform?
    /// Value when the source is empty or absent.
    public var defaultValue: String?
    /// Personal data handling for this column (`hash` or `drop`).
    public var personal: PersonalHandling?
    /// Whether the column's values are written to staging and the target (`personal: drop` is read,
    /// screened and counted, never written).
    public var isWritten: Bool { personal != .drop }
    /// Scan free text for BSN, e-mail and phone numbers and replace them.
    public var scrub = false
    /// Kept in staging for `after_merge`, not inserted into the target.
    public var stageOnly = false
    /// Values that mean "no value" for this column (besides the input's `null` tokens).
    public var nullTokens: [String] = []
    /// Whether leading and trailing spaces are removed (nil: the input's `trim`).
    public var trim: Bool?
    /// Value mapping, applied after trimming (keys compared exactly, then ignoring case and spaces).
    public var map: [String: String]?
    /// What happens to a value `map` does not list.
    public var unmapped: Unmapped = .reject
    /// How a value with more decimals than the column keeps is rounded; nil: it is a reject.
    public var round: ExactDecimal.Rounding?
    /// Smallest and largest value accepted (dates, whole numbers, decimals), as written in the spec.
    public var min: String?
    public var max: String?
    /// A value built from other fields and the file name: `"{SUBSIDIEJAAR}-12-31"`.
    public var template: Template?
    /// JSON input: a source holding an array of texts and numbers gives one value, its items
    /// joined by this text (`|`), for a spec's SQL to split; nil: an array is a reject.
    public var join: String?

    public init(name: String) { self.name = name }
}

/// What `map` does with a value it does not list.
public enum Unmapped: String, Sendable, CaseIterable {
    /// The row is rejected.
    case reject
    /// The value is kept as it is.
    case keep
    /// The column's `default` is used.
    case `default`
}

/// A value assembled from literal text and `{placeholders}`: a field of the record (by header name
/// or JSON key), or a value captured from the file's name (`input.file_fields`).
public struct Template: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        case field(String)
    }
    public var parts: [Part]
    public var text: String

    /// Parses `"{SUBSIDIEJAAR}-12-31"`; nil when braces do not pair up.
    public init?(_ text: String) {
        self.text = text
        parts = []
        var literal = ""
        var rest = Substring(text)
        while let c = rest.first {
            rest.removeFirst()
            if c == "{" {
                guard let close = rest.firstIndex(of: "}") else { return nil }
                let name = String(rest[..<close]).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains("{") else { return nil }
                if !literal.isEmpty {
                    parts.append(.text(literal))
                    literal = ""
                }
                parts.append(.field(name))
                rest = rest[rest.index(after: close)...]
            } else if c == "}" {
                return nil
            } else {
                literal.append(c)
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
    }

    /// The field names it uses.
    public var fields: [String] { parts.compactMap { if case .field(let f) = $0 { f } else { nil } } }
}

/// A row filter: rows whose field fails it are skipped (counted, never rejected).
public struct RowFilter: Sendable {
    public enum Test: Sendable {
        case oneOf([String])
        case noneOf([String])
        case notEmpty
        case matches(String)
    }
    /// The source field (header name or JSON key).
    public var field: String
    public var test: Test
}

/// Wide → long: each header column whose name matches `match` becomes a row of its own.
public struct Unpivot: Sendable {
    /// A regular expression over header names; its named groups become fields of the new rows.
    public var match: String
    /// The name of the field that holds the matched column's value.
    public var value: String
    /// Whether a row is made for an empty cell.
    public var keepEmpty = false
}

/// Personal data a column holds, and what is done with it.
public enum PersonalHandling: String, Sendable { case hash, drop }

/// Transforms applied to a column's value.
public enum Transform: Sendable, Equatable {
    /// A gemeente name or CBS code → CBS code via core.gemeente.
    case gemeenteCode
    /// The gemeente code of a CBS area code in another column (`BU01060710` → `GM0106`).
    case gemeenteOf(String)
    /// The level (gemeente/wijk/buurt) of a CBS area code in another column.
    case levelOf(String)
    /// The parent code of a CBS area code in another column (buurt → wijk, wijk → gemeente).
    case parentOf(String)
    /// debit − credit from two source columns.
    case debitMinusCredit(debit: [String], credit: [String])
    /// An unsigned amount (the column's source) whose sign another field gives: negative when
    /// that field is one of `negative` (`C`, `Credit`), as it is when one of `positive`.
    case signFrom(indicator: [String], negative: [String], positive: [String])
    case lowercase
    case uppercase
    /// A fixed value.
    case constant(String)
}

/// How a batch's rows are merged into the target.
public enum MergeMode: Sendable, Equatable {
    /// Insert new keys, update existing ones.
    case upsert
    /// Delete the rows that earlier batches of the same feed hold in the scopes the file covers
    /// (SQL expressions over the row, e.g. `extract(year from booking_date)::int`), then insert.
    case replace(scope: [String])
}

/// How many rejects a batch tolerates before it fails as a whole.
public enum RejectLimit: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// Parses `10` or `1%`.
    public init?(_ text: String) {
        let t = text.trimmedSpaces()
        if t.hasSuffix("%"), let p = Double(t.dropLast()), p >= 0, p <= 100 {
            self = .percent(p)
        } else if let n = Int(t), n >= 0 {
            self = .count(n)
        } else {
            return nil
        }
    }

    /// Whether `rejected` of `read` rows is over the limit.
    public func exceeded(rejected: Int, read: Int) -> Bool {
        switch self {
        case .count(let n): return rejected > n
        case .percent(let p): return read > 0 && Double(rejected) * 100 > p * Double(read)
        }
    }

    public var description: String {
        switch self {
        case .count(let n): return String(n)
        case .percent(let p): return "\(p)%"
        }
    }
}

/// A data check: a query that returns zero rows when the data is sound; `$1` is the batch id.
public struct CheckSpec: Sendable {
    public var name: String
    public var sql: String
    /// Where the spec names it (`spec.yaml:31`), for errors.
    public var origin: String = ""

    /// The query as a subquery can hold it: trimmed, without a closing `;`.
    public var query: String {
        var body = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while body.hasSuffix(";") { body.removeLast() }
        return body
    }
}
