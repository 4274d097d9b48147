import Dispatch
import Foundation
import PortholeCore

/// A progress line on a terminal while something runs longer than `delay` (300 ms): a spinner, the
/// label and the elapsed time, redrawn in place on stderr and erased when done. Never on a non-TTY.
final class Spinner: @unchecked Sendable {
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var drawn = false
    private let write: @Sendable (String) -> Void
    private static let frames = ["|", "/", "-", "\\"]

    init(write: @escaping @Sendable (String) -> Void = { StandardStreams.write($0, to: STDERR_FILENO) }) {
        self.write = write
    }

    /// Starts the timer; nothing is drawn before `delay`. `cancellable` says whether Ctrl-C stops the work.
    func start(_ label: String, delay: Double = 0.3, width: Int = 80, cancellable: Bool = true) {
        stop()
        let started = Date()
        let text = String(label.prefix(max(10, width - 24)))
        let hint = cancellable ? "  (Ctrl-C cancels)" : ""
        let t = DispatchSource.makeTimerSource(queue: .global())
        var frame = 0
        t.schedule(deadline: .now() + delay, repeating: 0.1)
        t.setEventHandler { [weak self] in
            guard let self else { return }
            let elapsed = String(format: "%.1fs", Date().timeIntervalSince(started))
            self.lock.lock()
            defer { self.lock.unlock() }
            guard self.timer != nil else { return }
            self.drawn = true
            frame += 1
            self.write("\r\u{1B}[K\(Spinner.frames[frame % 4]) \(text) \(elapsed)\(hint)")
        }
        lock.lock()
        timer = t
        lock.unlock()
        t.resume()
    }

    /// Stops and erases the line if one was drawn.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }
}
