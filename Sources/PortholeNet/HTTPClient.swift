import Foundation

/// One HTTP/1.1 exchange over a fresh TCP connection, with the failure kind kept exact.
///
/// Used by porthole's HTTP probe and by tests; plain HTTP only (TLS goes through URLSession elsewhere).
public enum HTTPClient {
    /// Sends `request` to host:port. Adds `Host` (unless given) and `Connection: close`.
    /// - Parameters:
    ///   - connectTimeout: budget for the TCP handshake (a timeout here means dropped packets).
    ///   - timeout: budget for the whole answer once connected.
    public static func send(_ request: HTTPRequest, host: String, port: UInt16,
                            connectTimeout: Double, timeout: Double) throws -> HTTPResponse {
        let c = try TCPDialer.connect(host: host, port: port, timeout: connectTimeout)
        defer { c.close() }
        var r = request
        if r.headers["Host"] == nil { r.headers.add("Host", port == 80 ? host : "\(host):\(port)") }
        r.headers.set("Connection", "close")
        if r.headers["User-Agent"] == nil { r.headers.add("User-Agent", "porthole") }
        try c.write(r.serialized())
        return try HTTPWire.readResponse(c, timeout: timeout, headOnly: r.method == "HEAD")
    }
}
