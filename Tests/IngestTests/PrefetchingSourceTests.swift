import Foundation
import Synchronization
import Testing

@testable import Ingest

/// Records read ahead on a second thread come out as the inner source gives them: every record in
/// order, a read error after the records before it, the end once; and the reading stops when the
/// caller lets go.
@Suite struct PrefetchingSourceTests {
    /// Gives `count` numbered records, then fails (when `failAfter`) or ends; counts its calls.
    struct Numbered: RecordSource {
        struct Broken: Error, Equatable { let at: Int }
        let count: Int
        let failAfter: Bool
        let calls: Calls
        var given = 0
        var header: [String] { ["n"] }
        var headerFromFile: Bool { true }
        var bytesRead: Int { given * 10 }
        var undeclared: [String] { ["extra-\(given)"] }
        var warnings: [String] { ["read \(given)"] }

        final class Calls: Sendable {
            let value = Atomic<Int>(0)
        }

        mutating func next() throws -> SourceRecord? {
            calls.value.add(1, ordering: .relaxed)
            guard given < count else {
                if failAfter { throw Broken(at: given) }
                return nil
            }
            given += 1
            return SourceRecord(line: given + 1, fields: [String(given)], problem: nil, rawBytes: Array("\(given)".utf8), rawEncoding: .utf8)
        }
    }

    @Test(arguments: [0, 1, 511, 512, 513, 5_000])
    func everyRecordInOrderThenTheEnd(count: Int) throws {
        var source = PrefetchingSource(Numbered(count: count, failAfter: false, calls: .init()), batchSize: 512, depth: 2)
        #expect(source.header == ["n"] && source.headerFromFile)
        var seen: [Int] = []
        while let record = try source.next() {
            seen.append(Int(record.fields[0] ?? "") ?? -1)
            #expect(record.line == seen.count + 1)
            #expect(source.bytesRead >= seen.count * 10)
        }
        #expect(seen == Array(stride(from: 1, through: count, by: 1)))
        #expect(source.bytesRead == count * 10)
        // What the inner source knows at its end is passed on.
        #expect(source.undeclared == ["extra-\(count)"])
        #expect(source.warnings == ["read \(count)"])
        #expect(try source.next() == nil)
    }

    @Test(arguments: [0, 700, 1_024])
    func aReadErrorComesAfterTheRecordsBeforeIt(count: Int) throws {
        var source = PrefetchingSource(Numbered(count: count, failAfter: true, calls: .init()), batchSize: 512, depth: 2)
        var seen = 0
        #expect(throws: Numbered.Broken(at: count)) {
            while try source.next() != nil { seen += 1 }
        }
        #expect(seen == count)
    }

    /// Letting go of the source (mid-file or at its end) stops the reading thread and releases the
    /// inner source at once, on the caller's thread: its file handle, or a workbook's temporary
    /// file, is closed before the load goes on (or the process exits).
    @Test(arguments: [10_000_000, 700])
    func lettingGoStopsTheThreadAndReleasesTheSourceAtOnce(count: Int) throws {
        let calls = Numbered.Calls()
        weak var held: Numbered.Calls?
        do {
            var source = PrefetchingSource(Numbered(count: count, failAfter: false, calls: calls), batchSize: 100, depth: 2)
            #expect(try source.next()?.line == 2)
            if count < 1_000 {
                while try source.next() != nil {}
            }
        }
        held = calls
        _ = consume calls
        // Only the inner source still held the counter.
        #expect(held == nil, "the inner source outlived the prefetching source")
    }
}
