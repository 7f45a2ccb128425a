/// Writes a CSV record's COPY line straight from the field bytes, with no String per field, for
/// the values where that gives exactly what `RowConverter.convert` gives: plain ASCII text and
/// codes, whole numbers, amounts and dates. Any other value (a gemeente name, a mapped or
/// pseudonymised value, text with accents, an empty field) goes through the converter's own
/// `convertValue`. A record it cannot finish (a value that fails, a gemeente outside the
/// werkgebied, a wijk code) is left to `RowConverter.convert` whole, which decides the reject or
/// skip and its message; so the fast path never writes a line the converter would not.
package final class ByteRowWriter {
    /// How one of the spec's columns is written.
    enum Column {
        /// The same for every row (a constant, or an absent column's default or NULL), COPY-escaped.
        case fixed([UInt8])
        /// From the field's bytes when they are plain, else as `value`. The rule is held by
        /// `rules`; unretained here, so taking a column out of `columns` for every field of every
        /// row counts no references (that retain and release were a seventh of the client's time).
        case bytes(field: Int, index: Int, rule: Unmanaged<Rule>)
        /// The field decoded and converted by the converter.
        case value(field: Int, index: Int)
    }

    /// What a plain field of a column becomes.
    final class Rule {
        var type: ColumnType
        var lowercase: Bool
        var uppercase: Bool
        /// Free text scrubbed for personal data: a field that could hold some goes the slow way.
        var scrub: Bool
        var maxLength: Int?
        /// The allowed values' spellings (as the converter's lookup has them) and what each becomes, COPY-escaped.
        var allowed: [(spelling: [UInt8], value: [UInt8])]?
        var nullTokens: [[UInt8]]

        init(
            type: ColumnType, lowercase: Bool, uppercase: Bool, scrub: Bool, maxLength: Int?, allowed: [(spelling: [UInt8], value: [UInt8])]?,
            nullTokens: [[UInt8]]
        ) {
            self.type = type
            self.lowercase = lowercase
            self.uppercase = uppercase
            self.scrub = scrub
            self.maxLength = maxLength
            self.allowed = allowed
            self.nullTokens = nullTokens
        }
    }

    let converter: RowConverter
    /// Every spec column in order.
    let columns: [Column]
    /// The rules `columns` point to, kept alive here.
    let rules: [Rule]
    /// Whether a column's value is part of the line (a dropped personal column is converted, as
    /// it can still be a reject, but not written).
    let written: [Bool]
    /// Code columns whose wijk or buurt codes the converter checks against the row's gemeente.
    let areaCodes: [Bool]
    /// The file's fields no column reads. Their bytes are not written, but the converter's reader
    /// decodes every field and rejects a record with one its encoding cannot hold; so a record with
    /// such a field goes to the converter too.
    let unusedFields: [Int]
    let numbers: ExactDecimal.Style
    let dateFormat: DateFormat

    /// A writer for the converter's feed; nil when its records need the converter whole (a
    /// `where` filter, debit/credit, signed, derived or templated columns, a fixed value that fails).
    package init?(_ converter: RowConverter) {
        let spec = converter.spec
        guard converter.filters.isEmpty else { return nil }
        var columns: [Column] = []
        var rules: [Rule] = []
        for (i, plan) in converter.columnPlans.enumerated() {
            let c = plan.spec
            let column: Column
            switch converter.bindings[i] {
            case .constant(let v):
                guard let fixed = ByteRowWriter.fixed(converter, v, i) else { return nil }
                column = .fixed(fixed)
            case .absent:
                guard let fixed = ByteRowWriter.fixed(converter, nil, i) else { return nil }
                column = .fixed(fixed)
            case .field(let f):
                let caseOnly = c.transform == nil || c.transform == .lowercase || c.transform == .uppercase
                let typed = c.type == .int || c.type == .decimal || c.type == .date
                if c.personal == nil, c.map == nil, c.pattern == nil, i != converter.gemeenteIndex, c.type != .bool, caseOnly,
                    !typed || c.transform == nil
                {
                    let allowed = converter.allowed[i].map { lookup in
                        lookup.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), ByteRowWriter.escaped($0.value)) }
                    }
                    let rule = Rule(
                        type: c.type, lowercase: c.transform == .lowercase, uppercase: c.transform == .uppercase,
                        scrub: c.scrub && converter.privacy != nil, maxLength: converter.limits[i]?.maxLength, allowed: allowed,
                        nullTokens: converter.nullTokens[i].map { Array($0.utf8) })
                    rules.append(rule)
                    column = .bytes(field: f, index: i, rule: .passUnretained(rule))
                } else {
                    column = .value(field: f, index: i)
                }
            case .debitCredit, .signed, .derived, .template:
                return nil
            }
            columns.append(column)
        }
        self.converter = converter
        self.columns = columns
        self.rules = rules
        written = spec.columns.map(\.isWritten)
        areaCodes = spec.columns.indices.map { converter.gemeenteIndex != nil && converter.codeColumns.contains($0) }
        unusedFields = converter.unreadFields
        numbers = spec.input.numbers
        dateFormat = spec.input.dateFormat
    }

    /// A value that is the same for every row, COPY-escaped; nil when it fails or could differ
    /// in its side effects (scrubbing counts what it replaces).
    private static func fixed(_ converter: RowConverter, _ raw: String?, _ i: Int) -> [UInt8]? {
        let plan = converter.columnPlans[i]
        guard !plan.spec.scrub, plan.spec.personal == nil, i != converter.gemeenteIndex,
            case .success(let value) = converter.convertValue(raw, column: plan, index: i, alreadyNumeric: false)
        else { return nil }
        return escaped(value)
    }

    private static func escaped(_ value: String?) -> [UInt8] {
        var out: [UInt8] = []
        CopyText.escape(value, into: &out)
        return out
    }

    /// Appends the record's values, each followed by a tab, in the file's encoding `encoding`;
    /// false (and `out` as it was) when the record must go through `RowConverter.convert`.
    package func write(_ record: RawRecord, encoding: TextEncoding, into out: inout [UInt8]) -> Bool {
        for f in unusedFields where f < record.fields.count {
            let bytes = record.field(f)
            if bytes.contains(where: { $0 >= 0x80 }), encoding.decode(bytes) == nil { return false }
        }
        let start = out.count
        for k in columns.indices {
            let valueStart = out.count
            switch columns[k] {
            case .fixed(let bytes):
                out.append(contentsOf: bytes)
            case .bytes(let f, let i, let rule):
                guard f < record.fields.count else {
                    if !value(nil, i, into: &out) { return undo(start, &out) }
                    break
                }
                switch rule._withUnsafeGuaranteedRef({ plain(record.field(f), $0, i, into: &out) }) {
                case .written: break
                case .failed: return undo(start, &out)
                case .deferred:
                    if !value(record.field(f), encoding, i, into: &out) { return undo(start, &out) }
                }
            case .value(let f, let i):
                let ok = f < record.fields.count ? value(record.field(f), encoding, i, into: &out) : value(nil, i, into: &out)
                if !ok { return undo(start, &out) }
            }
            // A wijk or buurt code is checked against the row's gemeente by the converter.
            if areaCodes[k], out.count - valueStart >= 2 {
                let a = out[valueStart]
                let b = out[valueStart + 1]
                if (a == 0x57 && b == 0x4B) || (a == 0x42 && b == 0x55) { return undo(start, &out) }
            }
            if written[k] {
                out.append(0x09)
            } else {
                out.removeSubrange(valueStart...)
            }
        }
        return true
    }

    private func undo(_ start: Int, _ out: inout [UInt8]) -> Bool {
        out.removeSubrange(start...)
        return false
    }

    /// A field decoded and converted by the converter; false when it cannot be decoded, fails,
    /// or is a gemeente the converter would skip or refuse.
    private func value(_ bytes: UnsafeBufferPointer<UInt8>, _ encoding: TextEncoding, _ i: Int, into out: inout [UInt8]) -> Bool {
        let gemeente = i == converter.gemeenteIndex
        if gemeente, let known = gemeenteSpellings.first(where: { $0.spelling.count == bytes.count && $0.spelling.elementsEqual(bytes) }) {
            out.append(contentsOf: known.value)
            return true
        }
        guard let text = encoding.decode(bytes) else { return false }
        if converter.columnPlans[i].spec.scrub, ByteRowWriter.mayHoldPersonalData(bytes) { return false }
        let start = out.count
        guard value(text, i, into: &out) else { return false }
        if gemeente, gemeenteSpellings.count < 32 { gemeenteSpellings.append((Array(bytes), Array(out[start...]))) }
        return true
    }

    /// The gemeente column's spellings met so far (the field's bytes) and their COPY text: a file
    /// names a few gemeenten a million times, and the converter's lookup gives each the same value
    /// every time (up to 32 spellings are kept).
    private var gemeenteSpellings: [(spelling: [UInt8], value: [UInt8])] = []

    private func value(_ raw: String?, _ i: Int, into out: inout [UInt8]) -> Bool {
        guard case .success(let value) = converter.convertValue(raw, column: converter.columnPlans[i], index: i, alreadyNumeric: false) else {
            return false
        }
        if i == converter.gemeenteIndex {
            guard let value, converter.knownGemeenten.contains(value) else { return false }
        }
        CopyText.escape(value, into: &out)
        return true
    }

    /// Whether scrubbing could change the text (an '@', or nine digits or more): such a field is
    /// left to the converter, so that what the scrub counts is counted once.
    static func mayHoldPersonalData(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = 0
        for b in bytes {
            if b >= 0x30 && b <= 0x39 {
                digits += 1
            } else if b == 0x40 {
                return true
            }
        }
        return digits >= 9
    }

    enum Plain { case written, deferred, failed }

    /// A plain field (printable ASCII, no backslash, no space at either end, not empty, no null
    /// token) written as its value; `deferred` for any other field, `failed` when its value fails.
    private func plain(_ field: UnsafeBufferPointer<UInt8>, _ rule: Rule, _ i: Int, into out: inout [UInt8]) -> Plain {
        let n = field.count
        guard n > 0, field[0] != 0x20, field[n - 1] != 0x20 else { return .deferred }
        for b in field where b < 0x20 || b >= 0x7F || b == 0x5C { return .deferred }
        for token in rule.nullTokens where token.elementsEqual(field) { return .deferred }
        let valueStart = out.count
        switch rule.type {
        case .text:
            if rule.scrub, ByteRowWriter.mayHoldPersonalData(field) { return .failed }
            if rule.lowercase {
                for b in field { out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
            } else if rule.uppercase {
                for b in field { out.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
            } else {
                out.append(contentsOf: field)
            }
        case .code:
            for b in field where b != 0x20 { out.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
        case .int:
            guard let n = ByteRowWriter.wholeNumber(field) else { return .deferred }
            if converter.check(n, i) != nil { return .failed }
            if n < 0 { out.append(0x2D) }
            CopyText.digits(Int(n.magnitude), into: &out)
        case .decimal:
            guard var d = ExactDecimal.parse(bytes: field, style: numbers) else { return .failed }
            if converter.fit(&d, i) != nil { return .failed }
            d.append(to: &out)
        case .date:
            guard let date = dateFormat.parse(bytes: field), converter.check(date, i) == nil else { return .failed }
            date.appendISO(to: &out)
        case .bool:
            return .deferred
        }
        if let maxLength = rule.maxLength, out.count - valueStart > maxLength { return .failed }
        if let allowed = rule.allowed {
            let value = out[valueStart...]
            guard let match = allowed.first(where: { $0.spelling.elementsEqual(value) }) else {
                out.removeSubrange(valueStart...)
                return .deferred  // the converter also tries the value normalised
            }
            out.replaceSubrange(valueStart..., with: match.value)
        }
        return .written
    }

    /// `Int64(text)` for an optional sign and up to 18 digits; nil for anything else (which the
    /// converter reads as a number in the file's style).
    static func wholeNumber(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if let first = field.first, first == 0x2D || first == 0x2B {
            negative = first == 0x2D
            i = 1
        }
        guard field.count > i, field.count - i <= 18 else { return nil }
        var n: Int64 = 0
        while i < field.count {
            let b = field[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            n = n * 10 + Int64(b - 0x30)
            i += 1
        }
        return negative ? -n : n
    }
}
