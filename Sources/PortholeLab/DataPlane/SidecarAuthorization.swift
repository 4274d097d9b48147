import Foundation
import PortholeKube
import PortholeNet

/// The Envoy sidecar of a meshed backend authorizing a request that a proxy in front of it sends (the
/// gateway's Envoy, ingress-nginx): the AuthorizationPolicies that apply to the backend pod, judged with the
/// proxy's identity. Over mTLS (a meshed proxy, TLS not disabled by a DestinationRule) that is its service
/// account's principal and its namespace; in plain text (nginx outside the mesh) it has none, so a policy
/// that admits only principals or namespaces denies it. The denial is the sidecar's `403 RBAC: access denied`,
/// which the proxy relays as an upstream answer.
enum SidecarAuthorization {
    static func denial(_ req: HTTPRequest, from proxy: JSONValue?, to pod: JSONValue, service svc: JSONValue, servicePort: Int,
                       targetPort: Int, store: ObjectStore) -> HTTPResponse? {
        guard MeshPolicy.hasSidecar(pod) else { return nil }
        var r = AuthorizationPolicies.Request(sourceIP: proxy?["status"]?["podIP"]?.stringValue ?? "", port: targetPort,
                                              host: req.headers["Host"] ?? "", method: req.method, path: req.path, headers: req.headers)
        // Istio's mTLS (auto, or ISTIO_MUTUAL) carries the proxy's identity; DISABLE, SIMPLE or MUTUAL do not.
        let mode = MeshPolicy(store: store).destinationTLSMode(service: ServiceName(namespace: svc.namespace, name: svc.name), port: servicePort)
        if let proxy, MeshPolicy.hasSidecar(proxy), mode == nil || mode == "ISTIO_MUTUAL" {
            let account = proxy.spec["serviceAccountName"]?.stringValue ?? "default"
            r.principal = "cluster.local/ns/\(proxy.namespace)/sa/\(account)"
            r.sourceNamespace = proxy.namespace
        }
        return AuthorizationPolicies(store: store).allows(r, at: pod) ? nil : AuthorizationPolicies.denied
    }
}
