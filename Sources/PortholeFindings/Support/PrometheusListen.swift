import Foundation
import PortholeKube

/// Where a Prometheus container listens: its `--web.listen-address` (`HOST:PORT`, `:PORT`), 0.0.0.0:9090 by default.
public struct PrometheusListen: Sendable, Hashable {
    public var host: String
    public var port: Int

    /// True when only the pod itself can connect (kubectl port-forward can: it dials localhost inside the pod).
    public var loopbackOnly: Bool { host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" }

    /// The listen address of the Prometheus server container of a pod spec's containers, or nil when none looks
    /// like one (image or name `prometheus`, not a sidecar such as the config reloader).
    public static func of(containers: [JSONValue]) -> PrometheusListen? {
        let server = containers.first { c in
            let name = c["name"]?.stringValue ?? "", image = c["image"]?.stringValue ?? ""
            let isHelper = name.contains("reloader") || name.contains("istio-proxy") || image.contains("reloader")
            return !isHelper && (image.contains("prometheus:") || image.contains("/prometheus") || name.hasPrefix("prometheus"))
        }
        guard let c = server else { return nil }
        let args = ((c["args"]?.arrayValue ?? []) + (c["command"]?.arrayValue ?? [])).compactMap(\.stringValue)
        for (i, a) in args.enumerated() {
            var value: String?
            if a.hasPrefix("--web.listen-address=") { value = String(a.dropFirst("--web.listen-address=".count)) }
            else if a == "--web.listen-address", i + 1 < args.count { value = args[i + 1] }
            if let v = value, let colon = v.lastIndex(of: ":"), let port = Int(v[v.index(after: colon)...]) {
                let host = String(v[..<colon])
                return PrometheusListen(host: host.isEmpty ? "0.0.0.0" : host, port: port)
            }
        }
        return PrometheusListen(host: "0.0.0.0", port: 9090)
    }
}
