import Foundation

/// Objects shared by the ingress-nginx checks' examples.
enum IngressExamples {
    static func ingress(namespace: String, className: String? = "nginx", backend: String = "prometheus", annotations: String = "{}") -> String {
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: prometheus, namespace: \(namespace), annotations: \(annotations)}
        spec:
          \(className.map { "ingressClassName: \($0)" } ?? "")
          rules:
          - host: prometheus.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend: {service: {name: \(backend), port: {number: 9090}}}
        """
    }
    static func controller(sidecar: Bool = false) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: ingress-nginx-controller-6f7d9c5b8-abcde
          namespace: ingress-nginx
          labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
        spec:
          containers:
          - {name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.10.1}
          \(sidecar ? "- {name: istio-proxy, image: docker.io/istio/proxyv2:1.22.0}" : "")
        """
    }
    static func controllerService(_ type: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
        spec:
          type: \(type)
          selector: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
          ports: [{name: http, port: 80, targetPort: http\(type == "ClusterIP" ? "" : ", nodePort: 30080")}]
        """
    }
    static let nginxClass = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: nginx}
        spec: {controller: k8s.io/ingress-nginx}
        """
    static func join(_ docs: String...) -> String { docs.joined(separator: "\n---\n") }

    /// Prometheus in `monitoring` with an Istio sidecar: the meshed backend of the ingress examples.
    static let meshedPrometheus = RoutingExamples.monitoringPrometheus + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-0, namespace: monitoring, labels: {app: prometheus}}
        spec:
          containers:
          - {name: prometheus, image: prom/prometheus:v2.42.0}
          - {name: istio-proxy, image: docker.io/istio/proxyv2:1.22.0}
        """
}
