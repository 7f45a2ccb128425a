import Foundation
import Ingest
import Postgres

/// The advisory lock a load holds on its target table for as long as it runs: loads that can
/// touch the same scope serialise, whatever command started them (`load`, `run --inbox`).
enum TargetLock {
    /// The first key of the two-key advisory locks on target tables ("LBtg").
    static let lockClass: Int32 = 0x4C42_7467

    /// Takes the lock, waiting up to `wait` seconds; throws `.locked` (exit 75) when another load
    /// holds it, or `.interrupted` when asked to stop while waiting.
    static func acquire(_ target: String, _ connection: Connection, wait: TimeInterval, shouldStop: (@Sendable () -> Bool)?) throws {
        let deadline = Date().addingTimeInterval(wait)
        while try connection.scalar("select pg_try_advisory_lock($1::int, hashtext($2))", [lockClass, target], as: Bool.self) != true {
            if shouldStop?() == true {
                throw WarehouseError(.interrupted, "stopped while waiting for another load into \(target); nothing was loaded")
            }
            guard Date() < deadline else {
                throw WarehouseError(.locked, "another load into \(target) is running; try again later or pass --wait SECONDS")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    static func release(_ target: String, _ connection: Connection) {
        guard connection.isOpen else { return }
        _ = try? connection.execute("select pg_advisory_unlock($1::int, hashtext($2))", [lockClass, target])
    }
}
