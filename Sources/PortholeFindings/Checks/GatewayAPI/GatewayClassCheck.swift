import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewayClassNotFound = FindingDefinition(
        code: "PH0607", level: .error, title: "GatewayClassNotFound",
        template: "{gateway} names gatewayClassName {className}, but the cluster has no GatewayClass {className} (classes: {classes}): no controller programs it, so it gets no Service, no address and serves no route",
        cause: "A Gateway is implemented only by the controller of its GatewayClass. Istio creates its class `istio` itself when its Gateway API support is on and the CRDs are installed; without a matching class the Gateway keeps the CRD's default status (Accepted Unknown, reason Pending, \"Waiting for controller\") forever.",
        fix: "set spec.gatewayClassName on {gateway} to one of {classes} (kubectl get gatewayclasses); with Istio and no class listed, restart istiod after installing the Gateway API CRDs (kubectl -n istio-system rollout restart deployment/istiod)")
}

/// Gateway API Gateways whose class does not exist (read live: the absence of a class is a fact).
public enum GatewayClassCheck: FindingCheck {
    public static let id = "gateway-class-not-found"
    public static var definitions: [FindingDefinition] { [.gatewayClassNotFound] }

    /// The Gateways whose `gatewayClassName` names no GatewayClass; empty unless classes were read in full.
    static func classless(_ s: ClusterSnapshot) -> [APIGateway] {
        guard s.isLive, s.knows(.gatewayClass) else { return [] }
        let classes = Set(s.gatewayClassNames)
        return s.apiGateways.filter { !classes.contains($0.className) }
    }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        let classes = s.gatewayClassNames
        return classless(s).map { gw in
            FindingDefinition.gatewayClassNotFound.make(gw.reference, field: "spec.gatewayClassName", [
                "gateway": .object(gw.reference), "className": .value(gw.className.isEmpty ? "\"\"" : gw.className), "classes": .list(classes),
            ])
        }
    }

    static let istioClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: istio}
        spec: {controllerName: istio.io/gateway-controller}
        """

    public static var examples: [CheckExample] {
        let waiting = """
            status:
              conditions:
              - {type: Accepted, status: Unknown, reason: Pending, message: Waiting for controller}
              - {type: Programmed, status: Unknown, reason: Pending, message: Waiting for controller}
            """
        let typo = GatewayAPIExamples.gateway(status: waiting).replacingOccurrences(of: "gatewayClassName: istio", with: "gatewayClassName: isito")
        return [
            CheckExample("a class name with a typo, read live", raises: ["PH0607"], live: true,
                         yaml: GatewayAPIExamples.join(istioClass, typo)),
            CheckExample("no class at all (Istio has not created one)", raises: ["PH0607"], live: true,
                         yaml: GatewayAPIExamples.gateway(status: waiting)),
            CheckExample("the class exists", raises: [], live: true, yaml: GatewayAPIExamples.join(istioClass, GatewayAPIExamples.gateway())),
            CheckExample("offline manifests cannot tell which classes exist", raises: [], yaml: typo),
        ]
    }
}
