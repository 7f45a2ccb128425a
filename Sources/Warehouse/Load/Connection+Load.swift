import Ingest
import Postgres

/// What the loader asks of a connection, in one place.
extension Connection {
    /// Works as `leefbaar_owner` when the login may (`local`: for the current transaction only).
    func actAsOwner(local: Bool) throws {
        guard try scalar("select pg_has_role(current_user, 'leefbaar_owner', 'MEMBER')", as: Bool.self) == true else { return }
        try execute(local ? "set local role leefbaar_owner" : "set role leefbaar_owner")
    }

    /// The settings of a load's connections (`local`: for the current transaction only), chosen
    /// by measurement (docs/architecture.md, "Settings of a load's connections"):
    /// - no JIT: a load's queries each scan a table once with a few expressions per row; at
    ///   millions of rows their cost passes `jit_above_cost`, and compiling (in every parallel
    ///   worker) costs more than it saves;
    /// - index builds sort in runs of 4 MB, in one process each: the loader runs two builds at
    ///   once, and small runs merged (cache-sized) beat one large in-memory sort, and a worker per
    ///   build only adds processes to two busy cores.
    func useLoadSettings(local: Bool) throws {
        try execute(
            "select set_config('jit', 'off', $1), set_config('maintenance_work_mem', '4MB', $1), set_config('max_parallel_maintenance_workers', '0', $1)",
            [local])
    }

    /// Runs one of a spec's statements (`after_merge`); `$1` is the batch when it is used.
    func executeSpecStatement(_ statement: String, batch: Int64) throws {
        try execute(statement, statement.contains("$1") ? [batch] : [])
    }
}
