import Foundation
import PortholeKube
import PortholeNet

/// Routes one HTTP request arriving on a gateway Envoy listener, as Istio's generated config would,
/// and answers the way Envoy does when it cannot: 404 NR, 503 NC / UH / UF.
struct EnvoyRouter {
    let store: ObjectStore
    let topology: LabTopology

    /// The outcome of routing: an upstream to call, or Envoy's own answer.
    enum Decision {
        case upstream(service: JSONValue, port: JSONValue)
        case local(HTTPResponse, flag: String)
    }

    func route(_ request: HTTPRequest, pods: [JSONValue], listenerPort: Int) -> Decision {
        let servers = IstioGatewayModel(store: store, topology: topology).listeners(for: pods)[listenerPort] ?? []
        let host = request.headers["Host"] ?? ""
        // The server that takes the host (an exact host before a wildcard) may send everything to https first.
        let hostOnly = String(host.split(separator: ":").first ?? "")
        let matching = servers.filter { $0.hosts.contains { HostMatch.matches(pattern: $0, host: hostOnly) } }
        let taking = matching.first { $0.hosts.contains(hostOnly) } ?? matching.first
        if let s = taking, s.httpsRedirect, s.protocolName.uppercased() == "HTTP" {
            var r = Self.answer(301, body: "")
            r.headers.add("location", "https://\(hostOnly)\(request.target)")
            return .local(r, flag: "")
        }
        let gateways = Set(servers.map(\.gateway))
        let serverHosts = servers.flatMap(\.hosts)
        let services = store.list(Kinds.virtualServices).sorted {
            ($0["metadata"]?["creationTimestamp"]?.stringValue ?? "", $0.namespace, $0.name) <
            ($1["metadata"]?["creationTimestamp"]?.stringValue ?? "", $1.namespace, $1.name)
        }
        // The gateway proxy sees only what is exported to the namespace its pods run in.
        let proxyNamespace = pods.first?.namespace ?? ""
        for vs in services where IstioExportTo.visible(vs, to: proxyNamespace) {
            let bound = (vs.spec["gateways"]?.strings ?? []).contains { gateways.contains(Self.gatewayRef($0, from: vs.namespace)) }
            guard bound else { continue }
            let hosts = vs.spec["hosts"]?.strings ?? []
            guard hosts.contains(where: { h in serverHosts.contains { HostMatch.intersects(h, $0) } }),
                  hosts.contains(where: { HostMatch.matches(pattern: $0, host: host) }) else { continue }
            for http in vs.spec["http"]?.array ?? [] where Self.matches(http["match"]?.array ?? [], path: request.path) {
                return destination(http, namespace: vs.namespace, proxyNamespace: proxyNamespace)
            }
        }
        return .local(Self.answer(404, body: ""), flag: "NR")
    }

    /// `gateways:` entries: `name` (the VirtualService's namespace), `ns/name`, or `name.ns.svc.cluster.local`.
    static func gatewayRef(_ entry: String, from namespace: String) -> ObjectRef {
        if let slash = entry.firstIndex(of: "/") {
            return ObjectRef(Kinds.istioGateways, namespace: String(entry[..<slash]), name: String(entry[entry.index(after: slash)...]))
        }
        let parts = entry.split(separator: ".").map(String.init)
        if parts.count >= 2 { return ObjectRef(Kinds.istioGateways, namespace: parts[1], name: parts[0]) }
        return ObjectRef(Kinds.istioGateways, namespace: namespace, name: entry)
    }

    /// Istio HTTP match: any entry matching suffices; no entries match everything. A regex that
    /// RE2 rejects makes the route unusable (Envoy would reject it), so it never matches.
    static func matches(_ matches: [JSONValue], path: String) -> Bool {
        if matches.isEmpty { return true }
        return matches.contains { m in
            guard let uri = m["uri"] else { return true }
            if let p = uri["prefix"]?.stringValue { return path.hasPrefix(p) }
            if let e = uri["exact"]?.stringValue { return path == e }
            if let r = uri["regex"]?.stringValue { return RE2Check.fullMatch(r, path) }
            return true
        }
    }

    private func destination(_ http: JSONValue, namespace: String, proxyNamespace: String) -> Decision {
        guard let dest = http["route"]?.array.first?["destination"], let host = dest["host"]?.stringValue,
              let name = ServiceName.resolve(host, from: namespace), let svc = store.get(name.ref),
              IstioExportTo.visible(svc, to: proxyNamespace) else {
            return .local(Self.answer(503, body: ""), flag: "NC")
        }
        let ports = svc.spec["ports"]?.array ?? []
        let port: JSONValue?
        if let n = dest["port"]?["number"]?.intValue { port = ports.first { $0["port"]?.intValue == n } }
        else { port = ports.count == 1 ? ports.first : nil }
        guard let p = port else { return .local(Self.answer(503, body: ""), flag: "NC") }
        let mesh = MeshPolicy(store: store)
        let pods = mesh.pods(of: svc)
        if pods.isEmpty || PodController.namedPortMissing(p, pods: pods) { return .local(Self.answer(503, body: "no healthy upstream"), flag: "UH") }
        let tls = mesh.destinationTLSMode(service: name, port: p["port"]?.intValue ?? 0)
        if tls == "ISTIO_MUTUAL" && !pods.contains(where: MeshPolicy.hasSidecar) {
            return .local(Self.answer(503, body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination"), flag: "UF")
        }
        // Plain text on purpose (DISABLE) towards sidecars that insist on mTLS: the server side resets.
        if tls == "DISABLE", pods.contains(where: MeshPolicy.hasSidecar),
           pods.allSatisfy({ mesh.peerAuthenticationMode(of: $0) == "STRICT" }) {
            return .local(Self.answer(503, body: "upstream connect error or disconnect/reset before headers. reset reason: connection termination"), flag: "UF")
        }
        return .upstream(service: svc, port: p)
    }

    /// An answer Envoy makes itself: `server: istio-envoy`, no `x-envoy-upstream-service-time`.
    static func answer(_ status: Int, body: String) -> HTTPResponse {
        var h = HTTPHeaders()
        h.add("date", httpDate())
        h.add("server", "istio-envoy")
        if !body.isEmpty { h.add("content-type", "text/plain") }
        return HTTPResponse(status: status, headers: h, body: Array(body.utf8))
    }

    /// Marks a proxied answer as Envoy does.
    static func proxied(_ response: HTTPResponse, upstreamMillis: Int) -> HTTPResponse {
        var r = response
        r.headers.set("server", "istio-envoy")
        r.headers.set("x-envoy-upstream-service-time", String(upstreamMillis))
        return r
    }

    static func httpDate() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: Date())
    }
}
