import ArgumentParser
import Foundation
import Ingest
import Postgres
import Warehouse

/// Every exit code of `leefbaar-etl` and `leefbaar-report`, in one place (listed in README.md).
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Everything asked for was done (loaded, skipped as already loaded, printed).
    case ok = 0
    /// A failure: database error, bad file, failed check, refused migration.
    case failure = 1
    /// Wrong use: unknown option or command, invalid argument.
    case usage = 2
    /// A load had more rejected rows than `--max-rejects` allows.
    case rejectsOverThreshold = 3
    /// Another run holds the lock (EX_TEMPFAIL); try again later.
    case locked = 75
    /// Stopped by SIGINT or SIGTERM; the file in progress was rolled back.
    case interrupted = 130

    /// The exit status an error maps to.
    public static func of(_ error: any Error) -> ExitStatus {
        if let error = error as? WarehouseError {
            switch error.code {
            case .locked: return .locked
            case .rejectsOverThreshold: return .rejectsOverThreshold
            case .interrupted: return .interrupted
            case .unknownName: return .usage
            default: return .failure
            }
        }
        if error is PostgresError { return .failure }
        return .failure
    }
}
