import Foundation
import PortholeKube

/// Kubernetes Events a controller records about an object (what `kubectl describe` shows at the bottom).
struct ControllerEvents {
    static let key = ResourceKey(group: "", resource: "events")
    let store: ObjectStore
    let component: String

    /// Records one event about `object`; a repeat of the same reason and message bumps `count`.
    func record(_ object: JSONValue, kind: String, warning: Bool, reason: String, message: String) {
        let name = "\(object.name).\(String(format: "%08x", NodePortAllocator.hash("\(kind)/\(reason)/\(message)")))"
        let ref = ObjectRef(Self.key, namespace: object.namespace, name: name)
        let now = ISO8601DateFormatter().string(from: store.now())
        if var existing = store.get(ref) {
            existing["count"] = .int((existing["count"]?.intValue ?? 1) + 1)
            existing["lastTimestamp"] = .string(now)
            store.put(ref, existing)
            return
        }
        store.put(ref, ["apiVersion": "v1", "kind": "Event",
                        "metadata": ["name": .string(name), "namespace": .string(object.namespace)],
                        "involvedObject": ["apiVersion": "v1", "kind": .string(kind), "name": .string(object.name),
                                           "namespace": .string(object.namespace), "uid": object["metadata"]?["uid"] ?? ""],
                        "reason": .string(reason), "message": .string(message), "type": warning ? "Warning" : "Normal",
                        "source": ["component": .string(component)], "reportingComponent": .string(component),
                        "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1])
    }
}
