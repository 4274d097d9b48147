import Foundation
import PortholeKube
import PortholeNet

/// The `scale` subresource of deployments, replicasets and statefulsets (`kubectl scale`): an
/// autoscaling/v1 `Scale` view of `spec.replicas`; writes to it change only `spec.replicas`.
extension APIServer {
    static let scalable: Set<String> = ["deployments", "replicasets", "statefulsets"]

    func scale(_ req: HTTPRequest, _ t: ResourceTarget, dryRun: Bool) throws -> JSONValue {
        guard let name = t.name else { throw APIError.pathNotFound() }
        let r = ref(t, name: name, namespace: t.namespace)
        guard let old = store.get(r) else { throw APIError.notFound(t.resource, name) }
        let current = Self.scaleView(old)
        let wanted: JSONValue
        switch req.method {
        case "GET":
            return current
        case "PUT":
            wanted = try BodyDecoder.decode(req)
        case "PATCH":
            let body = try JSONValue.parse(Data(req.body))
            let ct = (req.headers["Content-Type"] ?? "").lowercased()
            wanted = ct.hasPrefix("application/json-patch+json") ? try JSONPatch.apply(body, to: current)
                : ct.hasPrefix("application/strategic-merge-patch+json") ? try StrategicMerge.apply(body, to: current)
                : MergePatch.apply(body, to: current)
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        guard let replicas = wanted["spec"]?["replicas"]?.intValue, replicas >= 0 else {
            throw APIError.invalid(kind: "Scale", group: "autoscaling", name: name, causes: [("spec.replicas", "Invalid value: must be greater than or equal to 0")])
        }
        var next = old
        next["spec"]?["replicas"] = .int(replicas)
        var main = t
        main.subresource = nil
        let updated = try serialized { try commitUpdate(main, r, old: store.get(r) ?? old, new: next, dryRun: dryRun, manager: manager(req)) }
        return Self.scaleView(updated)
    }

    static func scaleView(_ o: JSONValue) -> JSONValue {
        let meta = o["metadata"] ?? [:]
        let labels = (o["spec"]?["selector"]?["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.plainText)" }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": ["name": meta["name"] ?? "", "namespace": meta["namespace"] ?? "", "uid": meta["uid"] ?? "",
                             "resourceVersion": meta["resourceVersion"] ?? "", "creationTimestamp": meta["creationTimestamp"] ?? ""],
                "spec": ["replicas": .int(o["spec"]?["replicas"]?.intValue ?? 1)],
                "status": ["replicas": .int(o["status"]?["replicas"]?.intValue ?? 0), "selector": .string(labels.joined(separator: ","))]]
    }
}
