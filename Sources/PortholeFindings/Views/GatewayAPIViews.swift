import Foundation
import PortholeKube

/// A `status.conditions[]` entry that is not True.
public struct FalseCondition: Sendable, Hashable {
    public var type: String
    public var reason: String
    public var message: String
    public var field: String
}

/// One listener of a Gateway API `Gateway`.
public struct GatewayListener: Sendable {
    public var index: Int
    public var name: String
    public var port: Int?
    /// The host names it accepts (`*.example.com` allowed); nil accepts every host.
    public var hostname: String?
    /// `Same` (default), `All` or `Selector`.
    public var allowedFrom: String
    public var allowedSelector: JSONValue?
}

/// A read-only view of a Gateway API `Gateway` (gateway.networking.k8s.io).
public struct APIGateway: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    public var className: String { object.spec["gatewayClassName"]?.stringValue ?? "" }
    public var listeners: [GatewayListener] {
        (object.spec["listeners"]?.arrayValue ?? []).enumerated().map { i, l in
            let ns = l["allowedRoutes"]?["namespaces"]
            return GatewayListener(index: i, name: l["name"]?.stringValue ?? "", port: l["port"]?.intValue,
                                   hostname: l["hostname"]?.stringValue,
                                   allowedFrom: ns?["from"]?.stringValue ?? "Same", allowedSelector: ns?["selector"])
        }
    }
    public var falseConditions: [FalseCondition] { APIConditions.falseOnes(object.status["conditions"], field: "status.conditions") }
}

/// A `parentRef` of an HTTPRoute.
public struct RouteParentRef: Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var sectionName: String?
    public var index: Int
}

/// A `backendRef` of an HTTPRoute.
public struct RouteBackendRef: Sendable, Hashable {
    public var kind: String
    public var name: String
    public var namespace: String
    public var port: Int?
    public var field: String
}

/// A read-only view of a Gateway API `HTTPRoute`.
public struct HTTPRoute: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    /// `spec.hostnames`; empty accepts whatever host its listeners accept.
    public var hostnames: [String] { (object.spec["hostnames"]?.arrayValue ?? []).compactMap(\.stringValue) }
    public var parentRefs: [RouteParentRef] {
        (object.spec["parentRefs"]?.arrayValue ?? []).enumerated().compactMap { i, p in
            guard let n = p["name"]?.stringValue else { return nil }
            return RouteParentRef(name: n, namespace: p["namespace"]?.stringValue ?? namespace, sectionName: p["sectionName"]?.stringValue, index: i)
        }
    }
    public var backendRefs: [RouteBackendRef] {
        var out: [RouteBackendRef] = []
        for (ri, r) in (object.spec["rules"]?.arrayValue ?? []).enumerated() {
            for (bi, b) in (r["backendRefs"]?.arrayValue ?? []).enumerated() {
                guard let n = b["name"]?.stringValue else { continue }
                out.append(RouteBackendRef(kind: b["kind"]?.stringValue ?? "Service", name: n,
                                           namespace: b["namespace"]?.stringValue ?? namespace, port: b["port"]?.intValue,
                                           field: "spec.rules[\(ri)].backendRefs[\(bi)]"))
            }
        }
        return out
    }
    /// True when the controller reported on every parent and accepted the route on none: it serves nothing.
    public var rejectedByEveryParent: Bool {
        let parents = object.status["parents"]?.arrayValue ?? []
        return !parents.isEmpty && parents.allSatisfy { p in
            (p["conditions"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == "Accepted" && $0["status"]?.stringValue == "False" }
        }
    }
    public var falseConditions: [FalseCondition] {
        (object.status["parents"]?.arrayValue ?? []).enumerated().flatMap { i, p in
            APIConditions.falseOnes(p["conditions"], field: "status.parents[\(i)].conditions")
        }
    }
}

/// A read-only view of a Gateway API `ReferenceGrant`.
public struct ReferenceGrant: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var namespace: String { object.namespace ?? "default" }

    /// True when this grant lets `fromKind` objects in `fromNamespace` refer to `toKind` `toName` in the grant's namespace.
    public func permits(fromKind: String, fromNamespace: String, toKind: String, toName: String) -> Bool {
        let fromOK = (object.spec["from"]?.arrayValue ?? []).contains {
            $0["kind"]?.stringValue == fromKind && $0["namespace"]?.stringValue == fromNamespace
        }
        let toOK = (object.spec["to"]?.arrayValue ?? []).contains {
            ($0["kind"]?.stringValue ?? "") == toKind && ($0["name"]?.stringValue.map { $0 == toName } ?? true)
        }
        return fromOK && toOK
    }
}

enum APIConditions {
    static func falseOnes(_ conditions: JSONValue?, field: String) -> [FalseCondition] {
        (conditions?.arrayValue ?? []).enumerated().compactMap { i, c in
            guard let s = c["status"]?.stringValue, s != "True", let t = c["type"]?.stringValue else { return nil }
            return FalseCondition(type: t, reason: c["reason"]?.stringValue ?? "", message: c["message"]?.stringValue ?? "",
                                  field: "\(field)[\(i)]")
        }
    }
}
