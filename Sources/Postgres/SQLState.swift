/// The SQLSTATE codes the code branches on, by name (PostgreSQL, Appendix A).
public enum SQLState {
    /// 21000: ON CONFLICT would touch a row twice (a key twice in one statement).
    public static let cardinalityViolation = "21000"
    /// 57014: a statement cancelled (a cancel request, `statement_timeout`).
    public static let queryCanceled = "57014"
    /// 23505: a unique or primary key would hold twice.
    public static let uniqueViolation = "23505"
    /// 23503: a foreign key names a row that does not exist.
    public static let foreignKeyViolation = "23503"
    /// 23514: a CHECK constraint failed.
    public static let checkViolation = "23514"
    /// 23502: a NOT NULL constraint failed.
    public static let notNullViolation = "23502"
    /// 0A000: not supported (a data-modifying WITH below the top level).
    public static let featureNotSupported = "0A000"
    /// 25006: a write in a read-only transaction.
    public static let readOnlyTransaction = "25006"
    /// 3F000: no such schema.
    public static let invalidSchemaName = "3F000"
    /// 42501: the role lacks the privilege.
    public static let insufficientPrivilege = "42501"
    /// 42P01: no such table or view.
    public static let undefinedTable = "42P01"
    /// 42710: the object (a role) exists already.
    public static let duplicateObject = "42710"
    /// Class 42: syntax error or access rule violation.
    public static let syntaxOrAccessClass = "42"
    /// Class 08: connection exception.
    public static let connectionClass = "08"
    /// 57P01, 57P02, 57P03: the server is shutting down, crashed, or cannot accept connections now.
    public static let adminShutdown = "57P01", crashShutdown = "57P02", cannotConnectNow = "57P03"
}
