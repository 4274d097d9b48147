import Foundation
import PortholeKube

extension FindingDefinition {
    static let meshOnlyVirtualService = FindingDefinition(
        code: "PH0304", level: .warning, title: "VirtualServiceBoundToNoGateway",
        template: "{virtualService} has no spec.gateways, so it applies only to sidecars (mesh); its hosts {hosts} are outside names the ingress gateway will not route",
        cause: "A VirtualService without gateways: binds to the reserved gateway mesh only; outside traffic through an ingress gateway never sees it (404 NR).",
        fix: "add spec.gateways: [{suggestion}] (keep mesh in the list if sidecars need the route too)")
}

/// A VirtualService meant for ingress (wildcard or outside hosts) that binds to no gateway.
public enum MeshOnlyVirtualServiceCheck: FindingCheck {
    public static let id = "virtualservice-bound-to-no-gateway"
    public static var definitions: [FindingDefinition] { [.meshOnlyVirtualService] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let entryHosts = Set(s.items(.serviceEntry).flatMap { ($0["spec"]?["hosts"]?.arrayValue ?? []).compactMap { $0.stringValue } })
        let suggestion = s.istioGateways.map { "\($0.namespace)/\($0.name)" }.sorted().first ?? "<namespace>/<gateway>"
        return s.virtualServices.filter { vs in
            guard vs.gateways.isEmpty, !vs.hosts.isEmpty else { return false }
            // Intent is ingress when a host is a wildcard or (with Services read) names no Service or ServiceEntry.
            return vs.hosts.contains { host in
                if host.contains("*") { return true }
                guard s.knows(.service), !entryHosts.contains(host) else { return false }
                guard let (name, ns) = s.serviceName(host, from: vs.namespace) else { return true }
                return s.service(name, in: ns) == nil && !s.services.contains { $0.name == name }
            }
        }.map { vs in
            FindingDefinition.meshOnlyVirtualService.make(vs.reference, field: "spec.gateways", [
                "virtualService": .object(vs.reference), "hosts": .list(vs.hosts), "suggestion": .value(suggestion),
            ])
        }
    }

    static func vs(_ lines: String) -> String {
        RoutingExamples.join(RoutingExamples.prometheus, RoutingExamples.virtualService(namespace: "istio-system", lines + """

              http:
              - route: [{destination: {host: prometheus.istio-system.svc.cluster.local, port: {number: 9090}}}]
            """))
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("wildcard host, no gateways", raises: ["PH0304"], yaml: vs("  hosts: [\"*\"]")),
            CheckExample("outside host name, no gateways", raises: ["PH0304"], yaml: vs("  hosts: [prometheus.example.com]")),
            CheckExample("mesh routing for a Service name", raises: [], yaml: vs("  hosts: [prometheus]")),
            CheckExample("bound to a gateway", raises: [], yaml: vs("  hosts: [\"*\"]\n  gateways: [istio-system/prometheus-gateway]")),
        ]
    }
}
