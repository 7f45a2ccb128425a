/// An error of the warehouse layer: migrations, feeds, loads, tenants.
public struct WarehouseError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A file or directory the warehouse needs is missing or unreadable.
        public static let missingFile = Code("missingFile")
        /// A migration file changed after it was applied, or is malformed.
        public static let migrationMismatch = Code("migrationMismatch")
        /// Another process holds the lock this operation needs.
        public static let locked = Code("locked")
        /// The input (a file, a spec, an argument) is invalid.
        public static let invalidInput = Code("invalidInput")
        /// Too many rows were rejected.
        public static let rejectsOverThreshold = Code("rejectsOverThreshold")
        /// A data check found unsound data.
        public static let checkFailed = Code("checkFailed")
        /// A name given on the command line (a feed, a report, a tenant) is not known: a usage error.
        public static let unknownName = Code("unknownName")
        /// An input file changed or vanished while it was loaded: nothing of it was kept; try again.
        public static let fileChanged = Code("fileChanged")
        /// A replace would have removed far more rows of a scope than the file brings.
        public static let shrinkRefused = Code("shrinkRefused")
        /// The run was interrupted (SIGINT, SIGTERM); what it was doing was rolled back.
        public static let interrupted = Code("interrupted")
        /// The database connection was lost; the transaction in flight was rolled back by the server.
        public static let connectionLost = Code("connectionLost")
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a person.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
