import Foundation
import Ingest
import Logging
import Postgres

/// One scheduled run over an inbox folder: files matched to feeds by name, loaded in dependency
/// order, then archived (loaded or already loaded) or moved to `failed/` with an error note.
public struct InboxRun {
    /// The advisory lock one run holds ("LBRUNNER").
    public static let lockKey: Int64 = 0x4C42_5255_4E4E_4552

    /// What happened to one file of the inbox.
    public struct FileOutcome: Sendable {
        public enum Action: String, Sendable {
            case archived, failed
            case leftAlone = "left alone"
            case interrupted
        }
        public var file: String
        public var feed: String?
        public var action: Action
        public var note: String?
        public var result: LoadResult?
    }

    let connection: Connection
    let specs: [FeedSpec]
    let inbox: String
    let logger: Logger
    /// Files modified less than this many seconds ago are still being written.
    public var settleSeconds: TimeInterval = 5
    public var loadOptions = LoadOptions()
    /// A progress display per file (name, size in bytes): an update function and a finish function.
    public var makeProgress: ((String, Int) -> (update: @Sendable (Int, Int) -> Void, finish: () -> Void))?
    /// The date folder for archived files (default: today).
    public var today = Date()

    public init(connection: Connection, specs: [FeedSpec], inbox: String, logger: Logger) {
        self.connection = connection
        self.specs = specs
        self.inbox = inbox
        self.logger = logger
    }

