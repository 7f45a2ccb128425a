import Crypto
import Foundation
import Ingest

/// One forward-only migration file, `NNNN_title.sql`.
public struct Migration: Sendable, Equatable {
    /// The number in the file name.
    public let version: Int
    /// The title part of the file name.
    public let name: String
    /// The file's text.
    public let sql: String
    /// SHA-256 of the file's bytes, hex.
    public let sha256: String

    /// Reads every `NNNN_title.sql` in a folder, ordered by version; refuses duplicates and odd names.
    public static func load(from directory: String) throws -> [Migration] {
        guard let files = try SQLFile.all(in: directory) else {
            throw WarehouseError(.missingFile, "cannot read migrations folder \(directory)")
        }
        var migrations: [Migration] = []
        for file in files {
            let stem = file.stem
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]),
                stem[..<underscore].count == 4
            else {
                throw WarehouseError(.migrationMismatch, "migration file \(stem).sql is not named NNNN_title.sql")
            }
            if let previous = migrations.last, previous.version == version {
                throw WarehouseError(.migrationMismatch, "two migrations numbered \(version): \(previous.name) and \(stem)")
            }
            migrations.append(
                Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: file.sql, sha256: file.sha256))
        }
        return migrations
    }

    /// Makes a migration from parts (tests).
    public init(version: Int, name: String, sql: String, sha256: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.sha256 = sha256 ?? SHA256.hexDigest(Data(sql.utf8))
    }
}

extension Migration {
    /// `NNNN_name`, the file name without `.sql`.
    public static func stem(version: Int, name: String) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }
}

/// A `.sql` file of a folder: its name without `.sql`, its text, and the SHA-256 of its bytes.
struct SQLFile {
    let stem: String
    let sql: String
    let sha256: String

    /// Every `*.sql` of a folder, in name order; nil when the folder cannot be read. A file that is
    /// not UTF-8 is refused.
    static func all(in directory: String) throws -> [SQLFile]? {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return nil }
        return try names.sorted().filter { $0.hasSuffix(".sql") }.map { file in
            guard let data = fm.contents(atPath: directory + "/" + file) else {
                throw WarehouseError(.missingFile, "cannot read \(directory)/\(file)")
            }
            guard let sql = String(data: data, encoding: .utf8) else {
                throw WarehouseError(.migrationMismatch, "\(directory)/\(file) is not UTF-8")
            }
            return SQLFile(stem: String(file.dropLast(4)), sql: sql, sha256: SHA256.hexDigest(data))
        }
    }
}

extension SHA256 {
    /// Hex SHA-256 of some bytes.
    static func hexDigest(_ data: Data) -> String {
        SHA256.hash(data: data).hexDigits
    }
}
