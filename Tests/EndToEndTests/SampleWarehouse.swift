import Foundation
import Postgres
import TestSupport

/// One database per test process with the sample data set loaded through the CLI and every
/// gemeente and partner registered as a tenant; shared by the report tests (read-only).
final class SampleWarehouse: @unchecked Sendable {
    let cluster: TemporaryCluster
    let database: String
    var env: [String: String] { ["DATABASE_URL": cluster.conninfo(database: database), "LEEFBAAR_HASH_KEY": "report-tests-hash-key"] }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: SampleWarehouse?

    static func shared() throws -> SampleWarehouse {
        lock.lock()
        defer { lock.unlock() }
        if let instance { return instance }
        let made = try SampleWarehouse()
        instance = made
        return made
    }

    private init() throws {
        cluster = try TemporaryCluster.shared()
        database = try cluster.createDatabase(prefix: "sample")
        let env = ["DATABASE_URL": cluster.conninfo(database: database), "LEEFBAAR_HASH_KEY": "report-tests-hash-key"]
        func must(_ args: [String]) throws -> String {
            let r = try runTool("leefbaar-etl", args, environment: env)
            guard r.status == 0 else { throw ClusterError("leefbaar-etl \(args.joined(separator: " ")) failed: \(r.stderr)") }
            return r.stdout
        }
        _ = try must(["migrate"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("warehouse-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try must(["sample", "--out", dir]).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        for g in ["GM0106", "GM1690", "GM0118", "GM0119", "GM1731", "GM1699", "GM0085", "GM1701"] {
            _ = try must(["tenant", "add", "gemeente", g])
        }
        let partners = try String(contentsOfFile: dir + "/partners.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        for line in partners {
            let p = line.split(separator: ";").map(String.init)
            _ = try must(["tenant", "add", "partner", p[0], "--name", p[1]])
        }
        for f in files { _ = try must(["load", "--feed", f[0], f[1]]) }
    }
}
