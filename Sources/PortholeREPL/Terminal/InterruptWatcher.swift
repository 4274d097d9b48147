import Dispatch
import Foundation

/// The write end of the self-pipe SIGINT is turned into (read by `InterruptWatcher`). A plain global:
/// the signal handler may touch nothing else.
nonisolated(unsafe) private var interruptPipeWrite: Int32 = -1

/// Owns SIGINT for an interactive session and turns it into a callback while something runs.
///
/// The handler writes one byte to a pipe; a Dispatch read source on the other end calls the current
/// callback. Not `SIG_IGN` with a Dispatch signal source: on Linux an ignored signal is discarded when
/// it is delivered to a thread that does not block it (the main thread), so Ctrl-C worked once and
/// then never again. With no callback set, Ctrl-C is swallowed: porthole is never killed mid-command.
/// At the prompt libedit reads Ctrl-C as a key (the terminal's ISIG is off while it edits).
final class InterruptWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var handler: (@Sendable () -> Void)?
    private var source: DispatchSourceRead?
    private var previous = sigaction()

    /// Takes SIGINT over until `uninstall()`; idempotent.
    func install() {
        lock.lock(); defer { lock.unlock() }
        guard source == nil else { return }
        var pair: [Int32] = [0, 0]
        guard pipe(&pair) == 0 else { return }
        for fd in pair { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        interruptPipeWrite = pair[1]
        let s = DispatchSource.makeReadSource(fileDescriptor: pair[0], queue: .global())
        s.setEventHandler { [weak self] in self?.drained(pair[0]) }
        s.setCancelHandler { for fd in pair { close(fd) } }
        s.resume()
        source = s
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            // Only async-signal-safe calls here; errno is put back for the code the signal interrupted.
            let saved = errno
            var byte: UInt8 = 3
            _ = write(interruptPipeWrite, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, &previous)
    }

    /// Puts back SIGINT's previous disposition and closes the pipe.
    func uninstall() {
        lock.lock(); defer { lock.unlock() }
        guard let s = source else { return }
        sigaction(SIGINT, &previous, nil)
        interruptPipeWrite = -1
        s.cancel()
        source = nil
        handler = nil
    }

    /// Calls `handler` (on a Dispatch queue) for every Ctrl-C until `stop()`.
    func start(_ handler: @escaping @Sendable () -> Void) {
        lock.lock(); defer { lock.unlock() }
        self.handler = handler
    }

    /// Ctrl-C is swallowed again.
    func stop() {
        lock.lock(); defer { lock.unlock() }
        handler = nil
    }

    private func drained(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        guard read(fd, &buffer, buffer.count) > 0 else { return }
        lock.lock()
        let h = handler
        lock.unlock()
        h?()
    }

    deinit { uninstall() }
}
