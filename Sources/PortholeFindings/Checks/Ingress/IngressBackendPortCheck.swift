import Foundation
import PortholeKube

extension FindingDefinition {
    static let ingressBackendPortNotOnService = FindingDefinition(
        code: "PH0506", level: .error, title: "IngressBackendPortNotOnService",
        template: "{ingress} field {field} = {port} is not a port of {service} (ports: {ports})",
        cause: "An Ingress backend names a Service port by number or name; the controller has no upstream for any other (503).",
        fix: "set {field} to one of {ports}")
}

/// Ingress backends naming a port the Service does not have.
public enum IngressBackendPortCheck: FindingCheck {
    public static let id = "ingress-backend-port"
    public static var definitions: [FindingDefinition] { [.ingressBackendPortNotOnService] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for ing in s.ingresses {
            for b in ing.backends {
                guard let svc = s.service(b.service, in: ing.namespace), let port = b.port, !svc.ports.isEmpty else { continue }
                let matches = svc.ports.contains { p in
                    if let n = port.intValue, case .int = port { return p.port == n }
                    return p.name == port.stringValue || (port.intValue.map { $0 == p.port } ?? false)
                }
                if matches { continue }
                let field = b.field.replacingOccurrences(of: ".service.name", with: ".service.port").replacingOccurrences(of: ".serviceName", with: ".servicePort")
                out.append(FindingDefinition.ingressBackendPortNotOnService.make(ing.reference, field: field, [
                    "ingress": .object(ing.reference), "field": .field(field), "port": .value(port.plainText),
                    "service": .object(svc.reference), "ports": .list(svc.ports.map { p in p.name.map { "\(p.port) (\($0))" } ?? String(p.port) }),
                ]))
            }
        }
        return out
    }

    public static var examples: [CheckExample] {
        let svc = """
            apiVersion: v1
            kind: Service
            metadata: {name: prometheus, namespace: monitoring}
            spec:
              selector: {app: prometheus}
              ports: [{name: web, port: 9090}]
            """
        return [
            CheckExample("nodePort used as backend port", raises: ["PH0506"], yaml: IngressExamples.join(svc,
                IngressExamples.ingress(namespace: "monitoring").replacingOccurrences(of: "number: 9090", with: "number: 31588"))),
            CheckExample("service port by number", raises: [], yaml: IngressExamples.join(svc, IngressExamples.ingress(namespace: "monitoring"))),
            CheckExample("service port by name", raises: [], yaml: IngressExamples.join(svc,
                IngressExamples.ingress(namespace: "monitoring").replacingOccurrences(of: "{number: 9090}", with: "{name: web}"))),
        ]
    }
}
