import Foundation
import PortholeKube
import PortholeNet

/// What the operator meets at one loopback address and port: the data plane's plan, and a table for
/// docs, tests and transcripts ("Prometheus answered through 127.204.7.185:31399 (stands for 129.204.7.185)").
public struct Exposure: Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: String, Sendable, Hashable {
        /// A listener forwards to the Service (`answeredBy` says who answers).
        case answers
        /// Packets are dropped: the connect times out (firewall, an address nobody announces).
        case timesOut = "times out"
        /// Nothing listens behind it: connection refused.
        case refused
    }
    public var address: String
    public var port: Int
    /// The real address the loopback one stands for, when the scenario says.
    public var standsFor: String?
    public var outcome: Outcome
    /// `namespace/name:port` of the Service reached, when one is.
    public var service: String?
    /// Who answers, or why nothing does.
    public var detail: String

    public var description: String {
        let addr = standsFor.map { "\(address):\(port) (stands for \($0):\(port))" } ?? "\(address):\(port)"
        return "\(addr) \(outcome.rawValue)\(service.map { " -> \($0)" } ?? ""): \(detail)"
    }
}

/// Where a served listener forwards: a Service port.
struct ExposureTarget: Hashable {
    var service: ObjectRef
    var servicePort: Int
    /// Reached on the Service's load-balancer address, where kube-proxy applies `loadBalancerSourceRanges`.
    var viaLoadBalancer = false
}

/// Computes, from the cluster state and the scenario's network, what the operator reaches.
struct ExposurePlanner {
    let store: ObjectStore
    let topology: LabTopology
    /// MetalLB assignments and pools (empty without MetalLB).
    let assignments: [ObjectRef: String]
    let pools: [MetalLBPool]

    /// Ports probed often by hand; when the firewall drops them they time out instead of being refused.
    static let commonPorts = [80, 443, 8080, 8443, 9090, 15021]

