import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewaySelectorMatchesNoPod = FindingDefinition(
        code: "PH0204", level: .error, title: "GatewaySelectorMatchesNoPod",
        template: "{gateway} field spec.selector = {selector} matches no gateway pod: no Envoy applies its servers",
        cause: "A Gateway configures only the gateway pods its selector matches (istio: ingressgateway for istioctl installs, istio: ingress for some Helm installs).",
        fix: "set spec.selector to the gateway pods' labels: {suggestion}")
}

/// A Gateway whose selector matches no pod (read live).
public enum GatewaySelectorCheck: FindingCheck {
    public static let id = "gateway-selector-matches-no-pod"
    public static var definitions: [FindingDefinition] { [.gatewaySelectorMatchesNoPod] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive, s.knows(.pod) else { return [] }
        let gatewayPods = s.pods.filter { $0.isGatewayProxy }
        let suggestion = gatewayPods.compactMap { $0.labels["istio"].map { "istio: \($0)" } }.sorted().first
            ?? "the labels of your ingress gateway pods (kubectl get pods -A -l istio --show-labels)"
        return s.istioGateways.filter { !$0.selector.isEmpty && s.gatewayPods($0).isEmpty }.map { gw in
            FindingDefinition.gatewaySelectorMatchesNoPod.make(gw.reference, field: "spec.selector", [
                "gateway": .object(gw.reference),
                "selector": .value(gw.selector.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")),
                "suggestion": .value(suggestion),
            ])
        }
    }

    static func gateway(_ selector: String) -> String {
        """
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: prometheus-gateway, namespace: istio-system}
        spec:
          selector: {\(selector)}
          servers:
          - port: {number: 9090, name: http-prom, protocol: HTTP}
            hosts: ["*"]
        """
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("selector istio: ingress, pods labelled istio: ingressgateway", raises: ["PH0204"], live: true,
                         yaml: GatewayExamples.ingressPod + "\n---\n" + gateway("istio: ingress")),
            CheckExample("selector matching the gateway pod", raises: [], live: true,
                         yaml: GatewayExamples.ingressPod + "\n---\n" + gateway("istio: ingressgateway")),
        ]
    }
}
