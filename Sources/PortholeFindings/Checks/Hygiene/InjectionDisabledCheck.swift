import Foundation
import PortholeKube

extension FindingDefinition {
    static let injectionDisabledOnNamespace = FindingDefinition(
        code: "PH0802", level: .info, title: "InjectionDisabledOnNamespace",
        template: "{namespace} has istio-injection=disabled: new pods there get no sidecar; if this was set for an experiment, put it back",
        cause: "Turning injection off to try something (an ingress outside the mesh, say) is easily forgotten; the namespace then drifts out of the mesh as pods restart.",
        fix: "kubectl label namespace {name} istio-injection=enabled --overwrite (or remove it: kubectl label namespace {name} istio-injection-), then restart its workloads")
}

/// A workload namespace with injection explicitly disabled (experiment hygiene).
public enum InjectionDisabledCheck: FindingCheck {
    public static let id = "injection-disabled"
    public static var definitions: [FindingDefinition] { [.injectionDisabledOnNamespace] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.istioInstalled || s.isLive == false else { return [] }
        return s.namespaces.filter { ns in
            ns.labels["istio-injection"] == "disabled" && ns.name != scope.istioRootNamespace && !ns.name.hasPrefix("kube-")
                && !ns.name.hasPrefix("istio-") && !ns.name.contains("metallb") && !ns.name.contains("ingress-nginx")
        }.map { ns in
            FindingDefinition.injectionDisabledOnNamespace.make(ns.object.reference, field: "metadata.labels.istio-injection", [
                "namespace": .object(ns.object.reference), "name": .value(ns.name),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("default with injection disabled", raises: ["PH0802"], yaml: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: default, labels: {istio-injection: disabled}}
                """),
            CheckExample("istio-system with injection disabled", raises: [], yaml: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: istio-system, labels: {istio-injection: disabled}}
                """),
            CheckExample("default with injection enabled", raises: [], yaml: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: default, labels: {istio-injection: enabled}}
                """),
        ]
    }
}
