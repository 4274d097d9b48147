import Foundation
import PortholeKube

/// What the planner needs to know about a cluster, derived once from the snapshot and the findings.
struct PlannerFacts {
    let snapshot: ClusterSnapshot
    let findings: [Finding]
    let istio: Bool
    let gateway: Service?
    let gatewayAddress: String?
    let nodeAddresses: [String]
    let metallb: MetalLBFacts
    let target: Service?
    let scope: CheckScope

    init(_ s: ClusterSnapshot, findings: [Finding], target: (namespace: String, name: String)?, scope: CheckScope) {
        snapshot = s
        self.scope = scope
        self.findings = findings
        let gateways = s.ingressGatewayServices
        gateway = gateways.first { !$0.loadBalancerIngress.isEmpty } ?? gateways.first { $0.exposesNodePorts } ?? gateways.first
        istio = s.istioInstalled || gateway != nil
        gatewayAddress = gateway?.loadBalancerIngress.first
        nodeAddresses = s.nodeAddresses
        metallb = MetalLBFacts(s)
        if let target {
            self.target = s.service(target.name, in: target.namespace)
        } else {
            self.target = PrometheusTargets.candidates(s).first
        }
    }

    func raised(_ code: String) -> Bool { findings.contains { $0.code == code && !$0.isSuppressed } }
    func raised(_ code: String, about svc: Service?) -> Bool {
        findings.contains { $0.code == code && !$0.isSuppressed && (svc == nil || $0.object == svc?.reference) }
    }

    /// True when outside traffic would reach the gateway through nodePorts (no usable load-balancer address).
    var gatewayUsesNodePorts: Bool {
        guard let addr = gatewayAddress else { return true }
        return nodeAddresses.contains(addr) || gatewayAddressUnreachable
    }

    /// True when the gateway's load-balancer address is one MetalLB layer2 cannot make reachable.
    var gatewayAddressUnreachable: Bool { raised("PH0406", about: gateway) }

    /// Load-balancer address allocation: MetalLB, a cloud, or another controller.
    var loadBalancerController: String? {
        if metallb.installed { return "MetalLB\(metallb.versionText.map { " \($0)" } ?? "")" }
        if let cloud = snapshot.cloudProvider { return "the \(cloud) cloud load balancer" }
        return snapshot.otherLoadBalancerController
    }

    /// True when every layer2 pool lies outside the nodes' segments (a cloud VM's public addresses, say).
    var metallbPoolsOutsideSegments: Bool {
        let pools = PoolSegmentCheck.layer2Pools(metallb)
        let ranges = pools.flatMap(\.addresses).compactMap(IPv4.range)
        return !ranges.isEmpty && ranges.allSatisfy { r in
            PoolSegmentCheck.isOutsideNodeSegments(IPv4.format(r.first), snapshot, scope)
                && PoolSegmentCheck.isOutsideNodeSegments(IPv4.format(r.last), snapshot, scope)
        }
    }

    /// Addresses left in auto-assign pools (nil when the pools are too large to count).
    var freePoolAddresses: Int? {
        let pools = metallb.activePools.filter(\.autoAssign)
        let size = pools.reduce(0) { $0 + $1.size }
        guard size <= 65_536 else { return nil }
        let used = Set(snapshot.services.flatMap(\.loadBalancerIngress)).filter { ip in pools.contains { $0.contains(ip) } }
        return max(0, size - used.count)
    }

    /// The STRICT PeerAuthentication that would reset plain connections from an unmeshed ingress to the target.
    var strictTowardsTarget: ObjectReference? {
        guard let target else { return nil }
        guard let pod = snapshot.pods(selectedBy: target).first(where: \.hasSidecar) else { return nil }
        return StrictMTLSFromIngressCheck.strictPolicy(for: pod, snapshot, scope)
    }
}
