import Foundation
import PortholeKube

/// A read-only view of a `networking.k8s.io/v1` NetworkPolicy, for the ingress side only.
public struct NetworkPolicy: Sendable {
    public let object: KubeObject
    public init(_ raw: JSONValue) { object = KubeObject(raw) }
    public var name: String { object.name }
    public var namespace: String { object.namespace ?? "default" }

    /// True when the policy isolates the pods it selects for ingress: `policyTypes` lists Ingress, or is
    /// unset (then Ingress is implied).
    public var isolatesIngress: Bool {
        guard let types = object.spec["policyTypes"]?.arrayValue else { return true }
        return types.contains { $0.stringValue == "Ingress" }
    }

    /// True when the policy selects `pod` (same namespace, podSelector matching; an empty one selects all).
    public func selects(_ pod: Pod) -> Bool {
        pod.namespace == namespace && LabelSelector.matches(selector: object.spec["podSelector"], labels: pod.labels)
    }

    /// The `spec.ingress` rules (none: nothing is admitted).
    public var ingressRules: [JSONValue] { object.spec["ingress"]?.arrayValue ?? [] }
}

/// Who a NetworkPolicy rule is asked about.
public enum NetworkPeer: Sendable {
    /// A pod (its namespace's labels are needed for namespaceSelector).
    case pod(Pod, namespaceLabels: [String: String])
    /// A connection from outside the pod network (a nodePort, a load balancer): only `ipBlock` peers can admit it.
    case outside

    /// True when `rule` admits this peer on `port` (the number, and the container port's name when it has one).
    public func admitted(by rule: JSONValue, policyNamespace: String, port: Int, portName: String?) -> Bool {
        let ports = rule["ports"]?.arrayValue ?? []
        let portOK = ports.isEmpty || ports.contains { p in
            if let n = p["port"]?.intValue {
                let end = p["endPort"]?.intValue ?? n
                return (n...max(n, end)).contains(port)
            }
            if let name = p["port"]?.stringValue { return name == portName || Int(name) == port }
            return true  // a protocol alone: every port
        }
        guard portOK else { return false }
        guard let from = rule["from"]?.arrayValue, !from.isEmpty else { return true }
        return from.contains { peer in
            if peer["ipBlock"] != nil {
                // The source address is a node's or the client's: an ipBlock may well admit it.
                if case .outside = self { return true }
                return false
            }
            guard case .pod(let pod, let nsLabels) = self else { return false }
            let nsSel = peer["namespaceSelector"], podSel = peer["podSelector"]
            let namespaceOK = nsSel.map { LabelSelector.matches(selector: $0, labels: nsLabels) } ?? (pod.namespace == policyNamespace)
            let podOK = podSel.map { LabelSelector.matches(selector: $0, labels: pod.labels) } ?? true
            return namespaceOK && podOK
        }
    }
}
