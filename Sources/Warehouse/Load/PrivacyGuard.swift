import Crypto
import Foundation

/// Keeps personal data out of the warehouse: keyed pseudonyms for declared columns, and markers
/// for BSNs, e-mail addresses and phone numbers found in free text.
final class PrivacyGuard {
    private let key: SymmetricKey?
    /// What was replaced, per kind (`bsn`, `email`, `phone`).
    private(set) var counts: [String: Int] = [:]

    /// A short fingerprint of the key (never the key): recorded with every batch that hashed, so a
    /// load under another key is refused instead of giving the same people new pseudonyms.
    let fingerprint: String?

    /// Keys shorter than this are refused: a short key can be recovered from one known dossier number.
    static let minimumKeyBytes = 16

    /// A guard; without a key it scrubs text but cannot pseudonymise.
    init(key: Data?) {
        self.key = key.map { SymmetricKey(data: $0) }
        fingerprint = key.map { k in
            HMAC<SHA256>.authenticationCode(for: Data("leefbaar key fingerprint".utf8), using: SymmetricKey(data: k))
                .prefix(8).map { String(format: "%02x", $0) }.joined()
        }
    }

    /// The key as configured: a key file's trailing line end (LF, CR LF) is not part of the key;
    /// a key of fewer than 16 bytes is refused.
    static func key(_ data: Data, source: String) throws -> Data {
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= minimumKeyBytes else {
            throw WarehouseError(.invalidInput, "\(source) holds a key of \(bytes.count) bytes; pseudonyms need a key of at least \(minimumKeyBytes) bytes (e.g. openssl rand -hex 32)")
        }
        return Data(bytes)
    }

    /// A guard with the key from `LEEFBAAR_HASH_KEY` or the file named by `LEEFBAAR_HASH_KEY_FILE`.
    static func fromEnvironment() throws -> PrivacyGuard {
        let env = ProcessInfo.processInfo.environment
        if let k = env["LEEFBAAR_HASH_KEY"], !k.isEmpty { return PrivacyGuard(key: try key(Data(k.utf8), source: "LEEFBAAR_HASH_KEY")) }
        if let f = env["LEEFBAAR_HASH_KEY_FILE"], !f.isEmpty {
            guard let data = FileManager.default.contents(atPath: f), !data.isEmpty else {
                throw WarehouseError(.missingFile, "cannot read the hash key file \(f)")
            }
            return PrivacyGuard(key: try key(data, source: "the hash key file \(f)"))
        }
        return PrivacyGuard(key: nil)
    }

    /// Whether a key is set (needed for `personal: hash`).
    var canHash: Bool { key != nil }

    /// HMAC-SHA256 of the value, hex: the same input and key give the same pseudonym.
    func pseudonym(_ value: String) -> String? {
        guard let key else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        return "h:" + mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    static let marker = "[verwijderd]"
    private static let email = try? NSRegularExpression(pattern: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#)
    private static let phone = try? NSRegularExpression(pattern: #"(?<![0-9])(?:(?:\+31|0031)[\s-]?(?:\(0\))?[\s-]?[1-9](?:[\s-]?[0-9]){8}|0[1-9](?:[\s-]?[0-9]){8})(?![0-9])"#)
    private static let nineDigits = try? NSRegularExpression(pattern: #"(?<![0-9])[0-9]{9}(?![0-9])|(?<![0-9])[0-9]{4}\.[0-9]{2}\.[0-9]{3}(?![0-9])"#)

    /// Replaces BSNs (9 digits passing the elfproef), e-mail addresses and Dutch phone numbers.
    func scrub(_ text: String) -> String {
        // Cheap test first: an e-mail needs '@'; a BSN or phone number needs at least 9 digits.
        var digits = 0
        var at = false
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x40 { at = true }
        }
        guard at || digits >= 9 else { return text }
        var result = text
        result = replace(PrivacyGuard.email, in: result, kind: "email") { _ in true }
        result = replace(PrivacyGuard.nineDigits, in: result, kind: "bsn") { PrivacyGuard.passesElfproef($0) }
        result = replace(PrivacyGuard.phone, in: result, kind: "phone") { _ in true }
        return result
    }

    private func replace(_ regex: NSRegularExpression?, in text: String, kind: String, when accept: (String) -> Bool) -> String {
        guard let regex else { return text }
        let ns = text as NSString
        var out = text
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).reversed() {
            let found = ns.substring(with: match.range)
            guard accept(found), let range = Range(match.range, in: out) else { continue }
            out.replaceSubrange(range, with: PrivacyGuard.marker)
            counts[kind, default: 0] += 1
        }
        return out
    }

    /// The BSN elfproef: 9×d1 + 8×d2 + … + 2×d8 − 1×d9 is divisible by 11 (and not all zeros).
    static func passesElfproef(_ s: String) -> Bool {
        let digits = s.compactMap { $0.wholeNumberValue }
        guard digits.count == 9, digits.contains(where: { $0 != 0 }) else { return false }
        var sum = 0
        for (i, d) in digits.enumerated() { sum += (i == 8 ? -1 : 9 - i) * d }
        return sum % 11 == 0
    }
}
