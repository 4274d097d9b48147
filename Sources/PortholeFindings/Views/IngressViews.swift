import Foundation
import PortholeKube

/// A backend an Ingress routes to, with the field path that names it.
public struct IngressBackend: Sendable, Hashable {
    public var service: String
    public var port: JSONValue?
    public var field: String
}

/// A read-only view of an Ingress (networking.k8s.io/v1, also v1beta1's serviceName/servicePort).
public struct Ingress: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }

    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }
    public var reference: ObjectReference { object.reference }
    /// `spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation.
    public var className: String? {
        object.spec["ingressClassName"]?.stringValue ?? object.annotations["kubernetes.io/ingress.class"]
    }
    public var backends: [IngressBackend] {
        var out: [IngressBackend] = []
        if let d = object.spec["defaultBackend"] ?? object.spec["backend"], let b = Ingress.backend(d, field: "spec.defaultBackend") { out.append(b) }
        for (ri, rule) in (object.spec["rules"]?.arrayValue ?? []).enumerated() {
            for (pi, path) in (rule["http"]?["paths"]?.arrayValue ?? []).enumerated() {
                if let b = path["backend"], let x = Ingress.backend(b, field: "spec.rules[\(ri)].http.paths[\(pi)].backend") { out.append(x) }
            }
        }
        return out
    }

    static func backend(_ b: JSONValue, field: String) -> IngressBackend? {
        if let s = b["service"], let name = s["name"]?.stringValue {
            return IngressBackend(service: name, port: s["port"]?["number"] ?? s["port"]?["name"], field: field + ".service.name")
        }
        if let name = b["serviceName"]?.stringValue { return IngressBackend(service: name, port: b["servicePort"], field: field + ".serviceName") }
        return nil
    }
}

/// A read-only view of an IngressClass.
public struct IngressClass: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var controller: String { object.spec["controller"]?.stringValue ?? "" }
    public var isDefault: Bool { object.annotations["ingressclass.kubernetes.io/is-default-class"] == "true" }
}
