import ArgumentParser
import Foundation
import Postgres
import Warehouse

/// Connection options shared by every command that talks to the warehouse.
public struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("database-url"),
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
        try Connection(conninfo: conninfo)
    }

    /// The SQL folder.
    public func sql() throws -> SQLDirectory {
        try SQLDirectory.locate(explicit: sqlDirectory)
    }
}