    /// Waits up to `wait` seconds for the run lock; throws `.locked` when another run holds it.
    public func lock(wait: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(wait)
        while try !connection.tryAdvisoryLock(InboxRun.lockKey) {
            guard Date() < deadline else {
                throw WarehouseError(
                    .locked, "another leefbaar-etl run holds the lock (advisory lock \(InboxRun.lockKey)); try again later or pass --wait SECONDS")
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    /// The inbox files with their feed, in load order; unknown and unsettled files separately.
    public func plan() throws -> (load: [(String, FeedSpec)], leftAlone: [FileOutcome]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: inbox) else {
            throw WarehouseError(.missingFile, "cannot read the inbox \(inbox)")
        }
        var load: [(String, FeedSpec)] = []
        var left: [FileOutcome] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = inbox + "/" + name
            // lstat: a link is never followed, a FIFO or device never opened (it could block or leak).
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            if let kind = nonRegularKind(info.st_mode) {
                left.append(FileOutcome(file: name, action: .leftAlone, note: "\(kind), not a regular file: never opened"))
                continue
            }
            if name.hasSuffix(".part") || name.hasSuffix(".error.txt") {
                left.append(FileOutcome(file: name, action: .leftAlone, note: name.hasSuffix(".part") ? "still being written (.part)" : "error note"))
                continue
            }
            let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
            if Date().timeIntervalSince(modified) < settleSeconds {
                left.append(
                    FileOutcome(file: name, action: .leftAlone, note: "still being written (modified \(Int(Date().timeIntervalSince(modified))) s ago)"))
                continue
            }
            guard let spec = specs.first(where: { InboxRun.takes($0, name) }) else {
                left.append(FileOutcome(file: name, action: .leftAlone, note: "no feed's file_pattern matches"))
                continue
            }
            load.append((name, spec))
        }
        load.sort { ($0.1.order, $0.0) < ($1.1.order, $1.0) }
        return (load, left)
    }

    /// Text with control characters (newlines, tabs, escapes) written as `\n`, `\u{1B}`: safe in
    /// a note, a log line or a table, whatever a file name holds.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Shell-style glob (`*`, `?`), case-insensitive, on the file name.
    public static func matches(_ name: String, pattern: String) -> Bool {
        fnmatch(pattern.lowercased(), name.lowercased(), 0) == 0
    }

    /// Whether one of a feed's `file_pattern`s matches the file name.
    public static func takes(_ spec: FeedSpec, _ name: String) -> Bool {
        spec.filePatterns.contains { matches(name, pattern: $0) }
    }

    /// Runs the plan: loads, archives, fails. Stops early when the database is gone or a stop is asked.
    public func run() throws -> [FileOutcome] {
        try BatchJanitor.failAbandoned(connection).forEach {
            logger.warning("batch \($0) was abandoned by its process; marked failed", metadata: ["batch": "\($0)"])
        }
        let (toLoad, left) = try plan()
        var outcomes = left
        for outcome in left {
            logger.warning(
                "left alone: \(InboxRun.escaped(outcome.file))", metadata: ["file": "\(InboxRun.escaped(outcome.file))", "reason": "\(outcome.note ?? "")"])
        }
        var touched = Set<String>()
        for (index, (name, spec)) in toLoad.enumerated() {
            let path = inbox + "/" + name
            var outcome = FileOutcome(file: name, feed: spec.name, action: .archived)
            var options = loadOptions
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let display = makeProgress?(name, size)
            if let display { options.progress = display.update }
            let result = Loader(connection: connection, spec: spec, logger: logger).load(file: path, options: options)
            display?.finish()
            outcome.result = result
            outcome.note = result.message
            let notReached = { (why: String) in
                toLoad.dropFirst(index + 1).map { FileOutcome(file: $0.0, feed: $0.1.name, action: .leftAlone, note: "not reached (\(why))") }
            }
            switch result.errorCode {
            case .interrupted?:
                outcome.action = .interrupted
                return outcomes + [outcome] + notReached("interrupted")
            case .connectionLost?:
                // Nothing is wrong with the file and nothing of it was committed: it stays in the
                // inbox for the next run, like those not reached.
                outcome.action = .leftAlone
                outcome.note = "left for the next run (database connection lost): \(result.message ?? "")"
                logger.error("database connection lost; stopping", metadata: ["file": "\(InboxRun.escaped(name))"])
                return outcomes + [outcome] + notReached("database connection lost")
            case .locked?, .fileChanged?:
                // A load started by hand holds the target, or the file is still being written: it
                // waits for the next run.
                outcome.action = .leftAlone
                logger.warning("left for the next run: \(InboxRun.escaped(name))", metadata: ["reason": "\(result.message ?? "")"])
            case _ where !FileManager.default.fileExists(atPath: path):
                outcome.action = .leftAlone
                outcome.note = result.message ?? "vanished before it was loaded"
                logger.warning("left for the next run: \(InboxRun.escaped(name))", metadata: ["reason": "\(outcome.note ?? "")"])
            case _ where result.status == .failed:
                outcome.action = .failed
                try fail(name, result: result)
            default:
                if result.status == .loaded {
                    touched.insert(spec.target)
                    touched.formUnion(spec.extraTargets)
                }
                try archive(name)
            }
            outcomes.append(outcome)
        }
        for table in touched.sorted() {
            try connection.execute("analyze \(table)")
        }
        return outcomes
    }

    private func archive(_ name: String) throws {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        try move(name, to: inbox + "/archive/" + formatter.string(from: today))
    }

    private func fail(_ name: String, result: LoadResult) throws {
        let folder = inbox + "/failed"
        let moved = try move(name, to: folder)
        // Names and messages are escaped: a newline in a file name cannot forge a line of the note.
        let note = """
            file: \(InboxRun.escaped(name))
            feed: \(result.feed)
            batch: \(result.batchID.map(String.init) ?? "none")
            failed at: \(ISO8601DateFormatter().string(from: Date()))
            reason: \(InboxRun.escaped(result.message ?? "unknown"))
            rows read: \(result.rowsRead), rejected: \(result.rowsRejected)
            \(result.batchID.map { "rejects: leefbaar-etl rejects \($0)" } ?? "")
            To load it again, fix it and move it back into the inbox.

            """
        try note.write(toFile: folder + "/" + moved + ".error.txt", atomically: true, encoding: .utf8)
    }

    /// Moves a file into a folder (made when missing); a name already there gets a numbered suffix.
    @discardableResult
    private func move(_ name: String, to folder: String) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var target = name
        var n = 1
        while fm.fileExists(atPath: folder + "/" + target) {
            n += 1
            target = name + "." + String(n)
        }
        try fm.moveItem(atPath: inbox + "/" + name, toPath: folder + "/" + target)
        return target
    }
}
