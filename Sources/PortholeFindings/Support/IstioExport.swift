import Foundation

/// Istio's `exportTo` visibility: which proxies (by their namespace) see a VirtualService, DestinationRule or
/// Service. A gateway applies only what is exported to the namespace its own pods run in.
public enum IstioExport {
    /// The Service annotation that narrows a Service's visibility (comma-separated namespaces).
    public static let serviceAnnotation = "networking.istio.io/exportTo"

    /// True when an object in `namespace` exported to `list` is visible to proxies in `proxyNamespace`.
    /// An empty list is the mesh default, `*` (meshConfig can narrow it; porthole does not read meshConfig).
    /// `.` is the object's own namespace, `~` no namespace at all.
    public static func visible(_ list: [String], from namespace: String, to proxyNamespace: String) -> Bool {
        if list.isEmpty { return true }
        return list.contains { $0 == "*" || $0 == proxyNamespace || ($0 == "." && namespace == proxyNamespace) }
    }

    /// A Service's `networking.istio.io/exportTo` annotation as a list; empty when it has none.
    public static func serviceList(_ annotations: [String: String]) -> [String] {
        (annotations[serviceAnnotation] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
