import Foundation
import CLibPQ

/// One libpq connection. Not shared between threads: open one per task.
public final class Connection {
    let handle: OpaquePointer

    /// Opens a connection from a conninfo string (`host=... dbname=...`) or a URI
    /// (`postgresql://...`). An empty string uses libpq's own environment: `PGHOST`, `PGPORT`,
    /// `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGSERVICE` and `~/.pgpass`.
    public init(conninfo: String = "") throws {
        // libpq's parse errors quote the text, which may hold the password: say what is wrong ourselves.
        if !conninfo.isEmpty, Conninfo.settings(conninfo) == nil {
            throw PostgresError(
                .connectionFailed, "the connection string is malformed: \(Conninfo.malformedReason(conninfo)); its text is not shown, as it may hold a password"
            )
        }
        guard let conn = PQconnectdb(conninfo) else {
            throw PostgresError(.connectionFailed, "could not allocate a libpq connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let target = Connection.target(of: conn)
            let reason = Connection.lastError(conn)
            PQfinish(conn)
            throw PostgresError(.connectionFailed, "could not connect to \(target): \(reason)")
        }
        handle = conn
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        guard PQsetClientEncoding(conn, "UTF8") == 0 else {
            let reason = Connection.lastError(conn)
            PQfinish(conn)
            throw PostgresError(.connectionFailed, "could not set client encoding UTF8: \(reason)")
        }
        try execute("set datestyle to iso, ymd")
    }

    deinit {
        PQfinish(handle)
    }

    /// `host=… port=… user=… dbname=…` of a connection: never the password.
    public var target: String { Connection.target(of: handle) }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// The backend process id serving this connection.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// True while the connection is usable.
    public var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Whether a transaction is open on the connection (also one that failed and awaits its rollback).
    public var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    static func target(of conn: OpaquePointer) -> String {
        func value(_ p: UnsafeMutablePointer<CChar>?) -> String {
            guard let p else { return "?" }
            let s = String(cString: p)
            return s.isEmpty ? "?" : s
        }
        return "host=\(value(PQhost(conn))) port=\(value(PQport(conn))) user=\(value(PQuser(conn))) dbname=\(value(PQdb(conn)))"
    }

    static func lastError(_ conn: OpaquePointer) -> String {
        guard let p = PQerrorMessage(conn) else { return "unknown error" }
        return String(cString: p).trimmingTrailingWhitespace()
    }

    /// Runs one statement with bound parameters (sent as text, types inferred by the server).
    /// Values are never spliced into the SQL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> QueryResult {
        let result: OpaquePointer? = withParameterPointers(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try check(result)
    }

    /// Sends one statement with bound parameters and returns at once, so the client can work while
    /// the server runs it. Collect the outcome with `receive()` before sending anything else.
    public func send(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws {
        let sent = withParameterPointers(parameters) { values in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionError() }
    }

    /// Sends a script of several statements (no parameters) without waiting for it; `receive`
    /// waits for all of them and throws the first error.
    public func sendScript(_ sql: String) throws {
        guard PQsendQuery(handle, sql) == 1 else { throw connectionError() }
    }

    /// Waits for the statement sent with `send` (or `sendScript`) and returns its (first) result,
    /// or throws its error.
    @discardableResult
    public func receive() throws -> QueryResult {
        try finishCommand()
    }

    /// Reads and drops whatever a sent statement still returns (after an error on the client side).
    public func discardResults() {
        drainResults()
    }

    /// Runs a script of several statements (no parameters), as `psql -f` would in one request.
    public func executeScript(_ sql: String) throws {
        let result = PQexec(handle, sql)
        _ = try check(result)
        // PQexec returns the last statement's result; earlier errors stop the script server-side.
    }

    /// Runs a query and decodes the first column of the first row, or nil when there is no row.
    public func scalar<T: PostgresDecodable>(_ sql: String, _ parameters: [(any PostgresEncodable)?] = [], as type: T.Type = T.self) throws -> T? {
        let result = try execute(sql, parameters)
        guard result.count > 0 else { return nil }
        return try result[0].decode(0, as: T.self)
    }

    /// Quotes an identifier (role, table) with libpq's own rules.
    public func escapeIdentifier(_ name: String) throws -> String {
        guard let p = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw PostgresError(.unexpectedResponse, "could not quote identifier: \(Connection.lastError(handle))")
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    /// Quotes a literal with libpq's own rules, for the few statements (role passwords) that take no parameters.
    public func escapeLiteral(_ value: String) throws -> String {
        guard let p = PQescapeLiteral(handle, value, value.utf8.count) else {
            throw PostgresError(.unexpectedResponse, "could not quote literal: \(Connection.lastError(handle))")
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    /// Asks the server to cancel the statement this connection is running (safe from another thread).
    public func cancelToken() -> CancelToken? {
        guard let cancel = PQgetCancel(handle) else { return nil }
        return CancelToken(cancel)
    }

    /// Turns a libpq result into a `QueryResult`, or throws the server's error.
    func check(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw connectionError()
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result)
        default:
            let error = PostgresError(serverResult: result, connection: handle)
            PQclear(result)
            throw error
        }
    }

    func connectionError() -> PostgresError {
        if PQstatus(handle) != CONNECTION_OK {
            return PostgresError(.connectionLost, "connection to \(target) lost: \(Connection.lastError(handle))")
        }
        return PostgresError(.unexpectedResponse, Connection.lastError(handle))
    }

    private func withParameterPointers<R>(_ parameters: [(any PostgresEncodable)?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var owned: [UnsafeMutablePointer<CChar>?] = []
        owned.reserveCapacity(parameters.count)
        for parameter in parameters {
            if let text = parameter?.postgresText {
                owned.append(strdup(text))
            } else {
                owned.append(nil)
            }
        }
        defer { owned.forEach { free($0) } }
        return body(owned.map { UnsafePointer($0) })
    }
}

/// Keeps libpq's cancel object of a connection alive; the cancel request itself is sent from a
/// signal handler, through `forSignalHandler`.
public final class CancelToken: @unchecked Sendable {
    private let handle: OpaquePointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: 256)
    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit {
        PQfreeCancel(handle)
        errorBuffer.deallocate()
    }

    /// Asks the server to cancel the statement the connection is running. Returns false when the
    /// request could not be sent.
    @discardableResult
    public func cancel() -> Bool { forSignalHandler.cancel() }

    /// What a signal handler needs to send the cancel request (`PQcancel` is safe there; the
    /// handler may allocate nothing): valid while this token lives; for one signal handler only.
    public var forSignalHandler: SignalSafeCancel { SignalSafeCancel(handle: handle, errorBuffer: errorBuffer) }
}

/// A cancel request to send from a signal handler: plain pointers, nothing counted or allocated.
public struct SignalSafeCancel: @unchecked Sendable {
    let handle: OpaquePointer
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Sends the cancel request (async-signal-safe). Returns false when it could not be sent.
    @discardableResult
    public func cancel() -> Bool {
        PQcancel(handle, errorBuffer, 256) == 1
    }
}

extension PostgresError {
    init(serverResult result: OpaquePointer, connection: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            guard let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        let primary =
            field(Int32(UInt8(ascii: "M")))
            ?? (PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown server error").trimmingTrailingWhitespace()
        let state = field(Int32(UInt8(ascii: "C")))
        self.init(state == nil && PQstatus(connection) != CONNECTION_OK ? .connectionLost : .server, primary, sqlState: state)
        severity = field(Int32(UInt8(ascii: "V"))) ?? field(Int32(UInt8(ascii: "S")))
        detail = field(Int32(UInt8(ascii: "D")))
        hint = field(Int32(UInt8(ascii: "H")))
        context = field(Int32(UInt8(ascii: "W")))
        schema = field(Int32(UInt8(ascii: "s")))
        table = field(Int32(UInt8(ascii: "t")))
        column = field(Int32(UInt8(ascii: "c")))
        constraint = field(Int32(UInt8(ascii: "n")))
    }
}

extension String {
    /// The string without trailing line breaks and spaces (libpq's messages end in a newline; a
    /// text table's padded last column in spaces).
    package func trimmingTrailingWhitespace() -> String {
        var s = self
        while let last = s.last, last.isNewline || last == " " { s.removeLast() }
        return s
    }
}

extension Connection {
    /// Opens a second connection with the same settings (host, port, user, database, password …),
    /// for work that runs beside this one.
    public func openSibling() throws -> Connection {
        guard let options = PQconninfo(handle) else {
            throw PostgresError(.connectionFailed, "cannot read this connection's settings")
        }
        defer { PQconninfoFree(options) }
        var parts: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let text = String(cString: value).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                parts.append("\(String(cString: keyword))='\(text)'")
            }
            option += 1
        }
        return try Connection(conninfo: parts.joined(separator: " "))
    }

    /// Hashes a password the way the server stores it (SCRAM-SHA-256 by default), so the clear
    /// password is never sent in a statement nor written to a server log.
    public func encryptPassword(_ password: String, user: String) throws -> String {
        guard let p = PQencryptPasswordConn(handle, password, user, nil) else {
            throw PostgresError(.unexpectedResponse, "could not hash the password: \(Connection.lastError(handle))")
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }
}
