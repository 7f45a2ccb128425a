import Foundation

/// A one-line progress display on a terminal: rows, MB/s, ETA. Silent when stderr is not a TTY.
public final class Progress: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let started = Date()
    private var last = Date.distantPast
    private let lock = NSLock()
    public let enabled: Bool

    public init(label: String, totalBytes: Int) {
        self.label = label
        total = totalBytes
        enabled = isatty(2) == 1
    }

    /// Whether a progress line stands on the terminal now (log lines clear it first).
    nonisolated(unsafe) static var lineShown = false
    static let lineLock = NSLock()

    /// Clears the progress line, if one is shown, so a log line starts on a clean line.
    static func clearLine() {
        lineLock.lock()
        defer { lineLock.unlock() }
        guard lineShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        lineShown = false
    }

    public func update(bytes: Int, rows: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.2 else { return }
        last = now
        let seconds = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(bytes) / seconds
        let eta = rate > 0 ? Double(total - bytes) / rate : 0
        let percent = total > 0 ? Double(bytes) * 100 / Double(total) : 100
        let grouped = rows.formatted(.number.grouping(.automatic).locale(Locale(identifier: "nl_NL")))
        let line = String(format: "\r\u{1B}[K%@  %5.1f%%  %@ rows  %.1f MB/s  ETA %.0fs", label, percent, grouped, rate / 1_000_000, max(eta, 0))
        Progress.lineLock.lock()
        FileHandle.standardError.write(Data(line.utf8))
        Progress.lineShown = true
        Progress.lineLock.unlock()
    }

    public func finish() {
        guard enabled else { return }
        Progress.clearLine()
    }
}
