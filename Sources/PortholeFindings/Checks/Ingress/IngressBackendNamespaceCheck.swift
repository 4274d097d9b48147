import Foundation
import PortholeKube

extension FindingDefinition {
    static let ingressBackendOtherNamespace = FindingDefinition(
        code: "PH0502", level: .error, title: "IngressBackendInOtherNamespace",
        template: "{ingress} field {field} = {service} names a Service that is not in namespace {namespace}; a Service {service} exists in {namespaces}",
        cause: "An Ingress routes only to Services in its own namespace; it cannot name one elsewhere (503 from the controller).",
        fix: "create the Ingress in namespace {target} (metadata.namespace: {target})")
}

/// Ingress backends that live in another namespace.
public enum IngressBackendNamespaceCheck: FindingCheck {
    public static let id = "ingress-backend-other-namespace"
    public static var definitions: [FindingDefinition] { [.ingressBackendOtherNamespace] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        var out: [Finding] = []
        for ing in s.ingresses {
            for b in ing.backends where s.service(b.service, in: ing.namespace) == nil {
                let elsewhere = s.services.filter { $0.name == b.service }.map(\.namespace).sorted()
                guard let target = elsewhere.first else { continue }
                out.append(FindingDefinition.ingressBackendOtherNamespace.make(ing.reference, field: b.field, [
                    "ingress": .object(ing.reference), "field": .field(b.field), "service": .value(b.service),
                    "namespace": .value(ing.namespace), "namespaces": .list(elsewhere), "target": .value(target),
                ]))
            }
        }
        return out
    }

    static let prometheus = """
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus, namespace: istio-system}
        spec:
          selector: {app: prometheus}
          ports: [{port: 9090}]
        """

    public static var examples: [CheckExample] {
        [
            CheckExample("Ingress in default, Service in istio-system", raises: ["PH0502"], yaml: IngressExamples.join(prometheus, IngressExamples.ingress(namespace: "default"))),
            CheckExample("Ingress beside the Service", raises: [], yaml: IngressExamples.join(prometheus, IngressExamples.ingress(namespace: "istio-system"))),
        ]
    }
}
