import Foundation
import PortholeKube
import PortholeNet

/// Istio's AuthorizationPolicy as the Envoy of a workload enforces it on an HTTP request: DENY policies
/// first (any match denies), then ALLOW policies (when any applies, one must match). Denied requests get
/// Envoy's `403 RBAC: access denied`.
///
/// The lab's outside clients have no mTLS identity: `principals`/`namespaces` never match them and their
/// `not...` forms always do. A meshed proxy in front of a meshed backend (the gateway's Envoy calling
/// Prometheus's sidecar over mTLS) has one: its service account's principal and its namespace. With no proxy
/// in front of the gateway, the original client address (`remoteIpBlocks`) is the peer address (`ipBlocks`).
/// JWT `requestPrincipals` never match. CUSTOM and AUDIT policies decide nothing here.
struct AuthorizationPolicies {
    let store: ObjectStore

    /// What Envoy knows about one request when it authorizes it.
    struct Request {
        var sourceIP: String
        /// The workload's own port (the container port, not the Service port).
        var port: Int
        var host: String
        var method: String
        var path: String
        var headers: HTTPHeaders
        /// The real addresses `sourceIP` stands for in the scenario: a block may name either (as `SourceRanges` does).
        var realSourceIPs: [String] = []
        /// The peer's mTLS identity (`cluster.local/ns/NS/sa/SA`) and namespace; nil for a plain-text peer.
        var principal: String? = nil
        var sourceNamespace: String? = nil

        /// True when the source, by its loopback or its real address, is inside `block`.
        func sourceIn(_ block: String) -> Bool {
            ([sourceIP] + realSourceIPs).contains { AuthorizationPolicies.inBlock($0, block) }
        }
    }

    /// The policies that apply to a workload pod: its namespace's (selector matching or none), and the root
    /// namespace's without a selector (mesh-wide) or with one matching it (in any namespace).
    func applying(to pod: JSONValue) -> [JSONValue] {
        store.list(Kinds.authorizationPolicies).filter { p in
            let selector = p.spec["selector"]
            // `targetRefs` (Istio 1.22+) bind a policy to a Gateway API Gateway instead: its pods carry the name.
            let refs = (p.spec["targetRefs"]?.array ?? []) + (p.spec["targetRef"].map { [$0] } ?? [])
            if !refs.isEmpty {
                return p.namespace == pod.namespace && refs.contains {
                    $0["kind"]?.stringValue == "Gateway" && $0["name"]?.stringValue == pod.labels["gateway.networking.k8s.io/gateway-name"]
                }
            }
            guard p.namespace == pod.namespace || p.namespace == MeshPolicy.rootNamespace else { return false }
            if selector == nil { return true }
            return Selector.matches(labelSelector: selector, pod.labels)
        }
    }

    /// True when the request may pass the workload `pod`.
    func allows(_ r: Request, at pod: JSONValue) -> Bool {
        let policies = applying(to: pod)
        func action(_ p: JSONValue) -> String { p.spec["action"]?.stringValue ?? "ALLOW" }
        if policies.contains(where: { action($0) == "DENY" && Self.matches($0, r) }) { return false }
        let allow = policies.filter { action($0) == "ALLOW" }
        return allow.isEmpty || allow.contains { Self.matches($0, r) }
    }

    /// Envoy's answer to a denied request.
    static var denied: HTTPResponse { EnvoyRouter.answer(403, body: "RBAC: access denied") }

    /// A policy matches when one of its rules does; a policy without rules matches nothing.
    static func matches(_ policy: JSONValue, _ r: Request) -> Bool {
        (policy.spec["rules"]?.array ?? []).contains { rule in
            let from = rule["from"]?.array, to = rule["to"]?.array, when = rule["when"]?.array
            return (from.map { $0.contains { source($0["source"], r) } } ?? true)
                && (to.map { $0.contains { operation($0["operation"], r) } } ?? true)
                && (when ?? []).allSatisfy { condition($0, r) }
        }
    }

    static func source(_ s: JSONValue?, _ r: Request) -> Bool {
        guard let s else { return true }
        if s["requestPrincipals"] != nil { return false }
        for (field, value) in [("principals", r.principal), ("namespaces", r.sourceNamespace)] {
            let not = "not" + field.prefix(1).uppercased() + field.dropFirst()
            if let patterns = s[field]?.strings, !(value.map { v in patterns.contains { wildcard($0, v) } } ?? false) { return false }
            if let patterns = s[not]?.strings, let v = value, patterns.contains(where: { wildcard($0, v) }) { return false }
        }
        for field in ["ipBlocks", "remoteIpBlocks"] {
            if let blocks = s[field]?.strings, !blocks.contains(where: r.sourceIn) { return false }
        }
        for field in ["notIpBlocks", "notRemoteIpBlocks"] {
            if let blocks = s[field]?.strings, blocks.contains(where: r.sourceIn) { return false }
        }
        return true
    }

    static func operation(_ o: JSONValue?, _ r: Request) -> Bool {
        guard let o else { return true }
        func check(_ field: String, _ value: String, _ match: (String, String) -> Bool) -> Bool {
            if let values = o[field]?.strings, !values.contains(where: { match($0, value) }) { return false }
            let not = "not" + field.prefix(1).uppercased() + field.dropFirst()
            if let values = o[not]?.strings, values.contains(where: { match($0, value) }) { return false }
            return true
        }
        return check("hosts", r.host) { wildcard($0.lowercased(), $1.lowercased()) }
            && check("ports", String(r.port)) { $0 == $1 }
            && check("methods", r.method) { $0 == $1 }
            && check("paths", r.path) { wildcard($0, $1) }
    }

    /// `when` conditions the lab can know; any other key is false (as for a value Envoy lacks).
    static func condition(_ c: JSONValue, _ r: Request) -> Bool {
        guard let key = c["key"]?.stringValue else { return false }
        let actual: String?
        switch key {
        case "source.ip", "remote.ip": actual = r.sourceIP
        case "source.principal": actual = r.principal
        case "source.namespace": actual = r.sourceNamespace
        case "destination.port": actual = String(r.port)
        default:
            if key.hasPrefix("request.headers["), key.hasSuffix("]") {
                actual = r.headers[String(key.dropFirst("request.headers[".count).dropLast())]
            } else { actual = nil }
        }
        guard let value = actual else { return false }
        let ipKey = key == "source.ip" || key == "remote.ip"
        func hit(_ pattern: String) -> Bool { ipKey ? r.sourceIn(pattern) : wildcard(pattern, value) }
        if let values = c["values"]?.strings, !values.contains(where: hit) { return false }
        if let values = c["notValues"]?.strings, values.contains(where: hit) { return false }
        return true
    }

    /// An address or CIDR (`10.0.0.1`, `10.0.0.0/8`).
    static func inBlock(_ ip: String, _ block: String) -> Bool {
        IPv4.contains(cidr: block.contains("/") ? block : "\(block)/32", address: ip)
    }

    /// Istio's string match: exact, `prefix*`, `*suffix`, or `*` for any non-empty value.
    static func wildcard(_ pattern: String, _ value: String) -> Bool {
        if pattern == "*" { return !value.isEmpty }
        if pattern.hasSuffix("*") { return value.hasPrefix(pattern.dropLast()) }
        if pattern.hasPrefix("*") { return value.hasSuffix(pattern.dropFirst()) }
        return pattern == value
    }
}
