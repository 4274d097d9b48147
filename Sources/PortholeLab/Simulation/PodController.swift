import Foundation
import PortholeKube

/// Plays kubelet and the endpoints controller: every pod runs (phase Running, a pod IP in a fake pod
/// CIDR nothing ever connects to), and every Service with a selector gets Endpoints from its pods.
struct PodController {
    /// The fake pod network: addresses are only displayed, never dialed.
    static let podCIDRPrefix = "10.244.0."

    let store: ObjectStore
    let topology: LabTopology

    /// Returns true when it wrote anything.
    func reconcile() -> Bool {
        var wrote = false
        let pods = store.list(Kinds.pods)
        var used = Set(pods.compactMap { $0["status"]?["podIP"]?.stringValue })
        var next = 10
        for pod in pods {
            var p = pod
            var status = p["status"]?.objectValue ?? [:]
            if status["podIP"]?.stringValue == nil {
                while used.contains(Self.podCIDRPrefix + String(next)) { next += 1 }
                let ip = Self.podCIDRPrefix + String(next)
                used.insert(ip)
                status["podIP"] = .string(ip)
                status["podIPs"] = .array([["ip": .string(ip)]])
            }
            if p.spec["nodeName"]?.stringValue == nil, let first = topology.nodes.first {
                p["spec"]?["nodeName"] = .string(first.name)
            }
            let node = topology.nodes.first { $0.name == p.spec["nodeName"]?.stringValue }
            status["phase"] = .string("Running")
            if let n = node { status["hostIP"] = .string(n.standsFor?["internalIP"] ?? n.internalIP) }
            status["conditions"] = .array([["type": "Ready", "status": "True"], ["type": "ContainersReady", "status": "True"]])
            let containers = p.spec["containers"]?.array ?? []
            status["containerStatuses"] = .array(containers.map { c in
                ["name": c["name"] ?? "", "ready": true, "restartCount": 0, "image": c["image"] ?? "",
                 "started": true, "state": ["running": ["startedAt": p["metadata"]?["creationTimestamp"] ?? ""]]]
            })
            if status["startTime"] == nil { status["startTime"] = p["metadata"]?["creationTimestamp"] ?? .null }
            p["status"] = .object(status)
            if p != pod { store.put(ObjectRef(Kinds.pods, namespace: pod.namespace, name: pod.name), p); wrote = true }
        }
        return reconcileEndpoints() || wrote
    }

    private func reconcileEndpoints() -> Bool {
        var wrote = false
        let services = store.list(Kinds.services)
        let pods = store.list(Kinds.pods)
        for svc in services {
            let selector = JSONValue.stringMap(svc.spec["selector"])
            guard !selector.isEmpty else { continue }
            let ref = ObjectRef(Kinds.endpoints, namespace: svc.namespace, name: svc.name)
            let members = pods.filter { $0.namespace == svc.namespace && Selector.matches(selector, $0.labels) }
            let addresses: [JSONValue] = members.compactMap { pod in
                guard let ip = pod["status"]?["podIP"]?.stringValue else { return nil }
                return ["ip": .string(ip), "nodeName": pod.spec["nodeName"] ?? .null,
                        "targetRef": ["kind": "Pod", "name": .string(pod.name), "namespace": .string(pod.namespace)]]
            }
            let ports: [JSONValue] = (svc.spec["ports"]?.array ?? []).map { port in
                var e: [String: JSONValue] = ["port": .int(Self.targetPort(port, pods: members)), "protocol": port["protocol"] ?? "TCP"]
                if let n = port["name"] { e["name"] = n }
                return .object(e)
            }
            let subsets: JSONValue = addresses.isEmpty ? .array([]) : .array([["addresses": .array(addresses), "ports": .array(ports)]])
            let existing = store.get(ref)
            if existing?["subsets"] ?? .array([]) == subsets, existing != nil { continue }
            var ep: JSONValue = existing ?? ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": .string(svc.name), "namespace": .string(svc.namespace)]]
            ep["subsets"] = subsets
            store.put(ref, ep)
            wrote = true
        }
        for ep in store.list(Kinds.endpoints) where store.get(ObjectRef(Kinds.services, namespace: ep.namespace, name: ep.name)) == nil {
            store.delete(ObjectRef(Kinds.endpoints, namespace: ep.namespace, name: ep.name))
            wrote = true
        }
        return wrote
    }

    /// A Service port's targetPort as a number: an int, a named container port, or the port itself.
    static func targetPort(_ port: JSONValue, pods: [JSONValue]) -> Int {
        if let n = port["targetPort"]?.intValue { return n }
        if let name = port["targetPort"]?.stringValue {
            for pod in pods {
                for c in pod.spec["containers"]?.array ?? [] {
                    for cp in c["ports"]?.array ?? [] where cp["name"]?.stringValue == name {
                        if let n = cp["containerPort"]?.intValue { return n }
                    }
                }
            }
        }
        return port["port"]?.intValue ?? 0
    }
}
