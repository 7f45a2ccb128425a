import CLICore
import Foundation
import Postgres
import Testing
import TestSupport

/// What an unattended job meets: SIGKILL, SIGTERM, the server going away. Nothing of an
/// unfinished file may stay; the next run loads it exactly once. Each test has its own database
/// (the server-stop test its own cluster), so they run alongside the rest of the suite.
@Suite(.ownThread) struct FaultTests {
    static let lines = 60_000
    static let ledger =
        "Boekdatum;Dagboek;Boekstuk;Regel;Gemeente;Inzet;Bedrag\n"
        + (1...lines).map { "0\($0 % 9 + 1)-03-2019;MEM;2019-\($0 / 20);\($0);\($0 % 2 == 0 ? "Assen" : "Meppel");basis;10,00" }.joined(separator: "\n") + "\n"

    func totals(_ db: Connection) throws -> String {
        try db.scalar(
            "select count(*) || '/' || count(distinct (gemeente_code, journal, document, line_no)) || '/' || sum(amount) from core.spending", as: String.self)
            ?? ""
    }
    static let expected = "\(lines)/\(lines)/\(lines * 10).00"

    func file() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grootboek-fault-\(UUID().uuidString).csv")
        try Self.ledger.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A replace exchanges the year's partition inside its transaction: a reader sees the old year
    /// or the new one (it waits while the exchange holds its lock), never a mix, in the ledger
    /// lines and in the summary the reports read.
    @Test func readersDuringAReplaceSeeTheOldOrTheNewYearNeverAMix() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let old = try file()
            let corrected = FileManager.default.temporaryDirectory.appendingPathComponent("grootboek-fault-\(UUID().uuidString).csv")
            try Self.ledger.replacingOccurrences(of: ";10,00\n", with: ";20,00\n").write(to: corrected, atomically: true, encoding: .utf8)
            defer { for url in [old, corrected] { try? FileManager.default.removeItem(at: url) } }
            #expect(try runTool("leefbaar-etl", ["load", "--feed", "ledger", old.path], environment: env).status == 0)
            let db = try cluster.connect(database: name)
            let load = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", corrected.path], environment: env)
            var seen = Set<String>()
            var looks = 0
            while load.process.isRunning && looks < 100_000 {
                looks += 1
                seen.insert("lines " + (try totals(db)))
                seen.insert("summary " + (try db.scalar("select sum(lines) || '/' || sum(amount) from rpt.spending_summary", as: String.self) ?? ""))
            }
            #expect(load.wait().status == 0)
            let before: Set = ["lines \(Self.expected)", "summary \(Self.lines)/\(Self.lines * 10).00"]
            let after: Set = ["lines \(Self.lines)/\(Self.lines)/\(Self.lines * 20).00", "summary \(Self.lines)/\(Self.lines * 20).00"]
            #expect(seen.isSubset(of: before.union(after)), "\(seen.sorted())")
            #expect(looks > 1)
            #expect(try totals(db) == "\(Self.lines)/\(Self.lines)/\(Self.lines * 20).00")
        }
    }

    @Test func killNineAtTenPointsLeavesNothingAndTheRerunIsExact() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let url = try file()
            defer { try? FileManager.default.removeItem(at: url) }
            let db = try cluster.connect(database: name)
            let started = Date()
            #expect(try runTool("leefbaar-etl", ["load", "--feed", "ledger", url.path], environment: env).status == 0)
            let duration = Date().timeIntervalSince(started)
            #expect(try totals(db) == Self.expected)
            var outcomes: [String] = []
            for i in 0..<10 {
                let at = duration * (0.05 + 0.09 * Double(i))
                let before = try db.scalar("select max(batch_id) from etl.batch", as: Int64.self) ?? 0
                let load = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", url.path, "--force"], environment: env)
                Thread.sleep(forTimeInterval: at)
                load.signal(SIGKILL)
                let killed = load.wait()
                let newest = try db.execute("select batch_id, status from etl.batch order by batch_id desc limit 1")[0]
                let id: Int64 = try newest.decode(0)
                let status: String = try newest.decode(1)
                // On a busy machine the last points can come after the load finished: then it is loaded whole.
                #expect(killed.status != 0 || status == "loaded")
                let rows = try db.scalar("select count(*) from core.spending where batch_id = $1", [id], as: Int.self) ?? -1
                if id > before {
                    #expect(rows == 0 || status == "loaded", "killed batch \(id) left \(rows) rows")
                }
                // The previous copy is untouched while the killed one rolled back.
                #expect(try totals(db) == Self.expected || status == "loaded")
                // A killed client's backend can outlive it for a moment (busy in a statement); once it is
                // gone, the next run, load or `batches` marks the batch failed and drops its staging tables.
                var after = id > before ? try db.scalar("select status from etl.batch where batch_id = $1", [id], as: String.self) ?? "?" : "-"
                var waited = 0
                while after == "running" && waited < 240 {
                    Thread.sleep(forTimeInterval: 0.25)
                    waited += 1
                    _ = try runTool("leefbaar-etl", ["batches", "--limit", "1"], environment: env)
                    after = try db.scalar("select status from etl.batch where batch_id = $1", [id], as: String.self) ?? "?"
                }
                if id > before && status == "running" { #expect(after == "failed") }
                #expect(try totals(db) == Self.expected)
                // After a kill in the first half and after the last, the file is loaded again whole
                // (the killed backend may still hold the table's load lock: --wait).
                if i == 4 || i == 9 {
                    let rerun = try runTool("leefbaar-etl", ["load", "--feed", "ledger", url.path, "--force", "--wait", "60"], environment: env)
                    #expect(rerun.status == 0, "\(rerun.stderr)")
                    #expect(try totals(db) == Self.expected)
                }
                outcomes.append(
                    String(
                        format: "kill %2d at %.2fs: batch %@ was %@ with %d rows in core; then %@, totals %@",
                        i + 1, at, id > before ? String(id) : "none yet", status, rows, after, try totals(db)))
                // The killed load's staging tables were dropped when its batch was found abandoned.
                #expect(try db.scalar("select count(*) from pg_tables where schemaname = 'staging'", as: Int.self) == 0)
            }
            print(outcomes.joined(separator: "\n"))
            #expect(try db.scalar("select count(*) from etl.batch where status = 'running'", as: Int.self) == 0)
        }
    }

    @Test func sigtermRollsBackAndExitsPromptly() throws {
        try withTestDatabase { cluster, name throws in
            let env = ["DATABASE_URL": cluster.conninfo(database: name)]
            #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
            let url = try file()
            defer { try? FileManager.default.removeItem(at: url) }
            // Started with SIGTERM blocked, as Foundation's `Process` passes a dispatch thread's mask on:
            // the tool unblocks what it handles.
            var term = sigset_t()
            var saved = sigset_t()
            sigemptyset(&term)
            sigaddset(&term, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &term, &saved)
            let load = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", url.path], environment: env)
            pthread_sigmask(SIG_SETMASK, &saved, nil)
            Thread.sleep(forTimeInterval: 1.0)
            let signalled = Date()
            load.signal(SIGTERM)
            let result = load.wait()
            #expect(Date().timeIntervalSince(signalled) < 5)
            #expect(result.status == 130, "\(result.stderr)")
            #expect(result.stderr.contains("SIGTERM received: rolling back"))
            let db = try cluster.connect(database: name)
            #expect(try db.scalar("select status from etl.batch", as: String.self) == "failed")
            #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 0)
            #expect(try runTool("leefbaar-etl", ["load", "--feed", "ledger", url.path], environment: env).status == 0)
            #expect(try totals(db) == Self.expected)
        }
    }

    @Test func serverStoppedMidLoadThenTheNextRunLoadsExactly() throws {
        let cluster = try TemporaryCluster()
        defer { cluster.destroy() }
        let name = try cluster.createDatabase(prefix: "stop")
        let env = ["DATABASE_URL": cluster.conninfo(database: name)]
        #expect(try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0)
        let inbox = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: inbox) }
        try Self.ledger.write(to: inbox.appendingPathComponent("grootboek-2019.csv"), atomically: true, encoding: .utf8)
        let run = try RunningTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0"], environment: env)
        Thread.sleep(forTimeInterval: 1.0)
        try cluster.stop(mode: "immediate")
        let result = run.wait()
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        // The file did nothing wrong: it stays in the inbox (not in failed/) for the next run.
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("grootboek-2019.csv").path))
        #expect(!FileManager.default.fileExists(atPath: inbox.appendingPathComponent("failed/grootboek-2019.csv").path))
        #expect(result.stdout.contains("grootboek-2019.csv: left alone — left for the next run (database connection lost)"), "\(result.stdout)")
        try cluster.start()
        let again = try runTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        let db = try cluster.connect(database: name)
        #expect(try totals(db) == Self.expected)
        #expect(try db.scalar("select string_agg(status, ',' order by batch_id) from etl.batch", as: String.self) == "failed,loaded")
        #expect(try db.scalar("select error from etl.batch where batch_id = 1", as: String.self)?.hasPrefix("abandoned") == true)
    }
}

/// The handlers are in place when `Interruption` returns: a signal right after it is seen, not
/// dropped while a handler is still being registered elsewhere.
@Suite(.ownThread) struct InterruptionTests {
    @Test func aSignalRightAfterTheHandlersAreInstalledIsSeen() {
        for sig in [SIGTERM, SIGINT, SIGTERM] {
            let interruption = Interruption(connection: nil)
            #expect(!interruption.requested)
            raise(sig)
            #expect(interruption.requested, "signal \(sig) was not seen")
        }
    }
}
