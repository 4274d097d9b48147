import Foundation
import PortholeKube

/// `http`: one request; the failure kind tells where the path broke.
///
/// ```yaml
/// - id: ready
///   timeout: 3s
///   http: {url: "http://${nodeIP}:${nodePort}/-/ready", host: prometheus.example, connectTimeout: 1s}
/// ```
/// Result: `{status, headers, body, elapsedMs}` or `{error: refused|timeout|reset|dns|unreachable|tls|closed|other, detail, elapsedMs}`.
public enum HTTPProbe {
    public static func run(_ probe: Probe, request: HTTPExchangeRequest, in env: ProbeEnvironment) async -> ProbeRecord {
        let (result, elapsed) = await env.context.network.timedHTTPExchange(request)
        var doc: JSONValue = ["elapsedMs": .int(Int(elapsed * 1000))]
        let status: String
        let output: String
        switch result {
        case .success(let r):
            let body = String(decoding: r.body.prefix(65536), as: UTF8.self)
            doc["status"] = .int(r.status)
            doc["headers"] = .object(r.headers.mapValues { .string($0) })
            doc["body"] = .string(body)
            status = "\(r.status)"
            output = r.headers.keys.sorted().map { "\($0): \(r.headers[$0]!)" }.joined(separator: "\n") + "\n\n" + body
        case .failure(let f):
            doc["error"] = .string(f.kind.rawValue)
            doc["detail"] = .string(f.detail)
            status = f.kind.rawValue
            output = f.detail
        }
        let hostNote = request.host.map { " (Host: \($0))" } ?? ""
        return ProbeRecord(probe: probe.id, kind: "http", target: "\(request.method) \(request.url)\(hostNote)", status: status,
                           output: trimmedOutput(output, limit: 2000), document: doc, duration: elapsed)
    }
}
