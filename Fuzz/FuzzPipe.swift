import Foundation

/// Hands bytes to a reader through a file handle, as files are read on the load path.
enum FuzzPipe {
    static func handle(_ bytes: [UInt8]) -> FileHandle {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("leefbaar-fuzz-\(getpid())").path
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0)
        unlink(path)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        lseek(fd, 0, SEEK_SET)
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
