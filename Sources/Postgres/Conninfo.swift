import CLibPQ

/// Helpers for conninfo strings and URIs.
public enum Conninfo {
    /// The conninfo's settings as libpq parses them (keyword → value), without the password.
    /// Returns nil when libpq cannot parse it; the parse error is not returned because it may quote the input.
    public static func settings(_ conninfo: String) -> [String: String]? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            let key = String(cString: keyword)
            if key != "password", let value = option.pointee.val {
                result[key] = String(cString: value)
            }
            option += 1
        }
        return result
    }

    /// What is wrong with a conninfo libpq cannot parse, naming the key or URI part but never
    /// quoting the text (libpq's own message quotes it, and it may hold the password).
    public static func malformedReason(_ conninfo: String) -> String {
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
            let rest = conninfo[(conninfo.range(of: "://")?.upperBound ?? conninfo.endIndex)...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            func badPercent(_ s: Substring) -> Bool {
                let bytes = Array(s.utf8)
                func hex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }
                for (i, b) in bytes.enumerated() where b == UInt8(ascii: "%") {
                    guard i + 2 < bytes.count, hex(bytes[i + 1]), hex(bytes[i + 2]) else { return true }
                }
                return false
            }
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if let colon = userinfo.firstIndex(of: ":") {
                    if badPercent(userinfo[userinfo.index(after: colon)...]) || userinfo[userinfo.index(after: colon)...].contains(" ") {
                        return "the password in the URI is not percent-encoded (write % as %25, a space as %20, @ as %40)"
                    }
                    if badPercent(userinfo[..<colon]) { return "the user name in the URI is not percent-encoded" }
                } else if badPercent(userinfo) {
                    return "the user name in the URI is not percent-encoded"
                }
            }
            if rest.contains("?") { return "the host, port, database or a query parameter (?key=value) of the URI is malformed or unknown" }
            return "the host, port or database of the URI is malformed"
        }
        // key=value pairs: find the first that is not one.
        var previous: String?
        var i = conninfo.startIndex
        while i < conninfo.endIndex {
            while i < conninfo.endIndex, conninfo[i].isWhitespace { i = conninfo.index(after: i) }
            guard i < conninfo.endIndex else { break }
            let keyStart = i
            while i < conninfo.endIndex, conninfo[i] != "=", !conninfo[i].isWhitespace { i = conninfo.index(after: i) }
            let key = String(conninfo[keyStart..<i])
            while i < conninfo.endIndex, conninfo[i].isWhitespace { i = conninfo.index(after: i) }
            guard i < conninfo.endIndex, conninfo[i] == "=" else {
                return previous.map { "the value of \($0) is followed by a word without '=': a value with spaces must be quoted (\($0)='…')" }
                    ?? "it does not start with key=value"
            }
            i = conninfo.index(after: i)
            while i < conninfo.endIndex, conninfo[i].isWhitespace { i = conninfo.index(after: i) }
            if i < conninfo.endIndex, conninfo[i] == "'" {
                i = conninfo.index(after: i)
                var closed = false
                while i < conninfo.endIndex {
                    if conninfo[i] == "\\" {
                        i = conninfo.index(after: i)
                        if i < conninfo.endIndex { i = conninfo.index(after: i) }
                        continue
                    }
                    if conninfo[i] == "'" {
                        closed = true
                        i = conninfo.index(after: i)
                        break
                    }
                    i = conninfo.index(after: i)
                }
                if !closed { return "the quoted value of \(key) is not closed" }
            } else {
                while i < conninfo.endIndex, !conninfo[i].isWhitespace { i = conninfo.index(after: i) }
            }
            if key.isEmpty || !key.allSatisfy({ $0.isLetter || $0 == "_" }) { return "a key is malformed (keys are words such as host, port, dbname, user)" }
            previous = key
        }
        if let previous { return "a key is unknown to libpq, or the value of \(previous) is malformed" }
        return "it is not a conninfo string or a postgresql:// URI"
    }

    /// Whether the conninfo (or URI) carries a password.
    public static func hasPassword(_ conninfo: String) -> Bool {
        guard !conninfo.isEmpty, let options = PQconninfoParse(conninfo, nil) else { return false }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val, value.pointee != 0 { return true }
            option += 1
        }
        return false
    }

    /// A form of the conninfo that is safe to log: its keywords and values, password removed.
    public static func redacted(_ conninfo: String) -> String {
        guard let settings = settings(conninfo) else { return "<unparsable conninfo>" }
        if settings.isEmpty { return "<libpq environment>" }
        return settings.keys.sorted().map { "\($0)=\(settings[$0] ?? "")" }.joined(separator: " ")
    }
}
