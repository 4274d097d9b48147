import Foundation
import PortholeKube

extension FindingDefinition {
    static let internalHostOnGateway = FindingDefinition(
        code: "PH0313", level: .info, title: "GatewayRouteForInClusterHostOnly",
        template: "{virtualService} is bound to {gateways} but its hosts {hosts} are in-cluster Service names: outside clients reach it only when they send that Host header",
        cause: "The gateway matches routes by the request's Host header; a browser sends the address it was given (an IP or a public name), not the Service's cluster name, so it gets 404 NR.",
        fix: "add the name clients use (or \"*\") to spec.hosts, or send the header: curl -H 'Host: {host}' http://<gateway-address>:<port>/")
}

/// Gateway-bound VirtualServices that only match in-cluster host names.
public enum InternalHostOnGatewayCheck: FindingCheck {
    public static let id = "gateway-route-for-in-cluster-host-only"
    public static var definitions: [FindingDefinition] { [.internalHostOnGateway] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        s.virtualServices.compactMap { vs in
            let gateways = vs.gateways.filter { $0 != "mesh" }
            guard !gateways.isEmpty, !vs.hosts.isEmpty, vs.hosts.allSatisfy({ host in
                host.hasSuffix(".svc.cluster.local") || (!host.contains(".") && !host.contains("*"))
            }) else { return nil }
            return FindingDefinition.internalHostOnGateway.make(vs.reference, field: "spec.hosts", [
                "virtualService": .object(vs.reference), "gateways": .list(gateways), "hosts": .list(vs.hosts), "host": .host(vs.hosts[0]),
            ])
        }
    }

    static func vs(_ hosts: String) -> String {
        RoutingExamples.virtualService(namespace: "istio-system", """
              hosts: \(hosts)
              gateways: [prometheus-gateway]
              http:
              - route: [{destination: {host: prometheus, port: {number: 9090}}}]
            """)
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("cluster name only", raises: ["PH0313"], yaml: vs("[prometheus.istio-system.svc.cluster.local]")),
            CheckExample("short name only", raises: ["PH0313"], yaml: vs("[prometheus]")),
            CheckExample("public name", raises: [], yaml: vs("[prometheus.example.com]")),
            CheckExample("wildcard", raises: [], yaml: vs("[\"*\"]")),
        ]
    }
}
