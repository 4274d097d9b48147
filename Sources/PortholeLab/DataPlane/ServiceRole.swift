import Foundation
import PortholeKube

/// What sits behind a Service's endpoints, which decides what answers a connection to it.
enum ServiceRole {
    case istioGateway(pods: [JSONValue])
    case gatewayAPI(gateway: JSONValue)
    case ingressNginx(pods: [JSONValue])
    case prometheus(pods: [JSONValue])
    case app
    /// No endpoints: kube-proxy rejects the connection (refused).
    case noEndpoints

    /// The pod port Prometheus listens on unless its `--web.listen-address` says otherwise.
    static let prometheusPort = 9090

    /// Where the Prometheus container of `pod` listens, from its `--web.listen-address` (`HOST:PORT`):
    /// the port, and whether only the pod itself reaches it (a loopback host). Port-forward, which dials
    /// localhost inside the pod, reaches it either way; the pod's IP does not when it is loopback-only.
    static func prometheusListen(_ pod: JSONValue?) -> (port: Int, loopbackOnly: Bool) {
        let args = (pod?.spec["containers"]?.array ?? []).flatMap { ($0["args"]?.strings ?? []) + ($0["command"]?.strings ?? []) }
        for (i, arg) in args.enumerated() where arg.hasPrefix("--web.listen-address") {
            let value = arg.contains("=") ? String(arg.split(separator: "=", maxSplits: 1)[1]) : (i + 1 < args.count ? args[i + 1] : "")
            guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]) else { continue }
            let host = value[..<colon]
            return (port, host == "localhost" || host.hasPrefix("127.") || host == "[::1]")
        }
        return (prometheusPort, false)
    }

    /// The path the Prometheus container of `pod` serves under: `--web.route-prefix`, else the path of
    /// `--web.external-url`; "" for `/`. The backend is started with it, as the pod's server would be.
    static func prometheusRoutePrefix(_ pod: JSONValue?) -> String {
        let args = (pod?.spec["containers"]?.array ?? []).flatMap { ($0["args"]?.strings ?? []) + ($0["command"]?.strings ?? []) }
        return PrometheusArguments.routePrefix(args)
    }

    static func of(_ svc: JSONValue, store: ObjectStore, topology: LabTopology) -> ServiceRole {
        let pods = MeshPolicy(store: store).pods(of: svc)
        if pods.isEmpty { return .noEndpoints }
        if topology.prometheusServices.contains("\(svc.namespace)/\(svc.name)") || pods.contains(where: { isPrometheusPod($0, store: store, topology: topology) }) {
            return .prometheus(pods: pods)
        }
        if pods.contains(where: IstioGatewayModel.isGatewayPod) { return .istioGateway(pods: pods) }
        if let gwName = pods.first?.labels[GatewayAPIController.nameLabel],
           let gw = store.get(ObjectRef(Kinds.k8sGateways, namespace: svc.namespace, name: gwName)) { return .gatewayAPI(gateway: gw) }
        if pods.contains(where: IngressNginxRouting.isControllerPod) { return .ingressNginx(pods: pods) }
        return .app
    }

    /// True when a Service the scenario names as Prometheus selects `pod`: any other Service selecting the same
    /// pod (a NodePort Service put beside the operator's headless `prometheus-operated`) reaches the same server.
    static func isPrometheusPod(_ pod: JSONValue, store: ObjectStore, topology: LabTopology) -> Bool {
        topology.prometheusServices.contains { entry in
            let parts = entry.split(separator: "/").map(String.init)
            guard parts.count == 2, parts[0] == pod.namespace,
                  let svc = store.get(ObjectRef(Kinds.services, namespace: parts[0], name: parts[1])) else { return false }
            let selector = JSONValue.stringMap(svc.spec["selector"])
            return !selector.isEmpty && Selector.matches(selector, pod.labels)
        }
    }

    /// Whether something in the pod listens on `targetPort`; when not, the pod's kernel answers the
    /// SYN with a RST, which the client sees as "connection refused".
    func listens(on targetPort: Int, store: ObjectStore, topology: LabTopology) -> Bool {
        switch self {
        case .istioGateway(let pods):
            return IstioGatewayModel.statusPorts.contains(targetPort) || IstioGatewayModel(store: store, topology: topology).listenerPorts(for: pods).contains(targetPort)
        case .gatewayAPI(let gw): return (gw.spec["listeners"]?.array ?? []).contains { $0["port"]?.intValue == targetPort }
        case .ingressNginx: return targetPort == 80 || targetPort == 443 || targetPort == 8080 || targetPort == 8443
        case .prometheus(let pods):
            let listen = Self.prometheusListen(pods.first)
            return targetPort == listen.port && !listen.loopbackOnly
        case .app: return true
        case .noEndpoints: return false
        }
    }

    var summary: String {
        switch self {
        case .istioGateway: return "istio ingress gateway (Envoy)"
        case .gatewayAPI(let gw): return "Gateway API gateway \(gw.namespace)/\(gw.name) (Envoy)"
        case .ingressNginx: return "ingress-nginx controller"
        case .prometheus: return "Prometheus"
        case .app: return "application stand-in"
        case .noEndpoints: return "no endpoints"
        }
    }
}
