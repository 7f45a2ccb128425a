import Foundation
import Postgres
import Testing
import TestSupport

@Suite(.ownThread) struct CopyTests {
    @Test func streamsOneHundredThousandRowsInOddChunks() throws {
        try withTestConnection { db throws in
            try db.execute("create table c (id int primary key, label text, amount numeric(14,2))")
            var payload: [UInt8] = []
            for i in 1...100_000 {
                payload.append(contentsOf: Array("\(i)\tregel \(i) é;\"x\"\t\(i / 100).\(String(format: "%02d", i % 100))\n".utf8))
            }
            var offset = 0
            let chunkSizes = [1, 7, 4093, 65_537, 13, 999]
            let count = try db.copyIn("copy c from stdin", bufferSize: 8191) { writer in
                var k = 0
                while offset < payload.count {
                    let size = min(chunkSizes[k % chunkSizes.count], payload.count - offset)
                    try payload[offset..<(offset + size)].withUnsafeBytes { try writer.write($0) }
                    offset += size
                    k += 1
                }
            }
            #expect(count == 100_000)
            #expect(try db.scalar("select count(*) from c", as: Int.self) == 100_000)
            #expect(try db.scalar("select sum(amount)::text from c", as: String.self) == "50000500.00")
            // Content checksum: what comes back out is byte for byte what went in.
            let back = try db.copyOutString("copy (select * from c order by id) to stdout")
            #expect(back.utf8.count == payload.count)
            #expect(Array(back.utf8) == payload)
        }
    }

    @Test func badValueMidStreamLeavesNothing() throws {
        try withTestConnection { db throws in
            try db.execute("create table c (id int, amount numeric(14,2))")
            do {
                try db.copyIn("copy c from stdin") { writer in
                    for i in 1...50_000 { try writer.write("\(i)\t1.00\n") }
                    try writer.write("50001\tnot-a-number\n")
                    for i in 50_002...60_000 { try writer.write("\(i)\t1.00\n") }
                }
                Issue.record("COPY with a bad value succeeded")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22P02")
                #expect(error.context?.contains("line 50001") == true)
            }
            #expect(try db.scalar("select count(*) from c", as: Int.self) == 0)
            // The connection is usable afterwards.
            #expect(try db.scalar("select 1", as: Int.self) == 1)
        }
    }

    @Test func clientAbortRollsBackAndRethrows() throws {
        try withTestConnection { db throws in
            try db.execute("create table c (id int)")
            struct ReaderFailed: Error {}
            #expect(throws: ReaderFailed.self) {
                try db.copyIn("copy c from stdin") { writer in
                    for i in 1...1000 { try writer.write("\(i)\n") }
                    throw ReaderFailed()
                }
            }
            #expect(try db.scalar("select count(*) from c", as: Int.self) == 0)
            #expect(try db.scalar("select 1", as: Int.self) == 1)
        }
    }

    @Test func copyIntoMissingTableThrows() throws {
        try withTestConnection { db throws in
            #expect(throws: PostgresError.self) {
                try db.copyIn("copy nope from stdin") { _ in }
            }
            let two = try db.scalar("select 2", as: Int.self)
            #expect(two == 2)
        }
    }
}
