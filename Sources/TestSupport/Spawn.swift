import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Starts a program with posix_spawn: standard input from `stdinDescriptor` (else /dev/null),
/// output and errors to files, in `directory` (through `env -C`), with `environment` (else this
/// process's). The caller waits for it with waitpid.
///
/// Foundation's `Process` on Linux notices exit through a descriptor the child inherits; any
/// process started meanwhile by another thread (a server that `pg_ctl start` leaves running)
/// inherits it too, and then `waitUntilExit` never returns. Nothing here leaves a descriptor open
/// for another child to inherit.
func spawn(
    _ path: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil, stdinDescriptor: Int32? = nil,
    outputPath: String, errorPath: String? = nil
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdinDescriptor {
        posix_spawn_file_actions_adddup2(&actions, stdinDescriptor, 0)
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
    if let errorPath {
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
    } else {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
    let program = directory == nil ? path : "/usr/bin/env"
    let words = directory.map { ["env", "-C", $0, path] + arguments } ?? [path] + arguments
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
    defer { envp?.forEach { free($0) } }
    var pid = pid_t()
    let spawned = envp.map { posix_spawn(&pid, program, &actions, nil, argv, $0) } ?? posix_spawn(&pid, program, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw ClusterError("could not start \(path): \(String(cString: strerror(spawned)))")
    }
    return pid
}

/// The exit status waitpid reported: the exit code, or for a process ended by a signal the
/// signal's number (as Foundation's `terminationStatus` gives it).
func exitStatus(_ raw: Int32) -> Int32 {
    raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
}

/// Runs a program with posix_spawn and waits for it with waitpid, output to a file; its exit
/// code, or 128 + the signal that ended it.
func spawnAndWait(_ path: String, _ arguments: [String], outputPath: String) throws -> Int32 {
    let pid = try spawn(path, arguments, outputPath: outputPath)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw ClusterError("waitpid failed: \(String(cString: strerror(errno)))") }
    }
    return status & 0x7f == 0 ? exitStatus(status) : 128 + exitStatus(status)
}
