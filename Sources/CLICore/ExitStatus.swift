import ArgumentParser
import Foundation
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
            default: return .failure
            }
        }
        if error is PostgresError { return .failure }
        return .failure
    }
}

/// Runs a root command with Leefbaar's exit codes and error format.
public enum CommandRunner {
    /// Parses the command line, runs the command, exits with the mapped status.
    public static func main<Root: ParsableCommand>(_ root: Root.Type) -> Never {
        let command: any ParsableCommand
        do {
            command = try Root.parseAsRoot()
        } catch {
            if Root.exitCode(for: error) == .success { Root.exit(withError: error) }
            FileHandle.standardError.write(Data((Root.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage.rawValue)
        }
        do {
            var runnable = command
            try runnable.run()
            exit(ExitStatus.ok.rawValue)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("\(Root._commandName): error: \(error)\n".utf8))
            exit(ExitStatus.usage.rawValue)
        } catch {
            if Root.exitCode(for: error) == .success { Root.exit(withError: error) }
            FileHandle.standardError.write(Data("\(Root._commandName): error: \(error)\n".utf8))
            exit(ExitStatus.of(error).rawValue)
        }
    }
}
