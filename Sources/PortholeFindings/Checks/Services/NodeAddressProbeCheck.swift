import Foundation
import PortholeKube

extension FindingDefinition {
    static let nodePortTimedOut = FindingDefinition(
        code: "PH0106", level: .warning, title: "NodePortTimedOut",
        template: "{target} (nodePort {port} of {service}) timed out: packets to the node are dropped before kube-proxy sees them",
        cause: "A timeout, unlike a refusal, means nothing answered at all: a cloud security group, a host firewall, or an address that does not reach this node drops the packets.",
        fix: "allow TCP {port} from your address in the provider's security group and the node firewall (e.g. ufw allow from <your-ip> to any port {port} proto tcp), then probe again")
    static let localPolicyWithoutEndpointOnNode = FindingDefinition(
        code: "PH0114", level: .error, title: "NodePortLocalWithoutEndpointOnNode",
        template: "{target} (nodePort {port} of {service}) timed out: {service} has externalTrafficPolicy Local and no ready pod on node {node}, so kube-proxy drops its nodePort traffic there; {elsewhere}",
        cause: "With externalTrafficPolicy Local a node forwards nodePort and load-balancer traffic only to pods on that node (keeping the client's address); a node without a ready local endpoint drops it, which looks like a firewall from outside.",
        fix: "probe a node that runs a ready pod of {service}, or set spec.externalTrafficPolicy: Cluster on it (the pods then see a node's address, not the client's)")
    static let noServiceOnNodePort = FindingDefinition(
        code: "PH0107", level: .error, title: "NoServiceOnNodePort",
        template: "{target} was {result}: no Service has nodePort {port} (nodePorts in use: {nodePorts})",
        cause: "kube-proxy opens only the nodePorts Services hold; a port nobody holds is refused (the Service changed, was recreated with a new nodePort, or the number is mistyped).",
        fix: "use the nodePort the Service has now (kubectl -n <namespace> get svc <name> shows PORT(S) as port:nodePort), not {port}")
}

/// Outside probes of node addresses: nodePorts that time out, and ports no Service holds.
public enum NodeAddressProbeCheck: FindingCheck {
    public static let id = "node-address-probe"
    public static var definitions: [FindingDefinition] { [.nodePortTimedOut, .localPolicyWithoutEndpointOnNode, .noServiceOnNodePort] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let nodeIPs = Set(s.nodeAddresses)
        guard s.knows(.service), !nodeIPs.isEmpty else { return [] }
        var out: [Finding] = []
        for obs in s.observations where nodeIPs.contains(obs.address) && (30000...32767).contains(obs.port) {
            let holder = s.services.first { svc in svc.ports.contains { $0.nodePort == obs.port } }
            if let svc = holder, case .timeout = obs.result {
                if let local = localDrop(svc, address: obs.address, s) {
                    out.append(FindingDefinition.localPolicyWithoutEndpointOnNode.make(svc.reference, field: "spec.externalTrafficPolicy", [
                        "target": .value(obs.target), "port": .port(obs.port), "service": .object(svc.reference),
                        "node": .value(local.node),
                        "elsewhere": .value(local.others.isEmpty ? "no node runs a ready one" : "ready pods run on \(local.others.joined(separator: ", "))"),
                    ]))
                    continue
                }
                out.append(FindingDefinition.nodePortTimedOut.make(svc.reference, [
                    "target": .value(obs.target), "port": .port(obs.port), "service": .object(svc.reference),
                ]))
            } else if holder == nil, s.isLive {
                switch obs.result {
                case .refused, .reset, .timeout:
                    let used = s.services.flatMap { $0.ports.compactMap(\.nodePort) }.sorted().map(String.init)
                    let node = s.nodes.first { $0.ipAddresses.contains(obs.address) }?.object.reference
                    out.append(FindingDefinition.noServiceOnNodePort.make(node, [
                        "target": .value(obs.target), "result": .value(obs.resultText), "port": .port(obs.port),
                        "nodePorts": .list(Array(used.prefix(12))),
                    ]))
                default: break
                }
            }
        }
        return out
    }

    /// The probed node and the nodes with a ready pod of `svc`, when `svc` is Local and the probed node has none;
    /// nil when that cannot be told (pods or nodes unknown, a pod without status) or does not apply.
    static func localDrop(_ svc: Service, address: String, _ s: ClusterSnapshot) -> (node: String, others: [String])? {
        guard svc.externalTrafficPolicy == "Local", s.knows(.pod),
              let node = s.nodes.first(where: { $0.ipAddresses.contains(address) }) else { return nil }
        let pods = s.pods(selectedBy: svc)
        guard !pods.isEmpty, pods.allSatisfy({ $0.isReady != nil && $0.nodeName != nil }) else { return nil }
        let readyNodes = Set(pods.filter { $0.isReady == true }.compactMap(\.nodeName))
        guard !readyNodes.contains(node.name) else { return nil }
        return (node.name, readyNodes.sorted())
    }

    static let objects = """
        apiVersion: v1
        kind: Node
        metadata: {name: node-1}
        status:
          addresses: [{type: InternalIP, address: 10.0.0.5}, {type: ExternalIP, address: 198.51.100.20}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: istio-ingressgateway, namespace: istio-system}
        spec:
          type: NodePort
          selector: {istio: ingressgateway}
          ports: [{name: http-prom, port: 9090, targetPort: 9090, nodePort: 31399}]
        """

    /// `objects` with externalTrafficPolicy Local, a second node, and the gateway pod (ready) on `podNode`.
    static func localObjects(podNode: String) -> String {
        objects.replacingOccurrences(of: "  type: NodePort\n", with: "  type: NodePort\n  externalTrafficPolicy: Local\n") + """

        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-2}
        status:
          addresses: [{type: InternalIP, address: 10.0.0.6}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: istio-ingressgateway-abc, namespace: istio-system, labels: {istio: ingressgateway}}
        spec: {nodeName: \(podNode), containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.22.3}]}
        status:
          phase: Running
          conditions: [{type: Ready, status: "True"}]
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("nodePort timed out on the node's public address", raises: ["PH0106"],
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31399, path: "/-/ready", result: .timeout)], yaml: objects),
            CheckExample("Local policy, the pod runs on another node", raises: ["PH0114"], live: true,
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31399, path: "/-/ready", result: .timeout)],
                         yaml: localObjects(podNode: "node-2")),
            CheckExample("Local policy, the pod runs on the probed node: a firewall", raises: ["PH0106"], live: true,
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31399, path: "/-/ready", result: .timeout)],
                         yaml: localObjects(podNode: "node-1")),
            CheckExample("nodePort nobody holds (live)", raises: ["PH0107"], live: true,
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31588, path: "/graph", result: .refused)], yaml: objects),
            CheckExample("nodePort answered", raises: [],
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31399, path: "/-/ready", result: .http(status: 200, headers: [:]))], yaml: objects),
        ]
    }
}
