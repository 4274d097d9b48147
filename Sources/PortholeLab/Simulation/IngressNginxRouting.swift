import Foundation
import PortholeKube
import PortholeNet

/// The ingress-nginx controller: picks Ingresses of its class, routes to Services in the Ingress's own
/// namespace, and sends to pod endpoints directly, so a STRICT-mTLS meshed backend resets it (502).
struct IngressNginxRouting {
    let store: ObjectStore
    let topology: LabTopology

    static func isControllerPod(_ pod: JSONValue) -> Bool {
        pod.labels["app.kubernetes.io/name"] == "ingress-nginx" && pod.labels["app.kubernetes.io/component"] == "controller"
    }

    var ingressClass: String { topology.components.ingressNginx?.ingressClass ?? "nginx" }

    /// ingress-nginx >= 1.0 ignores Ingresses without a class (or the default-class annotation).
    func isServed(_ ing: JSONValue) -> Bool {
        if let c = ing.spec["ingressClassName"]?.stringValue { return c == ingressClass }
        if let c = ing.annotations["kubernetes.io/ingress.class"] { return c == ingressClass }
        let major = Int(topology.components.ingressNginx?.version.trimmingCharacters(in: CharacterSet(charactersIn: "v")).split(separator: ".").first ?? "1") ?? 1
        if major < 1 { return true }
        let cls = store.get(ObjectRef(Kinds.ingressClasses, namespace: "", name: ingressClass))
        return cls?.annotations["ingressclass.kubernetes.io/is-default-class"] == "true"
    }

    /// Routes one request; `source` is the client address nginx sees (nil: not filtered by allow-lists).
    func route(_ request: HTTPRequest, controllerPods: [JSONValue], source: String? = nil) -> EnvoyRouter.Decision {
        let host = HostMatch.stripPort(request.headers["Host"] ?? "")
        var best: (length: Int, ing: JSONValue, backend: JSONValue)? = nil
        for ing in store.list(Kinds.ingresses) where isServed(ing) {
            for rule in ing.spec["rules"]?.array ?? [] {
                if let h = rule["host"]?.stringValue, !HostMatch.matches(pattern: h, host: host) { continue }
                for p in rule["http"]?["paths"]?.array ?? [] {
                    let path = p["path"]?.stringValue ?? "/"
                    guard Self.pathMatches(type: p["pathType"]?.stringValue ?? "Prefix", path: path, request.path),
                          let backend = p["backend"], path.count > (best?.length ?? -1) else { continue }
                    best = (path.count, ing, backend)
                }
            }
            if best == nil, let d = ing.spec["defaultBackend"] { best = (0, ing, d) }
        }
        guard let b = best else { return .local(Self.page(404, "Not Found"), flag: "NR") }
        // The redirect is nginx's rewrite phase: before the allow-list (access) and the upstream.
        if NginxSSLRedirect.redirects(b.ing, host: host, globalSSLRedirect: globalSSLRedirect(controllerPods)) {
            var r = Self.page(308, "Permanent Redirect")
            r.headers.add("Location", "https://\(host)\(request.target)")
            return .local(r, flag: "")
        }
        // The deny- and allow-lists guard every location of their Ingress (nginx's `deny` lines, then the listed
        // `allow`s and `deny all`); the controller ConfigMap's lists apply where the Ingress sets none.
        if let source {
            let config = controllerConfig(controllerPods)
            if let denied = SourceRanges.nginxDenyList(b.ing, controllerConfig: config),
               SourceRanges.admits(denied, source: source, topology: topology) {
                return .local(Self.page(403, "Forbidden"), flag: "DL")
            }
            if let allowed = SourceRanges.nginxAllowList(b.ing, controllerConfig: config),
               !SourceRanges.admits(allowed, source: source, topology: topology) {
                return .local(Self.page(403, "Forbidden"), flag: "AL")
            }
        }
        guard let name = b.backend["service"]?["name"]?.stringValue,
              let svc = store.get(ObjectRef(Kinds.services, namespace: b.ing.namespace, name: name)) else {
            return .local(Self.page(503, "Service Temporarily Unavailable"), flag: "NC")
        }
        guard let port = Self.servicePort(svc, wanted: b.backend["service"]?["port"]) else {
            return .local(Self.page(503, "Service Temporarily Unavailable"), flag: "NC")
        }
        let mesh = MeshPolicy(store: store)
        let pods = mesh.pods(of: svc)
        if pods.isEmpty || PodController.namedPortMissing(port, pods: pods) { return .local(Self.page(503, "Service Temporarily Unavailable"), flag: "UH") }
        let strict = pods.contains { MeshPolicy.hasSidecar($0) && mesh.peerAuthenticationMode(of: $0) == "STRICT" }
        let controllerMeshed = controllerPods.contains(where: MeshPolicy.hasSidecar)
        let serviceUpstream = b.ing.annotations["nginx.ingress.kubernetes.io/service-upstream"] == "true"
        if strict && !(controllerMeshed && serviceUpstream) {
            return .local(Self.page(502, "Bad Gateway"), flag: "UF")
        }
        // Through the controller's sidecar, the Host header picks the route: without upstream-vhost
        // naming the Service, the sidecar finds no route for the public host name (404 NR).
        if controllerMeshed && serviceUpstream {
            let vhost = b.ing.annotations["nginx.ingress.kubernetes.io/upstream-vhost"].map(HostMatch.stripPort)
            if vhost.flatMap({ ServiceName.resolve($0, from: b.ing.namespace) }) != ServiceName(namespace: svc.namespace, name: svc.name) {
                var r = EnvoyRouter.answer(404, body: "")
                r.headers.set("server", "nginx")
                return .local(r, flag: "NR")
            }
        }
        return .upstream(service: svc, port: port)
    }

