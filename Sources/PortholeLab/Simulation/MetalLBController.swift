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
    /// The last allocation outcome reported per Service, so each change is one Event.
    private var reported: [ObjectRef: String] = [:]

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
        var wrote = reportOutcomes(services.filter { lbRefs.contains(Self.ref($0)) }, metallb: metallb)
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

    /// Events as MetalLB's controller writes them: `IPAllocated`, or `AllocationFailed` with its reason.
    private func reportOutcomes(_ services: [JSONValue], metallb: LabTopology.MetalLB) -> Bool {
        let events = ControllerEvents(store: store, component: "metallb-controller")
        var wrote = false
        for svc in services {
            let ref = Self.ref(svc)
            let key = "\(svc.namespace)/\(svc.name)"
            let outcome: (warning: Bool, reason: String, message: String)
            if let ip = assignments[ref] {
                outcome = (false, "IPAllocated", "Assigned IP [\"\(ip)\"]")
            } else if let want = requested(svc), pool(of: want) == nil {
                outcome = (true, "AllocationFailed", "Failed to allocate IP for \"\(key)\": [\"\(want)\"] is not allowed in config")
            } else {
                outcome = (true, "AllocationFailed", "Failed to allocate IP for \"\(key)\": no available IPs")
            }
            let text = outcome.reason + outcome.message
            guard reported[ref] != text else { continue }
            reported[ref] = text
            events.record(svc, kind: "Service", warning: outcome.warning, reason: outcome.reason, message: outcome.message)
            wrote = true
        }
        for ref in reported.keys where !services.contains(where: { Self.ref($0) == ref }) { reported[ref] = nil }
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
