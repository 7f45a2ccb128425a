import Foundation
import Ingest

/// What happened to one file.
public struct LoadResult: Sendable {
    public enum Status: String, Sendable {
        case loaded, skipped, failed
        case dryRun = "dry-run"
    }
    public var feed: String
    public var file: String
    /// The CSV file read from a ZIP archive `file` is, by its name in the archive.
    public var entry: String?
    /// The file as rejects name it: `file`, with the entry read from it.
    public var source: String { FileProbe.name(file, entry: entry) }
    public var status: Status
    public var batchID: Int64?
    public var rowsRead = 0
    public var rowsLoaded = 0
    public var rowsRejected = 0
    /// Rows outside the werkgebied, left out on purpose (only_werkgebied).
    public var rowsSkipped = 0
    /// Rows a `where` filter left out.
    public var rowsFiltered = 0
    public var bytes = 0
    public var seconds = 0.0
    /// The first rejects (all of them up to a limit), for printing.
    public var rejects: [Reject] = []
    /// File columns the spec does not keep: never stored.
    public var droppedColumns: [String] = []
    /// Personal data replaced in free text, per kind.
    public var personalData: [String: Int] = [:]
    /// What is worth telling about the file that is no reject (suspected mojibake).
    public var warnings: [String] = []
    /// Earlier batches of the feed whose rows this load removed.
    public var replaced: [Replacement] = []
    /// Why it failed, or which batch it duplicates.
    public var message: String?
    /// The error's kind when it failed.
    public var errorCode: WarehouseError.Code?

    public init(feed: String, file: String, status: Status) {
        self.feed = feed
        self.file = file
        self.status = status
    }

    /// Whether the next file cannot be loaded either: another load holds the target, the run was
    /// interrupted, or the connection is gone.
    public var stopsTheRun: Bool { [.locked, .interrupted, .connectionLost].contains(errorCode) }

    /// Marks the file failed, with why.
    mutating func fail(_ code: WarehouseError.Code?, _ message: String) {
        status = .failed
        errorCode = code
        self.message = message
    }
}

/// Rows a load removed from an earlier batch of its feed.
public struct Replacement: Sendable, Equatable, CustomStringConvertible {
    public var batchID: Int64
    public var feed: String
    public var rows: Int
    /// `replaced` (every row gone) or `partly replaced`.
    public var status: String

    public var description: String { "replaced \(rows) rows of batch \(batchID), feed \(feed) (now \(status))" }
}

/// Options of one load.
public struct LoadOptions: Sendable {
    /// Overrides the spec's max_rejects.
    public var maxRejects: RejectLimit?
    /// Reload a file already loaded, replacing its rows.
    public var force = false
    /// How long to wait for another load into the same target to finish (0: fail at once, exit 75).
    public var waitSeconds: TimeInterval = 0
    /// Let a replace shrink a scope beyond the spec's `max_shrink`.
    public var allowShrink = false
    /// Read, convert and validate only; write nothing.
    public var dryRun = false
    /// How many rejects to keep in the result for printing.
    public var keepRejects = 1000
    /// Rows per chunk: staged and merged while the next chunk is read.
    public var chunkRows = 100_000
    /// Asked now and then; when it returns true the load stops and rolls back.
    public var shouldStop: (@Sendable () -> Bool)?
    /// Called now and then with bytes read and rows read.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init() {}
}
