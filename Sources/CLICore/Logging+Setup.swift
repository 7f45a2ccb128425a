import Foundation
import Logging

/// Log output of the executables: human lines or one JSON object per line, on standard error.
public enum LogFormat: String, CaseIterable, Sendable {
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
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
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
        var object: [String: String] = ["time": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
                                        "message": event.message.description, "logger": label]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[k] = "\(v)" }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            FileHandle.standardError.write(data + Data("\n".utf8))
        }
    }
}
