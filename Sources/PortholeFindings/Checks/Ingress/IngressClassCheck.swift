import Foundation
import PortholeKube

extension FindingDefinition {
    static let ingressWithoutClass = FindingDefinition(
        code: "PH0501", level: .error, title: "IngressWithoutClass",
        template: "{ingress} has no spec.ingressClassName and no default IngressClass exists: ingress-nginx >= 1.0 ignores it",
        cause: "Since ingress-nginx 1.0 the controller serves only Ingresses of its class (spec.ingressClassName, the legacy kubernetes.io/ingress.class annotation, or the class marked default).",
        fix: "set spec.ingressClassName: {className} (kubectl get ingressclass)")

    static let ingressClassNotFound = FindingDefinition(
        code: "PH0508", level: .error, title: "IngressClassNotFound",
        template: "{ingress} asks for ingress class {requested}, which no IngressClass defines ({classes}): no controller serves it",
        cause: "A controller serves the Ingresses of its own class only. A class name no IngressClass defines (a typo, or the name of another install, nginx vs ingress-nginx) is watched by nobody: the Ingress never gets an address and every request falls through to the controller's default backend (404).",
        fix: "set spec.ingressClassName: {className} (kubectl get ingressclass), and drop a kubernetes.io/ingress.class annotation that says otherwise")
}

/// Ingresses no controller will pick up for lack of a class.
public enum IngressClassCheck: FindingCheck {
    public static let id = "ingress-without-class"
    public static var definitions: [FindingDefinition] { [.ingressWithoutClass, .ingressClassNotFound] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let classes = s.ingressClasses
        let className = classes.first { $0.controller == "k8s.io/ingress-nginx" }?.name ?? classes.first?.name ?? "nginx"
        var out: [Finding] = []
        // Only when the IngressClasses were read (live, or given with -f): offline manifests may simply lack them.
        if s.knows(.ingressClass), !classes.isEmpty {
            let names = Set(classes.map(\.name))
            for ing in s.ingresses {
                guard let requested = ing.className, !names.contains(requested) else { continue }
                let field = ing.object.spec["ingressClassName"] != nil ? "spec.ingressClassName" : "metadata.annotations.kubernetes.io/ingress.class"
                out.append(FindingDefinition.ingressClassNotFound.make(ing.reference, field: field, [
                    "ingress": .object(ing.reference), "requested": .value(requested),
                    "classes": .value("classes: " + names.sorted().joined(separator: ", ")), "className": .value(className),
                ]))
            }
        }
        if classes.contains(where: \.isDefault) { return out }
        return out + s.ingresses.filter { $0.className == nil }.map { ing in
            FindingDefinition.ingressWithoutClass.make(ing.reference, field: "spec.ingressClassName", [
                "ingress": .object(ing.reference), "className": .value(className),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("no class", raises: ["PH0501"], yaml: IngressExamples.join(IngressExamples.nginxClass, IngressExamples.ingress(namespace: "istio-system", className: nil))),
            CheckExample("class set", raises: [], yaml: IngressExamples.join(IngressExamples.nginxClass, IngressExamples.ingress(namespace: "istio-system"))),
            CheckExample("a class no IngressClass defines", raises: ["PH0508"], yaml: IngressExamples.join(
                IngressExamples.nginxClass, IngressExamples.ingress(namespace: "istio-system", className: "ingress-nginx"))),
            CheckExample("no class but a default class", raises: [], yaml: IngressExamples.join(
                IngressExamples.nginxClass.replacingOccurrences(of: "metadata: {name: nginx}",
                    with: "metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}}"),
                IngressExamples.ingress(namespace: "istio-system", className: nil))),
        ]
    }
}
