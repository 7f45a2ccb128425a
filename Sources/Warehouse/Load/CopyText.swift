import Foundation
import Ingest
import Logging
import Postgres

/// COPY text format.
enum CopyText {
    /// Escapes a value for COPY text format (`\N` for NULL).
    static func escape(_ value: String?, into out: inout String) {
        guard let value else {
            out += "\\N"
            return
        }
        if !value.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            out += value
            return
        }
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
    }

    /// One COPY line of values.
    static func line(_ values: [String?]) -> String {
        var out = ""
        for (i, v) in values.enumerated() {
            if i > 0 { out += "\t" }
            escape(v, into: &out)
        }
        out += "\n"
        return out
    }
}
