import Dispatch
import Foundation

/// Turns SIGINT into a callback while the engine works (the prompt handles Ctrl-C itself, as a key).
/// The signal is ignored by the process meanwhile, so Ctrl-C never kills porthole mid-write.
final class InterruptWatcher {
    private var source: DispatchSourceSignal?
    private var previous: sig_t?

    /// Starts watching; `handler` runs on a Dispatch queue for every SIGINT until `stop()`.
    func start(_ handler: @escaping @Sendable () -> Void) {
        stop()
        previous = signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        s.setEventHandler(handler: handler)
        s.resume()
        source = s
    }

    /// Stops watching and puts back the disposition SIGINT had before.
    func stop() {
        guard let s = source else { return }
        s.cancel()
        source = nil
        signal(SIGINT, previous ?? SIG_DFL)
        previous = nil
    }

    deinit { stop() }
}
