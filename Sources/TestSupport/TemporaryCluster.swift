import Foundation
import Postgres
#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster: `initdb` into a temporary directory, the server on a unix socket
/// in that directory and a free TCP port on 127.0.0.1, removed when the process exits.
///
/// As root the server runs as the `postgres` system user (initdb refuses root); otherwise as the
/// current user. Binaries come from `pg_config --bindir` or `/usr/lib/postgresql/*/bin`.
public final class TemporaryCluster: Sendable {
    /// The temporary directory holding data, socket and log.
    public let directory: String
    /// The TCP port the server listens on (127.0.0.1) and the socket's port number.
    public let port: Int
    /// The superuser name.
    public let superuser = "postgres"
    /// The directory with `initdb`, `pg_ctl`, `postgres`.
    public let binDirectory: String
    let runAs: String?

    /// The socket directory (use as `host=` for local connections).
    public var socketDirectory: String { directory + "/socket" }
    /// The data directory.
    public var dataDirectory: String { directory + "/data" }

    private static let sharedState = SharedCluster()

    /// The one cluster of this test process, started on first use.
    public static func shared() throws -> TemporaryCluster {
        try sharedState.get()
    }

    /// Starts a new cluster.
    public init() throws {
        binDirectory = try TemporaryCluster.findBinDirectory()
        runAs = geteuid() == 0 ? "postgres" : nil
        var template = Array((NSTemporaryDirectory() + "leefbaar-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ClusterError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        try FileManager.default.createDirectory(atPath: directory + "/socket", withIntermediateDirectories: true)
        if let runAs {
            try TemporaryCluster.chown(directory, to: runAs)
            try TemporaryCluster.chown(directory + "/socket", to: runAs)
        }
        let (bin, user, dir) = (binDirectory, runAs, directory)
        let tool = { (name: String, args: [String]) throws -> Void in
            _ = try TemporaryCluster.runTool(bin: bin, runAs: user, directory: dir, name, args)
        }
        try tool(
            "initdb",
            [
                "-D", directory + "/data", "-U", "postgres", "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
            ])
        var lastError: (any Error)?
        for _ in 0..<5 {
            let candidate = try TemporaryCluster.freePort()
            do {
                try tool("pg_ctl", TemporaryCluster.startArguments(directory: directory, port: candidate))
                port = candidate
                TemporaryCluster.register(self)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ClusterError("could not start the cluster")
    }

    /// Stops the server (immediate) and removes the directory.
    public func destroy() {
        _ = try? run("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server, as an operator would with `pg_ctl stop -m MODE`.
    public func stop(mode: String = "fast") throws {
        try run("pg_ctl", ["-D", dataDirectory, "-m", mode, "-w", "stop"])
    }

    /// Starts a stopped server again on the same port.
    public func start() throws {
        try run("pg_ctl", TemporaryCluster.startArguments(directory: directory, port: port))
    }

    static func startArguments(directory: String, port: Int) -> [String] {
        [
            "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60",
            "-o",
            "-k \(directory)/socket -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off "
                + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            "start",
        ]
    }

    /// A conninfo for a database on the unix socket as the superuser (or another user).
    public func conninfo(database: String = "postgres", user: String? = nil) -> String {
        "host=\(socketDirectory) port=\(port) dbname=\(database) user=\(user ?? superuser)"
    }

    /// Opens a connection as the superuser.
    public func connect(database: String = "postgres", user: String? = nil) throws -> Connection {
        try Connection(conninfo: conninfo(database: database, user: user))
    }

    /// Creates a fresh database with a unique name and returns the name: empty, or a copy of
    /// `template` (which nobody may be connected to) with the template's own privileges too
    /// (`CREATE DATABASE … TEMPLATE` copies what the database holds, not who may use it: a
    /// `TEMP` revoked from `PUBLIC` would come back).
    public func createDatabase(prefix: String = "t", template: String = "template0") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        let admin = try connect()
        let quoted = try admin.escapeIdentifier(name)
        try admin.execute("create database \(quoted) template \(try admin.escapeIdentifier(template))")
        let privileges = try admin.execute(
            """
            select coalesce(quote_ident(r.rolname), 'public'), a.privilege_type
            from pg_database d, aclexplode(d.datacl) a left join pg_roles r on r.oid = a.grantee
            where d.datname = $1
            """, [template])
        if !privileges.isEmpty {
            try admin.execute("revoke all on database \(quoted) from public")
            for row in privileges {
                try admin.execute("grant \(try row.decode(1, as: String.self)) on database \(quoted) to \(try row.decode(0, as: String.self))")
            }
        }
        return name
    }

    /// Drops a database made by `createDatabase`, ending its sessions.
    public func dropDatabase(_ name: String) throws {
        let admin = try connect()
        try admin.execute("drop database if exists \(try admin.escapeIdentifier(name)) with (force)")
    }

    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        try TemporaryCluster.runTool(bin: binDirectory, runAs: runAs, directory: directory, tool, arguments)
    }

    @discardableResult
    static func runTool(bin binDirectory: String, runAs: String?, directory: String, _ tool: String, _ arguments: [String]) throws -> String {
        let path = binDirectory + "/" + tool
        let (executable, argv) = runAs.map { ("/usr/sbin/runuser", ["-u", $0, "--", path] + arguments) } ?? (path, arguments)
        let outputPath = directory + "/\(tool).out"
        let status = try spawnAndWait(executable, argv, outputPath: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw ClusterError("\(tool) failed (\(status)): \(text)\n\(log.suffix(2000))")
        }
        return text
    }

    static func findBinDirectory() throws -> String {
        let fm = FileManager.default
        if let fromEnv = ProcessInfo.processInfo.environment["PG_BINDIR"], fm.fileExists(atPath: fromEnv + "/initdb") {
            return fromEnv
        }
        let candidates =
            (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { "/usr/lib/postgresql/\($0)/bin" } ?? []
        if let config = try? capture("/usr/bin/pg_config", ["--bindir"]) {
            let dir = config.trimmingCharacters(in: .whitespacesAndNewlines)
            if fm.fileExists(atPath: dir + "/initdb") { return dir }
        }
        for dir in candidates where fm.fileExists(atPath: dir + "/initdb") { return dir }
        throw ClusterError("no PostgreSQL server binaries (initdb) found: install postgresql or set PG_BINDIR")
    }

    static func capture(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func chown(_ path: String, to user: String) throws {
        guard let entry = getpwnam(user) else { throw ClusterError("no system user \(user)") }
        guard Glibc.chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw ClusterError("chown \(path) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Asks the kernel for a free TCP port on 127.0.0.1.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw ClusterError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ClusterError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func register(_ cluster: TemporaryCluster) {
        ClusterRegistry.add(cluster)
    }
}

/// A failure to set up or run the temporary cluster.
public struct ClusterError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Lazily starts the one shared cluster, thread-safely.
final class SharedCluster: @unchecked Sendable {
    private let lock = NSLock()
    private var cluster: TemporaryCluster?

    func get() throws -> TemporaryCluster {
        lock.lock()
        defer { lock.unlock() }
        if let cluster { return cluster }
        let made = try TemporaryCluster()
        cluster = made
        return made
    }
}

/// Clusters to stop when the process exits.
enum ClusterRegistry {
    nonisolated(unsafe) private static var clusters: [TemporaryCluster] = []
    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false

    static func add(_ cluster: TemporaryCluster) {
        lock.lock()
        defer { lock.unlock() }
        clusters.append(cluster)
        if !installed {
            installed = true
            atexit { ClusterRegistry.destroyAll() }
        }
    }

    static func destroyAll() {
        lock.lock()
        let all = clusters
        clusters = []
        lock.unlock()
        for cluster in all { cluster.destroy() }
    }
}
