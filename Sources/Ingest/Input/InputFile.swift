import Foundation
import ZIPFoundation

/// Opens an input file for reading, safely: only a regular file is opened (a symbolic link, FIFO,
/// socket, device or directory is refused, never opened, so nothing can block or be read through a
/// link), and the open itself never blocks. Errors name the file and the reason.
package func openForReading(_ path: String) throws -> FileHandle {
    var before = stat()
    guard lstat(path, &before) == 0 else {
        throw WarehouseError(.missingFile, "\(path): cannot open the file: \(String(cString: strerror(errno)))")
    }
    if let kind = nonRegularKind(before.st_mode) {
        throw WarehouseError(.invalidInput, "\(path): is \(kind), not a regular file; only regular files are loaded")
    }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else {
        throw WarehouseError(.missingFile, "\(path): cannot open the file: \(String(cString: strerror(errno)))")
    }
    var after = stat()
    guard fstat(fd, &after) == 0, nonRegularKind(after.st_mode) == nil, after.st_ino == before.st_ino, after.st_dev == before.st_dev else {
        close(fd)
        throw WarehouseError(.invalidInput, "\(path): the file changed while it was opened; only regular files are loaded")
    }
    // Reads may block again (a regular file's never do for long).
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
}

/// A ZIP archive (a workbook, a download) opened for reading: the regular file `openForReading`
/// checked, reopened through its descriptor (`/proc/self/fd/N`) where the system has that, so a
/// path swapped for a link or a FIFO after the check is never what the archive reads.
package func openArchive(_ path: String) throws -> Archive {
    let handle = try openForReading(path)
    defer { try? handle.close() }
    let reopened = "/proc/self/fd/\(handle.fileDescriptor)"
    let url = URL(fileURLWithPath: FileManager.default.fileExists(atPath: reopened) ? reopened : path)
    return try Archive(url: url, accessMode: .read)
}

/// What a non-regular file is, for messages; nil for a regular file.
package func nonRegularKind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFLNK: return "a symbolic link"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFSOCK: return "a socket"
    case S_IFDIR: return "a directory"
    case S_IFCHR, S_IFBLK: return "a device"
    default: return "not a regular file"
    }
}
