import Foundation
import PortholeKube

/// ingress-nginx's HTTP-to-HTTPS redirect: a plain request for a host the Ingress has TLS for is answered
/// `308 Permanent Redirect` to https before access rules and upstreams (unless `ssl-redirect: "false"`), and
/// `force-ssl-redirect: "true"` redirects even without TLS (TLS ended in front of nginx).
enum NginxSSLRedirect {
    static let sslRedirect = "nginx.ingress.kubernetes.io/ssl-redirect"
    static let forceSSLRedirect = "nginx.ingress.kubernetes.io/force-ssl-redirect"

    /// True when `ing` redirects plain requests for `host`; `globalSSLRedirect` is the controller ConfigMap's
    /// `ssl-redirect` (true unless it says "false").
    static func redirects(_ ing: JSONValue, host: String, globalSSLRedirect: Bool) -> Bool {
        if ing.annotations[forceSSLRedirect] == "true" { return true }
        let enabled = ing.annotations[sslRedirect].map { $0 != "false" } ?? globalSSLRedirect
        guard enabled else { return false }
        let tlsHosts = (ing.spec["tls"]?.array ?? []).flatMap { $0["hosts"]?.strings ?? [] }
        return tlsHosts.contains { HostMatch.matches(pattern: $0, host: host) }
    }
}
