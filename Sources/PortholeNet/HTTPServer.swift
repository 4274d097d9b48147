import Foundation

/// What an HTTP handler wants done with a request.
public enum HTTPServerAction: Sendable {
    /// Send this response; the connection stays open for the next request (keep-alive).
    case respond(HTTPResponse)
    /// Take the connection over (upgrades, streaming watches, proxies). The server forgets it.
    case hijack(@Sendable (TCPConnection) -> Void)
    /// Close abruptly with a RST, without an answer (fault injection, reset simulation).
    case reset
    /// Close without an answer.
    case close
}

/// A small threaded HTTP/1.1 server: one thread per connection, keep-alive, hijacking for upgrades.
/// Good for a lab and tests on loopback; not meant to face the internet.
public final class HTTPServer: @unchecked Sendable {
    public let listener: TCPListener
    private let handler: @Sendable (HTTPRequest, TCPConnection) -> HTTPServerAction
    private let lock = NSLock()
    private var open: [ObjectIdentifier: TCPConnection] = [:]
    private var stopped = false

    public var host: String { listener.host }
    public var port: UInt16 { listener.port }

    /// Binds at once (port 0 = any free port); call `start` to serve.
    public init(host: String, port: UInt16, handler: @escaping @Sendable (HTTPRequest, TCPConnection) -> HTTPServerAction) throws {
        listener = try TCPListener(host: host, port: port)
        self.handler = handler
    }

    public func start() {
        listener.serve(name: "porthole.http.\(port)") { [weak self] c in self?.serveConnection(c) }
    }

    private func serveConnection(_ c: TCPConnection) {
        lock.lock()
        if stopped { lock.unlock(); c.close(); return }
        open[ObjectIdentifier(c)] = c
        lock.unlock()
        var hijacked = false
        defer {
            lock.lock(); open[ObjectIdentifier(c)] = nil; lock.unlock()
            if !hijacked { c.close() }
        }
        while true {
            let req: HTTPRequest
            do {
                guard let r = try HTTPWire.readRequest(c, timeout: 120) else { return }
                req = r
            } catch {
                let bad = HTTPResponse(status: 400, contentType: "text/plain", body: "bad request\n", headers: [("Connection", "close")])
                try? c.write(bad.serialized())
                return
            }
            switch handler(req, c) {
            case .respond(let resp):
                var r = resp
                let closeAfter = req.headers["Connection"]?.lowercased() == "close" || req.version == "HTTP/1.0"
                if closeAfter { r.headers.set("Connection", "close") }
                do { try c.write(r.serialized()) } catch { return }
                if closeAfter { return }
            case .hijack(let take):
                hijacked = true
                lock.lock(); open[ObjectIdentifier(c)] = nil; lock.unlock()
                take(c)
                return
            case .reset:
                c.reset()
                return
            case .close:
                return
            }
        }
    }

    /// Stops listening and closes every connection still being served.
    public func stop() {
        lock.lock()
        stopped = true
        let conns = Array(open.values)
        open.removeAll()
        lock.unlock()
        listener.close()
        for c in conns { c.close() }
    }
}
