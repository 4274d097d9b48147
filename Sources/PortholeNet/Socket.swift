import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected TCP socket. Blocking reads with a deadline; closing is explicit.
public final class TCPConnection: @unchecked Sendable {
    public let fd: Int32
    private var closed = false
    private let lock = NSLock()
    /// Bytes read past the last parsed message, kept for the next read.
    public var pending: [UInt8] = []

    public init(fd: Int32) {
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// The descriptor is released only here, when no thread can still be reading or writing it
    /// (a number closed early may be reused by another socket and read by a late caller).
    deinit {
        close()
        _ = Glibc_close(fd)
    }

    /// Reads up to `max` bytes; returns [] at end of stream. `timeout` nil waits forever.
    public func read(max: Int = 65536, timeout: Double? = nil) throws -> [UInt8] {
        if !pending.isEmpty {
            let n = min(max, pending.count)
            let out = Array(pending[0..<n])
            pending.removeFirst(n)
            return out
        }
        if let t = timeout { try waitReadable(timeout: t) }
        var buf = [UInt8](repeating: 0, count: max)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, max) }
            if n >= 0 { return Array(buf[0..<n]) }
            if errno == EINTR { continue }
            throw NetError.from(errno: errno, call: "read")
        }
    }

    /// Waits until the socket has data or EOF; throws `.timeout` after `timeout` seconds.
    public func waitReadable(timeout: Double) throws {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let ms = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            let r = poll(&p, 1, ms)
            if r > 0 { return }
            if r == 0 { throw NetError.timeout(seconds: timeout) }
            if errno != EINTR { throw NetError.from(errno: errno, call: "poll") }
        }
    }

    /// Writes every byte or throws.
    public func write(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { p -> Int in
                #if canImport(Glibc)
                return send(fd, p.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL))
                #else
                return send(fd, p.baseAddress! + off, bytes.count - off, 0)
                #endif
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw NetError.from(errno: errno, call: "write")
            }
            off += n
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Half-closes: the peer reads EOF, we can still read.
    public func shutdownWrite() { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Closes so that the peer sees a RST (SO_LINGER 0), as a crashing or resetting peer does.
    public func reset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close(gracefully: false)
    }

    public func close() { close(gracefully: true) }

    /// Ends the connection now (FIN, or RST for a reset) and wakes any thread blocked on it. The descriptor
    /// number stays reserved until deinit, so no late read or write can reach a socket that reused it.
    private func close(gracefully: Bool) {
        lock.lock(); defer { lock.unlock() }
        if closed { return }
        closed = true
        if gracefully {
            _ = shutdown(fd, Int32(SHUT_RDWR))
        } else {
            // With SO_LINGER 0 only close() sends the RST (shutdown would send a FIN first): swap in a dead
            // descriptor so the number stays reserved while the real socket is closed and reset.
            let dead = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if dead >= 0 {
                let copy = dup(fd)
                _ = dup2(dead, fd)
                _ = Glibc_close(dead)
                if copy >= 0 { _ = Glibc_close(copy) }
            } else {
                _ = shutdown(fd, Int32(SHUT_RDWR))
            }
        }
    }

    /// The local address as "a.b.c.d:port".
    public var localAddress: String { Self.describe(fd: fd, peer: false) }
    /// The remote address as "a.b.c.d:port".
    public var remoteAddress: String { Self.describe(fd: fd, peer: true) }

    static func describe(fd: Int32, peer: Bool) -> String {
        var a = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let r = withUnsafeMutablePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { peer ? getpeername(fd, $0, &len) : getsockname(fd, $0, &len) }
        }
        guard r == 0 else { return "?" }
        return "\(IPv4.text(a.sin_addr)):\(UInt16(bigEndian: a.sin_port))"
    }
}

/// Thin wrappers so that the names `read`/`close` inside the class do not shadow libc's.
@inline(__always) func Glibc_read(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, p, n)
    #else
    return Darwin.read(fd, p, n)
    #endif
}

@inline(__always) func Glibc_close(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}

/// IPv4 address helpers.
public enum IPv4 {
    /// Parses dotted-quad text.
    public static func parse(_ text: String) -> in_addr? {
        var a = in_addr()
        return inet_pton(AF_INET, text, &a) == 1 ? a : nil
    }

    public static func text(_ a: in_addr) -> String {
        var a = a
        var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &a, &buf, socklen_t(INET_ADDRSTRLEN))
        return String(cString: buf)
    }

    /// The address as a host-order integer.
    public static func value(_ text: String) -> UInt32? {
        parse(text).map { UInt32(bigEndian: $0.s_addr) }
    }

    /// True for 127.0.0.0/8.
    public static func isLoopback(_ text: String) -> Bool {
        guard let v = value(text) else { return false }
        return v >> 24 == 127
    }

    /// True for an address block as Go's ParseCIDR takes it: `a.b.c.d/n` (n 0-32) or an IPv6 prefix (n 0-128);
    /// a bare address is no block.
    public static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]), String(bits) == parts[1] else { return false }
        if parse(String(parts[0])) != nil { return (0...32).contains(bits) }
        var v6 = in6_addr()
        return inet_pton(AF_INET6, String(parts[0]), &v6) == 1 && (0...128).contains(bits)
    }

    /// True when `address` lies in `cidr` ("127.10.0.0/24").
    public static func contains(cidr: String, address: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard let base = value(String(parts[0])), let a = value(address) else { return false }
        let bits = parts.count > 1 ? Int(parts[1]) ?? 32 : 32
        guard (0...32).contains(bits) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
        return base & mask == a & mask
    }

    static func sockaddr(host: String, port: UInt16) throws -> sockaddr_in {
        guard let a = parse(host) else { throw NetError.badAddress(host) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        sa.sin_addr = a
        return sa
    }
}
