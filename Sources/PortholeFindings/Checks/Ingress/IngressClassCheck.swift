import Foundation
import PortholeKube

extension FindingDefinition {
    static let ingressWithoutClass = FindingDefinition(
        code: "PH0501", level: .error, title: "IngressWithoutClass",
        template: "{ingress} has no spec.ingressClassName and no default IngressClass exists: ingress-nginx >= 1.0 ignores it",
        cause: "Since ingress-nginx 1.0 the controller serves only Ingresses of its class (spec.ingressClassName, the legacy kubernetes.io/ingress.class annotation, or the class marked default).",
        fix: "set spec.ingressClassName: {className} (kubectl get ingressclass)")
}

/// Ingresses no controller will pick up for lack of a class.
public enum IngressClassCheck: FindingCheck {
    public static let id = "ingress-without-class"
    public static var definitions: [FindingDefinition] { [.ingressWithoutClass] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let classes = s.ingressClasses
        if classes.contains(where: \.isDefault) { return [] }
        let className = classes.first { $0.controller == "k8s.io/ingress-nginx" }?.name ?? classes.first?.name ?? "nginx"
        return s.ingresses.filter { $0.className == nil }.map { ing in
            FindingDefinition.ingressWithoutClass.make(ing.reference, field: "spec.ingressClassName", [
                "ingress": .object(ing.reference), "className": .value(className),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("no class", raises: ["PH0501"], yaml: IngressExamples.join(IngressExamples.nginxClass, IngressExamples.ingress(namespace: "istio-system", className: nil))),
            CheckExample("class set", raises: [], yaml: IngressExamples.join(IngressExamples.nginxClass, IngressExamples.ingress(namespace: "istio-system"))),
            CheckExample("no class but a default class", raises: [], yaml: IngressExamples.join(
                IngressExamples.nginxClass.replacingOccurrences(of: "metadata: {name: nginx}",
                    with: "metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}}"),
                IngressExamples.ingress(namespace: "istio-system", className: nil))),
        ]
    }
}
