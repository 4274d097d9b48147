import Foundation

/// Prometheus's command-line flags as its server reads them; shared by the checks and the lab, which must
/// agree on where a Prometheus pod serves.
public enum PrometheusArguments {
    /// The value of the first `--NAME=VALUE` or `--NAME VALUE` in `args`; nil when the flag is absent.
    public static func value(of name: String, in args: [String]) -> String? {
        for (i, arg) in args.enumerated() {
            if arg.hasPrefix("--\(name)=") { return String(arg.dropFirst(name.count + 3)) }
            if arg == "--\(name)", i + 1 < args.count { return args[i + 1] }
        }
        return nil
    }

    /// The path Prometheus serves under, without a trailing slash (`/prometheus`), or "" for `/`:
    /// `--web.route-prefix`, else the path of `--web.external-url` as Go's url.Parse reads it, scheme or not.
    public static func routePrefix(_ args: [String]) -> String {
        if let prefix = value(of: "web.route-prefix", in: args) { return normalizedPath(prefix) }
        if let external = value(of: "web.external-url", in: args), let url = URL(string: external) { return normalizedPath(url.path) }
        return ""
    }

    /// `/prometheus/` and `prometheus` both mean `/prometheus`; `/` and "" mean the root ("").
    public static func normalizedPath(_ path: String) -> String {
        let trimmed = path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        return trimmed.isEmpty ? "" : "/" + trimmed
    }
}
