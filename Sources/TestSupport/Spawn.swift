import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program with posix_spawn and waits for it with waitpid, output to a file.
///
/// Foundation's `Process` on Linux notices exit through a descriptor the child inherits; a server
/// that `pg_ctl start` leaves running inherits it too, so `waitUntilExit` would never return.
func spawnAndWait(_ path: String, _ arguments: [String], outputPath: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw ClusterError("could not start \(path): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw ClusterError("waitpid failed: \(String(cString: strerror(errno)))") }
    }
    // WIFEXITED / WEXITSTATUS
    if status & 0x7f == 0 { return (status >> 8) & 0xff }
    return 128 + (status & 0x7f)
}
