import Foundation
import PortholeKube

extension FindingDefinition {
    static let addressOutsideNodeSegments = FindingDefinition(
        code: "PH0406", level: .warning, title: "LoadBalancerAddressOutsideNodeSegments",
        template: "{object} address {address} is outside every node's segment ({segments}): MetalLB layer2 answers ARP only on the nodes' own segment, so nothing reaches it{cloudHint}",
        cause: "Layer2 mode makes one node answer ARP for the address on its L2 segment; an address the network does not deliver to that segment (such as a cloud VM's public IP, which the provider NATs) is never reachable.",
        fix: "switch approach: a node address with the Service's nodePort (open it in the provider's firewall) or the provider's load balancer; or use a pool inside {segments}")
}

/// MetalLB layer2 addresses (assigned, requested, or a whole pool) outside every node's segment.
public enum PoolSegmentCheck: FindingCheck {
    public static let id = "metallb-address-outside-node-segments"
    public static var definitions: [FindingDefinition] { [.addressOutsideNodeSegments] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let m = MetalLBFacts(s)
        let nodes = s.nodes
        let segments = nodeSegments(s, scope)
        guard m.installed, !segments.isEmpty else { return [] }
        let privateNodes = nodes.flatMap { $0.addresses.filter { $0.type == "InternalIP" } }.allSatisfy { IPv4.isPrivate($0.address) }
        let layer2Names = Set(layer2Pools(m).map(\.name))
        let outside = { (ip: String) in isOutsideNodeSegments(ip, s, scope) }
        func args(_ object: ObjectReference, _ ip: String) -> [String: FindingArgument] {
            let hint = privateNodes && !IPv4.isPrivate(ip)
                ? " (a public address while the nodes' addresses are private: on a cloud VM the provider routes it only to the VM it belongs to)" : ""
            return ["object": .object(object), "address": .address(ip), "segments": .list(segments), "cloudHint": .value(hint)]
        }
        var out: [Finding] = []
        var poolsSeen = Set<String>()
        for svc in s.services where svc.type == "LoadBalancer" {
            for ip in Array(Set(svc.loadBalancerIngress + svc.requestedIPs)).sorted() {
                guard let pool = m.pool(containing: ip), layer2Names.contains(pool.name) else { continue }
                poolsSeen.insert(pool.name)
                if outside(ip) { out.append(FindingDefinition.addressOutsideNodeSegments.make(svc.reference, field: "status.loadBalancer.ingress", args(svc.reference, ip))) }
            }
        }
        for pool in layer2Pools(m) where !poolsSeen.contains(pool.name) {
            for entry in pool.addresses {
                guard let r = IPv4.range(entry) else { continue }
                let first = IPv4.format(r.first)
                if outside(first) && outside(IPv4.format(r.last)) {
                    out.append(FindingDefinition.addressOutsideNodeSegments.make(pool.reference, field: pool.field, args(pool.reference, entry)))
                }
            }
        }
        return out
    }

    /// The nodes' segments as CIDRs (sorted, unique).
    static func nodeSegments(_ s: ClusterSnapshot, _ scope: CheckScope) -> [String] {
        Array(Set(s.nodes.flatMap { $0.segments(defaultPrefix: scope.nodePrefixLength) })).sorted()
    }

    /// True when `ip` is no node's own address and lies in no node's segment (false when nodes are unknown).
    static func isOutsideNodeSegments(_ ip: String, _ s: ClusterSnapshot, _ scope: CheckScope) -> Bool {
        let ranges = nodeSegments(s, scope).compactMap(IPv4.cidr)
        guard let v = IPv4.parse(ip), !ranges.isEmpty, !s.nodeAddresses.contains(ip) else { return false }
        return !ranges.contains { $0.contains(v) }
    }

    /// Pools announced in layer2: legacy pools with protocol layer2, CRD pools selected by an L2Advertisement
    /// (or by no advertisement at all, which PH0405 reports separately).
    static func layer2Pools(_ m: MetalLBFacts) -> [AddressPool] {
        var out = (m.legacy?.pools ?? []).filter { $0.protocolName == "layer2" }
        for p in m.crdPools {
            let ads = m.advertisements.filter { $0.covers(p) }
            if ads.isEmpty || ads.contains(where: \.isLayer2) { out.append(p.pool) }
        }
        return out
    }

    public static var examples: [CheckExample] {
        let ctl = MetalLBExamples.controller("v0.9.3")
        return [
            CheckExample("public address on a cloud VM with a private node address", raises: ["PH0406"], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.node(ip: "10.0.0.5"), MetalLBExamples.legacyConfig("203.0.113.10-203.0.113.10"),
                MetalLBExamples.service("prometheus", ip: "203.0.113.10"))),
            CheckExample("unused pool outside the segment", raises: ["PH0406"], yaml: MetalLBExamples.join(
                MetalLBExamples.controller("v0.14.5"), MetalLBExamples.node(), MetalLBExamples.pool("10.20.0.0/28"), MetalLBExamples.l2)),
            CheckExample("pool on the nodes' segment", raises: [], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.node(), MetalLBExamples.legacyConfig("192.168.1.240-192.168.1.250"),
                MetalLBExamples.service("prometheus", ip: "192.168.1.240"))),
            CheckExample("BGP pool outside the segment", raises: [], yaml: MetalLBExamples.join(
                ctl, MetalLBExamples.node(), MetalLBExamples.legacyConfig("10.20.0.0/28", protocolName: "bgp"))),
        ]
    }
}
