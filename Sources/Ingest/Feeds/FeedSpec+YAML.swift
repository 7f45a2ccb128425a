import Foundation
import Dates
import Yams

/// Reading feed specs from YAML, with errors that name the spec file and line.
extension FeedSpec {
    /// Loads `SQL/feeds/<name>.yaml`.
    public static func named(_ name: String, in sql: SQLDirectory) throws -> FeedSpec {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw WarehouseError(.invalidInput, "feed name '\(name)' may hold letters, digits, - and _ only")
        }
        let path = sql.feeds + "/" + name + ".yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            let known =
                (try? FileManager.default.contentsOfDirectory(atPath: sql.feeds))?
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() ?? []
            throw WarehouseError(.unknownName, "no feed '\(name)'.\(Suggestion.phrase(name, in: known)) Known: \(known.joined(separator: ", "))")
        }
        return try load(path: path, sql: sql)
    }

    /// Every spec in SQL/feeds.
    public static func all(in sql: SQLDirectory) throws -> [FeedSpec] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sql.feeds)) ?? []
        return try names.filter { $0.hasSuffix(".yaml") }.sorted().map { try load(path: sql.feeds + "/" + $0, sql: sql) }
    }

    /// Loads a spec file.
    public static func load(path: String, sql: SQLDirectory?) throws -> FeedSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw WarehouseError(.missingFile, "cannot read feed spec \(path)")
        }
        return try parse(text, path: path, sql: sql)
    }

    /// Parses spec text. Unknown keys, wrong types and missing required keys are errors naming the line.
    public static func parse(_ text: String, path: String, sql: SQLDirectory?) throws -> FeedSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw WarehouseError(.invalidInput, "\(path): empty feed spec") }
            root = node
        } catch let error as WarehouseError {
            throw error
        } catch {
            throw WarehouseError(.invalidInput, "\(path): not valid YAML: \(error)")
        }
        let top = try SpecMap(root, path: path, context: "spec")
        let name = try top.string("feed", required: true) ?? ""
        var spec = FeedSpec(
            name: name,
            description: try top.string("description") ?? "",
            target: try top.string("target", required: true) ?? "",
            input: InputFormat(),
            columns: [],
            key: try top.stringList("key") ?? [],
            merge: .upsert,
            maxRejects: .count(0),
            checks: [],
            filePatterns: try top.stringList("file_pattern") ?? [],
            order: try top.int("order") ?? 50,
            path: path
        )
        // The feed's name keys its batches and appears in file names and commands.
        guard name.range(of: #"^[a-z0-9][a-z0-9_-]*$"#, options: .regularExpression) != nil else {
            throw top.error("feed", "feed must be a name of lowercase letters, digits, - and _ (e.g. ledger), not '\(name)'")
        }
        guard spec.target.range(of: #"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$"#, options: .regularExpression) != nil else {
            throw top.error("target", "target must be schema.table in lowercase, e.g. core.spending")
        }
        spec.onlyWerkgebied = try top.bool("only_werkgebied") ?? false
        spec.afterMerge = try top.stringList("after_merge") ?? []
        spec.extraTargets = try top.stringList("extra_targets") ?? []
        spec.filters = try (top.list("where") ?? []).map(parseFilter)
        if let unpivot = try top.map("unpivot") {
            let match = try unpivot.string("match", required: true) ?? ""
            guard (try? NSRegularExpression(pattern: match)) != nil else { throw unpivot.error("match", "match is not a valid regular expression") }
            spec.unpivot = Unpivot(match: match, value: try unpivot.string("value", required: true) ?? "", keepEmpty: try unpivot.bool("keep_empty") ?? false)
            try unpivot.finish()
        }
        for t in spec.extraTargets where t.range(of: #"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$"#, options: .regularExpression) == nil {
            throw top.error("extra_targets", "extra_targets must be schema.table names")
        }
        if let limit = try top.string("max_rejects") {
            guard let parsed = RejectLimit(limit) else { throw top.error("max_rejects", "max_rejects must be a count (10) or a percentage (1%)") }
            spec.maxRejects = parsed
        }
        if let input = try top.map("input") { spec.input = try parseInput(input) }
        if let merge = try top.map("merge") {
            switch try merge.string("mode", required: true) {
            case "upsert": spec.merge = .upsert
            case "replace":
                guard let scope = try merge.stringList("scope"), !scope.isEmpty else {
                    throw merge.error("mode", "merge mode replace needs a scope (list of SQL expressions)")
                }
                spec.merge = .replace(scope: scope)
                spec.scopeOrigin = "\(path):\(merge.line(of: "scope"))"
                if let targetScope = try merge.stringList("target_scope") {
                    guard targetScope.count == scope.count,
                        targetScope.allSatisfy({ $0.range(of: #"^[a-z_][a-z0-9_]*$"#, options: .regularExpression) != nil })
                    else {
                        throw merge.error("target_scope", "target_scope names one target column per scope expression (\(scope.count)), e.g. [year]")
                    }
                    spec.targetScope = targetScope
                }
                if let shrink = try merge.string("max_shrink") {
                    guard case .percent(let p)? = RejectLimit(shrink) else {
                        throw merge.error("max_shrink", "max_shrink must be a percentage such as 50%")
                    }
                    spec.maxShrinkPercent = p
                }
            default: throw merge.error("mode", "merge mode must be upsert or replace")
            }
            try merge.finish()
        }
        guard let columns = try top.list("columns"), !columns.isEmpty else {
            throw top.error(nil, "a feed spec needs columns")
        }
        spec.columns = try columns.map { try parseColumn($0, format: spec.input.format) }
        var seen = Set<String>()
        for c in spec.columns where !seen.insert(c.name).inserted {
            throw WarehouseError(.invalidInput, "\(path): column \(c.name) is declared twice")
        }
        for k in spec.key where !seen.contains(k) {
            throw top.error("key", "key column \(k) is not among the columns")
        }
        if let checks = try top.list("checks") {
            for check in checks {
                if let name = check.scalarString {
                    var loaded = try loadCheck(name, sql: sql, path: path)
                    loaded.origin = "\(path):\(check.line)"
                    spec.checks.append(loaded)
                } else {
                    let map = try SpecMap(check.node, path: path, context: "check")
                    if let known = try map.map("known") {
                        var loaded = try knownCheck(known, target: spec.target)
                        loaded.origin = "\(path):\(check.line)"
                        spec.checks.append(loaded)
                        try known.finish()
                    } else {
                        spec.checks.append(
                            CheckSpec(
                                name: try map.string("name", required: true) ?? "", sql: try map.string("sql", required: true) ?? "",
                                origin: "\(path):\(check.line)"))
                    }
                    try map.finish()
                }
            }
        }
        try top.finish()
        return spec
    }

    /// `known: {column: partner_code, in: core.partner}`: every value of the column among the
    /// batch's rows (of the target, or of `table:`) exists in the reference table's column of the
    /// same name (or `in: core.partner(code)`). Nulls pass. One template instead of a check file each.
    package static func knownCheck(_ map: SpecMap, target: String) throws -> CheckSpec {
        let identifier = #"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$"#
        func name(_ key: String, _ value: String) throws -> String {
            guard value.range(of: identifier, options: .regularExpression) != nil else {
                throw map.error(key, "\(key): '\(value)' is not a plain (schema.)name")
            }
            return value.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
        }
        guard let column = try map.string("column", required: true), let reference = try map.string("in", required: true) else {
            throw map.error(nil, "known needs column and in")
        }
        var referenceTable = reference
        var referenceColumn = column
        if let open = reference.firstIndex(of: "("), reference.hasSuffix(")") {
            referenceTable = String(reference[..<open])
            referenceColumn = String(reference[reference.index(after: open)..<reference.index(before: reference.endIndex)])
        }
        let table = try map.string("table") ?? target
        let c = try name("column", column)
        let t = try name("table", table)
        let r = try name("in", referenceTable)
        let rc = try name("in", referenceColumn)
        let checkName = try map.string("name") ?? "\(column)_known"
        return CheckSpec(
            name: checkName,
            sql: """
                select source_line, \(c) from \(t)
                where batch_id = $1 and \(c) is not null and \(c) not in (select \(rc) from \(r) where \(rc) is not null)
                order by source_line
                """)
    }

    package static func loadCheck(_ name: String, sql: SQLDirectory?, path: String) throws -> CheckSpec {
        guard let sql, let text = try? String(contentsOfFile: sql.checks + "/" + name + ".sql", encoding: .utf8) else {
            throw WarehouseError(.invalidInput, "\(path): check \(name) not found in SQL/checks")
        }
        return CheckSpec(name: name, sql: text)
    }

    package static func parseInput(_ map: SpecMap) throws -> InputFormat {
        var input = InputFormat()
        if let format = try map.string("format") {
            guard let f = InputFormat.Format(rawValue: format) else {
                throw map.error("format", "format must be one of \(InputFormat.Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            input.format = f
        }
        if let d = try map.string("delimiter") {
            switch d {
            case "auto": input.delimiter = .auto
            case "tab", "\t": input.delimiter = .byte(0x09)
            case ";", ",", "|": input.delimiter = .byte(d.utf8.first ?? 0x3B)
            default: throw map.error("delimiter", "delimiter must be ';', ',', '|', tab or auto")
            }
        }
        if let q = try map.string("quote") {
            guard q.utf8.count == 1, let b = q.utf8.first else { throw map.error("quote", "quote must be one ASCII character") }
            input.quote = b
        }
        if let e = try map.string("encoding") {
            if e == "auto" {
                input.encoding = .auto
            } else if let enc = TextEncoding(rawValue: e.lowercased()) {
                input.encoding = .fixed(enc)
            } else {
                throw map.error("encoding", "encoding must be utf-8, windows-1252, iso-8859-1 or auto")
            }
        }
        if let h = try map.bool("header") { input.header = h }
        // Numbers in workbooks and JSON are stored with a dot, whatever the sheet shows.
        if input.format != .csv { input.numbers = .plain }
        if let d = try map.string("decimal") {
            switch d {
            case "comma": input.numbers = .dutch
            case "dot": input.numbers = .plain
            default: throw map.error("decimal", "decimal must be comma or dot")
            }
        }
        if let t = try map.string("thousands") {
            switch t {
            case "none", "": input.numbers.thousands = nil
            case ".", ",", " ": input.numbers.thousands = t.utf8.first
            default: throw map.error("thousands", "thousands must be '.', ',', ' ' or none")
            }
        }
        if input.numbers.thousands == input.numbers.decimal { throw map.error("thousands", "thousands and decimal separators must differ") }
        if let c = try map.bool("currency") { input.numbers.currency = c }
        if let p = try map.bool("negative_parentheses") { input.numbers.parenthesesNegative = p }
        if let t = try map.bool("negative_trailing") { input.numbers.trailingMinus = t }
        if let f = try map.string("date_format") {
            guard let format = DateFormat(f) else {
                throw map.error("date_format", "date_format must be dd-mm-yyyy, d-m-yyyy, dd/mm/yyyy, dd.mm.yyyy or yyyy-mm-dd")
            }
            input.dateFormat = format
        }
        if let m = try map.int("max_field_bytes") {
            guard m > 0 else { throw map.error("max_field_bytes", "max_field_bytes must be a positive number of bytes") }
            input.maxFieldBytes = m
        }
        if case .byte(let d) = input.delimiter, d == input.quote { throw map.error("quote", "quote and delimiter must differ") }
        input.nullTokens = try map.stringList("null") ?? []
        if let t = try map.bool("trim") { input.trim = t }
        if let h = try map.int("header_row") {
            guard h >= 1 else { throw map.error("header_row", "header_row is a line number, 1 or more") }
            input.headerRow = h
        }
        if let n = try map.int("skip_lines") {
            guard n >= 0 else { throw map.error("skip_lines", "skip_lines must be 0 or more") }
            guard input.headerRow == 1 else { throw map.error("skip_lines", "give header_row or skip_lines, not both") }
            input.headerRow = n + 1
        }
        input.sheet = try map.string("sheet")
        if input.sheet != nil && input.format != .xlsx { throw map.error("sheet", "sheet is for format: xlsx") }
        if let fields = try map.stringMap("file_fields") {
            for (name, pattern) in fields {
                guard let regex = try? NSRegularExpression(pattern: pattern), regex.numberOfCaptureGroups >= 1 else {
                    throw map.error("file_fields", "file_fields.\(name) must be a regular expression with a capture group, e.g. 'grootboek-([0-9]{4})'")
                }
            }
            input.fileFields = fields
        }
        try map.finish()
        return input
    }

    package static func parseFilter(_ item: SpecNode) throws -> RowFilter {
        let map = try SpecMap(item.node, path: item.path, context: "where")
        let field = try map.string("field", required: true) ?? ""
        var tests: [RowFilter.Test] = []
        if let values = try map.stringList("in") { tests.append(.oneOf(values)) }
        if let values = try map.stringList("not_in") { tests.append(.noneOf(values)) }
        if try map.bool("not_empty") == true { tests.append(.notEmpty) }
        if let pattern = try map.string("pattern") {
            guard (try? NSRegularExpression(pattern: pattern)) != nil else { throw map.error("pattern", "pattern is not a valid regular expression") }
            tests.append(.matches(pattern))
        }
        guard tests.count == 1, let test = tests.first else {
            throw map.error(nil, "a where filter needs one of in, not_in, not_empty or pattern")
        }
        try map.finish()
        return RowFilter(field: field, test: test)
    }

    package static func parseColumn(_ item: SpecNode, format: InputFormat.Format = .csv) throws -> ColumnSpec {
        let map = try SpecMap(item.node, path: item.path, context: "column")
        var column = ColumnSpec(name: try map.string("name", required: true) ?? "")
        guard column.name.range(of: #"^[a-z_][a-z0-9_]*$"#, options: .regularExpression) != nil else {
            throw map.error("name", "column name must be a lowercase SQL identifier")
        }
        if let t = try map.string("type") {
            guard let type = ColumnType(rawValue: t) else {
                throw map.error("type", "type must be one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            column.type = type
        }
        column.sources = try map.stringList("source") ?? []
        column.required = try map.bool("required") ?? false
        column.pattern = try map.string("pattern")
        if let pattern = column.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
            throw map.error("pattern", "pattern is not a valid regular expression")
        }
        column.allowed = try map.stringList("allowed")
        column.scale = try map.int("scale")
        column.defaultValue = try map.string("default")
        column.scrub = try map.bool("scrub") ?? false
        column.nullTokens = try map.stringList("null") ?? []
        column.trim = try map.bool("trim")
        column.map = try map.stringMap("map")
        if let u = try map.string("unmapped") {
            guard let unmapped = Unmapped(rawValue: u) else { throw map.error("unmapped", "unmapped must be reject, keep or default") }
            guard column.map != nil else { throw map.error("unmapped", "unmapped goes with map") }
            if unmapped == .default && column.defaultValue == nil { throw map.error("unmapped", "unmapped: default needs default: <value>") }
            column.unmapped = unmapped
        }
        if let r = try map.string("round") {
            guard let rounding = ExactDecimal.Rounding(rawValue: r) else { throw map.error("round", "round must be half-even or half-up") }
            column.round = rounding
        }
        column.min = try map.string("min")
        column.max = try map.string("max")
        if let v = try map.string("value") {
            guard let template = Template(v), !template.fields.isEmpty else {
                throw map.error("value", "value is a template such as \"{Jaar}-12-31\": text with {field} placeholders")
            }
            column.template = template
        }
        column.stageOnly = try map.bool("stage_only") ?? false
        if let j = try map.string("join") {
            guard format == .json || format == .jsonl else {
                throw map.error("join", "join is for JSON input (format: json or jsonl): it joins an array's items")
            }
            guard !j.isEmpty, !column.sources.isEmpty else { throw map.error("join", "join needs a source and a non-empty text to join with, such as \"|\"") }
            column.join = j
        }
        if let p = try map.string("personal") {
            guard let personal = PersonalHandling(rawValue: p) else { throw map.error("personal", "personal must be hash or drop") }
            column.personal = personal
        }
        if let t = try map.string("transform") {
            let from = try map.string("from")
            func needFrom() throws -> String {
                guard let from else { throw map.error("transform", "transform \(t) needs from: <column>") }
                return from
            }
            switch t {
            case "gemeente_code": column.transform = .gemeenteCode
            case "gemeente_of": column.transform = .gemeenteOf(try needFrom())
            case "level_of": column.transform = .levelOf(try needFrom())
            case "parent_of": column.transform = .parentOf(try needFrom())
            case "lowercase": column.transform = .lowercase
            case "uppercase": column.transform = .uppercase
            case "debit_minus_credit":
                guard let debit = try map.stringList("debit"), let credit = try map.stringList("credit") else {
                    throw map.error("transform", "debit_minus_credit needs debit: and credit: source columns")
                }
                column.transform = .debitMinusCredit(debit: debit, credit: credit)
            case "sign_from":
                guard let indicator = try map.stringList("indicator"), let negative = try map.stringList("negative"),
                    let positive = try map.stringList("positive"), !negative.isEmpty, !positive.isEmpty
                else {
                    throw map.error(
                        "transform", "sign_from needs indicator: [its source column], negative: [values such as C] and positive: [values such as D]")
                }
                guard !column.sources.isEmpty, column.type == .decimal || column.type == .int else {
                    throw map.error("transform", "sign_from signs a decimal or int column read from source:")
                }
                let both = Set(negative.map(RowConverter.normalize)).intersection(positive.map(RowConverter.normalize))
                guard both.isEmpty else { throw map.error("transform", "sign_from: \(both.sorted().joined(separator: ", ")) is both negative and positive") }
                column.transform = .signFrom(indicator: indicator, negative: negative, positive: positive)
            case "constant":
                guard let v = column.defaultValue else { throw map.error("transform", "constant needs default: <value>") }
                column.transform = .constant(v)
            default:
                throw map.error("transform", "unknown transform \(t)")
            }
        } else {
            _ = try map.string("from")
        }
        _ = try map.stringList("debit")
        _ = try map.stringList("credit")
        if column.sources.isEmpty && column.transform == nil && column.defaultValue == nil && column.template == nil {
            throw map.error(nil, "column \(column.name) needs a source, a value, a transform or a default")
        }
        if column.template != nil && !column.sources.isEmpty { throw map.error("value", "give source or value, not both") }
        if column.round != nil && column.type != .decimal { throw map.error("round", "round is for type: decimal") }
        for key in ["min", "max"] {
            guard let bound = key == "min" ? column.min : column.max else { continue }
            let ok: Bool =
                switch column.type {
                case .date: CalendarDate(iso: bound) != nil
                case .int: Int64(bound) != nil
                case .decimal: ExactDecimal.parse(bound, style: .plain) != nil
                default: false
                }
            if !ok { throw map.error(key, "\(key) is for date (yyyy-mm-dd), int and decimal columns, written as such") }
        }
        try map.finish()
        return column
    }
}

/// A YAML node with the spec's path, for error messages.
package struct SpecNode {
    package let node: Node
    package let path: String
    package var line: Int { node.mark?.line ?? 0 }
    package var scalarString: String? { node.scalar?.string }
}

/// A YAML mapping that remembers which keys were read, so unknown keys can be refused.
package struct SpecMap {
    package let path: String
    package let context: String
    package let line: Int
    private var entries: [String: (key: Node, value: Node)] = [:]
    private let used: UsedKeys

    package final class UsedKeys { var keys = Set<String>() }

    package init(_ node: Node, path: String, context: String) throws {
        self.path = path
        self.context = context
        self.line = node.mark?.line ?? 0
        guard let mapping = node.mapping else {
            throw WarehouseError(.invalidInput, "\(path):\(line): \(context) must be a mapping of keys to values")
        }
        for (key, value) in mapping {
            guard let k = key.scalar?.string else {
                throw WarehouseError(.invalidInput, "\(path):\(key.mark?.line ?? 0): keys must be plain words")
            }
            entries[k] = (key, value)
        }
        used = UsedKeys()
    }

    /// The line a key stands on (the mapping's own line when it is absent).
    package func line(of key: String) -> Int { entries[key]?.key.mark?.line ?? line }

    package func error(_ key: String?, _ message: String) -> WarehouseError {
        let at = key.flatMap { entries[$0]?.key.mark?.line } ?? line
        return WarehouseError(.invalidInput, "\(path):\(at): \(message)")
    }

    private func value(_ key: String) -> Node? {
        used.keys.insert(key)
        return entries[key]?.value
    }

    package func string(_ key: String, required: Bool = false) throws -> String? {
        guard let node = value(key) else {
            if required { throw error(nil, "\(context) needs '\(key)'") }
            return nil
        }
        guard let s = node.scalar?.string else { throw error(key, "'\(key)' must be a single value") }
        return s
    }

    package func int(_ key: String) throws -> Int? {
        guard let s = try string(key) else { return nil }
        guard let i = Int(s) else { throw error(key, "'\(key)' must be a whole number") }
        return i
    }

    package func bool(_ key: String) throws -> Bool? {
        guard let s = try string(key) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "ja": return true
        case "false", "no", "nee": return false
        default: throw error(key, "'\(key)' must be true or false")
        }
    }

    /// A list of strings; a single value counts as a list of one.
    package func stringList(_ key: String) throws -> [String]? {
        guard let node = value(key) else { return nil }
        if let s = node.scalar?.string { return [s] }
        guard let seq = node.sequence else { throw error(key, "'\(key)' must be a value or a list of values") }
        return try seq.map {
            guard let s = $0.scalar?.string else { throw error(key, "'\(key)' must hold plain values") }
            return s
        }
    }

    /// A mapping of plain keys to plain values (`map:`, `file_fields:`).
    package func stringMap(_ key: String) throws -> [String: String]? {
        guard let node = value(key) else { return nil }
        guard let mapping = node.mapping else { throw error(key, "'\(key)' must be a mapping of values to values") }
        var out: [String: String] = [:]
        for (k, v) in mapping {
            guard let ks = k.scalar?.string, let vs = v.scalar?.string else { throw error(key, "'\(key)' must map plain values") }
            out[ks] = vs
        }
        return out
    }

    package func map(_ key: String) throws -> SpecMap? {
        guard let node = value(key) else { return nil }
        return try SpecMap(node, path: path, context: key)
    }

    package func list(_ key: String) throws -> [SpecNode]? {
        guard let node = value(key) else { return nil }
        guard let seq = node.sequence else { throw error(key, "'\(key)' must be a list") }
        return seq.map { SpecNode(node: $0, path: path) }
    }

    /// Refuses keys that were never read.
    package func finish() throws {
        let unknown = entries.keys.filter { !used.keys.contains($0) }.sorted { (entries[$0]?.key.mark?.line ?? 0) < (entries[$1]?.key.mark?.line ?? 0) }
        if let first = unknown.first {
            throw error(first, "unknown key '\(first)' in \(context)")
        }
    }
}
