import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listening TCP socket on one IPv4 address and port.
///
/// `serve` runs an accept loop on its own thread and hands each connection to a handler thread;
/// `close` stops the loop and releases the port at once.
public final class TCPListener: @unchecked Sendable {
    public let fd: Int32
    public let host: String
    /// The bound port (the kernel's choice when 0 was asked).
    public let port: UInt16
    private let lock = NSLock()
    private var closed = false

    /// Binds and listens. `backlog` 0 with `fillBacklog` makes a listener that never completes
    /// new handshakes: see `TCPListener.blackhole`.
    public init(host: String, port: UInt16, backlog: Int32 = 128) throws {
        var sa = try IPv4.sockaddr(host: host, port: port)
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw NetError.from(errno: errno, call: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let r = withUnsafePointer(to: &sa) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if r != 0 {
            let e = errno
            _ = Glibc_close(fd)
            throw NetError.system(call: "bind \(host):\(port)", errno: e)
        }
        guard listen(fd, backlog) == 0 else {
            let e = errno
            _ = Glibc_close(fd)
            throw NetError.system(call: "listen \(host):\(port)", errno: e)
        }
        self.fd = fd
        self.host = host
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.port = UInt16(bigEndian: got.sin_port)
    }

    /// The descriptor is released only here, when no accept thread can still hold it: closing it while
    /// another thread is about to call accept() would let that thread accept on whatever socket reuses the number.
    deinit {
        close()
        _ = Glibc_close(fd)
    }

    /// Blocks until a connection arrives; nil once the listener is closed.
    public func accept() -> TCPConnection? {
        while !isClosed {
            let c = Glibc_accept(fd)
            if c >= 0 {
                _ = fcntl(c, F_SETFD, FD_CLOEXEC)
                return TCPConnection(fd: c)
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            return nil
        }
        return nil
    }

    /// Accepts on a background thread and calls `handler` on a new thread per connection.
    public func serve(name: String = "porthole.listener", _ handler: @escaping @Sendable (TCPConnection) -> Void) {
        let t = Thread { [self] in
            while let c = self.accept() {
                let h = Thread { handler(c) }
                h.stackSize = 1 << 20
                h.start()
            }
        }
        t.name = name
        t.start()
    }

    /// Stops accepting: the socket leaves the LISTEN state at once, so the port can be bound again (SO_REUSEADDR);
    /// the descriptor itself is closed in deinit. Connections already handed out stay open.
    public func close() {
        lock.lock(); defer { lock.unlock() }
        if closed { return }
        closed = true
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    private var isClosed: Bool { lock.lock(); defer { lock.unlock() }; return closed }

    /// A listener whose accept queue is full and never drained: new SYNs are dropped by the
    /// kernel, so a client's connect times out, as it does behind a dropping firewall.
    /// Linux drops SYNs for a listener whose accept queue is full regardless of syncookies.
    public static func blackhole(host: String, port: UInt16) throws -> (TCPListener, TCPConnection) {
        let l = try TCPListener(host: host, port: port, backlog: 0)
        // One connection completes into the queue (backlog 0 admits one) and is never accepted.
        let plug = try TCPDialer.connect(host: host, port: l.port, timeout: 1)
        return (l, plug)
    }
}

@inline(__always) func Glibc_accept(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.accept(fd, nil, nil)
    #else
    return Darwin.accept(fd, nil, nil)
    #endif
}

/// Opens outgoing TCP connections with a connect deadline and an exact failure kind.
public enum TCPDialer {
    /// Connects to an IPv4 address or a resolvable host name.
    public static func connect(host: String, port: UInt16, timeout: Double) throws -> TCPConnection {
        let addr = try resolve(host)
        var sa = try IPv4.sockaddr(host: addr, port: port)
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw NetError.from(errno: errno, call: "socket") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let r = withUnsafePointer(to: &sa) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc_connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if r != 0 && errno != EINPROGRESS {
            let e = errno
            _ = Glibc_close(fd)
            throw NetError.from(errno: e, call: "connect")
        }
        if r != 0 {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                let n = poll(&p, 1, ms)
                if n > 0 { break }
                if n == 0 { _ = Glibc_close(fd); throw NetError.timeout(seconds: timeout) }
                if errno != EINTR { let e = errno; _ = Glibc_close(fd); throw NetError.from(errno: e, call: "poll") }
            }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if err != 0 { _ = Glibc_close(fd); throw NetError.from(errno: err, call: "connect") }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return TCPConnection(fd: fd)
    }

    /// Dotted-quad text passes through; names resolve with getaddrinfo (IPv4).
    public static func resolve(_ host: String) throws -> String {
        if IPv4.parse(host) != nil { return host }
        if host == "localhost" { return "127.0.0.1" }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &res) == 0, let first = res else { throw NetError.dns(host: host) }
        defer { freeaddrinfo(res) }
        let sin = first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        return IPv4.text(sin.sin_addr)
    }
}

@inline(__always) func Glibc_connect(_ fd: Int32, _ a: UnsafePointer<sockaddr>, _ l: socklen_t) -> Int32 {
    #if canImport(Glibc)
    return Glibc.connect(fd, a, l)
    #else
    return Darwin.connect(fd, a, l)
    #endif
}
