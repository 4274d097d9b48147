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
        case .istioGateway: return istioGateway(f, base: 90)
        case .ingressgatewayPort:
            let (score, viable, reason) = istioGateway(f, base: 75)
            let owned = f.gateway.flatMap { InstallerOwnedServiceCheck.installer($0.object) }
            guard viable else { return (score, viable, reason) }
            if let owned { return (score - 15, true, "\(reason); the Service is owned by \(owned), so a new port must go through the installer") }
            return (score, true, "\(reason); needs a Service port and a Gateway server on the same port")
        case .gatewayAPI: return gatewayAPI(f)
        case .loadbalancerMetallb: return loadBalancer(f)
        case .nginxIngress: return nginx(f)
        case .nodeport:
            if f.snapshot.knows(.node) && f.nodeAddresses.isEmpty { return (10, false, "no node reports an address") }
            let addr = f.nodeAddresses.first.map { " (e.g. \($0))" } ?? ""
            return (60, true, "a nodePort opens on every node address\(addr); a cloud firewall or security group must allow it")
        case .portForward:
            return (30, true, "always works from this workstation (kubectl port-forward binds 127.0.0.1), but nobody outside reaches it")
        }
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
            return f.istio ? (70, true, "Gateway API CRDs are installed and Istio implements them")
                : (55, true, "Gateway API CRDs are installed (an implementation must program the Gateway)")
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
        if let policy = f.strictTowardsTarget, !pods.contains(where: \.hasSidecar) {
            return (20, false, "STRICT mTLS (\(policy)) on the target blocks ingress-nginx, which runs without a sidecar")
        }
        let reachable = services.contains(where: \.exposesNodePorts) || pods.contains(where: \.hostNetwork)
        guard reachable else { return (35, true, "ingress-nginx is installed but its controller Service is ClusterIP only: make it NodePort first") }
        return (75, true, "ingress-nginx is installed and its controller is reachable from outside")
    }
}
