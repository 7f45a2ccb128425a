import Foundation

/// Reads another source's records on a thread of its own, a few batches ahead, while the caller
/// converts the records before them. Reading and decoding are about a quarter of a load's client
/// time; with a core to spare they overlap with the conversion. Records, a read error and the end
/// come out in the file's order, exactly as the inner source gives them; at most `depth` batches of
/// `batchSize` records wait, so memory stays bounded whatever the file's size.
package struct PrefetchingSource: RecordSource {
    package let header: [String]
    package let headerFromFile: Bool
    /// Bytes the inner source had read when it gave the batch now being handed out.
    package private(set) var bytesRead = 0
    /// Known once the end (or a read error) has been handed out.
    package var undeclared: [String] { owner.pipe.ended?.undeclared ?? [] }
    package var warnings: [String] { owner.pipe.ended?.warnings ?? [] }

    private let owner: Owner
    /// The batch being handed out, last record first (`popLast` moves a record out).
    private var batch: [SourceRecord] = []
    private var over = false

    package init(_ source: any RecordSource, batchSize: Int = 512, depth: Int = 4) {
        header = source.header
        headerFromFile = source.headerFromFile
        let pipe = Pipe(source: source, batchSize: max(batchSize, 1), depth: max(depth, 1))
        owner = Owner(pipe: pipe)
        let thread = Thread { pipe.produce() }
        // The inner source may recurse (a JSON value's parser): the main thread's stack, not 512 KiB.
        thread.stackSize = 8 << 20
        thread.name = "leefbaar-read"
        thread.start()
    }

    package mutating func next() throws -> SourceRecord? {
        if let record = batch.popLast() { return record }
        guard !over else { return nil }
        switch owner.pipe.take() {
        case .batch(let records, let bytes):
            batch = records
            bytesRead = bytes
            return batch.popLast()
        case .failure(let error):
            over = true
            throw error
        case .end(let bytes):
            over = true
            bytesRead = bytes
            return nil
        }
    }

    /// Stops the reading thread when the caller lets go of the source (the end, an error, an
    /// interruption) and waits for it, so the inner source (its file handle, a workbook's temporary
    /// file) is closed then, on the caller's thread, and not whenever the reading thread ends.
    private final class Owner: Sendable {
        let pipe: Pipe
        init(pipe: Pipe) { self.pipe = pipe }
        deinit { pipe.close() }
    }

    private enum Item {
        case batch([SourceRecord], bytesRead: Int)
        case failure(any Error)
        case end(bytesRead: Int)
    }

    /// The queue between the reading thread and the caller. Everything in it is guarded by
    /// `condition`; the inner source is touched only by the reading thread until it has ended.
    private final class Pipe: @unchecked Sendable {
        private let condition = NSCondition()
        private var queue: [Item] = []
        private var cancelled = false
        private var finished = false
        private var source: (any RecordSource)?
        private let batchSize: Int
        private let depth: Int

        init(source: any RecordSource, batchSize: Int, depth: Int) {
            self.source = source
            self.batchSize = batchSize
            self.depth = depth
        }

        /// The inner source, once the reading thread is done with it.
        var ended: (any RecordSource)? {
            condition.lock()
            defer { condition.unlock() }
            return finished ? source : nil
        }

        /// The reading thread's loop.
        func produce() {
            while true {
                var records: [SourceRecord] = []
                records.reserveCapacity(batchSize)
                var failure: (any Error)?
                do {
                    while records.count < batchSize, let record = try source?.next() { records.append(record) }
                } catch {
                    failure = error
                }
                let last = failure != nil || records.count < batchSize
                records.reverse()
                condition.lock()
                while queue.count >= depth && !cancelled { condition.wait() }
                if cancelled {
                    finished = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let bytes = source?.bytesRead ?? 0
                if !records.isEmpty { queue.append(.batch(records, bytesRead: bytes)) }
                if let failure {
                    queue.append(.failure(failure))
                } else if last {
                    queue.append(.end(bytesRead: bytes))
                }
                finished = last
                condition.broadcast()
                condition.unlock()
                if last { return }
            }
        }

        /// The next item, waiting for the reading thread when none is ready.
        func take() -> Item {
            condition.lock()
            defer { condition.unlock() }
            while queue.isEmpty { condition.wait() }
            let item = queue.removeFirst()
            condition.broadcast()
            return item
        }

        /// Stops the reading thread, waits until it has, and lets go of the inner source.
        func close() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while !finished { condition.wait() }
            let inner = source
            source = nil
            condition.unlock()
            _ = consume inner
        }
    }
}
