import Foundation

/// The approaches porthole has playbooks for; the raw value is the playbook id.
public enum ApproachID: String, CaseIterable, Codable, Sendable {
    case istioGateway = "istio-gateway"
    case ingressgatewayPort = "ingressgateway-port"
    case gatewayAPI = "gateway-api"
    case loadbalancerMetallb = "loadbalancer-metallb"
    case nginxIngress = "nginx-ingress"
    case nodeport = "nodeport"
    case portForward = "port-forward"

    /// Codes whose findings bear on this approach (prefixes `PH02` or exact codes).
    var relevantCodes: [String] {
        switch self {
        case .istioGateway: return ["PH02", "PH03", "PH0105", "PH0701", "PH0801"]
        case .ingressgatewayPort: return ["PH0201", "PH0202", "PH0203", "PH0204", "PH0801"]
        case .gatewayAPI: return ["PH06"]
        case .loadbalancerMetallb: return ["PH0101", "PH0102", "PH0103", "PH04"]
        case .nginxIngress: return ["PH05", "PH0802"]
        case .nodeport: return ["PH0406"]
        case .portForward: return []
        }
    }
}

/// One approach with its score for this cluster, the reason in one line and the findings behind it.
public struct RankedApproach: Codable, Sendable, Hashable {
    /// The playbook id (`istio-gateway`, `nodeport`...).
    public var id: String
    /// 0...100; higher is a better first choice here.
    public var score: Int
    /// False when the approach cannot work here as things stand (a missing controller, the wrong network).
    public var viable: Bool
    /// False for approaches that only reach the service from this workstation (port-forward).
    public var reachesFromOutside: Bool
    public var reason: String
    public var findings: [Finding]
}
