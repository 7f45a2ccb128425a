import Foundation

/// Hands bytes to a reader through a file handle, as files are read on the load path. One
/// unlinked temporary file is reused for every input (truncated and rewritten), so an execution
/// costs a few system calls.
enum FuzzPipe {
    nonisolated(unsafe) private static var descriptor: Int32 = -1

    static func handle(_ bytes: [UInt8]) -> FileHandle {
        if descriptor < 0 {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("leefbaar-fuzz-\(getpid())").path
            descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
            precondition(descriptor >= 0)
            unlink(path)
        }
        precondition(ftruncate(descriptor, 0) == 0)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        let fd = dup(descriptor)
        lseek(fd, 0, SEEK_SET)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
