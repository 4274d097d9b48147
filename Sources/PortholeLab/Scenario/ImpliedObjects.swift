import Foundation
import PortholeKube

/// Objects every cluster has that a scenario need not spell out: Node objects for the lab document's
/// nodes (with the loopback stand-in addresses, which are what the operator can reach) and `default/kubernetes`.
enum ImpliedObjects {
    static func objects(for t: LabTopology, existing: [ObjectRef]) -> [(ObjectRef, JSONValue)] {
        var out: [(ObjectRef, JSONValue)] = []
        let nodeKey = ResourceKey(group: "", resource: "nodes")
        let have = Set(existing)
        for n in t.nodes {
            let r = ObjectRef(nodeKey, namespace: "", name: n.name)
            if have.contains(r) { continue }
            var labels: [String: JSONValue] = ["kubernetes.io/hostname": .string(n.name), "kubernetes.io/os": "linux"]
            for (k, v) in n.labels ?? [:] { labels[k] = .string(v) }
            var addresses: [JSONValue] = [["type": "InternalIP", "address": .string(n.internalIP)]]
            if let e = n.externalIP { addresses.append(["type": "ExternalIP", "address": .string(e)]) }
            addresses.append(["type": "Hostname", "address": .string(n.name)])
            let version = t.kubernetes.version.hasPrefix("v") ? t.kubernetes.version : "v" + t.kubernetes.version
            out.append((r, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(n.name), "labels": .object(labels)],
                            "spec": [:],
                            "status": ["addresses": .array(addresses),
                                       "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady"]],
                                       "nodeInfo": ["kubeletVersion": .string(version), "kubeProxyVersion": .string(version)]]]))
        }
        let svc = ObjectRef(ResourceKey(group: "", resource: "services"), namespace: "default", name: "kubernetes")
        if !have.contains(svc) {
            out.append((svc, ["apiVersion": "v1", "kind": "Service",
                              "metadata": ["name": "kubernetes", "namespace": "default",
                                           "labels": ["component": "apiserver", "provider": "kubernetes"]],
                              "spec": ["type": "ClusterIP", "clusterIP": "10.96.0.1", "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]]]]))
        }
        return out
    }
}
