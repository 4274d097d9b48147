import Foundation
import PortholeKube

/// Assigns load-balancer IPs the way MetalLB does and owns `.status.loadBalancer` of LoadBalancer Services.
///
/// Requested IPs (`spec.loadBalancerIP`, `metallb.universe.tf/loadBalancerIPs`, `metallb.io/loadBalancerIPs`)
/// must lie in a pool; otherwise, and when the pools are exhausted, the Service stays pending.
/// Without MetalLB nobody writes the status: `<pending>` forever.
final class MetalLBController: @unchecked Sendable {
    let store: ObjectStore
    let topology: LabTopology
    /// Current assignments, kept across reconciles so that an IP stays with its Service.
    private(set) var assignments: [ObjectRef: String] = [:]
    private(set) var pools: [MetalLBPool] = []

    init(store: ObjectStore, topology: LabTopology) { self.store = store; self.topology = topology }

    /// The pool owning `ip`, if any.
    func pool(of ip: String) -> MetalLBPool? { pools.first { $0.contains(ip) } }

    /// Returns true when it wrote anything.
    func reconcile() -> Bool {
        guard let metallb = topology.components.metallb else { return false }
        pools = MetalLBConfig.pools(store: store, metallb: metallb, nodes: topology.nodes)
        let services = store.list(Kinds.services).sorted {
            ($0["metadata"]?["creationTimestamp"]?.stringValue ?? "", $0.namespace, $0.name) <
            ($1["metadata"]?["creationTimestamp"]?.stringValue ?? "", $1.namespace, $1.name)
        }
        var next: [ObjectRef: String] = [:]
        let lbRefs = Set(services.filter { $0.spec["type"]?.stringValue == "LoadBalancer" }.map(Self.ref))
        // Keep valid existing assignments first, so a new Service never steals an address.
        for (ref, ip) in assignments where lbRefs.contains(ref) {
            if let svc = store.get(ref), requested(svc).map({ $0 == ip }) ?? true, pool(of: ip) != nil { next[ref] = ip }
        }
        for svc in services where lbRefs.contains(Self.ref(svc)) && next[Self.ref(svc)] == nil {
            let used = Set(next.values)
            if let want = requested(svc) {
                if pool(of: want) != nil && !used.contains(want) { next[Self.ref(svc)] = want }
            } else if let free = pools.filter(\.autoAssign).lazy.flatMap(\.addresses).first(where: { !used.contains($0) }) {
                next[Self.ref(svc)] = free
            }
        }
        let previous = assignments
        assignments = next
        var wrote = false
        for svc in services {
            let ref = Self.ref(svc)
            let isLB = lbRefs.contains(ref)
            let current = svc["status"]?["loadBalancer"]
            let want: JSONValue
            if let ip = next[ref] { want = ["ingress": [["ip": .string(ip), "ipMode": "VIP"]]] }
            else if isLB { want = .object([:]) }
            else if previous[ref] != nil { want = .object([:]) } // released on type change
            else { continue }
            if current == want { continue }
            var s = svc
            var status = s["status"]?.objectValue ?? [:]
            status["loadBalancer"] = want
            s["status"] = .object(status)
            store.put(ref, s)
            wrote = true
        }
        return wrote
    }

    /// The one address a Service asks for, if it asks.
    func requested(_ svc: JSONValue) -> String? {
        for key in ["metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs"] {
            if let v = svc.annotations[key], let first = v.split(separator: ",").first { return first.trimmingCharacters(in: .whitespaces) }
        }
        if let ip = svc.spec["loadBalancerIP"]?.stringValue, !ip.isEmpty { return ip }
        return nil
    }

    static func ref(_ svc: JSONValue) -> ObjectRef { ObjectRef(Kinds.services, namespace: svc.namespace, name: svc.name) }
}
