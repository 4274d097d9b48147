import Foundation
import PortholeNet
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The live prober: plain TCP and HTTP over PortholeNet (exact failure kinds), HTTPS over URLSession.
public struct SocketNetworkProber: NetworkProber {
    public init() {}

    public func tcpConnect(host: String, port: Int, timeout: Double) async -> NetFailure? {
        await timedTCPConnect(host: host, port: port, timeout: timeout).failure
    }

    public func httpExchange(_ request: HTTPExchangeRequest) async -> Result<HTTPExchangeResponse, NetFailure> {
        await timedHTTPExchange(request).result
    }

    public func timedTCPConnect(host: String, port: Int, timeout: Double) async -> (failure: NetFailure?, seconds: Double) {
        guard let p = UInt16(exactly: port) else { return (NetFailure(.other, "port \(port) is out of range"), 0) }
        return await offloaded {
            let start = Date()
            do {
                let c = try TCPDialer.connect(host: host, port: p, timeout: timeout)
                c.close()
                return (nil, Date().timeIntervalSince(start))
            } catch let e as NetError {
                return (Self.failure(e), Date().timeIntervalSince(start))
            } catch {
                return (NetFailure(.other, "\(error)"), Date().timeIntervalSince(start))
            }
        }
    }

    public func timedHTTPExchange(_ request: HTTPExchangeRequest) async -> (result: Result<HTTPExchangeResponse, NetFailure>, seconds: Double) {
        let start = Date()
        let r = await exchange(request)
        return (r.result, r.seconds ?? Date().timeIntervalSince(start))
    }

    /// One exchange; `seconds` is the socket's own time when the exchange ran on a thread of its own.
    private func exchange(_ request: HTTPExchangeRequest) async -> (result: Result<HTTPExchangeResponse, NetFailure>, seconds: Double?) {
        guard let url = URLComponents(string: request.url), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty else {
            return (.failure(NetFailure(.other, "not a usable URL: \(request.url)")), nil)
        }
        if scheme == "https" { return (await TLSExchange.send(request), nil) }
        guard scheme == "http" else { return (.failure(NetFailure(.other, "unsupported scheme \(scheme)")), nil) }
        let port = url.port ?? 80
        guard let p = UInt16(exactly: port) else { return (.failure(NetFailure(.other, "port \(port) is out of range")), nil) }
        var target = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        if let q = url.percentEncodedQuery { target += "?" + q }
        var headers = HTTPHeaders()
        if let h = request.host { headers.add("Host", h) }
        for (k, v) in request.headers.sorted(by: { $0.key < $1.key }) { headers.set(k, v) }
        let wire = HTTPRequest(method: request.method, target: target, headers: headers)
        return await offloaded {
            let start = Date()
            do {
                let r = try HTTPClient.send(wire, host: host, port: p, connectTimeout: request.connectTimeout,
                                            timeout: request.timeout)
                var hs: [String: String] = [:]
                for f in r.headers { hs[f.name.lowercased()] = hs[f.name.lowercased()].map { $0 + ", " + f.value } ?? f.value }
                return (.success(HTTPExchangeResponse(status: r.status, headers: hs, body: Data(r.body))), Date().timeIntervalSince(start))
            } catch let e as NetError {
                return (.failure(Self.failure(e)), Date().timeIntervalSince(start))
            } catch {
                return (.failure(NetFailure(.other, "\(error)")), Date().timeIntervalSince(start))
            }
        }
    }

    static func failure(_ e: NetError) -> NetFailure {
        switch e {
        case .refused: return NetFailure(.refused, e.description)
        case .timeout: return NetFailure(.timeout, e.description)
        case .reset: return NetFailure(.reset, e.description)
        case .dns: return NetFailure(.dns, e.description)
        case .unreachable: return NetFailure(.unreachable, e.description)
        case .closed: return NetFailure(.closed, e.description)
        case .badAddress, .system: return NetFailure(.other, e.description)
        }
    }
}
