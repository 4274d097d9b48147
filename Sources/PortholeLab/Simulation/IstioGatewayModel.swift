import Foundation
import PortholeKube

/// Istio's ingress gateway as the Envoy inside it sees its configuration.
///
/// The gateway Envoy opens a listener on port N only when some `Gateway` whose `selector` matches the
/// gateway pods declares a server with `port.number` N; traffic reaches it through a Service whose
/// **targetPort** is N. Unprivileged gateways skip ports below 1024.
struct IstioGatewayModel {
    let store: ObjectStore
    let topology: LabTopology

    /// Labels that mark Istio gateway pods (istioctl installs: `istio: ingressgateway`, Helm: `istio: ingress`).
    static func isGatewayPod(_ pod: JSONValue) -> Bool {
        ["ingressgateway", "ingress", "egressgateway"].contains(pod.labels["istio"] ?? "")
    }

    /// One Gateway server bound to the gateway pods.
    struct Server {
        var gateway: ObjectRef
        var port: Int
        var protocolName: String
        var hosts: [String]
    }

    /// Every server of every Gateway that selects any of `pods`.
    func servers(for pods: [JSONValue]) -> [Server] {
        guard topology.components.istio != nil else { return [] }
        var out: [Server] = []
        for gw in store.list(Kinds.istioGateways) {
            let selector = JSONValue.stringMap(gw.spec["selector"])
            guard pods.contains(where: { Selector.matches(selector, $0.labels) }) else { continue }
            for s in gw.spec["servers"]?.array ?? [] {
                guard let n = s["port"]?["number"]?.intValue else { continue }
                out.append(Server(gateway: ObjectRef(Kinds.istioGateways, namespace: gw.namespace, name: gw.name), port: n,
                                  protocolName: s["port"]?["protocol"]?.stringValue ?? "HTTP",
                                  hosts: (s["hosts"]?.strings ?? []).map(HostMatch.serverHost)))
            }
        }
        return out
    }

    /// The ports the gateway Envoy actually listens on.
    func listenerPorts(for pods: [JSONValue]) -> Set<Int> {
        let unprivileged = topology.components.istio?.unprivilegedGateway ?? false
        return Set(servers(for: pods).map(\.port).filter { !(unprivileged && $0 < 1024) })
    }

    /// The gateway pods behind a Service, or [] when the Service does not front an Istio gateway.
    func gatewayPods(of svc: JSONValue) -> [JSONValue] {
        let pods = MeshPolicy(store: store).pods(of: svc)
        return pods.contains(where: Self.isGatewayPod) ? pods : []
    }
}
