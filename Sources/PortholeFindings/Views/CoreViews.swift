import Foundation
import PortholeKube

/// One entry of a Service's `spec.ports`.
public struct ServicePort: Sendable, Hashable {
    public var name: String?
    public var port: Int
    /// An integer, or a named container port; nil when unset (then it equals `port`).
    public var targetPort: JSONValue?
    public var nodePort: Int?
    public var protocolName: String
    public var index: Int

    /// The targetPort as a number: the port number when unset, nil when it is a name.
    public var targetNumber: Int? {
        guard let targetPort else { return port }
        if case .string(let s) = targetPort { return Int(s) }
        return targetPort.intValue
    }
}

/// A read-only view of a Service (identity, selector and ports read once: checks use them in loops).
public struct Service: Sendable {
    public let object: KubeObject
    public let name: String
    public let namespace: String
    public let selector: [String: String]
    public let ports: [ServicePort]

    public init(_ raw: JSONValue) {
        object = KubeObject(raw)
        name = object.name
        namespace = object.namespace ?? "default"
        selector = object.spec["selector"].map(KubeObject.stringMap) ?? [:]
        ports = (object.spec["ports"]?.arrayValue ?? []).enumerated().compactMap { i, p in
            guard let port = p["port"]?.intValue else { return nil }
            return ServicePort(name: p["name"]?.stringValue, port: port, targetPort: p["targetPort"],
                               nodePort: p["nodePort"]?.intValue, protocolName: p["protocol"]?.stringValue ?? "TCP", index: i)
        }
    }

    public var reference: ObjectReference { object.reference }
    public var type: String { object.spec["type"]?.stringValue ?? "ClusterIP" }
    /// Addresses in `status.loadBalancer.ingress` (ip or hostname).
    public var loadBalancerIngress: [String] {
        (object.status["loadBalancer"]?["ingress"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
    }
    /// True for a LoadBalancer Service with no address yet: `EXTERNAL-IP <pending>`.
    public var isPending: Bool { type == "LoadBalancer" && loadBalancerIngress.isEmpty }
    public var exposesNodePorts: Bool { type == "NodePort" || type == "LoadBalancer" }
    /// IPs requested through `spec.loadBalancerIP` or MetalLB's annotations.
    public var requestedIPs: [String] {
        var out: [String] = []
        if let ip = object.spec["loadBalancerIP"]?.stringValue, !ip.isEmpty { out.append(ip) }
        for key in ["metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs"] {
            for ip in (object.annotations[key] ?? "").split(separator: ",") {
                let t = ip.trimmingCharacters(in: .whitespaces)
                if !t.isEmpty, !out.contains(t) { out.append(t) }
            }
        }
        return out
    }
    public var externalTrafficPolicy: String { object.spec["externalTrafficPolicy"]?.stringValue ?? "Cluster" }
    public var loadBalancerSourceRanges: [String] { (object.spec["loadBalancerSourceRanges"]?.arrayValue ?? []).compactMap { $0.stringValue } }
    public var loadBalancerClass: String? { object.spec["loadBalancerClass"]?.stringValue }
}

/// A read-only view of a Pod (identity and labels read once: selectors are matched against them in loops).
public struct Pod: Sendable {
    public let object: KubeObject
    public let name: String
    public let namespace: String
    public let labels: [String: String]

    public init(_ raw: JSONValue) {
        object = KubeObject(raw)
        name = object.name
        namespace = object.namespace ?? "default"
        labels = object.labels
    }

    public var nodeName: String? { object.spec["nodeName"]?.stringValue }
    public var containers: [JSONValue] { object.spec["containers"]?.arrayValue ?? [] }
    public var images: [String] {
        (containers + (object.spec["initContainers"]?.arrayValue ?? [])).compactMap { $0["image"]?.stringValue }
    }
    /// True when an Istio sidecar runs in the pod (a container, or a native sidecar init container, named istio-proxy).
    public var hasSidecar: Bool {
        if containers.contains(where: { $0["name"]?.stringValue == "istio-proxy" }) && !isGatewayProxy { return true }
        return (object.spec["initContainers"]?.arrayValue ?? []).contains {
            $0["name"]?.stringValue == "istio-proxy" && $0["restartPolicy"]?.stringValue == "Always"
        }
    }
    /// True for an Istio gateway pod (its istio-proxy runs as a router, not a sidecar).
    public var isGatewayProxy: Bool {
        containers.contains { c in
            c["name"]?.stringValue == "istio-proxy" && (c["args"]?.arrayValue ?? []).contains { $0.stringValue == "router" }
        } || labels["istio.io/gateway-name"] != nil
    }
    /// The `sidecar.istio.io/inject` opt-in/out on the pod (label or annotation); nil when unset.
    public var injectOverride: Bool? {
        guard let v = object.labels["sidecar.istio.io/inject"] ?? object.annotations["sidecar.istio.io/inject"] else { return nil }
        return v == "true"
    }
    public var hostNetwork: Bool { object.spec["hostNetwork"]?.boolValue ?? false }
}

/// A read-only view of a Node.
public struct Node: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }

    public var name: String { object.name }
    public var labels: [String: String] { object.labels }
    /// `(type, address)` pairs from `status.addresses` (InternalIP, ExternalIP, Hostname).
    public var addresses: [(type: String, address: String)] {
        (object.status["addresses"]?.arrayValue ?? []).compactMap { a in
            guard let t = a["type"]?.stringValue, let v = a["address"]?.stringValue else { return nil }
            return (t, v)
        }
    }
    public var ipAddresses: [String] { addresses.filter { $0.type.hasSuffix("IP") }.map(\.address) }
    public var providerID: String? { object.spec["providerID"]?.stringValue }
    /// The node's segment: Calico's `projectcalico.org/IPv4Address` when present, else InternalIP/`defaultPrefix`.
    public func segments(defaultPrefix: Int) -> [String] {
        if let calico = object.annotations["projectcalico.org/IPv4Address"], calico.contains("/"), IPv4.cidr(calico) != nil {
            return [IPv4.networkCIDR(calico) ?? calico]
        }
        return addresses.filter { $0.type == "InternalIP" }.compactMap { IPv4.networkCIDR("\($0.address)/\(defaultPrefix)") }
    }
    /// True when the node states its segment (Calico's annotation) instead of porthole assuming one.
    public var statesSegment: Bool {
        object.annotations["projectcalico.org/IPv4Address"].map { $0.contains("/") && IPv4.cidr($0) != nil } ?? false
    }
    public var excludedFromLoadBalancers: Bool { labels["node.kubernetes.io/exclude-from-external-load-balancers"] != nil }
}

/// A read-only view of a ConfigMap.
public struct ConfigMap: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var data: [String: String] { object.raw["data"].map(KubeObject.stringMap) ?? [:] }
}

/// A read-only view of a Namespace.
public struct Namespace: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var labels: [String: String] { object.labels }
    /// `true`/`false` from `istio-injection` or a revision label; nil when the namespace says nothing.
    public var injectionEnabled: Bool? {
        if let v = labels["istio-injection"] { return v == "enabled" }
        if labels["istio.io/rev"] != nil { return true }
        return nil
    }
}
