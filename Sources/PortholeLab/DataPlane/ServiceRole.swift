import Foundation
import PortholeKube

/// What sits behind a Service's endpoints, which decides what answers a connection to it.
enum ServiceRole {
    case istioGateway(pods: [JSONValue])
    case gatewayAPI(gateway: JSONValue)
    case ingressNginx(pods: [JSONValue])
    case prometheus
    case app
    /// No endpoints: kube-proxy rejects the connection (refused).
    case noEndpoints

    /// The pod port Prometheus listens on.
    static let prometheusPort = 9090

    static func of(_ svc: JSONValue, store: ObjectStore, topology: LabTopology) -> ServiceRole {
        let pods = MeshPolicy(store: store).pods(of: svc)
        if pods.isEmpty { return .noEndpoints }
        if topology.prometheusServices.contains("\(svc.namespace)/\(svc.name)") { return .prometheus }
        if pods.contains(where: IstioGatewayModel.isGatewayPod) { return .istioGateway(pods: pods) }
        if let gwName = pods.first?.labels[GatewayAPIController.nameLabel],
           let gw = store.get(ObjectRef(Kinds.k8sGateways, namespace: svc.namespace, name: gwName)) { return .gatewayAPI(gateway: gw) }
        if pods.contains(where: IngressNginxRouting.isControllerPod) { return .ingressNginx(pods: pods) }
        return .app
    }

    /// Whether something in the pod listens on `targetPort`; when not, the pod's kernel answers the
    /// SYN with a RST, which the client sees as "connection refused".
    func listens(on targetPort: Int, store: ObjectStore, topology: LabTopology) -> Bool {
        switch self {
        case .istioGateway(let pods):
            return IstioGatewayModel.statusPorts.contains(targetPort) || IstioGatewayModel(store: store, topology: topology).listenerPorts(for: pods).contains(targetPort)
        case .gatewayAPI(let gw): return (gw.spec["listeners"]?.array ?? []).contains { $0["port"]?.intValue == targetPort }
        case .ingressNginx: return targetPort == 80 || targetPort == 443 || targetPort == 8080 || targetPort == 8443
        case .prometheus: return targetPort == Self.prometheusPort
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
