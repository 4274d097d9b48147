import Foundation
import PortholeKube

/// Plays kubelet and the endpoints controller: a pod runs (phase Running and Ready, a pod IP in a fake pod
/// CIDR nothing ever connects to) unless its stored status declares trouble (`PodReadiness`), which it then
/// keeps; every Service with a selector gets Endpoints from its pods, the not-ready ones under `notReadyAddresses`.
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
        func freeIP() -> String {
            while used.contains(Self.podCIDRPrefix + String(next)) { next += 1 }
            let ip = Self.podCIDRPrefix + String(next)
            used.insert(ip)
            return ip
        }
        for pod in pods {
            let p = PodReadiness.declaresTrouble(pod) ? troubled(pod, freeIP) : running(pod, freeIP)
            if p != pod { store.put(ObjectRef(Kinds.pods, namespace: pod.namespace, name: pod.name), p); wrote = true }
        }
        return reconcileEndpoints() || wrote
    }

    /// A pod with no status or a healthy one: Running and Ready on a node, as before any trouble was modelled.
    private func running(_ pod: JSONValue, _ freeIP: () -> String) -> JSONValue {
        var p = pod
        var status = p["status"]?.objectValue ?? [:]
        if status["podIP"]?.stringValue == nil {
            let ip = freeIP()
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
        return p
    }

    /// A pod whose status declares trouble keeps it. Pending stays where it is (no node or IP invented: an
    /// unschedulable pod has neither); a pod in phase Running (a crashing container, a failing readiness
    /// probe) gets what a running pod always has: a node, a host IP, a pod IP and `Ready` False.
    private func troubled(_ pod: JSONValue, _ freeIP: () -> String) -> JSONValue {
        var p = pod
        var status = p["status"]?.objectValue ?? [:]
        guard (status["phase"]?.stringValue ?? "Running") == "Running" else {
            if let n = topology.nodes.first(where: { $0.name == p.spec["nodeName"]?.stringValue }), status["hostIP"] == nil {
                status["hostIP"] = .string(n.standsFor?["internalIP"] ?? n.internalIP)
            }
            p["status"] = .object(status)
            return p
        }
        status["phase"] = "Running"
        if p.spec["nodeName"]?.stringValue == nil, let first = topology.nodes.first {
            p["spec"]?["nodeName"] = .string(first.name)
        }
        if let n = topology.nodes.first(where: { $0.name == p.spec["nodeName"]?.stringValue }), status["hostIP"] == nil {
            status["hostIP"] = .string(n.standsFor?["internalIP"] ?? n.internalIP)
        }
        if status["podIP"]?.stringValue == nil {
            let ip = freeIP()
            status["podIP"] = .string(ip)
            status["podIPs"] = .array([["ip": .string(ip)]])
        }
        var conditions = status["conditions"]?.array ?? []
        for type in ["Ready", "ContainersReady"] where !conditions.contains(where: { $0["type"]?.stringValue == type }) {
            conditions.append(["type": .string(type), "status": "False", "reason": "ContainersNotReady"])
        }
        status["conditions"] = .array(conditions)
        if (status["containerStatuses"]?.array ?? []).isEmpty {
            // Declared not ready without saying why: the containers run and fail their readiness probe.
            status["containerStatuses"] = .array((p.spec["containers"]?.array ?? []).map { c in
                ["name": c["name"] ?? "", "ready": false, "restartCount": 0, "image": c["image"] ?? "",
                 "started": true, "state": ["running": ["startedAt": p["metadata"]?["creationTimestamp"] ?? ""]]]
            })
        }
        if status["startTime"] == nil { status["startTime"] = p["metadata"]?["creationTimestamp"] ?? .null }
        p["status"] = .object(status)
        return p
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
            // As the endpoints controller: a pod without an IP is left out; a not-ready one goes under notReadyAddresses.
            func address(_ pod: JSONValue) -> JSONValue? {
                guard let ip = pod["status"]?["podIP"]?.stringValue else { return nil }
                return ["ip": .string(ip), "nodeName": pod.spec["nodeName"] ?? .null,
                        "targetRef": ["kind": "Pod", "name": .string(pod.name), "namespace": .string(pod.namespace)]]
            }
            let addresses = members.filter(PodReadiness.isReady).compactMap(address)
            let notReady = members.filter { !PodReadiness.isReady($0) }.compactMap(address)
            // A named targetPort no member declares gets no endpoint (the real controller skips the pod for it).
            let servedPorts = (svc.spec["ports"]?.array ?? []).filter { !Self.namedPortMissing($0, pods: members) }
            let ports: [JSONValue] = servedPorts.map { port in
                var e: [String: JSONValue] = ["port": .int(Self.targetPort(port, pods: members)), "protocol": port["protocol"] ?? "TCP"]
                if let n = port["name"] { e["name"] = n }
                return .object(e)
            }
            var subset: [String: JSONValue] = ["ports": .array(ports)]
            if !addresses.isEmpty { subset["addresses"] = .array(addresses) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            let subsets: JSONValue = (addresses.isEmpty && notReady.isEmpty) || ports.isEmpty ? .array([]) : .array([.object(subset)])
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

    /// True when `port`'s targetPort is a name that no container of `pods` declares: the endpoints controller
    /// then lists no endpoint for that port, so kube-proxy rejects (refused) and Envoy has no healthy upstream.
    static func namedPortMissing(_ port: JSONValue, pods: [JSONValue]) -> Bool {
        guard port["targetPort"]?.intValue == nil, let name = port["targetPort"]?.stringValue, !pods.isEmpty else { return false }
        return !pods.contains { pod in
            (pod.spec["containers"]?.array ?? []).contains { c in (c["ports"]?.array ?? []).contains { $0["name"]?.stringValue == name } }
        }
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
