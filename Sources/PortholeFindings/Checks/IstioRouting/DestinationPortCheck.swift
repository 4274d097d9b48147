import Foundation
import PortholeKube

extension FindingDefinition {
    static let destinationPortNotOnService = FindingDefinition(
        code: "PH0307", level: .error, title: "DestinationPortNotOnService",
        template: "{virtualService} field {field} = {port} is not a port of {service} (ports: {ports})",
        cause: "A destination port must be one of the Service's ports; Envoy has no cluster for any other (503 NC).",
        fix: "set {field} to one of {ports}")
    static let destinationPortMissing = FindingDefinition(
        code: "PH0308", level: .warning, title: "DestinationPortMissing",
        template: "{virtualService} field {field} has no port, but {service} has several ports ({ports})",
        cause: "With a multi-port Service Istio cannot tell which port a destination means without destination.port.number.",
        fix: "add port: {number: <one of {ports}>} to {field}")
}

/// Destination ports that the Service does not have, or that a multi-port Service needs.
public enum DestinationPortCheck: FindingCheck {
    public static let id = "destination-port"
    public static var definitions: [FindingDefinition] { [.destinationPortNotOnService, .destinationPortMissing] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for vs in s.virtualServices {
            for d in vs.destinations {
                guard let (name, ns) = s.serviceName(d.host, from: vs.namespace), let svc = s.service(name, in: ns), !svc.ports.isEmpty else { continue }
                let ports = svc.ports.map { String($0.port) }
                if let p = d.port, !svc.ports.contains(where: { $0.port == p }) {
                    let field = d.field + ".port.number"
                    out.append(FindingDefinition.destinationPortNotOnService.make(vs.reference, field: field, [
                        "virtualService": .object(vs.reference), "field": .field(field), "port": .port(p),
                        "service": .object(svc.reference), "ports": .list(ports),
                    ]))
                } else if d.port == nil, svc.ports.count > 1, d.field.hasPrefix("spec.http") {
                    out.append(FindingDefinition.destinationPortMissing.make(vs.reference, field: d.field, [
                        "virtualService": .object(vs.reference), "field": .field(d.field), "service": .object(svc.reference), "ports": .list(ports),
                    ]))
                }
            }
        }
        return out
    }

    static func vs(_ port: String) -> String {
        RoutingExamples.join(RoutingExamples.prometheus, RoutingExamples.virtualService(namespace: "istio-system", """
              hosts: ["*"]
              gateways: [prometheus-gateway]
              http:
              - route: [{destination: {host: prometheus\(port)}}]
            """))
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("port 90 on a 9090 Service", raises: ["PH0307"], yaml: vs(", port: {number: 90}")),
            CheckExample("right port", raises: [], yaml: vs(", port: {number: 9090}")),
            CheckExample("single-port Service without port", raises: [], yaml: vs("")),
            CheckExample("multi-port Service without port", raises: ["PH0308"], yaml: vs("").replacingOccurrences(
                of: "ports: [{name: http-prometheus, port: 9090, targetPort: 9090}]",
                with: "ports: [{name: http-prometheus, port: 9090}, {name: http-push, port: 9091}]")),
        ]
    }
}
