/// Transactions, savepoints and advisory locks.
extension Connection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    @discardableResult
    public func withTransaction<T>(readOnly: Bool = false, repeatableRead: Bool = false, _ body: () throws -> T) throws -> T {
        try execute("begin" + (repeatableRead ? " isolation level repeatable read" : "") + (readOnly ? " read only" : ""))
        let value: T
        do {
            value = try body()
        } catch {
            if isOpen { _ = try? execute("rollback") }
            throw error
        }
        let status = try execute("commit").commandStatus
        guard status == "COMMIT" else {
            throw PostgresError(.unexpectedResponse, "transaction was rolled back by the server (\(status))")
        }
        return value
    }

    /// Runs `body` inside a savepoint of the current transaction; a throw rolls back to it.
    @discardableResult
    public func withSavepoint<T>(_ name: String = "leefbaar_sp", _ body: () throws -> T) throws -> T {
        let quoted = try escapeIdentifier(name)
        try execute("savepoint \(quoted)")
        do {
            let value = try body()
            try execute("release savepoint \(quoted)")
            return value
        } catch {
            if isOpen { _ = try? execute("rollback to savepoint \(quoted)") }
            throw error
        }
    }

    /// Waits for a session-level advisory lock.
    public func advisoryLock(_ key: Int64) throws {
        try execute("select pg_advisory_lock($1)", [key])
    }

    /// Takes a session-level advisory lock if free; returns whether it was taken.
    public func tryAdvisoryLock(_ key: Int64) throws -> Bool {
        try scalar("select pg_try_advisory_lock($1)", [key], as: Bool.self) ?? false
    }

    /// Releases a session-level advisory lock; returns whether it was held.
    @discardableResult
    public func advisoryUnlock(_ key: Int64) throws -> Bool {
        try scalar("select pg_advisory_unlock($1)", [key], as: Bool.self) ?? false
    }

    /// Takes a transaction-level advisory lock, released at commit or rollback.
    public func advisoryTransactionLock(_ key: Int64) throws {
        try execute("select pg_advisory_xact_lock($1)", [key])
    }
}
