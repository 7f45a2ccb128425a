import Foundation

/// Finds the project's `SQL/` folder (migrations, feed specs, checks, reports).
///
/// Order: an explicit path, `LEEFBAAR_SQL_DIR`, then `SQL/` in the current directory or any parent,
/// then beside or above the executable, then `/usr/share/leefbaar/SQL`.
public struct SQLDirectory: Sendable {
    /// The folder's path.
    public let path: String

    /// Uses a given folder.
    public init(path: String) { self.path = path }

    /// Locates the folder, or throws naming the places looked at.
    public static func locate(explicit: String? = nil) throws -> SQLDirectory {
        let fm = FileManager.default
        func isSQL(_ p: String) -> Bool { fm.fileExists(atPath: p + "/migrations") }
        if let explicit {
            guard isSQL(explicit) else {
                throw WarehouseError(.missingFile, "\(explicit) has no migrations/ folder")
            }
            return SQLDirectory(path: explicit)
        }
        if let fromEnv = ProcessInfo.processInfo.environment["LEEFBAAR_SQL_DIR"], !fromEnv.isEmpty {
            guard isSQL(fromEnv) else {
                throw WarehouseError(.missingFile, "LEEFBAAR_SQL_DIR=\(fromEnv) has no migrations/ folder")
            }
            return SQLDirectory(path: fromEnv)
        }
        var starts = [fm.currentDirectoryPath]
        starts.append(URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path)
        for start in starts {
            var url = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let candidate = url.appendingPathComponent("SQL").path
                if isSQL(candidate) { return SQLDirectory(path: candidate) }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        if isSQL("/usr/share/leefbaar/SQL") { return SQLDirectory(path: "/usr/share/leefbaar/SQL") }
        throw WarehouseError(.missingFile, "no SQL/ folder found: pass --sql-dir or set LEEFBAAR_SQL_DIR")
    }

    /// `SQL/migrations`.
    public var migrations: String { path + "/migrations" }
    /// `SQL/feeds`.
    public var feeds: String { path + "/feeds" }
    /// `SQL/models`: the current definition of each view and function.
    public var models: String { path + "/models" }
    /// `SQL/checks`.
    public var checks: String { path + "/checks" }
    /// `SQL/reports`.
    public var reports: String { path + "/reports" }
}
