import Foundation

/// The one lab document of a scenario (`kind: LabScenario`): what the Kubernetes API does not hold.
///
/// Every address is a loopback address (127.0.0.0/8) standing in for a real one; `standsFor`
/// keeps the real address for display, so transcripts can say "127.204.7.185 (129.204.7.185)".
public struct LabTopology: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    /// `cloud` (a provider VM: public addresses are provider NAT to the node) or `bare-metal`.
    public var environment: Environment
    public var kubernetes: KubernetesInfo
    public var nodes: [Node]
    /// Where the operator stands: which addresses and segments they reach.
    public var operatorVantage: OperatorVantage
    public var firewall: Firewall
    public var components: Components
    /// Services answered by Prometheus (`namespace/name`).
    public var prometheusServices: [String]
    /// Loopback address -> the real address it stands for, for addresses that are not a node's
    /// (load-balancer IPs such as 127.195.219.185 -> 203.195.219.185). Display only.
    public var standsFor: [String: String]?

    public enum Environment: String, Codable, Sendable { case cloud, bareMetal = "bare-metal" }

    public struct KubernetesInfo: Codable, Sendable, Equatable {
        /// Reported by /version. The dispatcher kubectl here picks its binary by minor: report 1.32.
        public var version: String
        public var nodePortRange: String?
        public var serviceCIDR: String?
        public init(version: String, nodePortRange: String? = nil, serviceCIDR: String? = nil) {
            self.version = version; self.nodePortRange = nodePortRange; self.serviceCIDR = serviceCIDR
        }
    }

    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        /// The node's address on its own L2 segment (loopback stand-in).
        public var internalIP: String
        /// A public address the provider NATs to this node, if any (loopback stand-in).
        public var externalIP: String?
        /// The node's L2 segment, CIDR (MetalLB layer2 answers ARP only inside it).
        public var segment: String
        public var labels: [String: String]?
        /// The real addresses these stand for, for display: `internalIP`, `externalIP`.
        public var standsFor: [String: String]?
    }

    public struct OperatorVantage: Codable, Sendable, Equatable {
        /// L2 segments (CIDRs) the operator's machine sits on; empty for an operator outside.
        public var segments: [String]
        public var description: String?
    }

    /// The provider's security group / host firewall in front of node addresses, seen from the operator.
    public struct Firewall: Codable, Sendable, Equatable {
        /// `allow` or `drop` for ports not listed.
        public var defaultAction: String
        /// Port ranges that are open ("80", "30000-32767").
        public var allow: [String]
    }

    public struct Components: Codable, Sendable, Equatable {
        public var istio: Istio?
        public var metallb: MetalLB?
        public var ingressNginx: IngressNginx?
        public var kubeProxy: KubeProxy?
        public var gatewayAPI: GatewayAPI?
    }

    public struct Istio: Codable, Sendable, Equatable {
        public var version: String
        /// `istioctl`, `operator` or `helm`: who owns and reverts the gateway Service.
        public var installedBy: String
        /// Served API versions of networking.istio.io, newest last (`v1alpha3`, `v1beta1`, `v1`).
        public var apiVersions: [String]
        /// Whether the validating webhook rejects invalid config (invalid regex...).
        public var validation: Bool
        /// An unprivileged gateway cannot bind ports below 1024.
        public var unprivilegedGateway: Bool
    }

    public struct MetalLB: Codable, Sendable, Equatable {
        public var version: String
        /// `layer2` or `bgp`.
        public var mode: String?
    }

    public struct IngressNginx: Codable, Sendable, Equatable {
        public var version: String
        public var ingressClass: String?
    }

    public struct KubeProxy: Codable, Sendable, Equatable {
        /// `iptables` or `ipvs`.
        public var mode: String
        public var strictARP: Bool?
    }

    public struct GatewayAPI: Codable, Sendable, Equatable {
        public var version: String
    }
}
