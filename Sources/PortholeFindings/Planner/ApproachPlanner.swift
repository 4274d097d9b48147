import Foundation
import PortholeKube

/// Ranks the approaches for this cluster from the same snapshot and findings `porthole check` uses.
///
/// Pure and deterministic: ties keep `ApproachID.allCases` order.
public enum ApproachPlanner {
    /// The approaches, best first. `target` is the Service to expose (default: the first Prometheus-like Service).
    public static func rank(_ snapshot: ClusterSnapshot, observations: [OutsideObservation] = [],
                            target: (namespace: String, name: String)? = nil, scope: CheckScope = CheckScope()) -> [RankedApproach] {
        var s = snapshot
        s.observations += observations
        let facts = PlannerFacts(s, findings: FindingChecks.run(s, scope: scope), target: target, scope: scope)
        let ranked = ApproachID.allCases.map { id -> RankedApproach in
            let (score, viable, reason) = judge(id, facts)
            let behind = facts.findings.filter { f in !f.isSuppressed && id.relevantCodes.contains { f.code.hasPrefix($0) } }
            return RankedApproach(id: id.rawValue, score: score, viable: viable, reachesFromOutside: id != .portForward, reason: reason, findings: behind)
        }
        let order = Dictionary(uniqueKeysWithValues: ApproachID.allCases.enumerated().map { ($1.rawValue, $0) })
        return ranked.sorted { a, b in
            if a.viable != b.viable { return a.viable }
            if a.score != b.score { return a.score > b.score }
            return order[a.id]! < order[b.id]!
        }
    }

    static func judge(_ id: ApproachID, _ f: PlannerFacts) -> (Int, Bool, String) {
        switch id {
        case .istioGateway: return firewallPenalty(istioGateway(f, base: 90), f, usesNodePorts: f.gatewayUsesNodePorts)
        case .ingressgatewayPort:
            let (score, viable, reason) = firewallPenalty(istioGateway(f, base: 75), f, usesNodePorts: f.gatewayUsesNodePorts)
            let owned = f.gateway.flatMap { InstallerOwnedServiceCheck.installer($0.object) }
            guard viable else { return (score, viable, reason) }
            if let owned { return (score - 15, true, "\(reason); the Service is owned by \(owned), so a new port must go through the installer") }
            return (score, true, "\(reason); needs a Service port and a Gateway server on the same port")
        case .gatewayAPI: return gatewayAPI(f)
        case .loadbalancerMetallb: return strictPenalty(loadBalancer(f), f)
        case .nginxIngress: return firewallPenalty(nginx(f), f, usesNodePorts: true)
        case .nodeport:
            if f.snapshot.knows(.node) && f.nodeAddresses.isEmpty { return (10, false, "no node reports an address") }
            // From outside, a node's ExternalIP is the one to use when it has one.
            let external = f.snapshot.nodes.flatMap { $0.addresses.filter { $0.type == "ExternalIP" }.map(\.address) }
            let addr = (external.first ?? f.nodeAddresses.first).map { " (e.g. \($0))" } ?? ""
            return firewallPenalty(strictPenalty((60, true, "a nodePort opens on every node address\(addr); a cloud firewall or security group must allow it"), f), f, usesNodePorts: true)
        case .portForward:
            return (30, true, "always works from this workstation (kubectl port-forward binds 127.0.0.1), but nobody outside reaches it")
        }
    }

    /// An outside probe saw a nodePort time out (PH0106): paths through nodePorts wait for the firewall.
    static func firewallPenalty(_ r: (Int, Bool, String), _ f: PlannerFacts, usesNodePorts: Bool) -> (Int, Bool, String) {
        guard r.1, usesNodePorts, f.raised("PH0106") else { return r }
        return (max(r.0 - 30, 5), true, "\(r.2); but a nodePort probe from outside timed out: the provider's firewall must open it first (PH0106)")
    }

    /// Plain-text paths from outside the mesh to a meshed target under STRICT mTLS need an exception first.
    static func strictPenalty(_ r: (Int, Bool, String), _ f: PlannerFacts) -> (Int, Bool, String) {
        guard r.1, let policy = f.strictTowardsTarget else { return r }
        return (max(r.0 - 20, 5), true, "\(r.2); STRICT mTLS (\(policy)) resets plain connections to the meshed target until a PERMISSIVE exception for its port is added")
    }

