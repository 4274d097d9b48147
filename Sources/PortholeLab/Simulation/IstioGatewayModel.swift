import Foundation
import PortholeKube
import PortholeNet

/// Istio's ingress gateway as the Envoy inside it sees its configuration.
///
/// The gateway Envoy opens a listener only for a server of some `Gateway` whose `selector` matches the
/// gateway pods, on the **targetPort** of the gateway Service port numbered like the server's
/// `port.number`. A Service port with no server behind it has no listener. Unprivileged gateways skip
/// listener ports below 1024.
struct IstioGatewayModel {
    let store: ObjectStore
    let topology: LabTopology

    /// Labels that mark Istio gateway pods (istioctl installs: `istio: ingressgateway`, Helm: `istio: ingress`).
    static func isGatewayPod(_ pod: JSONValue) -> Bool {
        ["ingressgateway", "ingress", "egressgateway"].contains(pod.labels["istio"] ?? "")
    }

    /// Ports the gateway pod serves whatever the Gateways say: pilot-agent's status port (15020, Istio
    /// before 1.6), Envoy's health port (15021) and its Prometheus stats (15090).
    static let statusPorts: Set<Int> = [15020, 15021, 15090]

    /// What those ports answer: readiness 200, stats text, 404 otherwise.
    static func statusAnswer(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/healthz/ready", "/app-health/istio-proxy/readyz": return EnvoyRouter.answer(200, body: "")
        case "/stats/prometheus": return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4", body: "# TYPE envoy_server_live gauge\nenvoy_server_live 1\n")
        default: return EnvoyRouter.answer(404, body: "")
        }
    }

    /// One Gateway server bound to the gateway pods.
    struct Server {
        var gateway: ObjectRef
        var port: Int
        var protocolName: String
        var hosts: [String]
        /// `tls.httpsRedirect: true`: Envoy answers every request on the server with a 301 to https.
        var httpsRedirect = false
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
                                  hosts: (s["hosts"]?.strings ?? []).map(HostMatch.serverHost),
                                  httpsRedirect: s["tls"]?["httpsRedirect"]?.boolValue ?? false))
            }
        }
        return out
    }

    /// The Services in front of the gateway pods.
    func gatewayServices(for pods: [JSONValue]) -> [JSONValue] {
        guard let ns = pods.first?.namespace else { return [] }
        return store.list(Kinds.services, namespace: ns).filter { svc in
            let selector = JSONValue.stringMap(svc.spec["selector"])
            return pods.contains { Selector.matches(selector, $0.labels) }
        }
    }

    /// Where Envoy listens for a server: the targetPort of the gateway Service port numbered like the
    /// server; with no such Service port, the server's own number (reachable from no Service: IST0162).
    func listenerPort(of server: Server, services: [JSONValue]) -> Int {
        for svc in services {
            if let p = (svc.spec["ports"]?.array ?? []).first(where: { $0["port"]?.intValue == server.port }) {
                return PodController.targetPort(p, pods: [])
            }
        }
        return server.port
    }

    /// The servers behind each Envoy listener port; unprivileged gateways skip ports below 1024.
    func listeners(for pods: [JSONValue]) -> [Int: [Server]] {
        let unprivileged = topology.components.istio?.unprivilegedGateway ?? false
        let services = gatewayServices(for: pods)
        var out: [Int: [Server]] = [:]
        for server in servers(for: pods) {
            let port = listenerPort(of: server, services: services)
            if unprivileged && port < 1024 { continue }
            out[port, default: []].append(server)
        }
        return out
    }

    /// The ports the gateway Envoy actually listens on.
    func listenerPorts(for pods: [JSONValue]) -> Set<Int> { Set(listeners(for: pods).keys) }

    /// The gateway pods behind a Service, or [] when the Service does not front an Istio gateway.
    func gatewayPods(of svc: JSONValue) -> [JSONValue] {
        let pods = MeshPolicy(store: store).pods(of: svc)
        return pods.contains(where: Self.isGatewayPod) ? pods : []
    }
}
