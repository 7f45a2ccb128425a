import CLibPQ

/// Streams data to a `COPY ... FROM STDIN` in progress. Bytes are gathered into a buffer and sent
/// with `PQputCopyData` when it fills, so callers may write row by row.
public final class CopyInWriter {
    private let connection: Connection
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Bytes handed to libpq so far.
    public private(set) var bytesSent = 0

    init(connection: Connection, bufferSize: Int) {
        self.connection = connection
        self.capacity = max(bufferSize, 1)
        buffer.reserveCapacity(capacity)
    }

    /// Appends raw bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try send(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends the UTF-8 bytes of a string.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends one byte.
    @inline(__always)
    public func write(byte: UInt8) throws {
        if buffer.count >= capacity { try flush() }
        buffer.append(byte)
    }

    /// Sends what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let status = PQputCopyData(connection.handle, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard status == 1 else {
            throw connection.copyError("sending COPY data failed")
        }
        bytesSent += bytes.count
    }
}

/// COPY FROM STDIN and COPY TO STDOUT.
extension Connection {
    /// Runs `COPY ... FROM STDIN` and lets `body` stream the data. Returns the row count the
    /// server reports. When `body` throws, the COPY is aborted (nothing of it stays) and the
    /// error is rethrown; when the server refuses the data, its error is thrown with SQLSTATE.
    @discardableResult
    public func copyIn(_ sql: String, bufferSize: Int = 256 * 1024, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        try sendCopyIn(sql, bufferSize: bufferSize, body)
        return try finishCommand().affectedRows
    }

    /// Like `copyIn`, but returns once the data is sent: the server may still be storing it. Call
    /// `receive()` for the row count (or the COPY's error) before the next statement.
    public func sendCopyIn(_ sql: String, bufferSize: Int = 256 * 1024, _ body: (CopyInWriter) throws -> Void) throws {
        try startCopy(sql, expecting: PGRES_COPY_IN)
        let writer = CopyInWriter(connection: self, bufferSize: bufferSize)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by client: \(error)".prefix(200).description)
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            let failure = copyError("ending COPY failed")
            drainResults()
            throw failure
        }
    }

    /// A COPY step libpq refused: a lost connection when the connection is gone (the caller may
    /// retry later), else a failed COPY.
    func copyError(_ what: String) -> PostgresError {
        PostgresError(PQstatus(handle) != CONNECTION_OK ? .connectionLost : .copyFailed, "\(what): \(Connection.lastError(handle))")
    }

    /// Runs `COPY ... TO STDOUT` and hands each row (or chunk) the server sends to `body`.
    /// Returns the row count.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_OUT)
        var bodyError: (any Error)?
        while true {
            var pointer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &pointer, 0)
            if length > 0, let pointer {
                if bodyError == nil {
                    do { try body(UnsafeRawBufferPointer(start: pointer, count: Int(length))) } catch { bodyError = error }
                }
                PQfreemem(pointer)
            } else if length == -1 {
                break
            } else {
                let failure = copyError("reading COPY data failed")
                drainResults()
                throw failure
            }
        }
        let result = try finishCommand()
        if let bodyError { throw bodyError }
        return result.affectedRows
    }

    /// Runs `COPY ... TO STDOUT` and returns everything as one string (small results: tests, exports).
    public func copyOutString(_ sql: String) throws -> String {
        var bytes: [UInt8] = []
        try copyOut(sql) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func startCopy(_ sql: String, expecting status: ExecStatusType) throws {
        guard let result = PQexec(handle, sql) else { throw connectionError() }
        let actual = PQresultStatus(result)
        if actual == status {
            PQclear(result)
            return
        }
        if actual == PGRES_FATAL_ERROR || actual == PGRES_NONFATAL_ERROR || actual == PGRES_BAD_RESPONSE {
            let error = PostgresError(serverResult: result, connection: handle)
            PQclear(result)
            drainResults()
            throw error
        }
        PQclear(result)
        drainResults()
        throw PostgresError(.unexpectedResponse, "statement is not a COPY in the expected direction: \(sql.prefix(60))")
    }

    /// Reads the final result of a command and any that follow, throwing the first error.
    func finishCommand() throws -> QueryResult {
        var first: QueryResult?
        var failure: (any Error)?
        // A script (`sendScript`) returns a result per statement: the first error of any is thrown.
        while let result = PQgetResult(handle) {
            if failure != nil {
                PQclear(result)
            } else if first == nil {
                do { first = try check(result) } catch { failure = error }
            } else {
                do { _ = try check(result) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        guard let first else { throw connectionError() }
        return first
    }

    /// Waits for the next `count` results of a script sent with `sendScript` (one per statement),
    /// leaving the rest to come; throws the first error (the server skips the rest of the script;
    /// its end is read too). Fewer results when the script ends first.
    public func receive(results count: Int) throws {
        for _ in 0..<count {
            guard let result = PQgetResult(handle) else { return }
            do {
                _ = try check(result)
            } catch {
                drainResults()
                throw error
            }
        }
    }

    func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}
