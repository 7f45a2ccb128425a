import Foundation
import Ingest
import Warehouse

/// A new folder beside an export's target, swapped into place when complete. Leftovers of an
/// export that was killed are removed by the next one.
struct ExportFolder {
    let target: String
    let path: String
    private let parent: String
    private let name: String

    init(replacing target: String) throws {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: target).standardizedFileURL
        self.target = url.path
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        var info = stat()
        if lstat(self.target, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            throw WarehouseError(.invalidInput, "\(target) exists and is not a folder (\(nonRegularDescription(info.st_mode))); nothing was written")
        }
        // Leftovers of killed exports into the same target.
        for entry in (try? fm.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(".\(name).new-") || entry.hasPrefix(".\(name).old-") {
            try? fm.removeItem(atPath: parent + "/" + entry)
        }
        path = parent + "/.\(name).new-\(getpid())-\(UUID().uuidString.prefix(8))"
        guard mkdir(path, 0o755) == 0 else {
            throw WarehouseError(.missingFile, "cannot make \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Copies the previous export's folders for which `keeping` holds into the new folder (only
    /// folders and regular files; a link planted there is not carried over).
    func keep(_ keeping: (String) -> Bool) throws {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: target)) ?? [] where keeping(entry) {
            var info = stat()
            guard lstat(target + "/" + entry, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            try fm.createDirectory(atPath: path + "/" + entry, withIntermediateDirectories: false)
            for file in (try? fm.contentsOfDirectory(atPath: target + "/" + entry)) ?? [] {
                guard lstat(target + "/" + entry + "/" + file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                try fm.copyItem(atPath: target + "/" + entry + "/" + file, toPath: path + "/" + entry + "/" + file)
            }
        }
    }

    /// Puts the new folder in the target's place and removes the old one.
    func commit() throws {
        let fm = FileManager.default
        let old = parent + "/.\(name).old-\(getpid())"
        let hadOld = fm.fileExists(atPath: target)
        if hadOld { guard rename(target, old) == 0 else { throw failure("move the previous export aside") } }
        guard rename(path, target) == 0 else {
            let error = failure("move the new export into place")
            if hadOld { _ = rename(old, target) }
            throw error
        }
        if hadOld { try? fm.removeItem(atPath: old) }
    }

    private func failure(_ what: String) -> WarehouseError {
        WarehouseError(.missingFile, "cannot \(what) (\(target)): \(String(cString: strerror(errno))); the previous export is unchanged")
    }
}

private func nonRegularDescription(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFLNK: return "a symbolic link"
    case S_IFREG: return "a file"
    default: return "not a folder"
    }
}
