import Foundation
import PortholeCore
import PortholeFindings

/// What the session says it sees at the start, derived (purely) from the one read of the cluster.
public struct ClusterOverview: Sendable, Hashable {
    public var context: String
    public var server: String
    public var serverVersion: String
    /// "Istio 1.1.7", "Istio (version unknown)", or nil when not installed.
    public var istio: String?
    /// "istio-system/istio-ingressgateway LoadBalancer 127.204.7.185 80:31380/TCP ...".
    public var gateway: String?
    /// "MetalLB v0.12.1, legacy ConfigMap era", or nil when not installed.
    public var metallb: String?
    public var ingressControllers: [String]
    /// "istio-system/prometheus ClusterIP 9090/TCP".
    public var prometheus: String?

    public init(_ reading: ClusterReading) {
        let s = reading.snapshot
        context = reading.info.context ?? "(current context)"
        server = reading.info.server ?? "(unknown server)"
        serverVersion = reading.info.serverVersion ?? "(unknown version)"
        istio = s.istioInstalled || !s.ingressGatewayServices.isEmpty ? "Istio " + (Self.istioVersion(s) ?? "(version unknown)") : nil
        let gateways = s.ingressGatewayServices
        gateway = (gateways.first { !$0.loadBalancerIngress.isEmpty } ?? gateways.first).map(Self.describe)
        let m = MetalLBFacts(s)
        metallb = m.installed ? "MetalLB \(m.versionText ?? "(version unknown)"), \(Self.era(m.era))" : nil
        var controllers: [String] = []
        if !s.ingressNginxPods.isEmpty || !s.ingressNginxServices.isEmpty {
            controllers.append("ingress-nginx" + (s.ingressNginxServices.first.map { " (" + Self.describe($0) + ")" } ?? ""))
        }
        if s.serves(.apiGateway) == true { controllers.append("Gateway API CRDs installed") }
        ingressControllers = controllers
        prometheus = Self.prometheusService(s).map(Self.describe)
    }

    /// The lines printed at the start (and by `status`), each within 80 columns when values are short.
    public var lines: [String] {
        var out = ["Context \(context), server \(server) (Kubernetes \(serverVersion))"]
        out.append("Istio: " + (istio.map { "\($0) installed" } ?? "not installed"))
        out.append("Ingress gateway: " + (gateway ?? "none found"))
        out.append("Load balancer: " + (metallb ?? "no MetalLB"))
        out.append("Ingress controllers: " + (ingressControllers.isEmpty ? "none" : ingressControllers.joined(separator: "; ")))
        out.append("Prometheus: " + (prometheus ?? "no Service that looks like Prometheus"))
        return out
    }

    static func describe(_ svc: Service) -> String {
        let addresses = svc.loadBalancerIngress.isEmpty ? (svc.isPending ? "<pending>" : "no external address") : svc.loadBalancerIngress.joined(separator: ",")
        let ports = svc.ports.map { p in "\(p.port)" + (p.nodePort.map { ":\($0)" } ?? "") + "/\(p.protocolName)" }.joined(separator: " ")
        return "\(svc.namespace)/\(svc.name) \(svc.type) \(addresses) \(ports)"
    }

    static func era(_ e: MetalLBFacts.Era) -> String {
        switch e {
        case .legacyConfigMap: return "legacy ConfigMap era (<= 0.12)"
        case .crds: return "CRD era (>= 0.13)"
        case .unknown: return "configuration era unknown"
        }
    }

    /// The tag of istiod's (or pilot's) image: `docker.io/istio/pilot:1.1.7` -> `1.1.7`.
    static func istioVersion(_ s: ClusterSnapshot) -> String? {
        let images = s.pods.flatMap(\.images).filter { $0.contains("istio/pilot") || $0.contains("istiod") }
        return images.compactMap { img in img.split(separator: ":").last.map(String.init) }.first { $0.first?.isNumber == true }
    }

    /// The Service that fronts Prometheus, as the planner and the playbooks' inputs take it.
    static func prometheusService(_ s: ClusterSnapshot) -> Service? { PrometheusTargets.candidates(s).first }
}
