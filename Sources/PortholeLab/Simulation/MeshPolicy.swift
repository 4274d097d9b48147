import Foundation
import PortholeKube

/// What the mesh decides about traffic to a workload: sidecars, DestinationRule TLS, PeerAuthentication.
struct MeshPolicy {
    let store: ObjectStore
    /// Istio's root namespace, where mesh-wide policy lives.
    static let rootNamespace = "istio-system"

    /// A pod is in the mesh when it carries the injected sidecar.
    static func hasSidecar(_ pod: JSONValue) -> Bool {
        pod.labels["security.istio.io/tlsMode"] == "istio" ||
            (pod.spec["containers"]?.array ?? []).contains { $0["name"]?.stringValue == "istio-proxy" }
    }

    /// The pods behind a Service's endpoints: its selector, same namespace, and ready (`PodReadiness`), since
    /// kube-proxy, Envoy and nginx send only to ready endpoints. Every data-plane decision goes through here.
    func pods(of svc: JSONValue) -> [JSONValue] {
        let selector = JSONValue.stringMap(svc.spec["selector"])
        return store.list(Kinds.pods, namespace: svc.namespace).filter { Selector.matches(selector, $0.labels) && PodReadiness.isReady($0) }
    }

    /// The TLS mode a client sidecar uses towards `service` port `port`, from the most specific DestinationRule.
    func destinationTLSMode(service: ServiceName, port: Int) -> String? {
        var best: (rank: Int, mode: String?)? = nil
        for dr in store.list(Kinds.destinationRules) {
            guard let host = dr.spec["host"]?.stringValue else { continue }
            let exact = !host.hasPrefix("*")
            let hostMatches: Bool
            if exact { hostMatches = ServiceName.resolve(host, from: dr.namespace) == service }
            else { hostMatches = HostMatch.matches(pattern: host, host: service.fqdn) }
            guard hostMatches else { continue }
            let policy = dr.spec["trafficPolicy"]
            var mode = policy?["tls"]?["mode"]?.stringValue
            for pl in policy?["portLevelSettings"]?.array ?? [] where pl["port"]?["number"]?.intValue == port {
                mode = pl["tls"]?["mode"]?.stringValue ?? mode
            }
            let rank = (exact ? 10 : 0) + (dr.namespace == service.namespace ? 2 : 0) + (dr.namespace == Self.rootNamespace ? 1 : 0)
            if best == nil || rank > best!.rank { best = (rank, mode) }
        }
        return best?.mode
    }

    /// The effective PeerAuthentication mode of a pod: workload > namespace > mesh-wide; PERMISSIVE by default.
    func peerAuthenticationMode(of pod: JSONValue) -> String {
        let policies = store.list(Kinds.peerAuthentications)
        func mode(_ p: JSONValue) -> String? { p.spec["mtls"]?["mode"]?.stringValue.flatMap { $0 == "UNSET" ? nil : $0 } }
        if let w = policies.first(where: { $0.namespace == pod.namespace && $0.spec["selector"] != nil &&
            Selector.matches(labelSelector: $0.spec["selector"], pod.labels) }), let m = mode(w) { return m }
        if let n = policies.first(where: { $0.namespace == pod.namespace && $0.spec["selector"] == nil }), let m = mode(n) { return m }
        if let r = policies.first(where: { $0.namespace == Self.rootNamespace && $0.spec["selector"] == nil }), let m = mode(r) { return m }
        return "PERMISSIVE"
    }
}
