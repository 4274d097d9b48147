import Foundation
import PortholeKube

extension FindingDefinition {
    static let nodePortTimedOut = FindingDefinition(
        code: "PH0106", level: .warning, title: "NodePortTimedOut",
        template: "{target} (nodePort {port} of {service}) timed out: packets to the node are dropped before kube-proxy sees them",
        cause: "A timeout, unlike a refusal, means nothing answered at all: a cloud security group, a host firewall, or an address that does not reach this node drops the packets.",
        fix: "allow TCP {port} from your address in the provider's security group and the node firewall (e.g. ufw allow from <your-ip> to any port {port} proto tcp), then probe again")
    static let noServiceOnNodePort = FindingDefinition(
        code: "PH0107", level: .error, title: "NoServiceOnNodePort",
        template: "{target} was {result}: no Service has nodePort {port} (nodePorts in use: {nodePorts})",
        cause: "kube-proxy opens only the nodePorts Services hold; a port nobody holds is refused (the Service changed, was recreated with a new nodePort, or the number is mistyped).",
        fix: "use the nodePort the Service has now (kubectl -n <namespace> get svc <name> shows PORT(S) as port:nodePort), not {port}")
}

/// Outside probes of node addresses: nodePorts that time out, and ports no Service holds.
public enum NodeAddressProbeCheck: FindingCheck {
    public static let id = "node-address-probe"
    public static var definitions: [FindingDefinition] { [.nodePortTimedOut, .noServiceOnNodePort] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let nodeIPs = Set(s.nodeAddresses)
        guard s.knows(.service), !nodeIPs.isEmpty else { return [] }
        var out: [Finding] = []
        for obs in s.observations where nodeIPs.contains(obs.address) && (30000...32767).contains(obs.port) {
            let holder = s.services.first { svc in svc.ports.contains { $0.nodePort == obs.port } }
            if let svc = holder, case .timeout = obs.result {
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

    public static var examples: [CheckExample] {
        [
            CheckExample("nodePort timed out on the node's public address", raises: ["PH0106"],
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31399, path: "/-/ready", result: .timeout)], yaml: objects),
            CheckExample("nodePort nobody holds (live)", raises: ["PH0107"], live: true,
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31588, path: "/graph", result: .refused)], yaml: objects),
            CheckExample("nodePort answered", raises: [],
                         observations: [OutsideObservation(address: "198.51.100.20", port: 31399, path: "/-/ready", result: .http(status: 200, headers: [:]))], yaml: objects),
        ]
    }
}
