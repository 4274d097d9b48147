import Foundation
import PortholeKube
import PortholeNet

/// Routes a request arriving at an Istio-managed Gateway API gateway through its attached HTTPRoutes.
enum GatewayAPIRouting {
    /// Whether every backendRef of `route` resolves: the Service exists, and a cross-namespace
    /// reference is allowed by a ReferenceGrant in the backend's namespace.
    static func resolveRefs(_ route: JSONValue, store: ObjectStore) -> (ok: Bool, reason: String, message: String) {
        for rule in route.spec["rules"]?.array ?? [] {
            for b in rule["backendRefs"]?.array ?? [] {
                let ns = b["namespace"]?.stringValue ?? route.namespace
                let name = b["name"]?.stringValue ?? ""
                if ns != route.namespace && !granted(from: route.namespace, to: ns, service: name, store: store) {
                    return (false, "RefNotPermitted", "backendRef \(name)/\(ns) not accessible to a HTTPRoute in namespace \"\(route.namespace)\" (missing a ReferenceGrant?)")
                }
                if store.get(ObjectRef(Kinds.services, namespace: ns, name: name)) == nil {
                    return (false, "BackendNotFound", "backend(\(name).\(ns).svc.cluster.local) not found")
                }
            }
        }
        return (true, "ResolvedRefs", "All references resolved")
    }

    static func granted(from: String, to ns: String, service: String, store: ObjectStore) -> Bool {
        store.list(Kinds.referenceGrants, namespace: ns).contains { g in
            (g.spec["from"]?.array ?? []).contains { $0["kind"]?.stringValue == "HTTPRoute" && $0["namespace"]?.stringValue == from } &&
            (g.spec["to"]?.array ?? []).contains { $0["kind"]?.stringValue == "Service" && (($0["name"]?.stringValue).map { $0 == service } ?? true) }
        }
    }

    static func route(_ request: HTTPRequest, gateway gw: JSONValue, listenerPort: Int, store: ObjectStore, topology: LabTopology) -> EnvoyRouter.Decision {
        let controller = GatewayAPIController(store: store, topology: topology)
        let listeners = (gw.spec["listeners"]?.array ?? []).filter { $0["port"]?.intValue == listenerPort }
        let host = HostMatch.stripPort(request.headers["Host"] ?? "")
        for route in store.list(Kinds.httpRoutes) {
            guard listeners.contains(where: { controller.attachment(route, gateway: gw, listener: $0) == nil }) else { continue }
            let hostnames = route.spec["hostnames"]?.strings ?? []
            guard hostnames.isEmpty || hostnames.contains(where: { HostMatch.matches(pattern: $0, host: host) }) else { continue }
            for rule in route.spec["rules"]?.array ?? [] where matches(rule["matches"]?.array ?? [], path: request.path) {
                guard resolveRefs(route, store: store).ok else { return .local(EnvoyRouter.answer(500, body: ""), flag: "NR") }
                guard let b = rule["backendRefs"]?.array.first,
                      let svc = store.get(ObjectRef(Kinds.services, namespace: b["namespace"]?.stringValue ?? route.namespace, name: b["name"]?.stringValue ?? "")),
                      let port = (svc.spec["ports"]?.array ?? []).first(where: { $0["port"]?.intValue == b["port"]?.intValue }) else {
                    return .local(EnvoyRouter.answer(500, body: ""), flag: "NC")
                }
                let pods = MeshPolicy(store: store).pods(of: svc)
                if pods.isEmpty || PodController.namedPortMissing(port, pods: pods) { return .local(EnvoyRouter.answer(503, body: "no healthy upstream"), flag: "UH") }
                return .upstream(service: svc, port: port)
            }
        }
        return .local(EnvoyRouter.answer(404, body: ""), flag: "NR")
    }

    static func matches(_ matches: [JSONValue], path: String) -> Bool {
        if matches.isEmpty { return path.hasPrefix("/") }
        return matches.contains { m in
            let type = m["path"]?["type"]?.stringValue ?? "PathPrefix"
            let value = m["path"]?["value"]?.stringValue ?? "/"
            switch type {
            case "Exact": return path == value
            case "RegularExpression": return RE2Check.fullMatch(value, path)
            default: return value == "/" || path == value || path.hasPrefix(value.hasSuffix("/") ? value : value + "/")
            }
        }
    }
}
