import Crypto
import Foundation

/// The current definition of views and functions: `SQL/models/NAME.sql`, re-applied by `migrate`
/// whenever a file is new or changed (each `create or replace`, so grants and dependants stay).
public struct Model: Sendable, Equatable {
    /// The file name without `.sql`; files apply in name order.
    public let name: String
    /// The file's text.
    public let sql: String
    /// SHA-256 of the file's bytes, hex.
    public let sha256: String

    /// Every `*.sql` of a folder, by name; none when the folder does not exist.
    public static func load(from directory: String) throws -> [Model] {
        try (SQLFile.all(in: directory) ?? []).map { Model(name: $0.stem, sql: $0.sql, sha256: $0.sha256) }
    }

    /// Makes a model from parts (tests).
    public init(name: String, sql: String, sha256: String? = nil) {
        self.name = name
        self.sql = sql
        self.sha256 = sha256 ?? SHA256.hexDigest(Data(sql.utf8))
    }
}
