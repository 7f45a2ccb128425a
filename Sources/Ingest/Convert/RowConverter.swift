import Foundation
import Dates

/// Turns the fields of one record into the typed values of a feed's target columns, a reject, or
/// a skip (a `where` filter, a row outside the werkgebied). Built once per file from the spec, the
/// file's header and the target's column types.
package struct RowConverter {
    /// Where a target column's value comes from in the file.
    package enum Binding {
        case field(Int)
        case debitCredit(Int, Int)
        /// An amount field and the field giving its sign, with the sign's values (normalised).
        case signed(Int, sign: Int, negative: Set<String>, positive: Set<String>)
        case derived(Transform, Int)  // from another target column's value
        case constant(String)
        case template([TemplatePart])
        case absent
    }

    package enum TemplatePart {
        case text(String)
        case field(Int)
    }

    /// Why a row was left out on purpose.
    package enum Skip { case outsideWerkgebied, filtered }

    /// What became of one record.
    package enum Outcome {
        case row([String?])
        case reject(ValueError)
        case skip(Skip)
    }

    /// A `where` filter bound to a field.
    package struct BoundFilter {
        package let index: Int
        package let test: RowFilter.Test
        package let values: Set<String>
        package let regex: NSRegularExpression?
    }

    package let spec: FeedSpec
    /// The spec's columns by reference: a row's conversion reads their fields without copying them.
    package final class ColumnPlan: Sendable {
        package let spec: ColumnSpec
        init(_ spec: ColumnSpec) { self.spec = spec }
    }
    package let columnPlans: [ColumnPlan]
    package let bindings: [Binding]
    package let fieldNames: [String]
    package let gemeenten: [String: String]
    package let knownGemeenten: Set<String>
    package let patterns: [NSRegularExpression?]
    package let allowed: [[String: String]?]
    package let maps: [[String: String]?]
    package let nullTokens: [Set<String>]
    package let trims: [Bool]
    package let limits: [ColumnLimit?]
    /// A column's `min`/`max`, parsed once for its type (a date column defaults to 1900–2100).
    package enum Bound {
        case int(Int64)
        case decimal(ExactDecimal)
        case date(CalendarDate)
    }
    package let bounds: [(min: Bound?, max: Bound?)]
    /// The scale a decimal column's values are brought to: the spec's or the column's, the smaller.
    package let scales: [Int?]
    package let filters: [BoundFilter]
    /// Columns in the order they are computed: the gemeente (and what it derives from) first, so a
    /// row outside the werkgebied is skipped before anything else of it is converted.
    package let order: [Int]
    package let gemeenteIndex: Int?
    /// Code columns (other than gemeente_code) whose wijk or buurt codes must lie in the row's gemeente.
    package let codeColumns: [Int]
    package let privacy: PrivacyGuard?

    /// Normalises a header name: lowercase, no whitespace, no BOM.
    package static func normalize(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }.map(Character.init))
    }

    /// Binds spec columns to file columns by header name. Throws (the file is refused) when a
    /// required column is missing, naming the header's line (`headerLine`, else `header_row`).
    package init(
        spec: FeedSpec, header: [String]?, fieldCount: Int, gemeenten: [String: String],
        limits: [String: ColumnLimit] = [:], privacy: PrivacyGuard?, file: String, headerLine: Int? = nil
    ) throws {
        self.spec = spec
        columnPlans = spec.columns.map(ColumnPlan.init)
        self.gemeenten = gemeenten
        knownGemeenten = Set(gemeenten.values)
        self.privacy = privacy
        let names = header ?? (1...max(fieldCount, 1)).map(String.init)
        fieldNames = names
        var index: [String: Int] = [:]
        var twice: [String: [Int]] = [:]
        for (i, n) in names.enumerated() {
            let key = RowConverter.normalize(n)
            if index[key] == nil { index[key] = i } else if !key.isEmpty { twice[key, default: [index[key] ?? 0]].append(i) }
        }
        var ambiguous: [String] = []
        func find(_ sources: [String]) -> Int? {
            for s in sources {
                let key = RowConverter.normalize(s)
                guard let i = index[key] else { continue }
                if let same = twice[key] {
                    ambiguous.append(same.map { "column \($0 + 1) (\(names[$0]))" }.joined(separator: " and "))
                }
                return i
            }
            return nil
        }
        let fileValues = try RowConverter.fileValues(spec.input.fileFields, file: file)
        var bindings: [Binding] = []
        var missing: [String] = []
        for column in spec.columns {
            if let template = column.template {
                var parts: [TemplatePart] = []
                for part in template.parts {
                    switch part {
                    case .text(let t): parts.append(.text(t))
                    case .field(let name):
                        if let v = fileValues[name] {
                            parts.append(.text(v))
                        } else if let i = find([name]) {
                            parts.append(.field(i))
                        } else {
                            missing.append("\(name) (for \(column.name): \(template.text))")
                        }
                    }
                }
                bindings.append(.template(parts))
                continue
            }
            switch column.transform {
            case .debitMinusCredit(let debit, let credit):
                if let d = find(debit), let c = find(credit) {
                    bindings.append(.debitCredit(d, c))
                } else {
                    missing.append("\(debit.first ?? "debit") and \(credit.first ?? "credit") (for \(column.name))")
                    bindings.append(.absent)
                }
            case .signFrom(let indicator, let negative, let positive):
                if let a = find(column.sources), let s = find(indicator) {
                    bindings.append(
                        .signed(a, sign: s, negative: Set(negative.map(RowConverter.normalize)), positive: Set(positive.map(RowConverter.normalize))))
                } else {
                    missing.append("\(column.sources.first ?? "amount") and \(indicator.first ?? "indicator") (for \(column.name))")
                    bindings.append(.absent)
                }
            case .gemeenteOf(let from), .levelOf(let from), .parentOf(let from):
                guard let j = spec.columns.firstIndex(where: { $0.name == from }) else {
                    throw WarehouseError(.invalidInput, "\(spec.path): column \(column.name) derives from unknown column \(from)")
                }
                bindings.append(.derived(column.transform ?? .lowercase, j))
            case .constant(let v):
                bindings.append(.constant(v))
            default:
                if column.sources.isEmpty {
                    bindings.append(.absent)
                } else if let i = find(column.sources) {
                    bindings.append(.field(i))
                } else {
                    if column.required && column.defaultValue == nil { missing.append(column.sources.joined(separator: " or ")) }
                    bindings.append(.absent)
                }
            }
        }
        var filters: [BoundFilter] = []
        for filter in spec.filters {
            guard let i = find([filter.field]) else {
                missing.append("\(filter.field) (for where)")
                continue
            }
            var values = Set<String>()
            var regex: NSRegularExpression?
            switch filter.test {
            case .oneOf(let v), .noneOf(let v): values = Set(v.map(RowConverter.normalize))
            case .matches(let p): regex = try? NSRegularExpression(pattern: "^(?:" + p + ")$")
            case .notEmpty: break
            }
            filters.append(BoundFilter(index: i, test: filter.test, values: values, regex: regex))
        }
        if let first = ambiguous.first {
            throw WarehouseError(
                .invalidInput,
                "\(file):\(headerLine ?? spec.input.headerRow): the header names \(first) alike and the spec reads that name: rename one; the file is refused, nothing loaded"
            )
        }
        if !missing.isEmpty {
            // The header is shown only when it looks like one (several short names): the first line
            // of a file that is no data file at all (a password file) is never echoed.
            let shown =
                names.count > 1 && names.allSatisfy({ $0.count <= 40 })
                ? "header: \(names.joined(separator: "|"))"
                : "the header has \(names.count == 1 ? "one column: is the delimiter right?" : "\(names.count) columns")"
            throw WarehouseError(
                .invalidInput,
                "\(file):\(headerLine ?? spec.input.headerRow): header lacks required column \(missing.joined(separator: ", ")); the file is refused, nothing loaded (\(shown))"
            )
        }
        self.bindings = bindings
        self.filters = filters
        patterns = spec.columns.map { c in c.pattern.flatMap { try? NSRegularExpression(pattern: "^(?:" + $0 + ")$") } }
        // Exact spellings first (the common case needs no normalising), then normalised ones.
        func lookup(_ pairs: [(String, String)]) -> [String: String] {
            Dictionary(pairs.flatMap { [($0.0, $0.1), (RowConverter.normalize($0.0), $0.1)] }, uniquingKeysWith: { a, _ in a })
        }
        allowed = spec.columns.map { c in c.allowed.map { lookup($0.map { ($0, $0) }) } }
        maps = spec.columns.map { c in c.map.map { lookup($0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) } }
        nullTokens = spec.columns.map { Set(spec.input.nullTokens + $0.nullTokens) }
        trims = spec.columns.map { $0.trim ?? spec.input.trim }
        self.limits = spec.columns.map { $0.stageOnly ? nil : limits[$0.name] }
        bounds = spec.columns.map { c in
            func bound(_ text: String?) -> Bound? {
                guard let text else { return nil }
                switch c.type {
                case .int: return Int64(text).map(Bound.int)
                case .decimal: return ExactDecimal.parse(text, style: .plain).map(Bound.decimal)
                case .date: return CalendarDate(iso: text).map(Bound.date)
                default: return nil
                }
            }
            return c.type == .date ? (bound(c.min ?? "1900-01-01"), bound(c.max ?? "2100-12-31")) : (bound(c.min), bound(c.max))
        }
        scales = zip(spec.columns, self.limits).map { column, limit in [column.scale, limit?.scale].compactMap { $0 }.min() }
        let g = spec.columns.firstIndex { $0.name == "gemeente_code" && !$0.stageOnly }
        gemeenteIndex = g
        codeColumns = spec.columns.indices.filter { spec.columns[$0].type == .code && $0 != g && !spec.columns[$0].stageOnly }
        var first: [Int] = []
        var next = g
        while let i = next, !first.contains(i) {
            first.insert(i, at: 0)
            if case .derived(_, let j) = bindings[i] { next = j } else { next = nil }
        }
        order = first + spec.columns.indices.filter { !first.contains($0) }
    }

    /// The values `input.file_fields` captures from the file's name.
    package static func fileValues(_ fields: [String: String], file: String) throws -> [String: String] {
        let name = (file as NSString).lastPathComponent
        var values: [String: String] = [:]
        for (key, pattern) in fields {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                let m = regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)),
                let r = Range(m.range(at: 1), in: name)
            else {
                throw WarehouseError(
                    .invalidInput, "\(file): the file name does not match file_fields.\(key) '\(pattern)'; the file is refused, nothing loaded")
            }
            values[key] = String(name[r])
        }
        return values
    }

    /// For a feed with personal columns: the fields a reject may show (used by the spec and not
    /// personal); nil when the feed has none, and the raw record is kept as it stood.
    package var shareableFields: [Int]? {
        guard spec.columns.contains(where: { $0.personal != nil }) else { return nil }
        var safe = Set(filters.map(\.index))
        for (i, b) in bindings.enumerated() where spec.columns[i].personal == nil {
            switch b {
            case .field(let f): safe.insert(f)
            case .debitCredit(let d, let c), .signed(let d, sign: let c, _, _):
                safe.insert(d)
                safe.insert(c)
            case .template(let parts): for case .field(let f) in parts { safe.insert(f) }
            default: break
            }
        }
        return safe.sorted()
    }

    /// File columns the spec does not use (reported as dropped: they are never stored).
    package var unusedFields: [String] {
        unreadFields.map { fieldNames[$0] }.filter { !$0.isEmpty }
    }

    /// The positions of the file's fields no column and no filter reads.
    package var unreadFields: [Int] {
        var used = Set(filters.map(\.index))
        for b in bindings {
            switch b {
            case .field(let i): used.insert(i)
            case .debitCredit(let d, let c), .signed(let d, sign: let c, _, _):
                used.insert(d)
                used.insert(c)
            case .template(let parts): for case .field(let i) in parts { used.insert(i) }
            default: break
            }
        }
        return fieldNames.indices.filter { !used.contains($0) }
    }

    /// Failure of one value.
    package struct ValueError: Error {
        package let column: String?
        package let raw: String?
        package let reason: String
    }

    /// Converts one record's fields (already decoded) to target values (nil = NULL).
    package func convert(_ record: SourceRecord) -> Outcome {
        let fields = record.fields
        func name(_ f: Int) -> String {
            if let label = record.valueLabel, label.index == f { return label.name }
            if let sheet = record.sheet { return "\(fieldNames[f]) (\(SheetXML.cellName(sheet, f, record.line)))" }
            return fieldNames[f]
        }
        for filter in filters where !passes(filter, f: filter.index < fields.count ? fields[filter.index] : nil) {
            return .skip(.filtered)
        }
        // The file column(s) a target column's value came from, named only when a value fails.
        func fileColumn(_ i: Int) -> String? {
            switch bindings[i] {
            case .field(let f): return name(f)
            case .debitCredit(let d, let c), .signed(let d, sign: let c, _, _): return name(d) + "/" + name(c)
            case .template: return columnPlans[i].spec.template?.text
            default: return nil
            }
        }
        var values = [String?](repeating: nil, count: spec.columns.count)
        for i in order {
            let plan = columnPlans[i]
            var raw: String?
            switch bindings[i] {
            case .field(let f):
                raw = f < fields.count ? fields[f] : nil
            case .debitCredit(let d, let c):
                let debit = clean(d < fields.count ? fields[d] : nil, i)
                let credit = clean(c < fields.count ? fields[c] : nil, i)
                if debit == nil && credit == nil {
                    raw = nil
                } else {
                    let zero = ExactDecimal(units: 0, scale: 0)
                    let dv = debit.map { ExactDecimal.parse($0, style: spec.input.numbers) } ?? zero
                    let cv = credit.map { ExactDecimal.parse($0, style: spec.input.numbers) } ?? zero
                    guard let dv else { return .reject(ValueError(column: name(d), raw: debit, reason: "expected an amount like 1.234,56")) }
                    guard let cv else { return .reject(ValueError(column: name(c), raw: credit, reason: "expected an amount like 1.234,56")) }
                    guard let diff = ExactDecimal.subtract(dv, cv) else {
                        return .reject(ValueError(column: fileColumn(i), raw: nil, reason: "amount out of range"))
                    }
                    raw = diff.description
                }
            case .signed(let a, let s, let negative, let positive):
                // One sign: the field's. An amount with a sign of its own is a reject, as is a
                // sign value the spec does not list (a typo must not become a debit).
                raw = clean(a < fields.count ? fields[a] : nil, i)
                if let amount = raw {
                    let sign = clean(s < fields.count ? fields[s] : nil, i)
                    let key = sign.map(RowConverter.normalize) ?? ""
                    guard negative.contains(key) || positive.contains(key) else {
                        var listed: [String] = []
                        if case .signFrom(_, let n, let p)? = spec.columns[i].transform { listed = p + n }
                        return .reject(ValueError(column: name(s), raw: sign, reason: "expected \(listed.joined(separator: ", ")) (the sign of \(name(a)))"))
                    }
                    guard let value = ExactDecimal.parse(amount, style: spec.input.numbers) else {
                        return .reject(ValueError(column: name(a), raw: amount, reason: "expected an amount like 1.234,56"))
                    }
                    guard value.units >= 0, !amount.contains("-") else {
                        return .reject(ValueError(column: name(a), raw: amount, reason: "the amount has a sign of its own and \(name(s)) gives one too"))
                    }
                    raw = (negative.contains(key) ? ExactDecimal(units: -value.units, scale: value.scale) : value).description
                }
            case .derived(let transform, let j):
                raw = values[j].flatMap { RowConverter.derive(transform, from: $0) }
            case .constant(let v):
                raw = v
            case .template(let parts):
                raw = ""
                for part in parts {
                    switch part {
                    case .text(let t): raw? += t
                    case .field(let f):
                        guard let v = clean(f < fields.count ? fields[f] : nil, i) else {
                            raw = nil
                            break
                        }
                        raw? += v
                    }
                    if raw == nil { break }
                }
            case .absent:
                raw = nil
            }
            switch convertValue(
                raw, column: plan, index: i,
                alreadyNumeric: {
                    switch bindings[i] {
                    case .debitCredit, .signed: return true
                    default: return false
                    }
                }())
            {
            case .success(let v): values[i] = v
            case .failure(let e):
                if i == gemeenteIndex && spec.onlyWerkgebied && e.reason.hasPrefix("unknown gemeente") { return .skip(.outsideWerkgebied) }
                return .reject(ValueError(column: fileColumn(i) ?? plan.spec.name, raw: e.raw, reason: e.reason))
            }
            if i == gemeenteIndex, let code = values[i], !knownGemeenten.contains(code) {
                if spec.onlyWerkgebied { return .skip(.outsideWerkgebied) }
                return .reject(ValueError(column: fileColumn(i) ?? plan.spec.name, raw: raw, reason: "unknown gemeente '\(code)' (not in core.gemeente)"))
            }
        }
        // A wijk or buurt code must lie in the row's gemeente (an Assen initiative with a Hoogeveen wijk).
        if let g = gemeenteIndex, let gemeente = values[g] {
            for i in codeColumns {
                guard let code = values[i], code.hasPrefix("WK") || code.hasPrefix("BU"),
                    let owner = RowConverter.derive(.gemeenteOf(""), from: code), owner != gemeente
                else { continue }
                let column: String
                if case .field(let f) = bindings[i] { column = name(f) } else { column = spec.columns[i].name }
                return .reject(ValueError(column: column, raw: code, reason: "\(code) lies in gemeente \(owner), not in the row's gemeente \(gemeente)"))
            }
        }
        return .row(values)
    }

    /// A value with the column's trimming and null tokens applied; nil when there is none.
    private func clean(_ raw: String?, _ index: Int) -> String? {
        guard var text = raw else { return nil }
        if trims[index] { text = text.trimmedSpaces() }
        if text.isEmpty || (!nullTokens[index].isEmpty && nullTokens[index].contains(text)) { return nil }
        return text
    }

    private func passes(_ filter: BoundFilter, f raw: String?) -> Bool {
        let value = raw?.trimmedSpaces() ?? ""
        switch filter.test {
        case .notEmpty: return !value.isEmpty && !spec.input.nullTokens.contains(value)
        case .oneOf: return filter.values.contains(RowConverter.normalize(value))
        case .noneOf: return !filter.values.contains(RowConverter.normalize(value))
        case .matches: return filter.regex?.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        }
    }

    /// A failure's column is left for the caller to name (it knows the record).
    func convertValue(_ raw: String?, column plan: ColumnPlan, index: Int, alreadyNumeric: Bool) -> Result<String?, ValueError> {
        guard var value = clean(raw, index) ?? plan.spec.defaultValue, !value.isEmpty else {
            if plan.spec.required {
                return .failure(ValueError(column: nil, raw: raw ?? "", reason: "required value \(plan.spec.name) is empty"))
            }
            return .success(nil)
        }
        func fail(_ reason: String) -> Result<String?, ValueError> {
            .failure(ValueError(column: nil, raw: raw, reason: reason))
        }
        if let personal = plan.spec.personal {
            switch personal {
            case .drop: return .success(nil)
            case .hash:
                guard let pseudonym = privacy?.pseudonym(value) else {
                    return fail("personal: hash needs a key (LEEFBAAR_HASH_KEY or LEEFBAAR_HASH_KEY_FILE)")
                }
                return .success(pseudonym)
            }
        }
        if let map = maps[index] {
            if let mapped = map[value] ?? map[RowConverter.normalize(value)] {
                value = mapped
            } else {
                switch plan.spec.unmapped {
                case .keep: break
                case .default: value = plan.spec.defaultValue ?? value
                case .reject: return fail("'\(value)' is not in the column's map (\(plan.spec.map?.keys.sorted().joined(separator: ", ") ?? ""))")
                }
            }
        }
        switch plan.spec.transform {
        case .lowercase: if value.utf8.contains(where: { ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 }) { value = value.lowercased() }
        case .uppercase: value = value.uppercased()
        case .gemeenteCode:
            guard let code = gemeenten[value] ?? gemeenten[RowConverter.normalize(value)] else {
                return fail("unknown gemeente '\(value)' (not in core.gemeente)")
            }
            value = code
        default: break
        }
        let limit = limits[index]
        switch plan.spec.type {
        case .text:
            if plan.spec.scrub, let privacy { value = privacy.scrub(value) }
        case .code:
            if value.utf8.contains(where: { $0 >= 0x61 }) { value = value.uppercased() }
            if value.utf8.contains(0x20) { value.removeAll { $0 == " " } }
        case .int:
            let n: Int64
            if let plain = Int64(value) {
                n = plain
            } else if let d = ExactDecimal.parse(value, style: alreadyNumeric ? .plain : spec.input.numbers), let whole = d.rescaled(to: 0) {
                n = whole.units
            } else {
                return fail("expected a whole number")
            }
            if let reason = check(n, index) { return fail(reason) }
            value = String(n)
        case .decimal:
            let style = alreadyNumeric ? ExactDecimal.Style.plain : spec.input.numbers
            guard var d = ExactDecimal.parse(value, style: style) else {
                return fail(style.decimal == UInt8(ascii: ",") ? "expected a number like 1.234,56" : "expected a number like 1234.56")
            }
            if let reason = fit(&d, index) { return fail(reason) }
            value = d.description
        case .date:
            guard let date = spec.input.dateFormat.parse(value) else { return fail("expected a date \(spec.input.dateFormat.text)") }
            if let reason = check(date, index) { return fail(reason) }
            value = date.description
        case .bool:
            switch value.lowercased() {
            case "ja", "j", "yes", "y", "true", "t", "1", "waar": value = "t"
            case "nee", "n", "no", "false", "f", "0", "onwaar": value = "f"
            default: return fail("expected ja/nee")
            }
        }
        if let maxLength = limit?.maxLength, value.count > maxLength {
            return fail("longer than \(maxLength) characters (the column is \(limit?.typeName ?? "varchar"))")
        }
        if let allowedValues = allowed[index] {
            guard let canonical = allowedValues[value] ?? allowedValues[RowConverter.normalize(value)] else {
                return fail("expected one of \(plan.spec.allowed?.joined(separator: ", ") ?? "")")
            }
            value = canonical
        }
        if let regex = patterns[index] {
            let range = NSRange(value.startIndex..., in: value)
            guard regex.firstMatch(in: value, range: range) != nil else { return fail("does not match \(plan.spec.pattern ?? "")") }
        }
        return .success(value)
    }

    /// Why a whole number does not fit column `index` (its type's range, its min and max); nil when it does.
    func check(_ n: Int64, _ index: Int) -> String? {
        let limit = limits[index]
        if let range = limit?.intRange, !range.contains(n) {
            return "\(n) is out of range for \(limit?.typeName ?? "the column") (\(range.lowerBound) to \(range.upperBound))"
        }
        if case .int(let min) = bounds[index].min, n < min { return "\(n) is below the minimum \(min)" }
        if case .int(let max) = bounds[index].max, n > max { return "\(n) is above the maximum \(max)" }
        return nil
    }

    /// Brings a number to column `index`'s scale (rounding when the spec says so); why it does not
    /// fit (decimals, digits, min and max), nil when it does.
    func fit(_ d: inout ExactDecimal, _ index: Int) -> String? {
        let limit = limits[index]
        let column = columnPlans[index].spec
        if let scale = scales[index] {
            if let mode = column.round, let r = d.rounded(to: scale, mode) {
                d = r
            } else if let r = d.rescaled(to: scale) {
                d = r
            } else {
                return
                    "more than \(scale) decimals\(column.scale == nil ? " (the column is \(limit?.typeName ?? "numeric"))" : ""); declare round: half-even or half-up to round"
            }
        }
        if let precision = limit?.precision, let scale = limit?.scale, d.integerDigits > precision - scale {
            return "out of range for \(limit?.typeName ?? "numeric"): at most \(precision - scale) digits before the decimal point"
        }
        if case .decimal(let min) = bounds[index].min, let diff = ExactDecimal.subtract(d, min), diff.units < 0 {
            return "below the minimum \(min)"
        }
        if case .decimal(let max) = bounds[index].max, let diff = ExactDecimal.subtract(d, max), diff.units > 0 {
            return "above the maximum \(max)"
        }
        return nil
    }

    /// Why a date does not fit column `index` (before its min, after its max); nil when it does.
    func check(_ date: CalendarDate, _ index: Int) -> String? {
        if case .date(let min) = bounds[index].min, date < min { return "\(date) is before \(min), not a plausible date" }
        if case .date(let max) = bounds[index].max, date > max { return "\(date) is after \(max), not a plausible date" }
        return nil
    }

    /// Values derived from a CBS area code.
    package static func derive(_ transform: Transform, from code: String) -> String? {
        let digits = code.dropFirst(2)
        switch transform {
        case .gemeenteOf:
            guard code.count >= 6 else { return nil }
            return "GM" + digits.prefix(4)
        case .levelOf:
            switch code.prefix(2) {
            case "GM": return "gemeente"
            case "WK": return "wijk"
            case "BU": return "buurt"
            default: return nil
            }
        case .parentOf:
            switch code.prefix(2) {
            case "BU": return "WK" + digits.prefix(6)
            case "WK": return "GM" + digits.prefix(4)
            default: return nil
            }
        default:
            return nil
        }
    }
}
