import Ingest
import Postgres

/// What the loader asks of a connection, in one place.
extension Connection {
    /// Works as `leefbaar_owner` when the login may (`local`: for the current transaction only).
    func actAsOwner(local: Bool) throws {
        guard try scalar("select pg_has_role(current_user, 'leefbaar_owner', 'MEMBER')", as: Bool.self) == true else { return }
        try execute(local ? "set local role leefbaar_owner" : "set role leefbaar_owner")
    }

    /// Runs one of a spec's statements (`after_merge`); `$1` is the batch when it is used.
    func executeSpecStatement(_ statement: String, batch: Int64) throws {
        try execute(statement, statement.contains("$1") ? [batch] : [])
    }
}
