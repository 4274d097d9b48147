import Foundation
import PortholeKube

/// Istio's `exportTo` as the gateway Envoy sees it: a proxy gets only the VirtualServices and Services
/// exported to the namespace it runs in. (The checks keep their own copy, `IstioExport`: the lab imports
/// nothing of porthole's engine.)
enum IstioExportTo {
    /// True when `object` (a VirtualService, from `spec.exportTo`, or a Service, from its
    /// `networking.istio.io/exportTo` annotation) is visible to proxies in `proxyNamespace`.
    static func visible(_ object: JSONValue, to proxyNamespace: String) -> Bool {
        let list: [String]
        if let annotated = object.annotations["networking.istio.io/exportTo"] {
            list = annotated.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } else {
            list = object.spec["exportTo"]?.strings ?? []
        }
        if list.isEmpty { return true }
        return list.contains { $0 == "*" || $0 == proxyNamespace || ($0 == "." && object.namespace == proxyNamespace) }
    }
}