    /// The controller ConfigMap's `ssl-redirect` (default true): the ConfigMap in the controller's namespace
    /// whose name the chart gives it (`<release>-controller`, `ingress-nginx-controller`).
    func globalSSLRedirect(_ controllerPods: [JSONValue]) -> Bool {
        controllerConfig(controllerPods)["ssl-redirect"] != "false"
    }

    /// The data of the controller's ConfigMap (`<release>-controller` in its namespace, as the chart names it).
    func controllerConfig(_ controllerPods: [JSONValue]) -> [String: String] {
        guard let ns = controllerPods.first?.namespace else { return [:] }
        var out: [String: String] = [:]
        for map in store.list(Kinds.configMaps, namespace: ns) where map.name.hasSuffix("-controller") {
            for (k, v) in map["data"]?.objectValue ?? [:] { if let s = v.stringValue { out[k] = s } }
        }
        return out
    }

    /// The Service port an Ingress backend names, by number or by name.
    static func servicePort(_ svc: JSONValue, wanted: JSONValue?) -> JSONValue? {
        let ports = svc.spec["ports"]?.array ?? []
        if let n = wanted?["number"]?.intValue { return ports.first { $0["port"]?.intValue == n } }
        let name = wanted?["name"]?.stringValue
        return ports.first { $0["name"]?.stringValue == name }
    }

    /// Prefix matches whole path elements (`/graph` matches `/graph/x`, not `/graphs`).
    static func pathMatches(type: String, path: String, _ requestPath: String) -> Bool {
        switch type {
        case "Exact": return requestPath == path
        case "ImplementationSpecific": return requestPath.hasPrefix(path)
        default:
            if path == "/" { return true }
            let p = path.hasSuffix("/") ? String(path.dropLast()) : path
            return requestPath == p || requestPath.hasPrefix(p + "/")
        }
    }

    /// nginx's own error page.
    static func page(_ status: Int, _ title: String) -> HTTPResponse {
        let body = "<html>\r\n<head><title>\(status) \(title)</title></head>\r\n<body>\r\n<center><h1>\(status) \(title)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        var h = HTTPHeaders()
        h.add("Date", EnvoyRouter.httpDate())
        h.add("Content-Type", "text/html")
        h.add("Server", "nginx")
        return HTTPResponse(status: status, reason: title, headers: h, body: Array(body.utf8))
    }
}
