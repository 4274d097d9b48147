import Foundation
import PortholeKube

extension FindingDefinition {
    static let hostsDoNotIntersect = FindingDefinition(
        code: "PH0305", level: .error, title: "VirtualServiceHostsOutsideGateway",
        template: "{virtualService} hosts {hosts} do not intersect the hosts of {gateway} ({serverHosts}): the gateway answers 404 NR",
        cause: "A gateway applies a VirtualService only for hosts that match both the VirtualService's hosts and a server's hosts (namespace-qualified server hosts also limit which namespaces may bind).",
        fix: "add a host the Gateway serves ({serverHosts}) to spec.hosts, or add {host} to the Gateway server's hosts")
}

/// A VirtualService bound to a Gateway none of whose server hosts it matches.
public enum HostIntersectionCheck: FindingCheck {
    public static let id = "hosts-do-not-intersect"
    public static var definitions: [FindingDefinition] { [.hostsDoNotIntersect] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for vs in s.virtualServices where !vs.hosts.isEmpty {
            for ref in vs.gateways where ref != "mesh" {
                let (ns, name) = GatewayReferenceCheck.split(ref, default: vs.namespace)
                guard let gw = s.istioGateways.first(where: { $0.name == name && $0.namespace == ns }) else { continue }
                let entries = gw.servers.flatMap(\.hosts)
                let usable = entries.map(HostNames.splitServerHost).filter { part in
                    guard let n = part.namespace else { return true }
                    return n == "*" || n == vs.namespace || (n == "." && vs.namespace == gw.namespace)
                }.map(\.host)
                if vs.hosts.contains(where: { h in usable.contains { HostNames.intersect(h, $0) } }) { continue }
                out.append(FindingDefinition.hostsDoNotIntersect.make(vs.reference, field: "spec.hosts", [
                    "virtualService": .object(vs.reference), "hosts": .list(vs.hosts), "gateway": .object(gw.reference),
                    "serverHosts": .list(entries), "host": .host(vs.hosts[0]),
                ]))
            }
        }
        return out
    }

    static func objects(serverHosts: String, vsHosts: String) -> String {
        RoutingExamples.join("""
            apiVersion: networking.istio.io/v1alpha3
            kind: Gateway
            metadata: {name: prometheus-gateway, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: \(serverHosts)
            """, RoutingExamples.virtualService(namespace: "istio-system", """
              hosts: \(vsHosts)
              gateways: [prometheus-gateway]
              http:
              - route: [{destination: {host: prometheus, port: {number: 9090}}}]
            """))
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("different names", raises: ["PH0305"], yaml: objects(serverHosts: "[grafana.example.com]", vsHosts: "[prometheus.example.com]")),
            CheckExample("server host limited to another namespace", raises: ["PH0305"], yaml: objects(serverHosts: "[\"monitoring/*\"]", vsHosts: "[prometheus.example.com]")),
            CheckExample("wildcard server host", raises: [], yaml: objects(serverHosts: "[\"*.example.com\"]", vsHosts: "[prometheus.example.com]")),
            CheckExample("same-namespace qualified host", raises: [], yaml: objects(serverHosts: "[\"./prometheus.example.com\"]", vsHosts: "[prometheus.example.com]")),
        ]
    }
}
