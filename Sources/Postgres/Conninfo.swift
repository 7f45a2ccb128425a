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

    /// A form of the conninfo that is safe to log: its keywords and values, password removed.
    public static func redacted(_ conninfo: String) -> String {
        guard let settings = settings(conninfo) else { return "<unparsable conninfo>" }
        if settings.isEmpty { return "<libpq environment>" }
        return settings.keys.sorted().map { "\($0)=\(settings[$0] ?? "")" }.joined(separator: " ")
    }
}
