import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTPS exchanges through URLSession, with its errors mapped onto the probe's failure kinds.
enum TLSExchange {
    static func send(_ request: HTTPExchangeRequest) async -> Result<HTTPExchangeResponse, NetFailure> {
        guard let url = URL(string: request.url) else { return .failure(NetFailure(.other, "not a usable URL: \(request.url)")) }
        var r = URLRequest(url: url, timeoutInterval: request.connectTimeout + request.timeout)
        r.httpMethod = request.method
        if let h = request.host { r.setValue(h, forHTTPHeaderField: "Host") }
        for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = request.connectTimeout + request.timeout
        config.timeoutIntervalForResource = request.connectTimeout + request.timeout
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: r)
            guard let http = response as? HTTPURLResponse else { return .failure(NetFailure(.other, "not an HTTP response")) }
            var hs: [String: String] = [:]
            for (k, v) in http.allHeaderFields { hs["\(k)".lowercased()] = "\(v)" }
            return .success(HTTPExchangeResponse(status: http.statusCode, headers: hs, body: data))
        } catch let e as URLError {
            let detail = e.localizedDescription
            // On Linux, libcurl's TLS failures arrive as URLError.unknown carrying OpenSSL's words.
            let tlsWords = ["SSL", "TLS", "certificate", "handshake"]
            let k = kind(e.code) == .other && tlsWords.contains(where: detail.contains) ? .tls : kind(e.code)
            return .failure(NetFailure(k, detail))
        } catch {
            return .failure(NetFailure(.other, "\(error)"))
        }
    }

    static func kind(_ code: URLError.Code) -> NetFailureKind {
        switch code {
        case .timedOut: return .timeout
        case .cannotConnectToHost: return .refused
        case .networkConnectionLost: return .reset
        case .cannotFindHost, .dnsLookupFailed: return .dns
        case .notConnectedToInternet: return .unreachable
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
             .clientCertificateRequired: return .tls
        case .zeroByteResource, .badServerResponse: return .closed
        default: return .other
        }
    }
}
