import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The outcome of running one of the project's executables.
public struct ToolResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// The folder of the built executables (beside the test bundle).
public func productsDirectory() -> URL {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = bundle.deletingLastPathComponent()
    // On macOS the bundle is a folder: .../debug/LeefbaarPackageTests.xctest/Contents/MacOS/...
    while dir.path != "/" && dir.lastPathComponent.hasSuffix(".xctest") == false
        && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("leefbaar-etl").path)
    {
        dir.deleteLastPathComponent()
    }
    if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
    return dir
}

/// The package root (where Package.swift is), found from this file's path.
public func packageRoot(file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Runs `leefbaar-etl` or `leefbaar-report` with arguments and extra environment; waits for it.
public func runTool(
    _ name: String, _ arguments: [String], environment: [String: String] = [:],
    stdin: String? = nil
) throws -> ToolResult {
    try RunningTool(name, arguments, environment: environment, stdin: stdin).wait()
}

/// A started executable of the project, for tests that signal or kill it. Started with
/// posix_spawn and waited for with waitpid (see `spawn`), not with Foundation's `Process`.
public final class RunningTool: @unchecked Sendable {
    public let pid: pid_t
    private let out: URL
    private let err: URL
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `leefbaar-etl` or `leefbaar-report`; output goes to temp files (no pipe can fill up),
    /// `stdin` (if any) is written to its standard input.
    public init(_ name: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        var env = ProcessInfo.processInfo.environment
        env["LEEFBAAR_SQL_DIR"] = packageRoot().appendingPathComponent("SQL").path
        for (k, v) in environment { env[k] = v }
        let tmp = FileManager.default.temporaryDirectory
        out = tmp.appendingPathComponent("tool-\(UUID().uuidString).out")
        err = tmp.appendingPathComponent("tool-\(UUID().uuidString).err")
        var input: [Int32] = [-1, -1]
        if stdin != nil {
            guard pipe(&input) == 0 else { throw ClusterError("cannot make a pipe: \(String(cString: strerror(errno)))") }
            // Neither end may stay open in a child another thread starts (see `spawn`).
            for fd in input { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        defer { if input[0] >= 0 { close(input[0]) } }
        pid = try spawn(
            productsDirectory().appendingPathComponent(name).path, arguments, environment: env, directory: packageRoot().path,
            stdinDescriptor: stdin == nil ? nil : input[0], outputPath: out.path, errorPath: err.path)
        if let stdin {
            let bytes = Array(stdin.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                written += n
            }
            close(input[1])
        }
    }

    /// Whether it has not exited yet.
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Sends a signal (SIGKILL, SIGTERM, ...) while it runs.
    public func signal(_ sig: Int32) {
        if isRunning { kill(pid, sig) }
    }

    /// The exit status once it has exited (waiting for it when `blocking`); nil while it runs.
    private func reap(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        while true {
            let r = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
            if r == pid { break }
            if r == 0 { return nil }
            if errno == EINTR { continue }
            status = -1
            return status
        }
        status = exitStatus(raw)
        return status
    }

    /// Waits for the exit and returns status and output.
    public func wait() -> ToolResult {
        let result = ToolResult(
            status: reap(blocking: true) ?? -1,
            stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return result
    }
}
