import Foundation
import Ingest
import Postgres
import Synchronization
import TestSupport
import Warehouse

/// The project's migrations.
func projectMigrations() throws -> [Migration] {
    try Migration.load(from: packageRoot().appendingPathComponent("SQL/migrations").path)
}

/// A fresh database with every migration applied, in the given cluster (default: the shared one).
func withMigratedDatabase<T>(cluster: TemporaryCluster? = nil, _ body: (TemporaryCluster, String, Connection) throws -> T) throws -> T {
    let cluster = try cluster ?? TemporaryCluster.shared()
    let name = try cluster.createDatabase(prefix: "w", template: try migratedTemplate(cluster))
    defer { try? cluster.dropDatabase(name) }
    let db = try cluster.connect(database: name)
    return try body(cluster, name, db)
}

/// A database of each cluster migrated once, that `withMigratedDatabase` copies (0.07 s, where a
/// migration takes 0.2 s): WarehouseTests took 31–33 s with a migration per test and take 20–21 s
/// so. (MigratorTests migrate databases of their own.)
private func migratedTemplate(_ cluster: TemporaryCluster) throws -> String {
    try migratedTemplates.withLock { templates in
        if let name = templates[cluster.socketDirectory] { return name }
        let name = try cluster.createDatabase(prefix: "migrated")
        // The connection closes with this block: a template must have nobody connected.
        do {
            let db = try cluster.connect(database: name)
            try Migrator(connection: db, sql: projectSQL()).migrate()
        }
        templates[cluster.socketDirectory] = name
        return name
    }
}

private let migratedTemplates = Mutex<[String: String]>([:])

/// The project's SQL folder.
func projectSQL() -> SQLDirectory {
    SQLDirectory(path: packageRoot().appendingPathComponent("SQL").path)
}

/// A temporary folder for fixture files, removed after `body`.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leefbaar-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// A fresh migrated database and a temporary folder for fixture files.
func withMigratedDatabaseAndFolder<T>(_ body: (Connection, URL) throws -> T) throws -> T {
    try withMigratedDatabase { _, _, db throws in try withTemporaryDirectory { dir throws in try body(db, dir) } }
}

/// Writes bytes to a file in a folder and returns its path.
@discardableResult
func writeFixture(_ dir: URL, _ name: String, _ bytes: [UInt8]) throws -> String {
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// Writes UTF-8 text (use \r\n explicitly where wanted).
@discardableResult
func writeFixture(_ dir: URL, _ name: String, _ text: String) throws -> String {
    try writeFixture(dir, name, Array(text.utf8))
}

/// Loads one file with a feed of SQL/feeds (or a spec text) and returns the result.
func load(
    _ db: Connection, feed: String? = nil, specText: String? = nil, file: String,
    configure: (inout LoadOptions) -> Void = { _ in }
) throws -> LoadResult {
    let spec = try specText.map { try FeedSpec.parse($0, path: "test.yaml", sql: projectSQL()) } ?? FeedSpec.named(feed ?? "", in: projectSQL())
    var options = LoadOptions()
    configure(&options)
    return Loader(connection: db, spec: spec).load(file: file, options: options)
}

/// The ledger spec with some lines replaced, for variants.
func ledgerSpec(replacing pairs: [(String, String)]) throws -> String {
    var text = try String(contentsOf: packageRoot().appendingPathComponent("SQL/feeds/ledger.yaml"), encoding: .utf8)
    for (a, b) in pairs {
        precondition(text.contains(a), "ledger.yaml lacks \(a)")
        text = text.replacingOccurrences(of: a, with: b)
    }
    return text
}

/// The ledger spec as feed `feed`, its amount read as `amount` says (the lines after `- name: amount`
/// up to `type: decimal`).
func ledgerSpec(feed: String, amount: String) throws -> String {
    try ledgerSpec(replacing: [("feed: ledger", "feed: \(feed)"), ("    source: [Bedrag, Amount]\n    type: decimal", amount + "\n    type: decimal")])
}

let ledgerHeader = "Boekdatum;Dagboek;Boekstuk;Regel;Grootboek;Kostenplaats;Gemeente;Project;Inzet;Categorie;Omschrijving;Bedrag"

extension LoadResult {
    /// The rejects as `line:column:reason`, for comparing with what a test expects.
    var rejectLines: [String] { rejects.map { "\($0.line):\($0.column ?? "-"):\($0.reason)" } }
}
