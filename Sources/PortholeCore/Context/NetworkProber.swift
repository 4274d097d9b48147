import Foundation

/// How a connection or exchange failed, in the words the playbooks match on.
public enum NetFailureKind: String, Sendable, Codable, CaseIterable {
    case refused, timeout, reset, dns, unreachable, tls, closed, other
}

/// A failed connect or exchange: the kind for matching, the detail for people.
public struct NetFailure: Error, Sendable, Hashable, Codable {
    public var kind: NetFailureKind
    public var detail: String
    public init(_ kind: NetFailureKind, _ detail: String) { self.kind = kind; self.detail = detail }
}

/// One HTTP request as an HTTP probe describes it, variables already substituted.
public struct HTTPExchangeRequest: Sendable, Hashable, Codable {
    public var url: String
    public var method: String
    /// Host header override; nil sends the URL's authority.
    public var host: String?
    public var headers: [String: String]
    public var connectTimeout: Double
    public var timeout: Double

    public init(url: String, method: String = "GET", host: String? = nil, headers: [String: String] = [:],
                connectTimeout: Double = 2, timeout: Double = 5) {
        self.url = url
        self.method = method
        self.host = host
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// The answer to an HTTP exchange. Header names are lowercased.
public struct HTTPExchangeResponse: Sendable, Hashable, Codable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Opens connections for the tcp and http probes.
public protocol NetworkProber: Sendable {
    /// Connects and closes; nil on success.
    func tcpConnect(host: String, port: Int, timeout: Double) async -> NetFailure?
    func httpExchange(_ request: HTTPExchangeRequest) async -> Result<HTTPExchangeResponse, NetFailure>
    /// `tcpConnect` with the seconds the network took. The live prober times it where the socket waits, so a
    /// busy process that resumes the caller late does not make a 300 ms timeout look like 30 s.
    func timedTCPConnect(host: String, port: Int, timeout: Double) async -> (failure: NetFailure?, seconds: Double)
    /// `httpExchange` with the seconds the network took (see `timedTCPConnect`).
    func timedHTTPExchange(_ request: HTTPExchangeRequest) async -> (result: Result<HTTPExchangeResponse, NetFailure>, seconds: Double)
}

public extension NetworkProber {
    /// Times the call from the caller's side (a double's answer takes no network time).
    func timedTCPConnect(host: String, port: Int, timeout: Double) async -> (failure: NetFailure?, seconds: Double) {
        let start = Date()
        let f = await tcpConnect(host: host, port: port, timeout: timeout)
        return (f, Date().timeIntervalSince(start))
    }

    func timedHTTPExchange(_ request: HTTPExchangeRequest) async -> (result: Result<HTTPExchangeResponse, NetFailure>, seconds: Double) {
        let start = Date()
        let r = await httpExchange(request)
        return (r, Date().timeIntervalSince(start))
    }
}
