import Foundation
import PortholeKube

extension FindingDefinition {
    static let gatewayNeedsNodePort = FindingDefinition(
        code: "PH0605", level: .warning, title: "IstioGatewayServiceWithoutLoadBalancer",
        template: "{gateway} (class istio) gets a LoadBalancer Service {service}, but no load-balancer controller is installed: it stays <pending> and the Gateway is not programmed",
        cause: "Istio deploys a Gateway API Gateway with a Service of type LoadBalancer unless the Gateway is annotated networking.istio.io/service-type.",
        fix: "annotate the Gateway: kubectl -n {namespace} annotate gateways.gateway.networking.k8s.io {name} networking.istio.io/service-type=NodePort, then use a node address with the Service's nodePort")
}

/// An Istio-managed Gateway API Gateway that will get a LoadBalancer Service nobody can serve.
public enum GatewayServiceTypeCheck: FindingCheck {
    public static let id = "istio-gateway-service-without-load-balancer"
    public static var definitions: [FindingDefinition] { [.gatewayNeedsNodePort] }

    public static func run(_ s: ClusterSnapshot, _ scope: CheckScope) -> [Finding] {
        guard s.isLive, s.knows(.pod), !MetalLBFacts(s).installed, s.cloudProvider == nil, s.otherLoadBalancerController == nil else { return [] }
        return s.apiGateways.filter { gw in
            let type = gw.object.annotations["networking.istio.io/service-type"]
                ?? gw.object.spec["infrastructure"]?["annotations"]?["networking.istio.io/service-type"]?.stringValue
            return gw.className == "istio" && (type == nil || type == "LoadBalancer") && gw.object.spec["addresses"] == nil
        }.map { gw in
            FindingDefinition.gatewayNeedsNodePort.make(gw.reference, field: "metadata.annotations", [
                "gateway": .object(gw.reference), "service": .value("\(gw.namespace)/\(gw.name)-istio"),
                "namespace": .value(gw.namespace), "name": .value(gw.name),
            ])
        }
    }

    public static var examples: [CheckExample] {
        [
            CheckExample("class istio on bare metal without a load balancer", raises: ["PH0605"], live: true, yaml: GatewayAPIExamples.gateway()),
            CheckExample("annotated NodePort", raises: [], live: true, yaml: GatewayAPIExamples.gateway().replacingOccurrences(
                of: "metadata: {name: web, namespace: istio-ingress}",
                with: "metadata: {name: web, namespace: istio-ingress, annotations: {networking.istio.io/service-type: NodePort}}")),
            CheckExample("MetalLB present", raises: [], live: true, yaml: GatewayAPIExamples.join(GatewayAPIExamples.gateway(), MetalLBExamples.controller("v0.14.8"))),
        ]
    }
}
