import Foundation
import PortholeKube

/// EndpointSlices (discovery.k8s.io/v1) as a read-only view of the stored Endpoints: kubectl 1.32's
/// `describe service` reads its endpoints from slices, and a real cluster's slice controller keeps
/// them in step with Endpoints. The simulation writes Endpoints only, so the API derives the slices.
enum EndpointSlices {
    static let endpointsKey = ResourceKey(group: "", resource: "endpoints")

    static func slices(store: ObjectStore, namespace: String?) -> [JSONValue] {
        store.list(endpointsKey, namespace: namespace).map(slice)
    }

    static func slice(_ ep: JSONValue) -> JSONValue {
        let meta = ep["metadata"] ?? [:]
        let service = meta["name"]?.stringValue ?? ""
        var endpoints: [JSONValue] = []
        var ports: [JSONValue] = []
        for subset in ep["subsets"]?.arrayValue ?? [] {
            for (list, ready) in [("addresses", true), ("notReadyAddresses", false)] {
                for a in subset[list]?.arrayValue ?? [] {
                    var e: JSONValue = ["addresses": [a["ip"] ?? ""], "conditions": ["ready": .bool(ready), "serving": .bool(ready), "terminating": false]]
                    if let node = a["nodeName"] { e["nodeName"] = node }
                    if let target = a["targetRef"] { e["targetRef"] = target }
                    endpoints.append(e)
                }
            }
            for p in subset["ports"]?.arrayValue ?? [] where !ports.contains(p) { ports.append(p) }
        }
        var h: UInt32 = 2166136261
        for b in service.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        let suffix = String(String(h, radix: 36).suffix(5))
        return [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["name": .string("\(service)-\(suffix)"), "namespace": meta["namespace"] ?? "default",
                         "uid": meta["uid"] ?? "", "resourceVersion": meta["resourceVersion"] ?? "",
                         "creationTimestamp": meta["creationTimestamp"] ?? "",
                         "labels": ["kubernetes.io/service-name": .string(service),
                                    "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"]],
            "addressType": "IPv4", "endpoints": .array(endpoints), "ports": .array(ports),
        ]
    }
}
