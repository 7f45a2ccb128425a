import Dispatch
import Foundation
import Postgres

/// SIGINT and SIGTERM during a load: the statement in progress is cancelled on the server, the
/// loader sees `requested` and rolls back, the batch is marked failed, and the process exits 130.
public final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var token: CancelToken?
    private var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers; `connection`'s running statement is cancelled on a signal.
    public init(connection: Connection?) {
        token = connection?.cancelToken()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.trigger(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func trigger(_ sig: Int32) {
        lock.lock()
        let first = !flag
        flag = true
        let token = self.token
        lock.unlock()
        if first {
            FileHandle.standardError.write(Data("leefbaar-etl: \(sig == SIGINT ? "SIGINT" : "SIGTERM") received: rolling back\n".utf8))
            token?.cancel()
        } else {
            exit(ExitStatus.interrupted.rawValue)
        }
    }

    /// Whether a stop was asked.
    public var requested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }
}
