import Foundation
import Testing

/// A suite or test trait: each test runs on a thread of its own instead of on Swift Concurrency's
/// shared pool, which is as wide as the machine has cores. The tests here block (on PostgreSQL,
/// on the tools they start, on `Thread.sleep`); on the pool, two blocked tests leave a two-core
/// machine running nothing else, even while both only wait. The number of tests at once stays
/// Swift Testing's to choose.
public struct OwnThread: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThread {
    /// Runs each test on a thread of its own (see `OwnThread`).
    public static var ownThread: Self { OwnThread() }
}

/// Runs every job it is given on a new thread. A test's synchronous body is one job, so it
/// blocks only its own thread. The thread starts with no signal blocked: a new thread inherits
/// the mask of the one that made it (a dispatch worker blocks nearly all), and so would every
/// process a test starts with Foundation's `Process`, which keeps the caller's mask: a tool
/// started so would never see the SIGTERM a test sends it.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            job.runSynchronously(on: executor)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
