import Foundation
import PortholeKube

/// Decodes the protobuf bodies kubectl's typed generators send (`create namespace|configmap|secret|service`):
/// the magic `k8s\0`, a `runtime.Unknown` {typeMeta=1 {apiVersion=1, kind=2}, raw=2}, and in `raw` the
/// object in Kubernetes' protobuf encoding. Field numbers follow k8s.io/api's generated.proto.
enum KubeProtobuf {
    /// How one field becomes JSON.
    indirect enum FieldType {
        case string, int, bool, bytes
        /// A pointer field (`*int32`): present means set, zero included.
        case optionalInt
        case message(Schema)
        /// A message whose fields JSON shows in the parent (IngressRule's `ingressRuleValue` holds `http`).
        case inline(Schema)
        case stringMap, bytesMap
        case intOrString
        case repeated(FieldType)
    }

    struct Schema { var fields: [Int: (name: String, type: FieldType)] }

    static let objectMeta = Schema(fields: [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string),
        11: ("labels", .stringMap), 12: ("annotations", .stringMap), 14: ("finalizers", .repeated(.string)),
    ])
    static let servicePort = Schema(fields: [
        1: ("name", .string), 2: ("protocol", .string), 3: ("port", .int), 4: ("targetPort", .intOrString),
        5: ("nodePort", .int), 6: ("appProtocol", .string),
    ])
    static let serviceSpec = Schema(fields: [
        1: ("ports", .repeated(.message(servicePort))), 2: ("selector", .stringMap), 3: ("clusterIP", .string), 4: ("type", .string),
        5: ("externalIPs", .repeated(.string)), 7: ("sessionAffinity", .string), 8: ("loadBalancerIP", .string),
        10: ("externalName", .string), 11: ("externalTrafficPolicy", .string),
    ])
    static let serviceBackendPort = Schema(fields: [1: ("name", .string), 2: ("number", .int)])
    static let ingressBackend = Schema(fields: [
        4: ("service", .message(Schema(fields: [1: ("name", .string), 2: ("port", .message(serviceBackendPort))]))),
        3: ("resource", .message(Schema(fields: [1: ("apiGroup", .string), 2: ("kind", .string), 3: ("name", .string)]))),
    ])
    static let httpPath = Schema(fields: [1: ("path", .string), 2: ("backend", .message(ingressBackend)), 3: ("pathType", .string)])
    static let ingressRule = Schema(fields: [
        1: ("host", .string),
        2: ("ingressRuleValue", .inline(Schema(fields: [1: ("http", .message(Schema(fields: [1: ("paths", .repeated(.message(httpPath)))])))]))),
    ])
    static let ingressSpec = Schema(fields: [
        1: ("defaultBackend", .message(ingressBackend)),
        2: ("tls", .repeated(.message(Schema(fields: [1: ("hosts", .repeated(.string)), 2: ("secretName", .string)])))),
        3: ("rules", .repeated(.message(ingressRule))), 4: ("ingressClassName", .string),
    ])
    static let resourceAttributes = Schema(fields: [
        1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string), 5: ("resource", .string),
        6: ("subresource", .string), 7: ("name", .string),
    ])
    static let labelSelector = Schema(fields: [1: ("matchLabels", .stringMap)])
    static let container = Schema(fields: [
        1: ("name", .string), 2: ("image", .string), 3: ("command", .repeated(.string)), 4: ("args", .repeated(.string)),
        5: ("workingDir", .string),
        6: ("ports", .repeated(.message(Schema(fields: [1: ("name", .string), 2: ("hostPort", .int), 3: ("containerPort", .int),
                                                          4: ("protocol", .string)])))),
        7: ("env", .repeated(.message(Schema(fields: [1: ("name", .string), 2: ("value", .string)])))),
        8: ("resources", .message(Schema(fields: [:]))), 13: ("terminationMessagePath", .string), 14: ("imagePullPolicy", .string),
    ])
    static let podTemplate = Schema(fields: [
        1: ("metadata", .message(objectMeta)),
        2: ("spec", .message(Schema(fields: [2: ("containers", .repeated(.message(container))), 3: ("restartPolicy", .string)]))),
    ])
    static let deploymentSpec = Schema(fields: [
        1: ("replicas", .optionalInt), 2: ("selector", .message(labelSelector)), 3: ("template", .message(podTemplate)),
        4: ("strategy", .message(Schema(fields: [1: ("type", .string)]))),
    ])
    static let kinds: [String: Schema] = [
        "Deployment": Schema(fields: [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(deploymentSpec))]),
        "SelfSubjectAccessReview": Schema(fields: [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(Schema(fields: [
            1: ("resourceAttributes", .message(resourceAttributes)),
            2: ("nonResourceAttributes", .message(Schema(fields: [1: ("path", .string), 2: ("verb", .string)]))),
        ])))]),
        "Ingress": Schema(fields: [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(ingressSpec))]),
        "Namespace": Schema(fields: [1: ("metadata", .message(objectMeta))]),
        "ConfigMap": Schema(fields: [1: ("metadata", .message(objectMeta)), 2: ("data", .stringMap), 3: ("binaryData", .bytesMap),
                                     4: ("immutable", .bool)]),
        "Secret": Schema(fields: [1: ("metadata", .message(objectMeta)), 2: ("data", .bytesMap), 3: ("type", .string),
                                  4: ("stringData", .stringMap), 5: ("immutable", .bool)]),
        "Service": Schema(fields: [1: ("metadata", .message(objectMeta)), 2: ("spec", .message(serviceSpec))]),
    ]

    static func decode(_ body: [UInt8]) throws -> JSONValue {
        guard body.count >= 4, Array(body[0..<4]) == [0x6b, 0x38, 0x73, 0x00] else {
            throw APIError.badRequest("protobuf body does not start with the k8s magic prefix")
        }
        var apiVersion = "", kind = "", raw: [UInt8] = []
        for (n, v) in try ProtoReader.fields(Array(body[4...])) {
            guard case .bytes(let b) = v else { continue }
            if n == 1 {
                for (m, tv) in try ProtoReader.fields(b) {
                    guard case .bytes(let s) = tv else { continue }
                    if m == 1 { apiVersion = String(decoding: s, as: UTF8.self) }
                    if m == 2 { kind = String(decoding: s, as: UTF8.self) }
                }
            } else if n == 2 {
                raw = b
            }
        }
        guard let schema = kinds[kind] else {
            throw APIError.unsupportedMediaType("the lab decodes protobuf only for Namespace, ConfigMap, Secret, Service, Ingress and Deployment, not \(kind); send JSON")
        }
        var obj = try message(raw, schema)
        obj["apiVersion"] = .string(apiVersion)
        obj["kind"] = .string(kind)
        return obj
    }

    static func message(_ data: [UInt8], _ schema: Schema) throws -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (n, v) in try ProtoReader.fields(data) {
            guard let f = schema.fields[n] else { continue }
            switch f.type {
            case .inline(let inner):
                guard case .bytes(let b) = v, case .object(let fields) = try message(b, inner) else { continue }
                for (k, fv) in fields { out[k] = fv }
            case .repeated(let inner):
                var arr = out[f.name]?.arrayValue ?? []
                arr.append(try scalar(v, inner))
                out[f.name] = .array(arr)
            case .stringMap, .bytesMap:
                guard case .bytes(let entry) = v else { continue }
                var key = "", value: JSONValue = ""
                for (m, ev) in try ProtoReader.fields(entry) {
                    guard case .bytes(let s) = ev else { continue }
                    if m == 1 { key = String(decoding: s, as: UTF8.self) }
                    if m == 2 {
                        if case .bytesMap = f.type { value = .string(Data(s).base64EncodedString()) } else { value = .string(String(decoding: s, as: UTF8.self)) }
                    }
                }
                var map = out[f.name]?.objectValue ?? [:]
                map[key] = value
                out[f.name] = .object(map)
            default:
                // Go writes every non-pointer field, empty ones too; JSON (omitempty) shows none of them.
                let value = try scalar(v, f.type)
                if case .optionalInt = f.type {} else if value == "" || value == .int(0) || value == .bool(false) { continue }
                out[f.name] = value
            }
        }
        return .object(out)
    }

    static func scalar(_ v: ProtoReader.Value, _ type: FieldType) throws -> JSONValue {
        switch (type, v) {
        case (.string, .bytes(let b)): return .string(String(decoding: b, as: UTF8.self))
        case (.bytes, .bytes(let b)): return .string(Data(b).base64EncodedString())
        case (.int, .varint(let x)), (.optionalInt, .varint(let x)): return .int(Int(Int64(bitPattern: x)))
        case (.bool, .varint(let x)): return .bool(x != 0)
        case (.message(let s), .bytes(let b)): return try message(b, s)
        case (.intOrString, .bytes(let b)):
            var isString = false, intVal = 0, strVal = ""
            for (m, iv) in try ProtoReader.fields(b) {
                switch (m, iv) {
                case (1, .varint(let t)): isString = t == 1
                case (2, .varint(let x)): intVal = Int(Int32(truncatingIfNeeded: x))
                case (3, .bytes(let s)): strVal = String(decoding: s, as: UTF8.self)
                default: break
                }
            }
            return isString ? .string(strVal) : .int(intVal)
        default:
            throw APIError.badRequest("protobuf: unexpected wire type for a field")
        }
    }
}
