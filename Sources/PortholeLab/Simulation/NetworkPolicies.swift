import Foundation
import PortholeKube
import PortholeNet

/// Ingress NetworkPolicy as a network plugin enforces it: a pod selected by a policy of type Ingress accepts only
/// what one of those policies' rules admits (by peer and port); everything else is dropped, so the client waits
/// for a connect that never completes.
struct NetworkPolicies {
    let store: ObjectStore

    /// Where a connection to a pod comes from.
    enum Source {
        /// Another pod (a gateway's, an ingress controller's).
        case pod(JSONValue)
        /// An address outside the pod network: a node's (kube-proxy's masquerade) or a client's.
        case address(String)
    }

    /// True when traffic from `source` may reach `pod` on its container port `port`.
    func admits(_ source: Source, to pod: JSONValue, port: Int) -> Bool {
        let isolating = store.list(Kinds.networkPolicies, namespace: pod.namespace).filter { np in
            let types = np.spec["policyTypes"]?.strings
            return (types == nil || types!.contains("Ingress")) && Selector.matches(labelSelector: np.spec["podSelector"], pod.labels)
        }
        guard !isolating.isEmpty else { return true }
        let portName = (pod.spec["containers"]?.array ?? []).flatMap { $0["ports"]?.array ?? [] }
            .first { $0["containerPort"]?.intValue == port }?["name"]?.stringValue
        return isolating.contains { np in
            (np.spec["ingress"]?.array ?? []).contains { rule in
                portAdmitted(rule, port: port, name: portName) && peerAdmitted(rule, source, policyNamespace: np.namespace)
            }
        }
    }

    private func portAdmitted(_ rule: JSONValue, port: Int, name: String?) -> Bool {
        let ports = rule["ports"]?.array ?? []
        return ports.isEmpty || ports.contains { p in
            if let n = p["port"]?.intValue { return (n...max(n, p["endPort"]?.intValue ?? n)).contains(port) }
            if let s = p["port"]?.stringValue { return s == name }
            return true
        }
    }

    private func peerAdmitted(_ rule: JSONValue, _ source: Source, policyNamespace: String) -> Bool {
        let from = rule["from"]?.array ?? []
        guard !from.isEmpty else { return true }
        return from.contains { peer in
            switch source {
            case .address(let ip):
                guard let block = peer["ipBlock"], let cidr = block["cidr"]?.stringValue, IPv4.contains(cidr: cidr, address: ip) else { return false }
                return !(block["except"]?.strings ?? []).contains { IPv4.contains(cidr: $0, address: ip) }
            case .pod(let p):
                guard peer["ipBlock"] == nil else { return false }  // pod IPs are not modelled
                let nsSelector = peer["namespaceSelector"], podSelector = peer["podSelector"]
                var nsLabels = store.get(ObjectRef(Kinds.namespaces, namespace: "", name: p.namespace))?.labels ?? [:]
                nsLabels["kubernetes.io/metadata.name"] = p.namespace
                let namespaceOK = nsSelector.map { Selector.matches(labelSelector: $0, nsLabels) } ?? (p.namespace == policyNamespace)
                return namespaceOK && (podSelector.map { Selector.matches(labelSelector: $0, p.labels) } ?? true)
            }
        }
    }
}
