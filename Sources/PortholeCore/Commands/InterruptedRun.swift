import Foundation

/// The run as it stood after its last step, kept where a signal handler can reach it: when Ctrl-C or SIGTERM stops
/// porthole between writes, the run still ends with its summary (pending undos) and its `--transcript`.
final class InterruptedRun: @unchecked Sendable {
    private let lock = NSLock()
    private var run: PlaybookRun?
    private var done = false

    /// Records the run after a step.
    func update(_ run: PlaybookRun) { lock.lock(); self.run = run; lock.unlock() }

    /// The run ended by itself: a later signal has nothing to add.
    func finish() { lock.lock(); done = true; lock.unlock() }

    /// Registers with `InterruptGuard`: on a signal, `end` gets the run closed as interrupted (once, and only if
    /// it had begun and not ended by itself).
    func onInterrupt(_ end: @escaping @Sendable (PlaybookRun) -> Void) {
        InterruptGuard.shared.onInterrupt { [self] in
            lock.lock()
            let taken = done ? nil : run
            done = true
            lock.unlock()
            guard var stopped = taken else { return }
            stopped.abort("interrupted by a signal; porthole stopped between writes")
            end(stopped)
        }
    }
}
