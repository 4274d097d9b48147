import Foundation
import PortholeKube

/// `tcp`: connect and close. Refused (nothing listens) and timeout (packets dropped) are told apart.
///
/// ```yaml
/// - id: nodeport
///   timeout: 2s
///   tcp: {host: "${nodeIP}", port: "${nodePort}"}
/// ```
/// Result: `{connected, error, elapsedMs}`.
public enum TCPProbe {
    public static func run(_ probe: Probe, host: String, port: String, in env: ProbeEnvironment) async -> ProbeRecord {
        let target = "tcp \(host):\(port)"
        guard let p = Int(port) else {
            return ProbeRecord(probe: probe.id, kind: "tcp", target: target, status: "bad port",
                               document: ["connected": false, "error": "other", "detail": .string("`\(port)` is not a port number")])
        }
        let (failure, elapsed) = await env.context.network.timedTCPConnect(host: host, port: p, timeout: probe.timeout)
        var doc: JSONValue = ["connected": .bool(failure == nil), "elapsedMs": .int(Int(elapsed * 1000))]
        if let f = failure {
            doc["error"] = .string(f.kind.rawValue)
            doc["detail"] = .string(f.detail)
        }
        return ProbeRecord(probe: probe.id, kind: "tcp", target: target, status: failure?.kind.rawValue ?? "connected",
                           output: failure?.detail ?? "", document: doc, duration: elapsed)
    }
}
