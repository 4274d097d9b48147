import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps SIGINT and SIGTERM from cutting a write in half.
///
/// Outside a write a signal stops porthole at once (exit 130 for SIGINT, 143 for SIGTERM) after the
/// registered cleanups (e.g. stopping a `--lab` lab). During a write (intent journaled -> kubectl ->
/// result journaled) it is held until the write and its journal line are done, so the journal always
/// says what happened. kubectl runs in its own process group, so a terminal's Ctrl-C does not kill it.
public final class InterruptGuard: @unchecked Sendable {
    /// The process's guard (signals are process-wide).
    public static let shared = InterruptGuard()

    private let lock = NSLock()
    private var depth = 0
    private var pending: Int32?
    private var sources: [DispatchSourceSignal] = []
    private var cleanups: [@Sendable () -> Void] = []
    private var terminating = false

    /// Takes over SIGINT and SIGTERM (the executable calls this once, before any write). A guided session on a terminal
    /// passes only SIGTERM: Ctrl-C there belongs to the session (it abandons a step; a write still finishes).
    public func install(signals: [Int32] = [SIGINT, SIGTERM]) {
        lock.lock(); defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for sig in signals {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in self?.received(sig) }
            s.resume()
            sources.append(s)
        }
    }

    /// Runs `cleanup` before porthole exits on a signal.
    public func onInterrupt(_ cleanup: @escaping @Sendable () -> Void) {
        lock.lock(); cleanups.append(cleanup); lock.unlock()
    }

    /// Blocks for good when a signal is being acted on (cleanups such as stopping a lab run, then `exit(128+sig)`):
    /// a run that ended because the cleanup pulled its cluster away must not exit first with its own code.
    public func yieldIfTerminating() {
        lock.lock(); let t = terminating; lock.unlock()
        guard t else { return }
        while true { Thread.sleep(forTimeInterval: 1) }
    }

    /// Runs `body` as one write: a signal arriving meanwhile takes effect when it returns.
    public func during<T>(_ body: () async throws -> T) async rethrows -> T {
        enter()
        defer { leave() }
        return try await body()
    }

    private func enter() {
        lock.lock(); depth += 1; lock.unlock()
    }

    private func leave() {
        lock.lock()
        depth -= 1
        let stop = depth == 0 ? pending : nil
        lock.unlock()
        if let sig = stop { terminate(sig) }
    }

    private func received(_ sig: Int32) {
        lock.lock()
        if depth > 0 {
            pending = pending ?? sig
            lock.unlock()
            StandardStreams.write("porthole: \(Self.name(sig)) received; finishing the write in progress and journaling it first\n", to: STDERR_FILENO)
            return
        }
        lock.unlock()
        terminate(sig)
    }

    private func terminate(_ sig: Int32) {
        lock.lock(); terminating = true; let all = cleanups; lock.unlock()
        for c in all { c() }
        // kubectl runs in its own process group, out of reach of the terminal's Ctrl-C: reads must not outlive porthole.
        RunningReads.shared.killAll()
        StandardStreams.write("porthole: stopped by \(Self.name(sig))\n", to: STDERR_FILENO)
        exit(128 + sig)
    }

    static func name(_ sig: Int32) -> String { sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal \(sig)" }
}