    static func istioGateway(_ f: PlannerFacts, base: Int) -> (Int, Bool, String) {
        guard f.istio else { return (0, false, "Istio is not installed") }
        guard let gw = f.gateway else { return (25, false, "Istio is installed but no ingress gateway Service was found") }
        if let addr = f.gatewayAddress, f.nodeAddresses.contains(addr) {
            // A node's own (often NATed) address: what answers there is the node, so use its nodePorts.
            return (base, true, "the Istio ingress gateway \(gw.reference) has the address \(addr), a node's own address: use it with the gateway's nodePorts")
        }
        if let addr = f.gatewayAddress, !f.gatewayAddressUnreachable {
            return (base, true, "the Istio ingress gateway \(gw.reference) has the external address \(addr)")
        }
        if gw.exposesNodePorts && !f.nodeAddresses.isEmpty {
            return (base - 5, true, "the Istio ingress gateway \(gw.reference) is reachable on node addresses through its nodePorts")
        }
        if gw.exposesNodePorts { return (base - 15, true, "the Istio ingress gateway \(gw.reference) has nodePorts (node addresses unknown)") }
        return (30, false, "the Istio ingress gateway \(gw.reference) is type \(gw.type): not reachable from outside")
    }

    static func gatewayAPI(_ f: PlannerFacts) -> (Int, Bool, String) {
        switch f.snapshot.serves(.apiGateway) {
        case true?:
            guard f.istio else { return (55, true, "Gateway API CRDs are installed (an implementation must program the Gateway)") }
            // Without a classic ingress gateway, a Gateway of class istio is the mesh's way in.
            let base = f.gateway == nil ? 88 : 70
            if f.loadBalancerController == nil {
                return (base - 10, true, "Gateway API CRDs are installed and Istio implements them; with no load-balancer controller the Gateway needs networking.istio.io/service-type: NodePort")
            }
            return (base, true, "Gateway API CRDs are installed and Istio implements them")
        case false?: return (10, false, "Gateway API CRDs (gateway.networking.k8s.io) are not installed")
        case nil: return (40, true, "could not tell whether Gateway API CRDs are installed")
        }
    }

    static func loadBalancer(_ f: PlannerFacts) -> (Int, Bool, String) {
        guard let controller = f.loadBalancerController else {
            return (0, false, "no load-balancer controller is installed (no MetalLB, no cloud provider): EXTERNAL-IP would stay <pending>")
        }
        guard f.metallb.installed else { return (70, true, "\(controller) allocates load-balancer addresses") }
        if f.metallbPoolsOutsideSegments {
            return (10, false, "MetalLB's pools are outside every node's segment (a cloud VM?): layer2 cannot announce them; use nodeport or the provider's load balancer")
        }
        for (code, why) in [("PH0401", "its legacy ConfigMap is ignored"), ("PH0402", "it has no address pool"), ("PH0405", "a pool is not advertised"),
                            ("PH0408", "kube-proxy IPVS lacks strictARP"), ("PH0407", "no node may announce")] where f.raised(code) {
            return (40, true, "\(controller) is installed but \(why): fix that first")
        }
        if f.metallb.activePools.isEmpty { return (40, true, "\(controller) is installed but has no address pool yet") }
        if f.raised("PH0404") || f.freePoolAddresses == 0 { return (50, true, "\(controller) is installed but its pools are exhausted: add an address on the nodes' segment") }
        return (80, true, "\(controller) has pools on the nodes' segment (\(f.metallb.activePools.map(\.name).joined(separator: ", ")))")
    }

    static func nginx(_ f: PlannerFacts) -> (Int, Bool, String) {
        let pods = f.snapshot.ingressNginxPods, services = f.snapshot.ingressNginxServices
        guard !pods.isEmpty || !services.isEmpty else { return (20, true, "ingress-nginx is not installed (it would have to be installed first)") }
        let reachable = services.contains(where: \.exposesNodePorts) || pods.contains(where: \.hostNetwork)
        var (score, reason) = reachable ? (75, "ingress-nginx is installed and its controller is reachable from outside")
            : (35, "ingress-nginx is installed but its controller Service is ClusterIP only: make it NodePort first")
        if let policy = f.strictTowardsTarget, !pods.contains(where: \.hasSidecar) {
            // Fixable (a workload PERMISSIVE exception, or meshing the controller), so still viable, below clean paths.
            score -= 15
            reason += "; STRICT mTLS (\(policy)) resets the unmeshed controller's connections until Prometheus gets a PERMISSIVE exception or the controller joins the mesh"
        }
        // Community ingress-nginx is retiring (best effort until March 2026); Gateway API is its successor.
        return (score, true, reason + " (community ingress-nginx is retiring; Gateway API is its successor)")
    }
}
