import Foundation
import PortholeKube

extension FindingDefinition {
    static let injectionLabelDrift = FindingDefinition(
        code: "PH0505", level: .warning, title: "InjectionLabelChangedAfterPodsStarted",
        template: "{namespace} has {label} but pods {pods} {state}: the label changed after they started",
        cause: "Sidecar injection happens when a pod is created; changing istio-injection on a namespace changes nothing for running pods.",
        fix: "restart the workloads (kubectl -n {name} rollout restart deployment), or put the label back: kubectl label namespace {name} {restore} --overwrite")
}

/// Namespaces whose injection label disagrees with their running pods.
public enum InjectionLabelDriftCheck: FindingCheck {
    public static let id = "injection-label-drift"
    public static var definitions: [FindingDefinition] { [.injectionLabelDrift] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.knows(.pod) else { return [] }
        var out: [Finding] = []
        for ns in s.namespaces {
            guard let enabled = ns.injectionEnabled else { continue }
            let drifted = s.pods.filter { p in
                p.namespace == ns.name && !p.hostNetwork && !p.isGatewayProxy && p.injectOverride == nil && p.hasSidecar != enabled
                    && !["Succeeded", "Failed"].contains(p.object.status["phase"]?.stringValue ?? "")
            }.map(\.name).sorted()
            guard !drifted.isEmpty else { continue }
            let label = ns.labels["istio-injection"].map { "istio-injection=\($0)" } ?? "istio.io/rev=\(ns.labels["istio.io/rev"] ?? "")"
            out.append(FindingDefinition.injectionLabelDrift.make(ns.object.reference, field: "metadata.labels", [
                "namespace": .object(ns.object.reference), "name": .value(ns.name), "label": .value(label),
                "pods": .list(Array(drifted.prefix(3)) + (drifted.count > 3 ? ["and \(drifted.count - 3) more"] : [])),
                "state": .value(enabled ? "run without a sidecar" : "still run a sidecar"),
                "restore": .value(enabled ? "istio-injection=disabled" : "istio-injection=enabled"),
            ]))
        }
        return out
    }

    static func objects(label: String, sidecar: Bool) -> String {
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: default, labels: {istio-injection: \(label)}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: productpage-v1-7f9c6d7b8-abcde, namespace: default, labels: {app: productpage}}
        spec:
          containers:
          - {name: productpage, image: docker.io/istio/examples-bookinfo-productpage-v1:1.10.1}
          \(sidecar ? "- {name: istio-proxy, image: docker.io/istio/proxyv2:1.1.7}" : "")
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("disabled after injected pods started", raises: ["PH0505"], live: true, yaml: objects(label: "disabled", sidecar: true)),
            CheckExample("enabled but pods without sidecar", raises: ["PH0505"], live: true, yaml: objects(label: "enabled", sidecar: false)),
            CheckExample("enabled and injected", raises: [], live: true, yaml: objects(label: "enabled", sidecar: true)),
        ]
    }
}
