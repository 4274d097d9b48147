import Foundation

/// Objects shared by the routing checks' examples: Prometheus in istio-system and an ingress Gateway.
enum RoutingExamples {
    static let prometheus = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system, labels: {app: prometheus}}
        spec:
          selector: {app: prometheus}
          ports: [{name: http-prometheus, port: 9090, targetPort: 9090}]
        """
    /// Prometheus's Service in `monitoring` (a chart's install), selecting app=prometheus on 9090.
    static let monitoringPrometheus = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: monitoring}
        spec:
          selector: {app: prometheus}
          ports: [{port: 9090}]
        """
    static let gateway = """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: prometheus-gateway, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 9090, name: http-prom, protocol: HTTP}
            hosts: ["*"]
        """

    /// A VirtualService in `namespace` with the given spec lines (indented two spaces).
    static func virtualService(namespace: String, _ spec: String) -> String {
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: prometheus, namespace: \(namespace)}
        spec:
        \(spec)
        """
    }

    static func join(_ docs: String...) -> String { docs.joined(separator: "\n---\n") }
}
