import Foundation
import PortholeKube

/// The path Prometheus serves under: `--web.route-prefix`, else the path of `--web.external-url`, else `/`.
/// Under `/prometheus`, `/-/ready` answers 404 and `/prometheus/-/ready` 200; `/` redirects to the prefix.
public enum PrometheusRoutePrefix {
    /// The prefix without a trailing slash (`/prometheus`), or "" when Prometheus serves at `/`.
    public static func of(containers: [JSONValue]) -> String {
        guard PrometheusListen.of(containers: containers) != nil else { return "" }
        let args = containers.flatMap { c in ((c["args"]?.arrayValue ?? []) + (c["command"]?.arrayValue ?? [])).compactMap(\.stringValue) }
        func flag(_ name: String) -> String? {
            for (i, a) in args.enumerated() {
                if a.hasPrefix("--\(name)=") { return String(a.dropFirst(name.count + 3)) }
                if a == "--\(name)", i + 1 < args.count { return args[i + 1] }
            }
            return nil
        }
        if let prefix = flag("web.route-prefix") { return normalized(prefix) }
        // Prometheus takes the path of whatever url.Parse makes of it, scheme or not (`--web.external-url=/prometheus/`).
        if let external = flag("web.external-url"), let url = URL(string: external) { return normalized(url.path) }
        return ""
    }

    /// `/prometheus/` and `prometheus` both mean `/prometheus`; `/` and "" mean the root ("").
    static func normalized(_ path: String) -> String {
        let trimmed = path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        return trimmed.isEmpty ? "" : "/" + trimmed
    }
}
