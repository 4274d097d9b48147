import Foundation
import PortholeKube

/// The resource kinds the simulation reads and writes, named once.
enum Kinds {
    static let namespaces = ResourceKey(group: "", resource: "namespaces")
    static let services = ResourceKey(group: "", resource: "services")
    static let pods = ResourceKey(group: "", resource: "pods")
    static let endpoints = ResourceKey(group: "", resource: "endpoints")
    static let configMaps = ResourceKey(group: "", resource: "configmaps")
    static let istioGateways = ResourceKey(group: "networking.istio.io", resource: "gateways")
    static let virtualServices = ResourceKey(group: "networking.istio.io", resource: "virtualservices")
    static let destinationRules = ResourceKey(group: "networking.istio.io", resource: "destinationrules")
    static let peerAuthentications = ResourceKey(group: "security.istio.io", resource: "peerauthentications")
    static let authorizationPolicies = ResourceKey(group: "security.istio.io", resource: "authorizationpolicies")
    static let ipAddressPools = ResourceKey(group: "metallb.io", resource: "ipaddresspools")
    static let l2Advertisements = ResourceKey(group: "metallb.io", resource: "l2advertisements")
    static let ingresses = ResourceKey(group: "networking.k8s.io", resource: "ingresses")
    static let ingressClasses = ResourceKey(group: "networking.k8s.io", resource: "ingressclasses")
    static let networkPolicies = ResourceKey(group: "networking.k8s.io", resource: "networkpolicies")
    static let k8sGateways = ResourceKey(group: "gateway.networking.k8s.io", resource: "gateways")
    static let gatewayClasses = ResourceKey(group: "gateway.networking.k8s.io", resource: "gatewayclasses")
    static let httpRoutes = ResourceKey(group: "gateway.networking.k8s.io", resource: "httproutes")
    static let referenceGrants = ResourceKey(group: "gateway.networking.k8s.io", resource: "referencegrants")
}

/// Small readers over stored JSON objects, so controllers read like the Kubernetes fields they use.
extension JSONValue {
    var name: String { self["metadata"]?["name"]?.stringValue ?? "" }
    var namespace: String { self["metadata"]?["namespace"]?.stringValue ?? "" }
    var labels: [String: String] { Self.stringMap(self["metadata"]?["labels"]) }
    var annotations: [String: String] { Self.stringMap(self["metadata"]?["annotations"]) }
    var spec: JSONValue { self["spec"] ?? .object([:]) }
    var array: [JSONValue] { arrayValue ?? [] }
    var strings: [String] { array.compactMap { $0.stringValue } }

    static func stringMap(_ v: JSONValue?) -> [String: String] {
        var out: [String: String] = [:]
        for (k, val) in v?.objectValue ?? [:] { out[k] = val.plainText }
        return out
    }
}

/// Label selectors: a plain map (Service, Istio Gateway) or `matchLabels`/`matchExpressions` (Gateway API, MetalLB).
enum Selector {
    /// A plain map selector; an empty selector selects nothing (a Service without selector has no endpoints).
    static func matches(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        !selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// A `LabelSelector` object; an empty one selects everything, as in Kubernetes.
    static func matches(labelSelector: JSONValue?, _ labels: [String: String]) -> Bool {
        guard let s = labelSelector else { return true }
        let ml = JSONValue.stringMap(s["matchLabels"])
        guard ml.allSatisfy({ labels[$0.key] == $0.value }) else { return false }
        for e in s["matchExpressions"]?.array ?? [] {
            let key = e["key"]?.stringValue ?? ""
            let values = e["values"]?.strings ?? []
            switch e["operator"]?.stringValue ?? "" {
            case "In": if !values.contains(labels[key] ?? "\u{0}") { return false }
            case "NotIn": if let v = labels[key], values.contains(v) { return false }
            case "Exists": if labels[key] == nil { return false }
            case "DoesNotExist": if labels[key] != nil { return false }
            default: return false
            }
        }
        return true
    }
}

/// Host names as Istio and Gateway API compare them: `*` matches all, `*.example.com` a suffix.
enum HostMatch {
    static func matches(pattern: String, host: String) -> Bool {
        let p = pattern.lowercased(), h = stripPort(host).lowercased()
        if p == "*" { return true }
        if p.hasPrefix("*.") { return h.hasSuffix(String(p.dropFirst(1))) }
        return p == h
    }

    /// Two host patterns overlap (VirtualService hosts vs Gateway server hosts).
    static func intersects(_ a: String, _ b: String) -> Bool {
        matches(pattern: a, host: b.hasPrefix("*.") ? "x" + b.dropFirst(1) : b) || matches(pattern: b, host: a.hasPrefix("*.") ? "x" + a.dropFirst(1) : a) || a == "*" || b == "*"
    }

    /// Gateway `hosts` entries may carry a namespace (`ns/host`, `*/host`): only the host part counts here.
    static func serverHost(_ entry: String) -> String {
        guard let slash = entry.firstIndex(of: "/") else { return entry }
        return String(entry[entry.index(after: slash)...])
    }

    static func stripPort(_ host: String) -> String {
        guard let colon = host.lastIndex(of: ":"), !host.contains("]") else { return host }
        return String(host[..<colon])
    }
}

/// Where a Service name in a route points: namespace and name, from short, `name.ns`, or FQDN forms.
struct ServiceName: Hashable {
    var namespace: String
    var name: String

    /// Resolves `host` relative to `namespace` as Istio does; nil for names outside `cluster.local`.
    static func resolve(_ host: String, from namespace: String) -> ServiceName? {
        let parts = host.split(separator: ".").map(String.init)
        switch parts.count {
        case 1: return ServiceName(namespace: namespace, name: parts[0])
        case 2: return ServiceName(namespace: parts[1], name: parts[0])
        default:
            let rest = parts.dropFirst(2).joined(separator: ".")
            guard rest == "svc" || rest == "svc.cluster.local" else { return nil }
            return ServiceName(namespace: parts[1], name: parts[0])
        }
    }

    var fqdn: String { "\(name).\(namespace).svc.cluster.local" }
    var ref: ObjectRef { ObjectRef(Kinds.services, namespace: namespace, name: name) }
}
