import Foundation
import Logging
import PortholeNet

/// One socket the data plane wants open on loopback.
struct ListenerSpec: Hashable, Comparable {
    enum Mode: String, Hashable { case serve, blackhole }
    var host: String
    var port: Int
    var mode: Mode

    static func < (a: ListenerSpec, b: ListenerSpec) -> Bool { (a.host, a.port, a.mode.rawValue) < (b.host, b.port, b.mode.rawValue) }
}

/// The open sockets of the data plane, brought to a desired set by diffing: what is gone closes,
/// what is new opens. Binds loopback only; anything else is refused and logged.
final class ListenerSet: @unchecked Sendable {
    private enum Open {
        case serving(TCPListener)
        case blackhole(TCPListener, TCPConnection)
        func close() {
            switch self {
            case .serving(let l): l.close()
            case .blackhole(let l, let plug): l.close(); plug.close()
            }
        }
    }

    private let lock = NSLock()
    private var open: [ListenerSpec: Open] = [:]
    private let logger: Logger
    /// Called for each accepted connection on a serving listener, with the address it arrived at.
    private let onConnection: @Sendable (String, Int, TCPConnection) -> Void

    init(logger: Logger, onConnection: @escaping @Sendable (String, Int, TCPConnection) -> Void) {
        self.logger = logger
        self.onConnection = onConnection
    }

    /// The specs currently open, sorted.
    var active: [ListenerSpec] { lock.lock(); defer { lock.unlock() }; return open.keys.sorted() }

    /// Closes what is not desired, opens what is missing. Returns the specs that failed to open.
    @discardableResult
    func sync(_ desired: Set<ListenerSpec>) -> [ListenerSpec] {
        lock.lock(); defer { lock.unlock() }
        for (spec, o) in open where !desired.contains(spec) { o.close(); open[spec] = nil }
        var failed: [ListenerSpec] = []
        for spec in desired.sorted() where open[spec] == nil {
            guard IPv4.isLoopback(spec.host), (1...65535).contains(spec.port) else {
                logger.warning("refusing to bind \(spec.host):\(spec.port): the lab binds loopback (127.0.0.0/8) only")
                failed.append(spec); continue
            }
            do {
                switch spec.mode {
                case .serve:
                    let l = try TCPListener(host: spec.host, port: UInt16(spec.port))
                    let handler = onConnection
                    l.serve(name: "porthole.lab.\(spec.host):\(spec.port)") { c in handler(spec.host, spec.port, c) }
                    open[spec] = .serving(l)
                case .blackhole:
                    let (l, plug) = try TCPListener.blackhole(host: spec.host, port: UInt16(spec.port))
                    open[spec] = .blackhole(l, plug)
                }
            } catch {
                logger.warning("cannot open \(spec.mode.rawValue) listener \(spec.host):\(spec.port): \(error)")
                failed.append(spec)
            }
        }
        return failed
    }

    func closeAll() { _ = sync([]) }
}
