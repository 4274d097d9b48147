import Foundation
import PortholeKube

/// A read-only view over any Kubernetes object: identity, labels, annotations.
public struct KubeObject: Sendable, Hashable {
    public let raw: JSONValue
    public init(_ raw: JSONValue) { self.raw = raw }

    public var kind: String { raw["kind"]?.stringValue ?? "" }
    public var apiVersion: String { raw["apiVersion"]?.stringValue ?? "" }
    public var name: String { raw["metadata"]?["name"]?.stringValue ?? "" }
    public var namespace: String? { raw["metadata"]?["namespace"]?.stringValue }
    public var labels: [String: String] { raw["metadata"]?["labels"].map(KubeObject.stringMap) ?? [:] }
    public var annotations: [String: String] { raw["metadata"]?["annotations"].map(KubeObject.stringMap) ?? [:] }
    public var creationTimestamp: String? { raw["metadata"]?["creationTimestamp"]?.stringValue }
    public var spec: JSONValue { raw["spec"] ?? [:] }
    public var status: JSONValue { raw["status"] ?? [:] }

    public var reference: ObjectReference {
        ObjectReference(kind: kind, group: KindKey(apiVersion: apiVersion, kind: kind).group, namespace: namespace, name: name)
    }

    /// Kinds without a namespace (manifests of these get none by default).
    static let clusterScopedKinds: Set<String> = [
        "Namespace", "Node", "IngressClass", "GatewayClass", "CustomResourceDefinition", "ClusterRole",
        "ClusterRoleBinding", "PersistentVolume", "StorageClass",
    ]

    static func stringMap(_ v: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for (k, x) in v.objectValue ?? [:] { out[k] = x.plainText }
        return out
    }
}

/// Label selector matching (`matchLabels` plus `matchExpressions`), as Kubernetes does.
public enum LabelSelector {
    /// True when every `selector` label is present with the same value in `labels`.
    public static func matches(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// A `metav1.LabelSelector` JSON object against `labels`; an empty selector matches everything.
    public static func matches(selector: JSONValue?, labels: [String: String]) -> Bool {
        guard let selector else { return true }
        let ml = selector["matchLabels"].map(KubeObject.stringMap) ?? [:]
        guard matches(ml, labels) else { return false }
        for e in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = e["key"]?.stringValue ?? ""
            let values = (e["values"]?.arrayValue ?? []).compactMap { $0.stringValue }
            switch e["operator"]?.stringValue ?? "" {
            case "In": if !(labels[key].map(values.contains) ?? false) { return false }
            case "NotIn": if let v = labels[key], values.contains(v) { return false }
            case "Exists": if labels[key] == nil { return false }
            case "DoesNotExist": if labels[key] != nil { return false }
            default: return false
            }
        }
        return true
    }
}
