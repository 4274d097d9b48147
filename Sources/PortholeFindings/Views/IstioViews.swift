import Foundation
import PortholeKube

/// One `spec.servers[]` entry of an Istio Gateway.
public struct GatewayServer: Sendable, Hashable {
    public var index: Int
    public var port: Int
    public var portName: String?
    public var protocolName: String
    /// Raw entries, possibly `namespace/host` (`./host`, `*/host`).
    public var hosts: [String]
    public var tlsMode: String?
    /// `tls.httpsRedirect: true`: every request on this server is answered with a 301 to https.
    public var httpsRedirect: Bool = false
}

/// A read-only view of an Istio `Gateway` (networking.istio.io, any version).
public struct IstioGateway: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }

    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    public var selector: [String: String] { object.spec["selector"].map(KubeObject.stringMap) ?? [:] }
    public var servers: [GatewayServer] {
        (object.spec["servers"]?.arrayValue ?? []).enumerated().compactMap { i, s in
            guard let n = s["port"]?["number"]?.intValue else { return nil }
            return GatewayServer(index: i, port: n, portName: s["port"]?["name"]?.stringValue,
                                 protocolName: s["port"]?["protocol"]?.stringValue ?? "HTTP",
                                 hosts: (s["hosts"]?.arrayValue ?? []).compactMap { $0.stringValue },
                                 tlsMode: s["tls"]?["mode"]?.stringValue, httpsRedirect: s["tls"]?["httpsRedirect"]?.boolValue ?? false)
        }
    }
}

/// A string match of a VirtualService (`uri`, `authority`, a header...), with its field path.
public struct StringMatch: Sendable, Hashable {
    /// `exact`, `prefix` or `regex`.
    public var kind: String
    public var value: String
    public var field: String
}

/// A route destination of a VirtualService, with its field path.
public struct RouteDestination: Sendable, Hashable {
    public var host: String
    public var port: Int?
    public var subset: String?
    public var field: String
}

/// A read-only view of an Istio `VirtualService`.
public struct VirtualService: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }

    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    public var hosts: [String] { (object.spec["hosts"]?.arrayValue ?? []).compactMap { $0.stringValue } }
    /// `spec.gateways`; empty means bound to sidecars only (`mesh`).
    public var gateways: [String] { (object.spec["gateways"]?.arrayValue ?? []).compactMap { $0.stringValue } }

    /// Every string match in `http[].match[]`, including headers and query parameters.
    public var stringMatches: [StringMatch] {
        var out: [StringMatch] = []
        for (ri, route) in (object.spec["http"]?.arrayValue ?? []).enumerated() {
            for (mi, m) in (route["match"]?.arrayValue ?? []).enumerated() {
                let base = "spec.http[\(ri)].match[\(mi)]"
                for key in ["uri", "authority", "scheme", "method"] {
                    if let sm = m[key] { out += VirtualService.matches(sm, field: "\(base).\(key)") }
                }
                for key in ["headers", "queryParams", "withoutHeaders"] {
                    for (h, sm) in (m[key]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                        out += VirtualService.matches(sm, field: "\(base).\(key).\(h)")
                    }
                }
            }
        }
        return out
    }

    /// Every destination in `http`, `tcp` and `tls` routes (and `mirror`).
    public var destinations: [RouteDestination] {
        var out: [RouteDestination] = []
        for section in ["http", "tcp", "tls"] {
            for (ri, route) in (object.spec[section]?.arrayValue ?? []).enumerated() {
                for (di, d) in (route["route"]?.arrayValue ?? []).enumerated() {
                    if let dest = d["destination"], let h = dest["host"]?.stringValue {
                        out.append(RouteDestination(host: h, port: dest["port"]?["number"]?.intValue, subset: dest["subset"]?.stringValue,
                                                    field: "spec.\(section)[\(ri)].route[\(di)].destination"))
                    }
                }
                if let m = route["mirror"], let h = m["host"]?.stringValue {
                    out.append(RouteDestination(host: h, port: m["port"]?["number"]?.intValue, subset: nil, field: "spec.\(section)[\(ri)].mirror"))
                }
            }
        }
        return out
    }

    static func matches(_ sm: JSONValue, field: String) -> [StringMatch] {
        ["exact", "prefix", "regex"].compactMap { k in
            sm[k]?.stringValue.map { StringMatch(kind: k, value: $0, field: "\(field).\(k)") }
        }
    }
}

/// A read-only view of an Istio `DestinationRule`.
public struct DestinationRule: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }

    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    public var host: String { object.spec["host"]?.stringValue ?? "" }
    /// `trafficPolicy.tls.mode` with its field path, plus every port-level mode.
    public var tlsModes: [(mode: String, field: String)] {
        var out: [(String, String)] = []
        if let m = object.spec["trafficPolicy"]?["tls"]?["mode"]?.stringValue { out.append((m, "spec.trafficPolicy.tls.mode")) }
        for (i, p) in (object.spec["trafficPolicy"]?["portLevelSettings"]?.arrayValue ?? []).enumerated() {
            if let m = p["tls"]?["mode"]?.stringValue { out.append((m, "spec.trafficPolicy.portLevelSettings[\(i)].tls.mode")) }
        }
        return out
    }
}

/// A read-only view of an Istio `PeerAuthentication`.
public struct PeerAuthentication: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    /// `spec.selector.matchLabels`; nil applies to the whole namespace.
    public var selector: [String: String]? { object.spec["selector"]?["matchLabels"].map(KubeObject.stringMap) }
    public var mode: String? { object.spec["mtls"]?["mode"]?.stringValue }
}

/// A read-only view of an Istio `AuthorizationPolicy`.
public struct AuthorizationPolicy: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var selector: [String: String]? { object.spec["selector"]?["matchLabels"].map(KubeObject.stringMap) }
    public var action: String { object.spec["action"]?.stringValue ?? "ALLOW" }
    public var rules: [JSONValue] { object.spec["rules"]?.arrayValue ?? [] }
    /// True when the policy restricts who gets in: a DENY/CUSTOM policy, or an ALLOW whose rules name sources
    /// or conditions (an ALLOW with an empty rule admits everyone).
    public var restrictsSources: Bool {
        if action == "DENY" || action == "CUSTOM" { return true }
        if action == "AUDIT" { return false }
        if rules.isEmpty { return true }  // ALLOW with no rules denies everything
        return rules.allSatisfy { r in r["from"] != nil || r["when"] != nil }
    }
}

/// A read-only view of an `IstioOperator` (install.istio.io).
public struct IstioOperator: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "istio-system" }
    /// Ports declared for ingress gateways under `components.ingressGateways[].k8s.service.ports`.
    public var ingressGatewayPorts: [Int] {
        (object.spec["components"]?["ingressGateways"]?.arrayValue ?? []).flatMap { g in
            (g["k8s"]?["service"]?["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
        }
    }
}
