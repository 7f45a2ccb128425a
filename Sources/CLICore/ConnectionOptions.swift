import ArgumentParser
import Foundation
import Ingest
import Postgres
import Warehouse

/// Connection options shared by every command that talks to the warehouse.
public struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: "libpq conninfo or postgresql:// URI. Default: $DATABASE_URL, else libpq's PGHOST/PGPORT/PGDATABASE/PGUSER/PGSERVICE and ~/.pgpass.")
    public var databaseURL: String?

    @Option(name: .customLong("sql-dir"), help: "The SQL/ folder (migrations, feeds, checks, reports). Default: $LEEFBAAR_SQL_DIR or ./SQL.")
    public var sqlDirectory: String?

    public init() {}

    /// The conninfo to use: the option, else `DATABASE_URL`, else empty (libpq's environment).
    public var conninfo: String {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let fromEnv = ProcessInfo.processInfo.environment["DATABASE_URL"], !fromEnv.isEmpty { return fromEnv }
        return ""
    }

    /// Opens a connection.
    public func connect() throws -> Connection {
        if let databaseURL, Conninfo.hasPassword(databaseURL) {
            FileHandle.standardError.write(
                Data(
                    "warning: --database-url carries a password, which other users of this machine can read in the process list (/proc/PID/cmdline); put it in ~/.pgpass (PGPASSFILE) or a PGSERVICE entry instead\n"
                        .utf8))
        }
        do {
            return try Connection(conninfo: conninfo)
        } catch let error as PostgresError where conninfo.isEmpty && error.code == .connectionFailed {
            let env = ProcessInfo.processInfo.environment
            let libpq = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGPASSFILE"].filter { env[$0] != nil }
            guard libpq.isEmpty else { throw error }
            throw PostgresError(
                .connectionFailed,
                "\(error.message)\nNo connection is configured: pass --database-url, set DATABASE_URL, or libpq's PGHOST/PGDATABASE/PGUSER (or PGSERVICE); `make db-start` prints a DATABASE_URL for a local cluster"
            )
        }
    }

    /// The SQL folder.
    public func sql() throws -> SQLDirectory {
        try SQLDirectory.locate(explicit: sqlDirectory)
    }
}
