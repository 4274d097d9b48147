import Foundation
import PortholeKube

extension FindingDefinition {
    static let backendRefPortNotOnService = FindingDefinition(
        code: "PH0609", level: .error, title: "BackendRefPortNotOnService",
        template: "{route} field {field} sends to {service} port {port}, which the Service does not have (ports: {ports})",
        cause: "A backendRef to a Service names one of the Service's own ports (spec.ports[].port, not the targetPort or the container port); the gateway has no upstream for any other, so matching requests fail (500, or 503 no healthy upstream) even though the route is accepted.",
        fix: "set {field}.port to one of {ports}")
}

/// HTTPRoute backendRefs to a Service port that does not exist.
public enum BackendRefPortCheck: FindingCheck {
    public static let id = "backend-ref-port-not-on-service"
    public static var definitions: [FindingDefinition] { [.backendRefPortNotOnService] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for route in s.httpRoutes {
            for b in route.backendRefs where b.kind == "Service" {
                guard let port = b.port, let svc = s.service(b.name, in: b.namespace), !svc.ports.isEmpty,
                      !svc.ports.contains(where: { $0.port == port }) else { continue }
                out.append(FindingDefinition.backendRefPortNotOnService.make(route.reference, field: b.field + ".port", [
                    "route": .object(route.reference), "field": .field(b.field), "service": .object(svc.reference),
                    "port": .port(port), "ports": .list(svc.ports.map { String($0.port) }),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        let prometheus = """
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus, namespace: istio-ingress}
            spec:
              selector: {app: prometheus}
              ports: [{name: http, port: 80, targetPort: 9090}]
            """
        let route = GatewayAPIExamples.route(namespace: "istio-ingress")
        return [
            CheckExample("backendRef names the container port 9090, the Service port is 80", raises: ["PH0609"],
                         yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(), prometheus, route)),
            CheckExample("backendRef names the Service port", raises: [],
                         yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(), prometheus, route.replacingOccurrences(of: "port: 9090", with: "port: 80"))),
            CheckExample("the Service is not among the objects read", raises: [],
                         yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(), route)),
        ]
    }
}
