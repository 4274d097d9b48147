import Foundation

/// Objects shared by the Gateway API checks' examples.
enum GatewayAPIExamples {
    static func gateway(from: String = "Same", status: String = "") -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: istio-ingress}
        spec:
          gatewayClassName: istio
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes: {namespaces: {from: \(from)}}
        \(status)
        """
    }
    static func route(namespace: String, backendNamespace: String? = nil, status: String = "") -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: prometheus, namespace: \(namespace)}
        spec:
          parentRefs: [{name: web, namespace: istio-ingress}]
          rules:
          - backendRefs: [{name: prometheus, port: 9090\(backendNamespace.map { ", namespace: \($0)" } ?? "")}]
        \(status)
        """
    }
    static func grant(fromNamespace: String) -> String {
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: \(fromNamespace)}]
          to: [{group: "", kind: Service, name: prometheus}]
        """
    }
    static func join(_ docs: String...) -> String { docs.joined(separator: "\n---\n") }
}
