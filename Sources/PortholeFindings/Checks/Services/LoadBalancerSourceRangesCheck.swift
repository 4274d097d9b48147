import Foundation
import PortholeKube

extension FindingDefinition {
    static let loadBalancerSourceRangesDropClient = FindingDefinition(
        code: "PH0112", level: .error, title: "LoadBalancerSourceRangesDropClient",
        template: "{target} timed out, and {service} admits only {ranges} (spec.loadBalancerSourceRanges): kube-proxy drops packets to its load-balancer address from any source outside them",
        cause: "kube-proxy (iptables and IPVS) filters a LoadBalancer Service's load-balancer address by the client's own address, before any masquerade: a source outside every range is dropped, so the connect times out instead of being refused. The Service's nodePorts and clusterIP are not filtered.",
        fix: "add your address as the cluster sees it (after any NAT of your own network; the address a site such as ifconfig.me shows from a machine outside) to spec.loadBalancerSourceRanges of {service}, e.g. kubectl -n {namespace} patch service {name} --type=json -p '[{\"op\":\"add\",\"path\":\"/spec/loadBalancerSourceRanges/-\",\"value\":\"<your address>/32\"}]'")
}

/// An outside probe of a load-balancer address that timed out while the Service filters client addresses.
public enum LoadBalancerSourceRangesCheck: FindingCheck {
    public static let id = "loadbalancer-source-ranges-drop-client"
    public static var definitions: [FindingDefinition] { [.loadBalancerSourceRangesDropClient] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        let nodeIPs = Set(s.nodeAddresses)
        for obs in s.observations {
            guard case .timeout = obs.result, !nodeIPs.contains(obs.address) else { continue }
            for svc in s.services where svc.type == "LoadBalancer" && svc.loadBalancerIngress.contains(obs.address) {
                let ranges = svc.loadBalancerSourceRanges
                guard !ranges.isEmpty, svc.ports.contains(where: { $0.port == obs.port }) else { continue }
                out.append(FindingDefinition.loadBalancerSourceRangesDropClient.make(svc.reference, field: "spec.loadBalancerSourceRanges", [
                    "target": .value(obs.target), "service": .object(svc.reference), "ranges": .list(ranges),
                    "namespace": .value(svc.namespace), "name": .value(svc.name),
                ]))
            }
        }
        return out
    }

    static func service(ranges: [String]) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          type: LoadBalancer
          selector: {app: prometheus}
          ports: [{name: http, port: 9090, targetPort: 9090, nodePort: 31588}]
          \(ranges.isEmpty ? "" : "loadBalancerSourceRanges: [\(ranges.joined(separator: ", "))]")
        status:
          loadBalancer:
            ingress: [{ip: 192.168.1.240}]
        """
    }

    public static var examples: [CheckExample] {
        let timeout = OutsideObservation(address: "192.168.1.240", port: 9090, path: "/-/ready", result: .timeout)
        return [
            CheckExample("LB-IP:port timed out with loadBalancerSourceRanges", raises: ["PH0112"],
                         observations: [timeout], yaml: service(ranges: ["203.0.113.0/24"])),
            CheckExample("LB-IP:port answered with loadBalancerSourceRanges", raises: [],
                         observations: [OutsideObservation(address: "192.168.1.240", port: 9090, path: "/-/ready", result: .http(status: 200, headers: [:]))],
                         yaml: service(ranges: ["203.0.113.0/24"])),
            CheckExample("LB-IP:port timed out without loadBalancerSourceRanges (an announcement problem, not a filter)", raises: [],
                         observations: [timeout], yaml: service(ranges: [])),
            CheckExample("LB-IP:nodePort timed out (PH0103's business; the filter is on service ports)", raises: [],
                         observations: [OutsideObservation(address: "192.168.1.240", port: 31588, result: .timeout)], yaml: service(ranges: ["203.0.113.0/24"])),
        ]
    }
}
