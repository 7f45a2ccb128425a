import ArgumentParser
import Foundation
import Logging

/// Log output of the executables: human lines or one JSON object per line, on standard error.
public enum LogFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case human, json

    /// Installs the log handler once per process.
    public func bootstrap(level: Logger.Level = .info) {
        LogSetup.once(self, level)
    }
}

enum LogSetup {
    nonisolated(unsafe) private static var done = false
    private static let lock = NSLock()

    static func once(_ format: LogFormat, _ level: Logger.Level) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : TerminalLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }
}

/// One JSON object per line: time, level, message and the metadata (feed, file, batch, counts).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
            "message": event.message.description, "logger": label,
        ]
        // Counts are numbers in the JSON, not strings ("loaded": 60).
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            let text = "\(v)"
            if let n = Int64(text) { object[k] = NSNumber(value: n) } else { object[k] = text }
        }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            FileHandle.standardError.write(data + Data("\n".utf8))
        }
    }
}

/// Human log lines that first clear a progress line on the terminal, so nothing runs together.
struct TerminalLogHandler: LogHandler {
    var inner: StreamLogHandler
    init(_ inner: StreamLogHandler) { self.inner = inner }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        Progress.clearLine()
        inner.log(event: event)
    }
}