    func plan() -> (exposures: [Exposure], targets: [ListenerSpec: ExposureTarget]) {
        var out: [ListenerSpec: (Exposure, ExposureTarget?)] = [:]
        let services = store.list(Kinds.services)
        let nodeAddresses = operatorNodeAddresses()
        func add(_ e: Exposure, _ t: ExposureTarget?) {
            let spec = ListenerSpec(host: e.address, port: e.port, mode: e.outcome == .answers ? .serve : .blackhole)
            let key = out.keys.first { $0.host == spec.host && $0.port == spec.port }
            if key == nil { out[spec] = (e, t) }
        }
        // Node addresses x nodePorts (kube-proxy opens every nodePort on every node).
        for (node, address, standsFor) in nodeAddresses {
            var interesting = Set(Self.commonPorts)
            for svc in services {
                let role = ServiceRole.of(svc, store: store, topology: topology)
                let localOnly = svc.spec["externalTrafficPolicy"]?.stringValue == "Local"
                let ready = MeshPolicy(store: store).pods(of: svc)
                let hasLocal = ready.contains { $0.spec["nodeName"]?.stringValue == node.name }
                for p in svc.spec["ports"]?.array ?? [] {
                    interesting.insert(p["port"]?.intValue ?? 0)
                    guard let np = p["nodePort"]?.intValue else { continue }
                    let target = ExposureTarget(service: MetalLBController.ref(svc), servicePort: p["port"]?.intValue ?? 0)
                    let name = "\(svc.namespace)/\(svc.name):\(p["port"]?.intValue ?? 0)"
                    if !firewallAllows(np) {
                        add(Exposure(address: address, port: np, standsFor: standsFor, outcome: .timesOut, service: name, detail: "dropped by the firewall (security group)"), nil)
                    } else if localOnly && !hasLocal && !ready.isEmpty {
                        // kube-proxy drops a Local nodePort only where other nodes have endpoints; with none at all
                        // it rejects it like any Service without endpoints (refused, below).
                        add(Exposure(address: address, port: np, standsFor: standsFor, outcome: .timesOut, service: name, detail: "externalTrafficPolicy Local: no endpoint on node \(node.name)"), nil)
                    } else if PodController.namedPortMissing(p, pods: MeshPolicy(store: store).pods(of: svc)) {
                        add(Exposure(address: address, port: np, standsFor: standsFor, outcome: .refused, service: name, detail: unnamedPort(p)), nil)
                    } else if role.listens(on: PodController.targetPort(p, pods: MeshPolicy(store: store).pods(of: svc)), store: store, topology: topology) {
                        add(Exposure(address: address, port: np, standsFor: standsFor, outcome: .answers, service: name, detail: role.summary), target)
                    } else {
                        add(Exposure(address: address, port: np, standsFor: standsFor, outcome: .refused, service: name, detail: refusal(role, p)), nil)
                    }
                }
            }
            for port in interesting.sorted() where port > 0 && !firewallAllows(port) {
                add(Exposure(address: address, port: port, standsFor: standsFor, outcome: .timesOut, service: nil, detail: "dropped by the firewall (security group)"), nil)
            }
        }
        // Load-balancer addresses x service ports.
        let nodeAddressSet = Set(nodeAddresses.map(\.1))
        for svc in services where svc.spec["type"]?.stringValue == "LoadBalancer" {
            let ref = MetalLBController.ref(svc)
            guard let ip = assignments[ref] ?? svc["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue,
                  !nodeAddressSet.contains(ip) else { continue }
            let role = ServiceRole.of(svc, store: store, topology: topology)
            let why = unreachableReason(ip: ip, svc: svc, assignedByMetalLB: assignments[ref] == ip)
            let standsFor = topology.standsFor?[ip]
            let ranges = SourceRanges.loadBalancer(svc)
            for p in svc.spec["ports"]?.array ?? [] {
                let port = p["port"]?.intValue ?? 0
                let name = "\(svc.namespace)/\(svc.name):\(port)"
                if let why {
                    add(Exposure(address: ip, port: port, standsFor: standsFor, outcome: .timesOut, service: name, detail: why), nil)
                    if let np = p["nodePort"]?.intValue {
                        add(Exposure(address: ip, port: np, standsFor: standsFor, outcome: .timesOut, service: name, detail: why), nil)
                    }
                } else if !SourceRanges.admits(ranges, source: SourceRanges.operatorAddress, topology: topology) {
                    // kube-proxy drops the operator's packets to the load-balancer address: a blackhole, so the connect times out.
                    add(Exposure(address: ip, port: port, standsFor: standsFor, outcome: .timesOut, service: name,
                                 detail: "loadBalancerSourceRanges \(ranges.joined(separator: ",")) exclude the operator's address (kube-proxy drops it)"), nil)
                } else if PodController.namedPortMissing(p, pods: MeshPolicy(store: store).pods(of: svc)) {
                    add(Exposure(address: ip, port: port, standsFor: standsFor, outcome: .refused, service: name, detail: unnamedPort(p)), nil)
                } else if role.listens(on: PodController.targetPort(p, pods: MeshPolicy(store: store).pods(of: svc)), store: store, topology: topology) {
                    add(Exposure(address: ip, port: port, standsFor: standsFor, outcome: .answers, service: name, detail: role.summary),
                        ExposureTarget(service: ref, servicePort: port, viaLoadBalancer: true))
                } else {
                    add(Exposure(address: ip, port: port, standsFor: standsFor, outcome: .refused, service: name, detail: refusal(role, p)), nil)
                }
            }
        }
        var targets: [ListenerSpec: ExposureTarget] = [:]
        for (spec, v) in out { if let t = v.1 { targets[spec] = t } }
        return (out.values.map(\.0).sorted { ($0.address, $0.port) < ($1.address, $1.port) }, targets)
    }

    /// Why an LB address is not reachable from the operator, or nil when it is.
    func unreachableReason(ip: String, svc: JSONValue, assignedByMetalLB: Bool) -> String? {
        guard assignedByMetalLB, let pool = pools.first(where: { $0.contains(ip) }) else {
            return "no load balancer assigned this address: nobody answers ARP for it"
        }
        if pool.announcingNodes.isEmpty { return "assigned from pool \(pool.name) but not announced (no L2Advertisement for it)" }
        if let kp = topology.components.kubeProxy, kp.mode == "ipvs", kp.strictARP != true {
            return "kube-proxy IPVS without strictARP: MetalLB's ARP answers are not honoured"
        }
        let announcing = topology.nodes.filter { pool.announcingNodes.contains($0.name) && IPv4.contains(cidr: $0.segment, address: ip) }
        if announcing.isEmpty { return "outside every announcing node's L2 segment: layer2 ARP never reaches it" }
        if svc.spec["externalTrafficPolicy"]?.stringValue == "Local" {
            let pods = MeshPolicy(store: store).pods(of: svc)
            if !announcing.contains(where: { n in pods.contains { $0.spec["nodeName"]?.stringValue == n.name } }) {
                return "externalTrafficPolicy Local: no endpoint on a node that could announce it"
            }
        }
        if !topology.operatorVantage.segments.contains(where: { IPv4.contains(cidr: $0, address: ip) }) {
            return "the operator is not on the L2 segment where it is announced"
        }
        return nil
    }

    /// (node, loopback address, real address) for every node address the operator reaches.
    func operatorNodeAddresses() -> [(LabTopology.Node, String, String?)] {
        var out: [(LabTopology.Node, String, String?)] = []
        for n in topology.nodes {
            if topology.environment == .cloud, let ext = n.externalIP { out.append((n, ext, n.standsFor?["externalIP"])) }
            if topology.operatorVantage.segments.contains(where: { IPv4.contains(cidr: $0, address: n.internalIP) }) {
                out.append((n, n.internalIP, n.standsFor?["internalIP"]))
            }
        }
        return out
    }

    func firewallAllows(_ port: Int) -> Bool {
        let listed = topology.firewall.allow.contains { entry in
            let parts = entry.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if parts.count == 2 { return (parts[0]...parts[1]).contains(port) }
            return parts.first == port
        }
        return listed || topology.firewall.defaultAction == "allow"
    }

    private func unnamedPort(_ p: JSONValue) -> String {
        "no endpoints: no container port is named \(p["targetPort"]?.plainText ?? "?") (kube-proxy rejects)"
    }

    private func refusal(_ role: ServiceRole, _ p: JSONValue) -> String {
        let tp = p["targetPort"]?.plainText ?? "?"
        switch role {
        case .noEndpoints: return "the Service has no ready endpoints (kube-proxy rejects)"
        case .istioGateway: return "no Gateway server for Service port \(p["port"]?.plainText ?? "?"): the gateway Envoy has no listener on targetPort \(tp)"
        default: return "nothing listens on pod port \(tp) (\(role.summary))"
        }
    }
}
