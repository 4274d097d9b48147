import Foundation

/// Objects shared by the MetalLB checks' examples: nodes on 192.168.1.0/24, MetalLB pods, Services.
enum MetalLBExamples {
    static func controller(_ version: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: controller-7d4c8764f4-x2xq7, namespace: metallb-system, labels: {app: metallb, component: controller}}
        spec:
          containers: [{name: controller, image: quay.io/metallb/controller:\(version)}]
        """
    }
    static func node(_ name: String = "node-1", ip: String = "192.168.1.10", labels: String = "{}") -> String {
        """
        apiVersion: v1
        kind: Node
        metadata: {name: \(name), labels: \(labels)}
        status:
          addresses: [{type: InternalIP, address: \(ip)}, {type: Hostname, address: \(name)}]
        """
    }
    static func service(_ name: String, ip: String? = nil, requested: String? = nil) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: \(name), namespace: default}
        spec:
          type: LoadBalancer
          \(requested.map { "loadBalancerIP: \($0)" } ?? "")
          selector: {app: \(name)}
          ports: [{port: 9090, targetPort: 9090, nodePort: 31588}]
        status:
          loadBalancer: \(ip.map { "{ingress: [{ip: \($0)}]}" } ?? "{}")
        """
    }
    static func legacyConfig(_ addresses: String, protocolName: String = "layer2") -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: config, namespace: metallb-system}
        data:
          config: |
            address-pools:
            - name: default
              protocol: \(protocolName)
              addresses:
              - \(addresses)
        """
    }
    static func pool(_ addresses: String, name: String = "default") -> String {
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: \(name), namespace: metallb-system}
        spec:
          addresses: [\(addresses)]
        """
    }
    static let l2 = """
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: l2, namespace: metallb-system}
        """
    static func join(_ docs: String...) -> String { docs.joined(separator: "\n---\n") }
}
