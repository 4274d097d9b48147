import Foundation
import PortholeKube

/// The value types a real server's decoder insists on, where YAML makes mistakes easy: label and
/// annotation values (`sidecar.istio.io/inject: false` is a bool, not "false"), Service selectors and
/// port numbers. A wrong type is a 400 in Go's json wording, whatever `fieldValidation` says.
enum FieldTypes {
    enum Expected { case string, int32, intOrString }

    /// (path as Go names it, struct, value, expected) for every checked value.
    static func checks(_ o: JSONValue, kind: String) -> [(path: String, goStruct: String, value: JSONValue, expected: Expected)] {
        var out: [(String, String, JSONValue, Expected)] = []
        for field in ["labels", "annotations"] {
            for (_, v) in o["metadata"]?[field]?.objectValue ?? [:] { out.append(("metadata.\(field)", "ObjectMeta", v, .string)) }
        }
        guard kind == "Service", let spec = o["spec"] else { return out }
        for (_, v) in spec["selector"]?.objectValue ?? [:] { out.append(("spec.selector", "ServiceSpec", v, .string)) }
        for key in ["type", "clusterIP", "externalTrafficPolicy", "loadBalancerIP"] {
            if let v = spec[key] { out.append(("spec.\(key)", "ServiceSpec", v, .string)) }
        }
        for p in spec["ports"]?.arrayValue ?? [] {
            for key in ["port", "nodePort"] { if let v = p[key] { out.append(("spec.ports.\(key)", "ServicePort", v, .int32)) } }
            for key in ["name", "protocol"] { if let v = p[key] { out.append(("spec.ports.\(key)", "ServicePort", v, .string)) } }
            if let v = p["targetPort"] { out.append(("spec.ports.targetPort", "ServicePort", v, .intOrString)) }
        }
        return out
    }

    static func jsonType(_ v: JSONValue) -> String {
        switch v {
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .array: return "array"
        case .object: return "object"
        case .null: return "null"
        }
    }

    /// Throws the decoder's 400 for the first value of the wrong type.
    static func check(_ o: JSONValue, resource: APIResource, version: String) throws {
        for c in checks(o, kind: resource.kind) {
            let ok: Bool
            switch (c.expected, c.value) {
            case (_, .null): ok = true
            case (.string, .string): ok = true
            case (.int32, .int(let i)): ok = Int(Int32.min)...Int(Int32.max) ~= i
            case (.intOrString, .int), (.intOrString, .string): ok = true
            default: ok = false
            }
            if ok { continue }
            let goType = c.expected == .int32 ? "int32" : c.expected == .string ? "string" : "intstr.IntOrString"
            throw APIError.badRequest("\(resource.kind) in version \"\(version)\" cannot be handled as a \(resource.kind): json: cannot unmarshal \(jsonType(c.value)) into Go struct field \(c.goStruct).\(c.path) of type \(goType)")
        }
    }
}
