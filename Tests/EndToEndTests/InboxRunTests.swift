import Foundation
import Postgres
import Testing
import TestSupport

/// `leefbaar-etl run --inbox`: what a nightly timer runs.
@Suite(.ownThread) struct InboxRunTests {
    static let header = "Boekdatum;Dagboek;Boekstuk;Regel;Gemeente;Inzet;Bedrag\n"

    static func ledger(year: Int, lines: Int, gemeente: String = "Assen") -> String {
        header + (1...lines).map { "0\($0 % 9 + 1)-03-\(year);MEM;\(year)-\($0 / 20);\($0);\(gemeente);basis;10,00" }.joined(separator: "\n") + "\n"
    }

    /// Migrates the database and makes an empty inbox folder.
    static func migratedWithInbox(_ cluster: TemporaryCluster, _ name: String) throws -> ([String: String], URL) {
        let env = ["DATABASE_URL": cluster.conninfo(database: name)]
        guard try runTool("leefbaar-etl", ["migrate"], environment: env).status == 0 else { throw ClusterError("migrate failed") }
        let inbox = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        return (env, inbox)
    }

    @Test func inboxArchivesLoadedFailsBadAndLeavesUnknown() throws {
        try withTestDatabase { cluster, name throws in
            let (env, inbox) = try Self.migratedWithInbox(cluster, name)
            defer { try? FileManager.default.removeItem(at: inbox) }
            func put(_ file: String, _ text: String) throws { try text.write(to: inbox.appendingPathComponent(file), atomically: true, encoding: .utf8) }
            let areas = "Code;Naam;Jaar\nGM0106;Assen;2019\nWK010601;Centrum;2019\nBU01060101;Binnenstad;2019\n"
            try put("gebieden-2019.csv", areas)
            try put("gebieden-kopie.csv", areas)  // the same bytes: already loaded
            try put("grootboek-2019.csv", Self.ledger(year: 2019, lines: 40))
            try put("grootboek-2018.csv", "Boekdatum;Dagboek;Regel\n01-01-2018;MEM;1\n")  // no Bedrag column
            try put("notities.txt", "not a feed")
            try put("grootboek-2020.csv.part", Self.ledger(year: 2020, lines: 3))
            // A Leefbaarometer download as published: a ZIP archive the feed's second file_pattern takes.
            try FileManager.default.copyItem(
                at: packageRoot().appendingPathComponent("Tests/Fixtures/real/leefbaarometer-download.zip"),
                to: inbox.appendingPathComponent("leefbaarometer-2019.zip"))
            let summary = inbox.appendingPathComponent("summary.json").path
            let result = try runTool(
                "leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0", "--log-format", "json", "--summary-json", summary], environment: env)
            #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
            let fm = FileManager.default
            let day = try #require(try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("archive").path).first)
            #expect(day.count == 10 && day.hasPrefix("20"))
            #expect(
                try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("archive/\(day)").path).sorted()
                    == ["gebieden-2019.csv", "gebieden-kopie.csv", "grootboek-2019.csv", "leefbaarometer-2019.zip"])
            #expect(
                try fm.contentsOfDirectory(atPath: inbox.appendingPathComponent("failed").path).sorted()
                    == ["grootboek-2018.csv", "grootboek-2018.csv.error.txt"])
            let note = try String(contentsOf: inbox.appendingPathComponent("failed/grootboek-2018.csv.error.txt"), encoding: .utf8)
            #expect(note.contains("feed: ledger"))
            #expect(note.contains("reason: \(inbox.path)/grootboek-2018.csv:1: header lacks required column Boekstuk or Document"))
            #expect(note.range(of: #"batch: \d+"#, options: .regularExpression) != nil)
            #expect(
                try fm.contentsOfDirectory(atPath: inbox.path).sorted() == ["archive", "failed", "grootboek-2020.csv.part", "notities.txt", "summary.json"])
            #expect(result.stdout.contains("notities.txt: left alone — no feed's file_pattern matches"))
            // JSON log lines for the scheduler.
            // Counts are numbers; a failed file is logged at error, a file left alone at warning.
            let logLines = result.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(logLines.contains { $0["message"] as? String == "run finished" && $0["exit"] as? Int == 1 && $0["failed"] as? Int == 1 })
            #expect(logLines.contains { $0["feed"] as? String == "ledger" && $0["loaded"] as? Int == 40 && $0["level"] as? String == "info" })
            #expect(logLines.contains { ($0["message"] as? String)?.hasPrefix("failed ") == true && $0["level"] as? String == "error" })
            #expect(logLines.contains { ($0["message"] as? String)?.hasPrefix("left alone: notities.txt") == true && $0["level"] as? String == "warning" })
            let db = try cluster.connect(database: name)
            #expect(try db.scalar("select count(*) || '/' || sum(amount) from core.spending", as: String.self) == "40/400.00")
            #expect(try db.scalar("select count(*) from core.leefbaarometer_score", as: Int.self) ?? 0 > 0)
            #expect(try db.scalar("select count(*) from core.area", as: Int.self) == 3)
            #expect(
                try db.scalar("select string_agg(feed || ':' || status, ',' order by batch_id) from etl.batch", as: String.self)
                    == "areas:loaded,leefbaarometer:loaded,ledger:failed,ledger:loaded")
            // Fixed and moved back: the next run loads it.
            try fm.removeItem(at: inbox.appendingPathComponent("failed/grootboek-2018.csv"))
            try put("grootboek-2018.csv", Self.ledger(year: 2018, lines: 5))
            let again = try runTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0"], environment: env)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try db.scalar("select count(*) from core.spending", as: Int.self) == 45)
        }
    }

    @Test func twoRunsAtOnceLoadOnce() throws {
        try withTestDatabase { cluster, name throws in
            let (env, inbox) = try Self.migratedWithInbox(cluster, name)
            defer { try? FileManager.default.removeItem(at: inbox) }
            try Self.ledger(year: 2019, lines: 60_000).write(to: inbox.appendingPathComponent("grootboek-2019.csv"), atomically: true, encoding: .utf8)
            let a = try RunningTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0"], environment: env)
            let b = try RunningTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0"], environment: env)
            let results = [a.wait(), b.wait()]
            #expect(results.map(\.status).sorted() == [0, 75], "\(results.map(\.stderr))")
            #expect(results.contains { $0.stderr.contains("another leefbaar-etl run holds the lock") })
            let db = try cluster.connect(database: name)
            #expect(
                try db.scalar("select count(*) || '/' || count(distinct (journal, document, line_no)) from core.spending", as: String.self) == "60000/60000")
            #expect(try db.scalar("select count(*) from etl.batch", as: Int.self) == 1)
            // --wait: a second run waits for the first instead of giving up.
            let lock = try cluster.connect(database: name)
            #expect(try lock.tryAdvisoryLock(0x4C42_5255_4E4E_4552))
            let waiting = try RunningTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0", "--wait", "30"], environment: env)
            Thread.sleep(forTimeInterval: 1)
            #expect(waiting.isRunning)
            try lock.advisoryUnlock(0x4C42_5255_4E4E_4552)
            #expect(waiting.wait().status == 0)
        }
    }

    @Test func twoLoadsOfTheSameYearAtOnceLeaveOneBatch() throws {
        try withTestDatabase { cluster, name throws in
            let (env, inbox) = try Self.migratedWithInbox(cluster, name)
            defer { try? FileManager.default.removeItem(at: inbox) }
            let first = inbox.appendingPathComponent("grootboek-2020-a.csv")
            let second = inbox.appendingPathComponent("grootboek-2020-b.csv")
            try Self.ledger(year: 2020, lines: 60_000).write(to: first, atomically: true, encoding: .utf8)
            try Self.ledger(year: 2020, lines: 60_000).replacingOccurrences(of: ";MEM;", with: ";MEM2;").write(to: second, atomically: true, encoding: .utf8)
            let a = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", first.path], environment: env)
            let b = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", second.path], environment: env)
            let results = [a.wait(), b.wait()]
            #expect(results.map(\.status).sorted() == [0, 75], "\(results.map(\.stderr))")
            #expect(results.contains { $0.stderr.contains("another load into core.spending is running") })
            let db = try cluster.connect(database: name)
            #expect(
                try db.scalar("select count(*) || '/' || count(distinct batch_id) || '/' || sum(amount) from core.spending", as: String.self)
                    == "60000/1/600000.00")
            // With --wait the second load waits, then replaces the first's year: still one batch's rows.
            let c = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", "--force", "--wait", "60", first.path], environment: env)
            let d = try RunningTool("leefbaar-etl", ["load", "--feed", "ledger", "--force", "--wait", "60", second.path], environment: env)
            #expect([c.wait().status, d.wait().status] == [0, 0])
            #expect(
                try db.scalar("select count(*) || '/' || count(distinct batch_id) || '/' || sum(amount) from core.spending", as: String.self)
                    == "60000/1/600000.00")
        }
    }

    @Test func linksFifosAndOddNamesAreNeverOpenedOrEchoed() throws {
        try withTestDatabase { cluster, name throws in
            let (env, inbox) = try Self.migratedWithInbox(cluster, name)
            defer { try? FileManager.default.removeItem(at: inbox) }
            let secret = inbox.deletingLastPathComponent().appendingPathComponent("pgpass-\(UUID().uuidString)")
            try "localhost:5432:*:postgres:s3cr3t-w4chtw00rd\n".write(to: secret, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: secret) }
            try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("grootboek-x.csv").path, withDestinationPath: secret.path)
            #expect(mkfifo(inbox.appendingPathComponent("grootboek-fifo.csv").path, 0o644) == 0)
            // A newline in a name: the note must not gain a forged line.
            try "Boekdatum;Regel\n01-01-2018;1\n".write(
                to: inbox.appendingPathComponent("grootboek-2018\nreason: all fine.csv"), atomically: true, encoding: .utf8)
            try "geheim: s3cr3t-w4chtw00rd\n".write(to: inbox.appendingPathComponent("grootboek-pgpass.csv"), atomically: true, encoding: .utf8)
            let started = Date()
            let result = try runTool("leefbaar-etl", ["run", "--inbox", inbox.path, "--settle", "0"], environment: env)
            #expect(Date().timeIntervalSince(started) < 30)
            #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
            #expect(result.stdout.contains("grootboek-x.csv: left alone — a symbolic link, not a regular file: never opened"), "\(result.stdout)")
            #expect(result.stdout.contains("grootboek-fifo.csv: left alone — a FIFO (named pipe), not a regular file: never opened"))
            let failed = inbox.appendingPathComponent("failed")
            let notes = try FileManager.default.contentsOfDirectory(atPath: failed.path).filter { $0.hasSuffix(".error.txt") }
            #expect(notes.count == 2)
            var all = result.stdout + result.stderr
            for note in notes {
                let text = try String(contentsOf: failed.appendingPathComponent(note), encoding: .utf8)
                all += text
                #expect(!text.split(separator: "\n").contains { $0.hasPrefix("reason: all fine") }, "\(text)")
            }
            #expect(all.contains("grootboek-2018\\nreason: all fine.csv"))
            #expect(!all.contains("s3cr3t-w4chtw00rd"), "\(all)")
            let db = try cluster.connect(database: name)
            #expect(try db.scalar("select count(*) from etl.batch where error like '%s3cr3t%'", as: Int.self) == 0)
            #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("grootboek-x.csv").path))
        }
    }
}
