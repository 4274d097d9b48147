import Foundation
import PortholeKube

extension FindingDefinition {
    static let nodePortOnLoadBalancerAddress = FindingDefinition(
        code: "PH0103", level: .error, title: "NodePortOnLoadBalancerAddress",
        template: "{target} uses nodePort {nodePort} of {service} on its load-balancer address ({result}); a load-balancer address serves the service port {port}",
        cause: "A load-balancer IP forwards the Service port; nodePorts are opened on the nodes' own addresses. LB-IP:nodePort is not part of the contract.",
        fix: "use {address}:{port}, or a node address with port {nodePort}")
}

/// An outside probe that combined a load-balancer address with a nodePort.
public enum NodePortOnLoadBalancerAddressCheck: FindingCheck {
    public static let id = "nodeport-on-loadbalancer-address"
    public static var definitions: [FindingDefinition] { [.nodePortOnLoadBalancerAddress] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for obs in s.observations {
            for svc in s.services where (svc.loadBalancerIngress + svc.requestedIPs).contains(obs.address) && !s.nodeAddresses.contains(obs.address) {
                guard !svc.ports.contains(where: { $0.port == obs.port }),
                      let sp = svc.ports.first(where: { $0.nodePort == obs.port }) else { continue }
                out.append(FindingDefinition.nodePortOnLoadBalancerAddress.make(svc.reference, field: "spec.ports[\(sp.index)].nodePort", [
                    "target": .value(obs.target), "nodePort": .port(obs.port), "service": .object(svc.reference),
                    "result": .value(obs.resultText), "port": .port(sp.port), "address": .address(obs.address),
                ]))
            }
        }
        return out
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          type: LoadBalancer
          selector: {app: prometheus}
          ports: [{name: http, port: 9090, targetPort: 9090, nodePort: 31588}]
        status:
          loadBalancer:
            ingress: [{ip: 192.168.1.240}]
        """

    public static var examples: [CheckExample] {
        [
            CheckExample("probe of LB-IP:nodePort", raises: ["PH0103"],
                         observations: [OutsideObservation(address: "192.168.1.240", port: 31588, path: "/graph", result: .timeout)], yaml: service),
            CheckExample("probe of LB-IP:service port", raises: [],
                         observations: [OutsideObservation(address: "192.168.1.240", port: 9090, path: "/graph", result: .http(status: 200, headers: [:]))], yaml: service),
        ]
    }
}
