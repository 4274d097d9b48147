import Foundation
import PortholeKube

extension FindingDefinition {
    static let httpsRedirectOnRoute = FindingDefinition(
        code: "PH0206", level: .warning, title: "HTTPSRedirectOnPrometheusRoute",
        template: "{gateway} field spec.servers[{index}] (port {port}) has tls.httpsRedirect for {hosts}: plain HTTP to {host} gets 301 to https:// and never reaches {virtualService}",
        cause: "A Gateway server with tls.httpsRedirect: true answers every request on it with a 301 to the same URL over https. Prometheus is then reached only through the gateway's TLS port, where a server with a certificate must exist for the host; a client or probe that does not follow the redirect sees 301, and one that follows it meets whatever the TLS port serves.",
        fix: "open Prometheus over HTTPS on the gateway's TLS port (a server with protocol HTTPS and tls.credentialName for {host}), or drop httpsRedirect on this server if plain HTTP is meant")
}

/// A Gateway HTTP server that redirects to HTTPS the host a VirtualService routes to Prometheus.
public enum HTTPSRedirectCheck: FindingCheck {
    public static let id = "https-redirect-on-prometheus-route"
    public static var definitions: [FindingDefinition] { [.httpsRedirectOnRoute] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let prometheus = Set(PrometheusTargets.candidates(s).map { "\($0.namespace)/\($0.name)" })
        var out: [Finding] = []
        for vs in s.virtualServices where !vs.hosts.isEmpty {
            let toPrometheus = vs.destinations.contains { d in
                s.serviceName(d.host, from: vs.namespace).map { prometheus.contains("\($0.namespace)/\($0.name)") } ?? false
            }
            guard toPrometheus else { continue }
            for ref in vs.gateways where ref != "mesh" {
                let (ns, name) = GatewayReferenceCheck.split(ref, default: vs.namespace)
                guard let gw = s.istioGateways.first(where: { $0.name == name && $0.namespace == ns }) else { continue }
                for server in gw.servers where server.httpsRedirect && server.protocolName.uppercased() == "HTTP" {
                    let serverHosts = server.hosts.map { HostNames.splitServerHost($0).host }
                    guard let host = vs.hosts.first(where: { h in serverHosts.contains { HostNames.intersect(h, $0) } }) else { continue }
                    out.append(FindingDefinition.httpsRedirectOnRoute.make(gw.reference, field: "spec.servers[\(server.index)].tls.httpsRedirect", [
                        "gateway": .object(gw.reference), "index": .count(server.index), "port": .port(server.port),
                        "hosts": .list(server.hosts), "host": .host(host), "virtualService": .object(vs.reference),
                    ]))
                }
            }
        }
        return out
    }

    /// The shared routing examples, with the Gateway's server redirecting to https or not.
    static func objects(redirect: Bool) -> String {
        RoutingExamples.join(RoutingExamples.gateway + "\n    tls: {httpsRedirect: \(redirect)}",
                             RoutingExamples.virtualService(namespace: "istio-system", """
                               hosts: [prometheus.example.com]
                               gateways: [prometheus-gateway]
                               http:
                               - route: [{destination: {host: prometheus, port: {number: 9090}}}]
                             """), RoutingExamples.prometheus)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("the whole port 80 redirected to https", raises: ["PH0206"], yaml: objects(redirect: true)),
            CheckExample("plain HTTP", raises: [], yaml: objects(redirect: false)),
        ]
    }
}
