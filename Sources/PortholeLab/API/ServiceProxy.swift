import Foundation
import PortholeKube
import PortholeNet

/// The API server's proxy subresource: `services/NAME[:PORT]/proxy/PATH` and `pods/NAME[:PORT]/proxy/PATH`
/// (`kubectl get --raw`, `kubectl proxy`). It picks a ready pod behind the Service, dials its port through
/// the `PodNetwork` (the simulation's backends) and relays one HTTP exchange.
extension APIServer {
    func proxy(_ req: HTTPRequest, _ t: ResourceTarget) throws -> HTTPResponse {
        guard let ns = t.namespace, let spec = t.name else { throw APIError.pathNotFound() }
        // NAME, NAME:PORT or SCHEME:NAME:PORT.
        var parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3 { parts.removeFirst() }
        let name = parts[0], portText = parts.count > 1 ? parts[1] : ""
        let (pod, port) = t.resource.plural == "services"
            ? try serviceBackend(namespace: ns, service: name, port: portText)
            : (name, Int(portText) ?? 80)
        guard let podRef = Optional(ObjectRef(ResourceKey(group: "", resource: "pods"), namespace: ns, name: pod)), store.get(podRef) != nil else {
            throw APIError(code: 404, reason: "NotFound", message: "pods \"\(pod)\" not found")
        }
        let upstream: TCPConnection
        do {
            upstream = try podNetwork.connect(namespace: ns, pod: pod, port: port)
        } catch {
            throw APIError(code: 503, reason: "ServiceUnavailable",
                           message: "error trying to reach service: dial tcp \(podIP(ns, pod)):\(port): connect: \(error)")
        }
        defer { upstream.close() }
        let query = req.target.split(separator: "?", maxSplits: 1).dropFirst().first.map { "?" + $0 } ?? ""
        var forwarded = HTTPRequest(method: req.method, target: "/" + (t.proxyPath ?? "") + query, headers: HTTPHeaders(), body: req.body)
        for h in req.headers where !["host", "connection", "authorization", "content-length", "transfer-encoding"].contains(h.name.lowercased()) {
            forwarded.headers.add(h.name, h.value)
        }
        forwarded.headers.set("Host", "\(podIP(ns, pod)):\(port)")
        forwarded.headers.set("Connection", "close")
        do {
            try upstream.write(forwarded.serialized())
            var resp = try HTTPWire.readResponse(upstream, timeout: 30, headOnly: req.method == "HEAD")
            resp.headers.remove("Connection")
            resp.headers.remove("Transfer-Encoding")
            // As the apiserver's proxy transport does: keep redirects inside the proxy path.
            if let location = resp.headers["Location"], location.hasPrefix("/") {
                let base = req.path.hasSuffix("/" + (t.proxyPath ?? "")) ? String(req.path.dropLast((t.proxyPath ?? "").count + 1)) : req.path
                resp.headers.set("Location", base + location)
            }
            return resp
        } catch {
            throw APIError(code: 503, reason: "ServiceUnavailable", message: "error trying to reach service: \(error)")
        }
    }

    /// The pod and pod port a Service proxy request goes to: the Service port named or numbered (or the only one),
    /// its targetPort, and the first ready pod the selector matches.
    private func serviceBackend(namespace: String, service: String, port: String) throws -> (String, Int) {
        guard let r = catalog.resource(group: "", version: "v1", plural: "services") else { throw APIError.pathNotFound() }
        guard let svc = store.get(ObjectRef(r.key, namespace: namespace, name: service)) else { throw APIError.notFound(r, service) }
        let ports = svc["spec"]?["ports"]?.arrayValue ?? []
        let chosen = port.isEmpty ? ports.first : ports.first { $0["name"]?.stringValue == port || $0["port"]?.plainText == port }
        guard let p = chosen else {
            throw APIError(code: 503, reason: "ServiceUnavailable", message: "no endpoints available for service \"\(service)\"")
        }
        let selector = (svc["spec"]?["selector"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        let pods = store.list(ResourceKey(group: "", resource: "pods"), namespace: namespace).filter { pod in
            let labels = (pod["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            return !selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value } && PodReadiness.isReady(pod)
        }
        guard let pod = pods.first, let podName = pod["metadata"]?["name"]?.stringValue else {
            throw APIError(code: 503, reason: "ServiceUnavailable", message: "no endpoints available for service \"\(service)\"")
        }
        let target = p["targetPort"] ?? p["port"] ?? .int(0)
        if let n = target.intValue { return (podName, n) }
        // A named targetPort: the container port of that name.
        let named = (pod["spec"]?["containers"]?.arrayValue ?? []).flatMap { $0["ports"]?.arrayValue ?? [] }
            .first { $0["name"] == target }?["containerPort"]?.intValue
        return (podName, named ?? p["port"]?.intValue ?? 0)
    }

    private func podIP(_ ns: String, _ pod: String) -> String {
        store.get(ObjectRef(ResourceKey(group: "", resource: "pods"), namespace: ns, name: pod))?["status"]?["podIP"]?.stringValue ?? pod
    }
}
