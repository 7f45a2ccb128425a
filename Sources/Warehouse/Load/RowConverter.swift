import Foundation
import Postgres

/// Turns the fields of one record into the typed values of a feed's target columns, or a reject.
/// Built once per file from the spec and the file's header.
struct RowConverter {
    /// Where a target column's value comes from in the file.
    enum Binding {
        case field(Int)
        case debitCredit(Int, Int)
        case derived(Transform, Int)   // from another target column's value
        case constant(String)
        case absent
    }

    let spec: FeedSpec
    let encoding: TextEncoding
    let bindings: [Binding]
    let fieldNames: [String]
    let gemeenten: [String: String]
    let patterns: [NSRegularExpression?]
    let allowed: [[String: String]?]
    let privacy: PrivacyGuard?

    /// Normalises a header name: lowercase, no whitespace, no BOM.
    static func normalize(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }.map(Character.init))
    }

    /// Binds spec columns to file columns by header name. Throws (the file is refused) when a
    /// required column is missing.
    init(spec: FeedSpec, header: [String]?, fieldCount: Int, encoding: TextEncoding, gemeenten: [String: String],
         privacy: PrivacyGuard?, file: String) throws {
        self.spec = spec
        self.encoding = encoding
        self.gemeenten = gemeenten
        self.privacy = privacy
        let names = header ?? (1...max(fieldCount, 1)).map(String.init)
        fieldNames = names
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[RowConverter.normalize(n)] == nil { index[RowConverter.normalize(n)] = i }
        func find(_ sources: [String]) -> Int? {
            for s in sources { if let i = index[RowConverter.normalize(s)] { return i } }
            return nil
        }
        var bindings: [Binding] = []
        var missing: [String] = []
        for column in spec.columns {
            switch column.transform {
            case .debitMinusCredit(let debit, let credit):
                if let d = find(debit), let c = find(credit) { bindings.append(.debitCredit(d, c)) }
                else { missing.append("\(debit.first ?? "debit") and \(credit.first ?? "credit") (for \(column.name))"); bindings.append(.absent) }
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
        if !missing.isEmpty {
            throw WarehouseError(.invalidInput, "\(file):1: header lacks required column \(missing.joined(separator: ", ")); the file is refused, nothing loaded (header: \(names.joined(separator: "|")))")
        }
        self.bindings = bindings
        patterns = spec.columns.map { c in c.pattern.flatMap { try? NSRegularExpression(pattern: "^(?:" + $0 + ")$") } }
        // Exact spellings first (the common case needs no normalising), then normalised ones.
        allowed = spec.columns.map { c in
            c.allowed.map { Dictionary($0.flatMap { [($0, $0), (RowConverter.normalize($0), $0)] }, uniquingKeysWith: { a, _ in a }) }
        }
    }

    /// File columns the spec does not use (reported as dropped: they are never stored).
    var unusedFields: [String] {
        var used = Set<Int>()
        for b in bindings {
            switch b {
            case .field(let i): used.insert(i)
            case .debitCredit(let d, let c): used.insert(d); used.insert(c)
            default: break
            }
        }
        return fieldNames.enumerated().filter { !used.contains($0.offset) }.map(\.element)
    }

    /// Failure of one value.
    struct ValueError: Error {
        let column: String?
        let raw: String?
        let reason: String
    }

    /// Converts one record's fields (already decoded) to target values (nil = NULL).
    func convert(_ fields: [String?]) -> Result<[String?], ValueError> {
        var values = [String?](repeating: nil, count: spec.columns.count)
        for (i, column) in spec.columns.enumerated() {
            let fileColumn: String?
            var raw: String?
            switch bindings[i] {
            case .field(let f):
                fileColumn = fieldNames[f]
                raw = f < fields.count ? fields[f] : nil
            case .debitCredit(let d, let c):
                fileColumn = fieldNames[d] + "/" + fieldNames[c]
                let debit = d < fields.count ? fields[d]?.trimmedSpaces() : nil
                let credit = c < fields.count ? fields[c]?.trimmedSpaces() : nil
                if (debit ?? "").isEmpty && (credit ?? "").isEmpty {
                    raw = nil
                } else {
                    let zero = ExactDecimal(units: 0, scale: 0)
                    let dv = (debit ?? "").isEmpty ? zero : ExactDecimal.parse(debit ?? "", style: spec.input.numbers)
                    let cv = (credit ?? "").isEmpty ? zero : ExactDecimal.parse(credit ?? "", style: spec.input.numbers)
                    guard let dv else { return .failure(ValueError(column: fieldNames[d], raw: debit, reason: "expected an amount like 1.234,56")) }
                    guard let cv else { return .failure(ValueError(column: fieldNames[c], raw: credit, reason: "expected an amount like 1.234,56")) }
                    guard let diff = ExactDecimal.subtract(dv, cv) else { return .failure(ValueError(column: fileColumn, raw: nil, reason: "amount out of range")) }
                    raw = diff.description
                }
            case .derived(let transform, let j):
                fileColumn = nil
                raw = values[j].flatMap { RowConverter.derive(transform, from: $0) }
            case .constant(let v):
                fileColumn = nil
                raw = v
            case .absent:
                fileColumn = nil
                raw = nil
            }
            switch convertValue(raw, column: column, index: i, fileColumn: fileColumn, alreadyNumeric: {
                if case .debitCredit = bindings[i] { return true } else { return false }
            }()) {
            case .success(let v): values[i] = v
            case .failure(let e): return .failure(e)
            }
        }
        return .success(values)
    }

    private func convertValue(_ raw: String?, column: ColumnSpec, index: Int, fileColumn: String?, alreadyNumeric: Bool) -> Result<String?, ValueError> {
        var text = raw?.trimmedSpaces()
        if text?.isEmpty ?? true { text = column.defaultValue }
        guard var value = text, !value.isEmpty else {
            if column.required {
                return .failure(ValueError(column: fileColumn ?? column.name, raw: raw ?? "", reason: "required value \(column.name) is empty"))
            }
            return .success(nil)
        }
        func fail(_ reason: String) -> Result<String?, ValueError> {
            .failure(ValueError(column: fileColumn ?? column.name, raw: raw, reason: reason))
        }
        if let personal = column.personal {
            switch personal {
            case .drop: return .success(nil)
            case .hash:
                guard let pseudonym = privacy?.pseudonym(value) else {
                    return fail("personal: hash needs a key (LEEFBAAR_HASH_KEY or LEEFBAAR_HASH_KEY_FILE)")
                }
                return .success(pseudonym)
            }
        }
        switch column.transform {
        case .lowercase: value = value.lowercased()
        case .uppercase: value = value.uppercased()
        case .gemeenteCode:
            guard let code = gemeenten[value] ?? gemeenten[RowConverter.normalize(value)] else {
                return fail("unknown gemeente '\(value)' (not in core.gemeente)")
            }
            value = code
        default: break
        }
        switch column.type {
        case .text:
            if column.scrub, let privacy { value = privacy.scrub(value) }
        case .code:
            value = value.uppercased()
            if value.utf8.contains(0x20) { value.removeAll { $0 == " " } }
        case .int:
            guard let n = Int64(value) else { return fail("expected a whole number") }
            value = String(n)
        case .decimal:
            let style = alreadyNumeric ? ExactDecimal.Style.plain : spec.input.numbers
            guard var d = ExactDecimal.parse(value, style: style) else {
                return fail(style.decimal == UInt8(ascii: ",") ? "expected a number like 1.234,56" : "expected a number like 1234.56")
            }
            if let scale = column.scale {
                guard let r = d.rescaled(to: scale) else { return fail("more than \(scale) decimals") }
                d = r
            }
            value = d.description
        case .date:
            guard let date = spec.input.dateFormat.parse(value) else { return fail("expected a date \(spec.input.dateFormat.text)") }
            value = date.description
        case .bool:
            switch value.lowercased() {
            case "ja", "j", "yes", "y", "true", "t", "1", "waar": value = "t"
            case "nee", "n", "no", "false", "f", "0", "onwaar": value = "f"
            default: return fail("expected ja/nee")
            }
        }
        if let allowedValues = allowed[index] {
            guard let canonical = allowedValues[value] ?? allowedValues[RowConverter.normalize(value)] else {
                return fail("expected one of \(column.allowed?.joined(separator: ", ") ?? "")")
            }
            value = canonical
        }
        if let regex = patterns[index] {
            let range = NSRange(value.startIndex..., in: value)
            guard regex.firstMatch(in: value, range: range) != nil else { return fail("does not match \(column.pattern ?? "")") }
        }
        return .success(value)
    }

    /// Values derived from a CBS area code.
    static func derive(_ transform: Transform, from code: String) -> String? {
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
