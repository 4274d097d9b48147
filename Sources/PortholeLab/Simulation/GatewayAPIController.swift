import Foundation
import PortholeKube

/// Istio's Gateway API controller: a `Gateway` of class `istio` gets a `<name>-istio` Service and
/// gateway pod, and Gateways and HTTPRoutes get the status conditions that say what is wrong.
struct GatewayAPIController {
    let store: ObjectStore
    let topology: LabTopology
    static let controllerName = "istio.io/gateway-controller"
    static let className = "istio"
    static let nameLabel = "gateway.networking.k8s.io/gateway-name"
    static let managedLabel = "gateway.istio.io/managed"

    func reconcile() -> Bool {
        guard topology.components.gatewayAPI != nil else { return false }
        // A Gateway no controller owns keeps the status the CRD defaults it to, as on a real cluster.
        var wrote = GatewayClassDefaults(store: store).waitForController(owned: topology.components.istio != nil ? [Self.className] : [])
        guard topology.components.istio != nil else { return wrote }
        wrote = GatewayClassDefaults(store: store).ensureClass(Self.className, controller: Self.controllerName,
                                                              description: "The default Istio GatewayClass") || wrote
        let gateways = store.list(Kinds.k8sGateways).filter { $0.spec["gatewayClassName"]?.stringValue == Self.className }
        for gw in gateways { wrote = deploy(gw) || wrote }
        // What a deleted Gateway left behind goes with it.
        let live = Set(gateways.map { "\($0.namespace)/\($0.name)" })
        for key in [Kinds.services, Kinds.pods] {
            for o in store.list(key) where o.labels[Self.managedLabel] != nil && !live.contains("\(o.namespace)/\(o.labels[Self.nameLabel] ?? "")") {
                store.delete(ObjectRef(key, namespace: o.namespace, name: o.name)); wrote = true
            }
        }
        let routes = store.list(Kinds.httpRoutes)
        for gw in gateways { wrote = writeGatewayStatus(gw, routes: routes) || wrote }
        for route in routes { wrote = writeRouteStatus(route) || wrote }
        return wrote
    }

