/// A record the load refused: where it was, what it held, and why.
public struct Reject: Sendable, Equatable {
    /// Physical line (1-based) where the record starts.
    public var line: Int
    /// The file column (header name) that failed, when one did.
    public var column: String?
    /// The value as it stood in the file.
    public var rawValue: String?
    /// The whole record as it stood in the file.
    public var rawRecord: String
    /// What was wrong and what was expected.
    public var reason: String

    public init(line: Int, column: String?, rawValue: String?, rawRecord: String, reason: String) {
        self.line = line
        self.column = column
        self.rawValue = rawValue
        self.rawRecord = rawRecord
        self.reason = reason
    }
}
