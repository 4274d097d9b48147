import Foundation
import PortholeKube

/// Unknown fields, as a real server treats them: `fieldValidation=Strict` (kubectl create/apply/replace)
/// is a 400 in the strict decoder's words; otherwise (`Warn`, the default, e.g. kubectl patch; `Ignore`)
/// they are dropped from the stored object, with a `Warning` header under `Warn`. So a typo
/// (`nodeport`, `targetport`) fails or vanishes in the lab as it would on a cluster.
///
/// The schema is what the lab's kinds need: ObjectMeta and the top level of every kind, and the Service,
/// ConfigMap, Secret and Namespace bodies in full. Free-form parts (labels, selectors, specs of other
/// kinds) are not checked.
enum FieldValidation {
    indirect enum Shape: Sendable { case any, fields([String: Shape]), list(Shape) }

    static let objectMeta: Shape = .fields([
        "annotations": .any, "creationTimestamp": .any, "deletionGracePeriodSeconds": .any, "deletionTimestamp": .any,
        "finalizers": .any, "generateName": .any, "generation": .any, "labels": .any, "managedFields": .any, "name": .any,
        "namespace": .any, "ownerReferences": .any, "resourceVersion": .any, "selfLink": .any, "uid": .any,
    ])
    static let servicePort: Shape = .fields(["appProtocol": .any, "name": .any, "nodePort": .any, "port": .any, "protocol": .any, "targetPort": .any])
    static let serviceSpec: Shape = .fields([
        "allocateLoadBalancerNodePorts": .any, "clusterIP": .any, "clusterIPs": .any, "externalIPs": .any, "externalName": .any,
        "externalTrafficPolicy": .any, "healthCheckNodePort": .any, "internalTrafficPolicy": .any, "ipFamilies": .any,
        "ipFamilyPolicy": .any, "loadBalancerClass": .any, "loadBalancerIP": .any, "loadBalancerSourceRanges": .any,
        "ports": .list(servicePort), "publishNotReadyAddresses": .any, "selector": .any, "sessionAffinity": .any,
        "sessionAffinityConfig": .any, "trafficDistribution": .any, "type": .any,
    ])

    /// The allowed shape of an object of `kind`.
    static func shape(kind: String) -> Shape {
        var top: [String: Shape] = ["apiVersion": .any, "kind": .any, "metadata": objectMeta, "spec": .any, "status": .any]
        switch kind {
        case "Service": top["spec"] = serviceSpec
        case "ConfigMap", "Secret":
            top["spec"] = nil; top["status"] = nil
            for k in ["data", "binaryData", "immutable"] { top[k] = .any }
            if kind == "Secret" { top["stringData"] = .any; top["type"] = .any; top["binaryData"] = nil }
        case "Namespace": top["spec"] = .fields(["finalizers": .any])
        case "Endpoints": top["spec"] = nil; top["status"] = nil; top["subsets"] = .any
        case "Event": return .any
        default: break
        }
        return .fields(top)
    }

    /// The unknown fields of `object`, as strict decoding names them (`spec.ports[0].nodeport`).
    static func unknownFields(_ object: JSONValue, kind: String) -> [String] {
        var out: [String] = []
        walk(object, shape(kind: kind), path: "", into: &out)
        return out
    }

    /// Collects unknown field paths and returns the value without them.
    @discardableResult
    private static func walk(_ v: JSONValue, _ shape: Shape, path: String, into out: inout [String]) -> JSONValue {
        switch (shape, v) {
        case (.fields(let allowed), .object(let o)):
            var kept: [String: JSONValue] = [:]
            for k in o.keys.sorted() {
                let p = path.isEmpty ? k : "\(path).\(k)"
                guard let child = allowed[k] else { out.append(p); continue }
                kept[k] = walk(o[k]!, child, path: p, into: &out)
            }
            return .object(kept)
        case (.list(let element), .array(let items)):
            return .array(items.enumerated().map { walk($0.element, element, path: "\(path)[\($0.offset)]", into: &out) })
        default:
            return v
        }
    }

    /// The object to store and the warnings to send; throws the 400 a real server answers in strict mode.
    static func apply(_ object: JSONValue, resource: APIResource, version: String, mode: String?) throws -> (JSONValue, [String]) {
        try FieldTypes.check(object, resource: resource, version: version)
        var unknown: [String] = []
        let pruned = walk(object, shape(kind: resource.kind), path: "", into: &unknown)
        guard !unknown.isEmpty else { return (object, []) }
        let texts = unknown.map { "unknown field \"\($0)\"" }
        switch mode {
        case "Strict":
            throw APIError.badRequest("\(resource.kind) in version \"\(version)\" cannot be handled as a \(resource.kind): strict decoding error: \(texts.joined(separator: ", "))")
        case "Ignore":
            return (pruned, [])
        default:
            return (pruned, texts)
        }
    }
}
