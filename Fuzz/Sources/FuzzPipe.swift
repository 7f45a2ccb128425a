import Foundation
import Ingest

/// Hands bytes to a reader as a file, as files are read on the load path. One temporary file per
/// process is reused for every input (truncated and rewritten), so an execution costs a few
/// system calls. `handle` gives an open handle; `path` names the file for readers that open it.
enum FuzzPipe {
    nonisolated(unsafe) private static var descriptor: Int32 = -1
    nonisolated(unsafe) private static var filePath = ""

    private static func write(_ bytes: [UInt8]) {
        if descriptor < 0 {
            // Memory-backed when there is /dev/shm: millions of rewrites should not reach a disk.
            let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : FileManager.default.temporaryDirectory.path
            filePath = folder + "/leefbaar-fuzz-\(getpid())"
            descriptor = open(filePath, O_RDWR | O_CREAT | O_TRUNC, 0o600)
            precondition(descriptor >= 0)
            atexit { unlink(FuzzPipe.filePath) }
        }
        precondition(ftruncate(descriptor, 0) == 0)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    static func handle(_ bytes: [UInt8]) -> FileHandle {
        write(bytes)
        let fd = dup(descriptor)
        lseek(fd, 0, SEEK_SET)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    static func path(_ bytes: [UInt8]) -> String {
        write(bytes)
        return filePath
    }

    /// The repository's root (this file is Fuzz/Sources/FuzzPipe.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A feed spec of the repository (read once per target).
    static func spec(_ relativePath: String) -> FeedSpec {
        do {
            return try FeedSpec.load(path: root.appendingPathComponent(relativePath).path, sql: SQLDirectory(path: root.appendingPathComponent("SQL").path))
        } catch {
            fatalError("cannot read \(relativePath): \(error)")
        }
    }
}
