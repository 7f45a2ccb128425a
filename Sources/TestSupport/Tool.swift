import Foundation

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

/// A started executable of the project, for tests that signal or kill it.
public final class RunningTool: @unchecked Sendable {
    public let process: Process
    private let out: URL
    private let err: URL

    /// Starts `leefbaar-etl` or `leefbaar-report`; output goes to temp files (no pipe can fill up),
    /// `stdin` (if any) is written to its standard input.
    public init(_ name: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        process = Process()
        process.executableURL = productsDirectory().appendingPathComponent(name)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LEEFBAAR_SQL_DIR"] = packageRoot().appendingPathComponent("SQL").path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = packageRoot()
        let tmp = FileManager.default.temporaryDirectory
        out = tmp.appendingPathComponent("tool-\(UUID().uuidString).out")
        err = tmp.appendingPathComponent("tool-\(UUID().uuidString).err")
        for file in [out, err] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw ClusterError("cannot create \(file.path)")
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
    }

    /// Sends a signal (SIGKILL, SIGTERM, ...).
    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the exit and returns status and output.
    public func wait() -> ToolResult {
        process.waitUntilExit()
        let result = ToolResult(
            status: process.terminationStatus,
            stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return result
    }
}
