import Foundation
import Postgres
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM during a load: the statement in progress is cancelled on the server, the
/// loader sees `requested` and rolls back, the batch is marked failed, and the process exits 130.
/// A second signal ends the process at once (130); the server rolls back what was open.
///
/// The handlers are installed with `sigaction` when this is made, before it returns: a signal
/// from then on is never lost. (A dispatch signal source registers its handler later, on
/// another thread; a signal in between met the ignored disposition and was dropped, and a loaded
/// machine made that window long.) Before this is made, a signal ends the process by default.
public final class Interruption: @unchecked Sendable {
    private let token: CancelToken?
    private var previous: [Int32: sigaction] = [:]

    /// Installs the handlers; `connection`'s running statement is cancelled on a signal.
    public init(connection: Connection?) {
        token = connection?.cancelToken()
        interruptionTarget = token?.forSignalHandler
        interruptionSignal.store(0, ordering: .sequentiallyConsistent)
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                // Async-signal-safe only: an atomic, write(2), PQcancel, _exit.
                guard interruptionSignal.compareExchange(expected: 0, desired: sig, ordering: .sequentiallyConsistent).exchanged else {
                    _exit(ExitStatus.interrupted.rawValue)
                }
                let message: StaticString =
                    sig == SIGINT ? "leefbaar-etl: SIGINT received: rolling back\n" : "leefbaar-etl: SIGTERM received: rolling back\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                interruptionTarget?.cancel()
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(sig, &action, &old)
            previous[sig] = old
        }
        // A process can inherit these signals blocked (Foundation's `Process` on Linux passes the
        // calling thread's mask on): then they would stay pending and the load would run on.
        var ours = sigset_t()
        sigemptyset(&ours)
        sigaddset(&ours, SIGINT)
        sigaddset(&ours, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &ours, nil)
    }

    deinit {
        for (sig, old) in previous {
            var old = old
            sigaction(sig, &old, nil)
        }
        interruptionTarget = nil
    }

    /// Whether a stop was asked.
    public var requested: Bool {
        interruptionSignal.load(ordering: .sequentiallyConsistent) != 0
    }
}

/// The first signal received (0: none). The handler can capture nothing, so it reads globals.
private let interruptionSignal = Atomic<Int32>(0)
/// The cancel request the handler sends; set before the handler is installed.
nonisolated(unsafe) private var interruptionTarget: SignalSafeCancel?