    private func deploy(_ gw: JSONValue) -> Bool {
        let svcRef = ObjectRef(Kinds.services, namespace: gw.namespace, name: gw.name + "-istio")
        let existing = store.get(svcRef)
        let oldPorts = existing?.spec["ports"]?.array ?? []
        var ports: [JSONValue] = [["name": "status-port", "port": 15021, "targetPort": 15021, "protocol": "TCP"]]
        for l in gw.spec["listeners"]?.array ?? [] {
            guard let n = l["port"]?.intValue, !ports.contains(where: { $0["port"]?.intValue == n }) else { continue }
            ports.append(["name": .string(l["name"]?.stringValue ?? "port-\(n)"), "port": .int(n), "targetPort": .int(n), "protocol": "TCP"])
        }
        ports = ports.map { p in
            var q = p
            if let old = oldPorts.first(where: { $0["port"] == p["port"] }), let np = old["nodePort"] { q["nodePort"] = np }
            return q
        }
        let labels: JSONValue = [.init(stringLiteral: Self.nameLabel): .string(gw.name), .init(stringLiteral: Self.managedLabel): "istio.io-gateway-controller"]
        var svc = existing ?? ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(svcRef.name), "namespace": .string(gw.namespace)]]
        svc["metadata"]?["labels"] = labels
        svc["metadata"]?["ownerReferences"] = [["apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "name": .string(gw.name),
                                                "uid": gw["metadata"]?["uid"] ?? "", "controller": true]]
        var spec = svc.spec.objectValue ?? [:]
        spec["type"] = .string(gw.annotations["networking.istio.io/service-type"] ?? "LoadBalancer")
        spec["selector"] = [.init(stringLiteral: Self.nameLabel): .string(gw.name)]
        spec["ports"] = .array(ports)
        svc["spec"] = .object(spec)
        var wrote = false
        if svc != existing { store.put(svcRef, svc); wrote = true }
        let podRef = ObjectRef(Kinds.pods, namespace: gw.namespace, name: gw.name + "-istio-7d4b9c8f6-x2k9p")
        if store.get(podRef) == nil {
            store.put(podRef, ["apiVersion": "v1", "kind": "Pod",
                               "metadata": ["name": .string(podRef.name), "namespace": .string(gw.namespace), "labels": labels],
                               "spec": ["containers": [["name": "istio-proxy", "image": .string("docker.io/istio/proxyv2:\(topology.components.istio?.version ?? "")")]]]])
            wrote = true
        }
        return wrote
    }

    private func writeGatewayStatus(_ gw: JSONValue, routes: [JSONValue]) -> Bool {
        let svc = store.get(ObjectRef(Kinds.services, namespace: gw.namespace, name: gw.name + "-istio"))
        let lbIP = svc?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.stringValue
        let isLB = svc?.spec["type"]?.stringValue == "LoadBalancer"
        let addresses: JSONValue = lbIP.map { [["type": "IPAddress", "value": .string($0)]] }
            ?? (isLB ? [] : [["type": "Hostname", "value": .string("\(gw.name)-istio.\(gw.namespace).svc.cluster.local")]])
        let programmed = !isLB || lbIP != nil
        let listeners: [JSONValue] = (gw.spec["listeners"]?.array ?? []).map { l in
            let attached = routes.filter { attachment($0, gateway: gw, listener: l) == nil }.count
            return ["name": l["name"] ?? "", "attachedRoutes": .int(attached),
                    "supportedKinds": [["group": "gateway.networking.k8s.io", "kind": "HTTPRoute"]],
                    "conditions": .array([condition(gw, "Accepted", true, "Accepted", "No errors found"),
                                          condition(gw, "Programmed", true, "Programmed", "No errors found"),
                                          condition(gw, "ResolvedRefs", true, "ResolvedRefs", "No errors found")])]
        }
        let status: JSONValue = ["addresses": addresses, "listeners": .array(listeners), "conditions": .array([
            condition(gw, "Accepted", true, "Accepted", "Resource accepted"),
            programmed ? condition(gw, "Programmed", true, "Programmed", "Resource programmed, assigned to service(s) \(gw.name)-istio.\(gw.namespace).svc.cluster.local:\(gw.spec["listeners"]?[0]?["port"]?.intValue ?? 80)")
                       : condition(gw, "Programmed", false, "AddressNotAssigned", "Assigned to service(s) \(gw.name)-istio.\(gw.namespace).svc.cluster.local, but failed to assign to all requested addresses: address pending for hostname \"\(gw.name)-istio.\(gw.namespace).svc.cluster.local\"")])]
        return putStatus(Kinds.k8sGateways, gw, status)
    }

    private func writeRouteStatus(_ route: JSONValue) -> Bool {
        var parents: [JSONValue] = []
        let resolved = GatewayAPIRouting.resolveRefs(route, store: store)
        for ref in route.spec["parentRefs"]?.array ?? [] {
            let ns = ref["namespace"]?.stringValue ?? route.namespace
            let gw = store.get(ObjectRef(Kinds.k8sGateways, namespace: ns, name: ref["name"]?.stringValue ?? ""))
            // A parent of another class is another controller's to report on; with none installed, nobody does.
            if let g = gw, g.spec["gatewayClassName"]?.stringValue != Self.className { continue }
            var accepted: (Bool, String, String) = (false, "NoMatchingParent", "parent gateway not found")
            if let g = gw {
                let listeners = (g.spec["listeners"]?.array ?? []).filter { l in
                    (ref["sectionName"]?.stringValue).map { $0 == l["name"]?.stringValue } ?? true &&
                    (ref["port"]?.intValue).map { $0 == l["port"]?.intValue } ?? true
                }
                let reasons = listeners.map { attachment(route, gateway: g, listener: $0, only: ref) }
                if reasons.contains(where: { $0 == nil }) { accepted = (true, "Accepted", "Route was valid") }
                else { accepted = (false, reasons.compactMap { $0 }.first ?? "NoMatchingParent", "no listener accepted the route") }
            }
            parents.append(["parentRef": ref, "controllerName": .string(Self.controllerName), "conditions": .array([
                condition(route, "Accepted", accepted.0, accepted.1, accepted.2),
                condition(route, "ResolvedRefs", resolved.ok, resolved.reason, resolved.message)])])
        }
        if parents.isEmpty && route["status"] == nil { return false }
        return putStatus(Kinds.httpRoutes, route, ["parents": .array(parents)])
    }

    /// Nil when `route` attaches to `listener` of `gateway`; otherwise the reason it does not.
    func attachment(_ route: JSONValue, gateway gw: JSONValue, listener: JSONValue, only: JSONValue? = nil) -> String? {
        let refs = only.map { [$0] } ?? (route.spec["parentRefs"]?.array ?? [])
        guard refs.contains(where: { r in r["name"]?.stringValue == gw.name && (r["namespace"]?.stringValue ?? route.namespace) == gw.namespace &&
            (r["sectionName"]?.stringValue).map { $0 == listener["name"]?.stringValue } ?? true }) else { return "NoMatchingParent" }
        let from = listener["allowedRoutes"]?["namespaces"]?["from"]?.stringValue ?? "Same"
        switch from {
        case "All": break
        case "Selector":
            let ns = store.get(ObjectRef(Kinds.namespaces, namespace: "", name: route.namespace))
            if !Selector.matches(labelSelector: listener["allowedRoutes"]?["namespaces"]?["selector"], ns?.labels ?? [:]) { return "NotAllowedByListeners" }
        default: if route.namespace != gw.namespace { return "NotAllowedByListeners" }
        }
        if let lh = listener["hostname"]?.stringValue, let hosts = route.spec["hostnames"]?.strings, !hosts.isEmpty,
           !hosts.contains(where: { HostMatch.intersects($0, lh) }) { return "NoMatchingListenerHostname" }
        return nil
    }

    private func condition(_ o: JSONValue, _ type: String, _ ok: Bool, _ reason: String, _ message: String) -> JSONValue {
        ["type": .string(type), "status": ok ? "True" : "False", "reason": .string(reason), "message": .string(message),
         "observedGeneration": o["metadata"]?["generation"] ?? 1, "lastTransitionTime": o["metadata"]?["creationTimestamp"] ?? ""]
    }

    private func putStatus(_ key: ResourceKey, _ o: JSONValue, _ status: JSONValue) -> Bool {
        guard o["status"] != status else { return false }
        var n = o
        n["status"] = status
        store.put(ObjectRef(key, namespace: o.namespace, name: o.name), n)
        return true
    }
}
