import Foundation
import PortholeKube

/// Gives NodePort and LoadBalancer Service ports a nodePort when they have none: the API server does
/// this on admission, but Services the simulation creates itself (Gateway API) skip admission.
struct NodePortAllocator {
    let store: ObjectStore
    let topology: LabTopology

    var range: ClosedRange<Int> {
        let parts = (topology.kubernetes.nodePortRange ?? "30000-32767").split(separator: "-").compactMap { Int($0) }
        return parts.count == 2 && parts[0] <= parts[1] ? parts[0]...parts[1] : 30000...32767
    }

    func reconcile() -> Bool {
        let services = store.list(Kinds.services)
        var used = Set(services.flatMap { ($0.spec["ports"]?.array ?? []).compactMap { $0["nodePort"]?.intValue } })
        var wrote = false
        for svc in services where ["NodePort", "LoadBalancer"].contains(svc.spec["type"]?.stringValue ?? "") {
            var ports = svc.spec["ports"]?.array ?? []
            var changed = false
            for i in ports.indices where ports[i]["nodePort"]?.intValue == nil {
                // Deterministic per Service and port, so runs and transcripts repeat.
                var n = range.lowerBound + Self.hash("\(svc.namespace)/\(svc.name)/\(ports[i]["port"]?.intValue ?? 0)") % range.count
                while used.contains(n) { n = n == range.upperBound ? range.lowerBound : n + 1 }
                used.insert(n)
                ports[i]["nodePort"] = .int(n)
                changed = true
            }
            guard changed else { continue }
            var s = svc
            s["spec"]?["ports"] = .array(ports)
            store.put(MetalLBController.ref(svc), s)
            wrote = true
        }
        return wrote
    }

    /// FNV-1a: stable across processes, unlike `hashValue`.
    static func hash(_ s: String) -> Int {
        var h: UInt32 = 2166136261
        for b in s.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        return Int(h % 1_000_003)
    }
}
