import Foundation
import PortholeNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The long-lived connections the API server took over from HTTP (watches, port-forwards), so that
/// stopping the lab also ends them instead of leaving kubectl attached to a stopped cluster.
final class StreamRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var open: [ObjectIdentifier: TCPConnection] = [:]
    private var stopped = false

    /// Runs `body` with the connection registered; false (and closed) when the registry already stopped.
    func run(_ c: TCPConnection, _ body: () -> Void) {
        lock.lock()
        if stopped { lock.unlock(); c.close(); return }
        open[ObjectIdentifier(c)] = c
        lock.unlock()
        body()
        lock.lock(); open[ObjectIdentifier(c)] = nil; lock.unlock()
    }

    /// Closes every registered connection; later ones are closed at once.
    func stop() {
        lock.lock()
        stopped = true
        let all = Array(open.values)
        open.removeAll()
        lock.unlock()
        // shutdown first: close() alone does not wake a thread blocked in read() on the same socket
        // (Linux keeps it open until that read returns), so kubectl would not notice until its next ping.
        for c in all {
            _ = shutdown(c.fd, Int32(SHUT_RDWR))
            c.close()
        }
    }
}
