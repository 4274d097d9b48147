import Foundation
import PortholeKube

/// The path Prometheus serves under: `--web.route-prefix`, else the path of `--web.external-url`, else `/`.
/// Under `/prometheus`, `/-/ready` answers 404 and `/prometheus/-/ready` 200; `/` redirects to the prefix.
public enum PrometheusRoutePrefix {
    /// The prefix without a trailing slash (`/prometheus`), or "" when Prometheus serves at `/`.
    public static func of(containers: [JSONValue]) -> String {
        guard PrometheusListen.of(containers: containers) != nil else { return "" }
        let args = containers.flatMap { c in ((c["args"]?.arrayValue ?? []) + (c["command"]?.arrayValue ?? [])).compactMap(\.stringValue) }
        return PrometheusArguments.routePrefix(args)
    }
}
