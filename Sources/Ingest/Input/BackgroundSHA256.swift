import Foundation

/// The SHA-256 of a probed file, read on a thread of its own while the load converts and COPYs
/// the file: the load does not wait for a whole read of the file before it starts. The bytes
/// hashed are the load's as long as the file keeps its identity (device, inode, size,
/// modification time), which the hash checks when it opens the file and the load when it has
/// read it (`FileProbe.requireUnchanged`).
package final class BackgroundSHA256: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcome: Result<String, any Error>?
    private var stopped = false

    /// Starts hashing the file `probe` describes.
    package init(_ probe: FileProbe) {
        let thread = Thread { [self] in
            let outcome = Result {
                let sha256 = try probe.checksum { self.isStopped }
                if self.isStopped { throw CancellationError() }
                return sha256
            }
            condition.lock()
            self.outcome = outcome
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "leefbaar-sha256"
        thread.start()
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// The checksum, once the whole file is read.
    package func wait() throws -> String {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        switch outcome {
        case .success(let sha256): return sha256
        case .failure(let error): throw error
        case nil: throw CancellationError()
        }
    }

    /// Stops reading (the load failed or was stopped); `wait` then throws.
    package func stop() {
        condition.lock()
        stopped = true
        condition.unlock()
    }
}
