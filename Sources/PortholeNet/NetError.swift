import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a socket operation failed, in the terms an operator reads a network failure in.
///
/// The distinction matters: refused means nothing listens; a timeout means packets are dropped.
public enum NetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer answered the SYN with a RST: nothing listens on that address and port.
    case refused
    /// No answer within the budget: packets are dropped on the way (firewall, unannounced IP).
    case timeout(seconds: Double)
    /// The connection was reset after it was established.
    case reset
    /// The name did not resolve.
    case dns(host: String)
    /// No route to the host or network (ICMP unreachable, ARP failure).
    case unreachable
    /// The peer closed the connection before a complete answer.
    case closed
    /// The address text is not an IPv4 address or host name we can use.
    case badAddress(String)
    /// Any other errno, with its name.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .refused: return "connection refused"
        case .timeout(let s): return "timed out after \(formatSeconds(s))"
        case .reset: return "connection reset by peer"
        case .dns(let h): return "cannot resolve host \(h)"
        case .unreachable: return "no route to host"
        case .closed: return "connection closed before a complete answer"
        case .badAddress(let a): return "not a usable address: \(a)"
        case .system(let call, let e): return "\(call): \(String(cString: strerror(e)))"
        }
    }

    /// Classifies an errno from connect/read/write.
    public static func from(errno e: Int32, call: String) -> NetError {
        switch e {
        case ECONNREFUSED: return .refused
        case ECONNRESET, EPIPE: return .reset
        case ETIMEDOUT: return .timeout(seconds: 0)
        case EHOSTUNREACH, ENETUNREACH: return .unreachable
        default: return .system(call: call, errno: e)
        }
    }
}

/// "1.5s" / "250ms": how durations are shown to people.
public func formatSeconds(_ s: Double) -> String {
    if s < 1 { return "\(Int((s * 1000).rounded()))ms" }
    let r = (s * 10).rounded() / 10
    return r == r.rounded() ? "\(Int(r))s" : "\(r)s"
}
