import Crypto
import Foundation

/// Keeps personal data out of the warehouse: keyed pseudonyms for declared columns, and markers
/// for BSNs, e-mail addresses and phone numbers found in free text.
package final class PrivacyGuard {
    /// The key chain, oldest first: a pseudonym is the value hashed with the first key, that
    /// pseudonym hashed with the next, and so on (`leefbaar-etl rekey` adds a key). Empty: no key.
    private let keys: [SymmetricKey]
    /// What was replaced, per kind (`bsn`, `email`, `phone`).
    package private(set) var counts: [String: Int] = [:]

    /// A short fingerprint of the key (never the key): recorded with every batch that hashed, so a
    /// load under another key is refused instead of giving the same people new pseudonyms.
    package let fingerprint: String?

    /// Keys shorter than this are refused: a short key can be recovered from one known dossier number.
    package static let minimumKeyBytes = 16

    /// A guard; without a key it scrubs text but cannot pseudonymise.
    package convenience init(key: Data?) { self.init(chain: key.map { [$0] } ?? []) }

    /// A guard with a key chain (oldest first).
    package init(chain: [Data]) {
        self.chain = chain
        keys = chain.map { SymmetricKey(data: $0) }
        fingerprint = chain.isEmpty ? nil : PrivacyGuard.fingerprint(of: chain)
    }

    /// The fingerprint of a key chain: a fixed text hashed through every key (for one key, the
    /// HMAC of the text under it).
    package static func fingerprint(of chain: [Data]) -> String {
        var text = Data("leefbaar key fingerprint".utf8)
        for (i, key) in chain.enumerated() {
            let mac = HMAC<SHA256>.authenticationCode(for: text, using: SymmetricKey(data: key))
            text = i == chain.count - 1 ? Data(mac.prefix(8)) : Data(mac)
        }
        return text.hexDigits
    }

    /// The key as configured: a key file's trailing line end (LF, CR LF) is not part of the key;
    /// a key of fewer than 16 bytes is refused.
    package static func key(_ data: Data, source: String) throws -> Data {
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= minimumKeyBytes else {
            throw WarehouseError(
                .invalidInput,
                "\(source) holds a key of \(bytes.count) bytes; pseudonyms need a key of at least \(minimumKeyBytes) bytes (e.g. openssl rand -hex 32)")
        }
        return Data(bytes)
    }

    /// A key file's text when it is text (UTF-8 without control characters but line ends); nil for raw bytes.
    public static func keyText(_ data: Data) -> String? {
        guard let text = String(data: data, encoding: .utf8),
            !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" })
        else { return nil }
        return text
    }

    /// The keys of a key file: a text file holds one key per line, oldest first (a chain that
    /// `rekey` extends); any other file (raw bytes) is one key. Line ends are not part of a key.
    package static func chain(_ data: Data, source: String) throws -> [Data] {
        guard let text = PrivacyGuard.keyText(data) else { return [try key(data, source: source)] }
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
        guard !lines.isEmpty else { return [try key(data, source: source)] }
        return try lines.enumerated().map { i, line in try key(Data(line.utf8), source: lines.count == 1 ? source : "line \(i + 1) of \(source)") }
    }

    /// A guard with the key from `LEEFBAAR_HASH_KEY` or the file named by `LEEFBAAR_HASH_KEY_FILE`.
    package static func fromEnvironment() throws -> PrivacyGuard {
        let env = ProcessInfo.processInfo.environment
        if let k = env["LEEFBAAR_HASH_KEY"], !k.isEmpty { return PrivacyGuard(key: try key(Data(k.utf8), source: "LEEFBAAR_HASH_KEY")) }
        if let f = env["LEEFBAAR_HASH_KEY_FILE"], !f.isEmpty {
            guard let data = FileManager.default.contents(atPath: f), !data.isEmpty else {
                throw WarehouseError(.missingFile, "cannot read the hash key file \(f)")
            }
            return PrivacyGuard(chain: try chain(data, source: "the hash key file \(f)"))
        }
        return PrivacyGuard(key: nil)
    }

    /// Whether a key is set (needed for `personal: hash`).
    package var canHash: Bool { !keys.isEmpty }

    /// HMAC-SHA256 of the value through the key chain, hex: the same input and keys give the same pseudonym.
    package func pseudonym(_ value: String) -> String? {
        guard !keys.isEmpty else { return nil }
        var text = value
        for key in keys { text = PrivacyGuard.step(text, key) }
        return text
    }

    /// One step of the chain: `h:` + the first 16 bytes of HMAC-SHA256(key, text), in hex.
    package static func step(_ text: String, _ key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)
        return "h:" + mac.prefix(16).hexDigits
    }

    /// The key chain's bytes, oldest first (for `rekey`).
    package let chain: [Data]

    package static let marker = "[verwijderd]"
    private static let phone = try? NSRegularExpression(
        pattern: #"(?<![0-9])(?:(?:\+31|0031)[\s-]?(?:\(0\))?[\s-]?[1-9](?:[\s-]?[0-9]){8}|0[1-9](?:[\s-]?[0-9]){8})(?![0-9])"#)
    private static let nineDigits = try? NSRegularExpression(pattern: #"(?<![0-9])[0-9]{9}(?![0-9])|(?<![0-9])[0-9]{4}\.[0-9]{2}\.[0-9]{3}(?![0-9])"#)

    /// Replaces BSNs (9 digits passing the elfproef), e-mail addresses and Dutch phone numbers.
    package func scrub(_ text: String) -> String {
        // Cheap test first: an e-mail needs '@'; a BSN or phone number needs at least 9 digits.
        var digits = 0
        var at = false
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x40 { at = true }
        }
        guard at || digits >= 9 else { return text }
        var result = at ? scrubEmails(text) : text
        guard digits >= 9 else { return result }
        result = replace(PrivacyGuard.nineDigits, in: result, kind: "bsn") { PrivacyGuard.passesElfproef($0) }
        result = replace(PrivacyGuard.phone, in: result, kind: "phone") { _ in true }
        return result
    }

    /// E-mail addresses (`local@domain.tld`), found from each '@' outwards in one pass: linear in the
    /// text, where a regular expression starting at every position of a long run of letters or
    /// digits before an '@' took quadratic time.
    private func scrubEmails(_ text: String) -> String {
        let bytes = Array(text.utf8)
        func local(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D
        }
        func domain(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D
        }
        func letter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0  // bytes[..<copied] are decided
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x40 else {
                i += 1
                continue
            }
            var start = i
            while start > copied, local(bytes[start - 1]) { start -= 1 }
            var end = i + 1
            while end < bytes.count, domain(bytes[end]) { end += 1 }
            // The domain ends in '.' and two or more letters (trailing dots or hyphens are not part of it).
            var last = end
            while last > i + 1, !letter(bytes[last - 1]) { last -= 1 }
            var tld = last
            while tld > i + 1, letter(bytes[tld - 1]) { tld -= 1 }
            if start < i, last - tld >= 2, tld > i + 2, bytes[tld - 1] == 0x2E {
                out += bytes[copied..<start]
                out += Array(PrivacyGuard.marker.utf8)
                counts["email", default: 0] += 1
                copied = last
                i = last
            } else {
                i += 1
            }
        }
        guard copied > 0 else { return text }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    private func replace(_ regex: NSRegularExpression?, in text: String, kind: String, when accept: (String) -> Bool) -> String {
        guard let regex else { return text }
        // One forward pass over the UTF-16 units the matches are counted in: replacing inside the
        // string match by match re-indexed it each time (quadratic with many matches).
        let units = Array(text.utf16)
        var out: [UInt16] = []
        var copied = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: units.count)) {
            let range = match.range.location..<(match.range.location + match.range.length)
            guard range.lowerBound >= copied, accept(String(decoding: units[range], as: UTF16.self)) else { continue }
            if out.isEmpty { out.reserveCapacity(units.count) }
            out += units[copied..<range.lowerBound]
            out += Array(PrivacyGuard.marker.utf16)
            copied = range.upperBound
            counts[kind, default: 0] += 1
        }
        guard copied > 0 else { return text }
        out += units[copied...]
        return String(decoding: out, as: UTF16.self)
    }

    /// The BSN elfproef: 9×d1 + 8×d2 + … + 2×d8 − 1×d9 is divisible by 11 (and not all zeros).
    package static func passesElfproef(_ s: String) -> Bool {
        let digits = s.compactMap { $0.wholeNumberValue }
        guard digits.count == 9, digits.contains(where: { $0 != 0 }) else { return false }
        var sum = 0
        for (i, d) in digits.enumerated() { sum += (i == 8 ? -1 : 9 - i) * d }
        return sum % 11 == 0
    }
}
