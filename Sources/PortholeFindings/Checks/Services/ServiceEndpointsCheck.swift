import Foundation
import PortholeKube

extension FindingDefinition {
    static let serviceSelectsNoPod = FindingDefinition(
        code: "PH0104", level: .warning, title: "ServiceSelectsNoPod",
        template: "{service} selects {selector} but no pod in namespace {namespace} has these labels: it has no endpoints",
        cause: "A Service forwards only to the pods its spec.selector matches; with none, connections are refused and Envoy answers 503 UH (no healthy upstream).",
        fix: "set spec.selector to the backend pods' labels (kubectl get pods -n {namespace} --show-labels)")
}

/// Services whose selector matches no pod (read live).
public enum ServiceEndpointsCheck: FindingCheck {
    public static let id = "service-selects-no-pod"
    public static var definitions: [FindingDefinition] { [.serviceSelectsNoPod] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive, s.knows(.pod) else { return [] }
        return servicesOnPath(s).filter { s.pods(selectedBy: $0).isEmpty }.map { svc in
            FindingDefinition.serviceSelectsNoPod.make(svc.reference, field: "spec.selector", [
                "service": .object(svc.reference), "namespace": .value(svc.namespace),
                "selector": .value(svc.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")),
            ])
        }
    }

    /// Services with a selector on a path porthole cares about (routed to, exposed, or Prometheus): an idle
    /// Service elsewhere is not news. Shared with PH0113.
    static func servicesOnPath(_ s: ClusterSnapshot) -> [Service] {
        let routed = Set(DestinationRuleTLSCheck.routedServices(s).map(\.reference))
        return s.services.filter { svc in
            !svc.selector.isEmpty && (routed.contains(svc.reference) || svc.exposesNodePorts || PrometheusTargets.isPrometheus(svc))
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("selector with a typo", raises: ["PH0104"], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  selector: {app: promethues}
                  ports: [{port: 9090}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: prometheus-0, namespace: istio-system, labels: {app: prometheus}}
                spec: {containers: [{name: prometheus, image: prom/prometheus:v2.42.0}]}
                """),
            CheckExample("idle Service on no path", raises: [], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: batch-results, namespace: default}
                spec:
                  selector: {app: batch}
                  ports: [{port: 8080}]
                """),
            CheckExample("selector matching the pod", raises: [], live: true, yaml: """
                apiVersion: v1
                kind: Service
                metadata: {name: prometheus, namespace: istio-system}
                spec:
                  selector: {app: prometheus}
                  ports: [{port: 9090}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: prometheus-0, namespace: istio-system, labels: {app: prometheus}}
                spec: {containers: [{name: prometheus, image: prom/prometheus:v2.42.0}]}
                """),
        ]
    }
}
