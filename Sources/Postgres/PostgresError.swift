/// An error from the PostgreSQL layer: a failed connection, a server error with its SQLSTATE,
/// a COPY that could not finish, or a value that could not be decoded.
///
/// Code branches on `code` and `sqlState`, never on `message`. `description` never contains a
/// password or a full conninfo string.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure. Extensible: new kinds are new static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The connection could not be opened.
        public static let connectionFailed = Code("connectionFailed")
        /// The connection broke while in use (server gone, network down).
        public static let connectionLost = Code("connectionLost")
        /// The server answered with an error; `sqlState` says which.
        public static let server = Code("server")
        /// Sending or finishing a COPY failed on the client side.
        public static let copyFailed = Code("copyFailed")
        /// A result value could not be decoded to the requested Swift type.
        public static let decoding = Code("decoding")
        /// The server answered in a way this client does not expect.
        public static let unexpectedResponse = Code("unexpectedResponse")
    }

    /// The kind of failure.
    public var code: Code
    /// The primary message (the server's `message` field for server errors).
    public var message: String
    /// The five-character SQLSTATE for server errors, e.g. `22P02`.
    public var sqlState: String?
    /// Severity as the server reports it (`ERROR`, `FATAL`, ...).
    public var severity: String?
    /// The server's `detail` field.
    public var detail: String?
    /// The server's `hint` field.
    public var hint: String?
    /// The server's `context` field (for COPY it names the line and column).
    public var context: String?
    /// The constraint the error is about, when there is one.
    public var constraint: String?
    /// The schema the error is about, when there is one.
    public var schema: String?
    /// The table the error is about, when there is one.
    public var table: String?
    /// The column the error is about, when there is one.
    public var column: String?

    /// Makes an error of the given kind with a message.
    public init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        var text = ""
        if let sqlState { text += "\(severity ?? "ERROR") \(sqlState): " }
        text += message
        if let detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        if let context, !context.isEmpty { text += "\nCONTEXT: \(context)" }
        return text
    }

    /// True when the error means the connection is gone and a retry needs a new connection.
    public var isConnectionProblem: Bool {
        code == .connectionLost || code == .connectionFailed || (sqlState?.hasPrefix(SQLState.connectionClass) ?? false)
            || sqlState == SQLState.adminShutdown || sqlState == SQLState.crashShutdown || sqlState == SQLState.cannotConnectNow
    }
}
